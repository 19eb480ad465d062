// The preview page: shows the state the server sends after each build, and refreshes the view in
// place (the HTML edition's document is replaced inside its frame, the PDF's pages are drawn
// again) so that the scroll position stays where the reader left it.
const $ = (selector) => document.querySelector(selector);
const frame = $("#html");
const pdfPane = $("#pdf");
const params = new URLSearchParams(location.search);

let state;
let lang = params.get("lang") ?? undefined;
let view = params.get("view") === "pdf" ? "pdf" : "html";
/** What each view shows now: `lang version`. */
const shown = { html: "", pdf: "" };
let queue = Promise.resolve();
let pdfjs;

const text = (tag, content, className) => {
  const el = document.createElement(tag);
  if (className) el.className = className;
  el.textContent = content;
  return el;
};

function renderStatus() {
  const status = $("#status");
  const errors = state.messages.filter((m) => m.severity === "error").length;
  const warnings = state.messages.filter((m) => m.severity === "warning").length;
  const changed = state.changed.length ? ` after ${state.changed.join(", ")}` : "";
  if (state.ok === undefined) {
    status.textContent = "Building…";
    status.className = "";
  } else if (state.ok) {
    status.textContent = `Built${changed}${warnings ? ` · ${warnings} warning${warnings === 1 ? "" : "s"}` : ""}`;
    status.className = "ok";
  } else {
    status.textContent = `Build failed${changed}: ${state.error ?? `${errors} error${errors === 1 ? "" : "s"}`} · showing the last good editions`;
    status.className = "failed";
  }
  $("#document").textContent = state.document;
  const s = state.signatories;
  $("#signatories").textContent = s ? `${s.organisations + s.individuals} signatories (${s.organisations} organisations, ${s.individuals} individuals)` : "";
  document.title = `${state.ok === false ? "✗ " : ""}${state.document} · Letterpress preview`;
}

function renderMessages() {
  const list = $("#messages");
  list.replaceChildren();
  if (state.error) list.append(text("li", `error: ${state.error}`, "error"));
  for (const m of state.messages) {
    const li = document.createElement("li");
    li.className = m.severity;
    const where = `${m.file}${m.line ? `:${m.line}${m.column ? `:${m.column}` : ""}` : ""}`;
    li.append(text("span", where, "where"), " ", text("span", m.severity, "severity"), " ", text("span", m.reason, "reason"));
    if (m.ruleId) li.append(" ", text("span", `(${m.ruleId})`, "rule"));
    if (m.excerpt !== undefined) li.append(text("pre", `${m.line} | ${m.excerpt}`, "excerpt"));
    list.append(li);
  }
  if (!list.children.length && state.ok !== undefined) list.append(text("li", "No problems.", "none"));
}

function renderTabs() {
  const editions = state.editions;
  if (!lang || !editions.some((e) => e.lang === lang)) lang = editions.some((e) => e.lang === state.lang) ? state.lang : editions[0]?.lang;
  const tabs = $("#languages");
  tabs.replaceChildren(
    ...editions.map((e) => {
      const b = text("button", e.lang);
      b.type = "button";
      b.setAttribute("role", "tab");
      b.setAttribute("aria-selected", String(e.lang === lang));
      b.dataset.lang = e.lang;
      b.addEventListener("click", () => select(e.lang, view));
      return b;
    }),
  );
  for (const b of document.querySelectorAll("#views button")) b.setAttribute("aria-selected", String(b.dataset.view === view));
  const edition = editions.find((e) => e.lang === lang);
  const links = $("#downloads");
  links.replaceChildren(
    ...Object.entries(edition?.files ?? {}).map(([format, href]) => {
      const a = text("a", format.toUpperCase());
      a.href = href;
      a.target = "_blank";
      return a;
    }),
  );
  const empty = $("#empty");
  if (!edition) empty.textContent = state.ok === false ? "No edition yet: the build failed (see the diagnostics below)." : "The first build is running…";
  else if (view === "pdf" && !edition.files.pdf) empty.textContent = "This preview builds no PDF (see --format).";
  empty.hidden = Boolean(edition) && (view !== "pdf" || Boolean(edition.files.pdf));
}

function select(nextLang, nextView) {
  lang = nextLang;
  view = nextView;
  const url = new URL(location.href);
  url.searchParams.set("lang", lang);
  url.searchParams.set("view", view);
  history.replaceState(null, "", url);
  render();
}

/** Replace the frame's document with the new edition, keeping where the reader was. */
async function showHtml(edition, key) {
  const href = `${edition.files.html}?v=${state.version}`;
  const doc = frame.contentDocument;
  if (!shown.html.startsWith(`${edition.lang} `) || !doc?.body) {
    await new Promise((resolve) => {
      frame.addEventListener("load", resolve, { once: true });
      frame.src = href;
    });
  } else {
    const response = await fetch(href, { cache: "no-store" });
    if (!response.ok) return;
    const next = new DOMParser().parseFromString(await response.text(), "text/html");
    const win = frame.contentWindow;
    const [x, y] = [win.scrollX, win.scrollY];
    const root = doc.documentElement;
    for (const attr of [...root.attributes]) root.removeAttribute(attr.name);
    for (const attr of next.documentElement.attributes) root.setAttribute(attr.name, attr.value);
    doc.head.replaceChildren(...[...next.head.childNodes].map((n) => doc.importNode(n, true)));
    doc.body.replaceWith(doc.importNode(next.body, true));
    win.scrollTo(x, y);
  }
  shown.html = key;
}

/** Draw the PDF's pages with pdf.js into a fresh list, then swap it in at the same scroll position. */
async function showPdf(edition, key) {
  pdfjs ??= await import("/_preview/pdfjs/pdf.min.mjs");
  pdfjs.GlobalWorkerOptions.workerSrc = "/_preview/pdfjs/pdf.worker.min.mjs";
  const pdf = await pdfjs.getDocument({ url: `${edition.files.pdf}?v=${state.version}`, isEvalSupported: false }).promise;
  const pages = document.createElement("div");
  pages.id = "pages";
  const width = Math.min(900, pdfPane.clientWidth - 48);
  const ratio = window.devicePixelRatio || 1;
  for (let n = 1; n <= pdf.numPages; n++) {
    const page = await pdf.getPage(n);
    const viewport = page.getViewport({ scale: width / page.getViewport({ scale: 1 }).width });
    const canvas = document.createElement("canvas");
    canvas.width = Math.round(viewport.width * ratio);
    canvas.height = Math.round(viewport.height * ratio);
    canvas.style.width = `${Math.round(viewport.width)}px`;
    canvas.style.height = `${Math.round(viewport.height)}px`;
    canvas.setAttribute("role", "img");
    canvas.setAttribute("aria-label", `Page ${n} of ${pdf.numPages}`);
    await page.render({ canvas, canvasContext: canvas.getContext("2d"), viewport, transform: ratio === 1 ? undefined : [ratio, 0, 0, ratio, 0, 0] }).promise;
    const figure = document.createElement("figure");
    figure.append(canvas, text("figcaption", `${n} / ${pdf.numPages}`));
    pages.append(figure);
  }
  await pdf.destroy();
  const top = pdfPane.scrollTop;
  pdfPane.replaceChildren(pages);
  pdfPane.scrollTop = top;
  pdfPane.dataset.pages = String(pages.children.length);
  shown.pdf = key;
}

function refresh() {
  queue = queue.then(async () => {
    const edition = state.editions.find((e) => e.lang === lang);
    frame.hidden = view !== "html";
    pdfPane.hidden = view !== "pdf";
    if (!edition) return;
    const key = `${edition.lang} ${state.version}`;
    try {
      if (view === "html" && edition.files.html && shown.html !== key) await showHtml(edition, key);
      if (view === "pdf" && edition.files.pdf && shown.pdf !== key) await showPdf(edition, key);
      document.body.dataset.shown = `${view} ${key}`;
    } catch (error) {
      $("#status").textContent = `Could not show the ${view.toUpperCase()} edition: ${error.message}`;
    }
  });
}

function render() {
  if (!state) return;
  renderStatus();
  renderMessages();
  renderTabs();
  refresh();
}

for (const b of document.querySelectorAll("#views button")) b.addEventListener("click", () => select(lang, b.dataset.view));

const events = new EventSource("/_preview/events");
events.addEventListener("state", (event) => {
  state = JSON.parse(event.data);
  render();
});
events.addEventListener("error", () => {
  if (events.readyState === EventSource.CLOSED) $("#status").textContent = "The preview server stopped.";
});
