/**
 * Reading outputs back the way readers and their software meet them, for the proof suites.
 *
 * Every format is reduced to the same `View`: the notes in the order they are shown (with the
 * number a reader sees and their text), the note calls of the main text in reading order, the
 * external link targets, the heading outline and the signatory list. Nothing here imports a
 * writer or reads a Publication (only the registry's list of formats and the browser launcher):
 * HTML is loaded in Chromium (`file://`, every other request blocked and logged), EPUB and DOCX
 * are unzipped (fflate) and parsed with the browser's DOMParser, PDF is read with poppler
 * (`pdftotext -bbox-layout`) and qpdf (`--json`: outline, link annotations, destinations).
 *
 * Also here: the CLI's messages read back (`parseReport`), and `consistencySuite`, the
 * cross-format assertions shared by the consistency and large-document suites.
 */
import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";
import { unzipSync } from "fflate";
import type { Browser, Page } from "puppeteer-core";
import { expect, it } from "vitest";
import { launchChromium, sandboxPage, type BlockedRequest } from "../pipeline/browser/chromium.ts";
import { FORMATS, type Format } from "../pipeline/model.ts";

const run = promisify(execFile);

// ------------------------------------------------------------------------------------- text

/** Characters that carry no text: soft hyphen, zero-width and bidi controls, variation selectors. */
const INVISIBLE = /[\u00ad\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff\ufe0e\ufe0f]/g;

/** NFKC, invisible characters and back-link arrows removed, whitespace collapsed. */
export function normalise(text: string): string {
  return text.normalize("NFKC").replace(INVISIBLE, "").replace(/\u21a9/g, "").replace(/\s+/g, " ").trim();
}

/** `normalise` without any whitespace: for PDF text, whose line breaks fall anywhere. */
export function squash(text: string): string {
  return normalise(text).replace(/\s+/g, "");
}

/**
 * The letters and digits of a text, sorted: what survives when a tool cannot recover the order
 * of the characters (poppler reads Chromium's Arabic glyph runs in visual order, split oddly).
 */
export function letters(text: string): string {
  return [...normalise(text).replace(/[^\p{L}\p{N}]/gu, "")].sort().join("");
}

/** An absolute URL in one canonical spelling (WHATWG serialisation). */
export function canonicalUrl(url: string): string {
  try {
    return new URL(url.trim()).href;
  } catch {
    return url.trim();
  }
}

const EXTERNAL = /^(https?|mailto|tel):/i;

export function sha256(data: Uint8Array | string): string {
  return createHash("sha256").update(data).digest("hex");
}

// ------------------------------------------------------------------------------------- views

export interface NoteView {
  /** The number a reader sees for the note. */
  number: number;
  /** Normalised text, without its number and without back-links. */
  text: string;
}

export interface OutlineEntry {
  /** Nesting depth, 1 for the outermost entries. */
  depth: number;
  text: string;
}

export interface SignatoryView {
  /** The count line ("36 organisations and 6 individuals"). */
  count: string;
  organisations: string[];
  individuals: Array<{ name: string; line: string }>;
}

/** What every format must agree on. */
export interface View {
  format: Format;
  /** Notes in the order they are shown. */
  notes: NoteView[];
  /** Numbers of the note calls in the main text (not inside notes), in reading order. */
  markers: number[];
  /** Numbers of the note calls made inside each note, by the number of that note. */
  nestedMarkers: Record<number, number[]>;
  /** External link targets (http, https, mailto, tel), canonical, unique, sorted. */
  links: string[];
  outline: OutlineEntry[];
  signatories: SignatoryView | undefined;
  /** Inconsistencies found while reading (a call without its note, a field with a stale number). */
  problems: string[];
}

/** Nesting depths from heading levels: each entry goes under the nearest earlier lower level. */
export function nest(entries: Array<{ level: number; text: string }>): OutlineEntry[] {
  const stack: number[] = [];
  return entries.map((e) => {
    while (stack.length > 0 && stack[stack.length - 1]! >= e.level) stack.pop();
    stack.push(e.level);
    return { depth: stack.length, text: normalise(e.text) };
  });
}

/**
 * Headings Letterpress adds for its own sections, and the formats whose outline shows them. Notes
 * are at the foot of the page in PDF and Word (no "Notes" section).
 */
export const SECTION_HEADINGS: Record<"notes" | "organisations" | "individuals", readonly Format[]> = {
  notes: ["html", "epub"],
  organisations: ["html", "pdf", "docx", "epub"],
  individuals: ["html", "pdf", "docx", "epub"],
};

/** The outline a format must show, given the HTML edition's outline and section labels. */
export function outlineFor(format: Format, html: OutlineEntry[], labels: Record<keyof typeof SECTION_HEADINGS, string>): OutlineEntry[] {
  const hidden = (Object.keys(SECTION_HEADINGS) as Array<keyof typeof SECTION_HEADINGS>)
    .filter((key) => !SECTION_HEADINGS[key].includes(format))
    .map((key) => squash(labels[key]));
  return html.filter((e) => !hidden.includes(squash(e.text)));
}

// -------------------------------------------------------------------------- in-page readers

/**
 * Code run inside Chromium (as a string, so no transpiler helper can leak into it). It defines
 * `window.__lp` with readers for HTML documents (the loaded page or parsed XHTML), EPUB package
 * files and WordprocessingML parts.
 */
const IN_PAGE = String.raw`
(() => {
  const BLOCK = new Set(["p","li","div","br","td","th","tr","h1","h2","h3","h4","h5","h6","blockquote","ul","ol","table","section","aside","dt","dd","pre","figure","figcaption","nav","header","footer","main","article"]);
  const EXTERNAL = /^(https?|mailto|tel):/i;
  /** Text of an element with a space at every block boundary, back-links left out. */
  function text(node) {
    let out = "";
    const walk = (n) => {
      if (n.nodeType === 3) { out += n.nodeValue; return; }
      if (n.nodeType !== 1) return;
      if (n.getAttribute("role") === "doc-backlink") return;
      const block = BLOCK.has(n.localName);
      if (block) out += " ";
      for (const c of n.childNodes) walk(c);
      if (block) out += " ";
    };
    walk(node);
    return out;
  }
  const num = (s) => { const m = /\d+/.exec(s || ""); return m ? Number(m[0]) : NaN; };

  /** Notes, calls, links, headings and signatories of one (X)HTML document. */
  function htmlParts(doc) {
    const problems = [];
    const byId = (id) => doc.getElementById(id);
    const noteEls = [...doc.querySelectorAll('#notes li[id], [role="doc-footnote"], [role="doc-endnote"]')];
    const isNote = (el) => noteEls.some((n) => n === el || n.contains(el));
    const calls = [...doc.querySelectorAll('a[role="doc-noteref"], a[epub\\:type="noteref"]')];
    const unique = [...new Set(calls)];
    const firstCall = new Map();
    const markers = [];
    const nestedMarkers = {};
    for (const a of unique) {
      const target = (a.getAttribute("href") || "").replace(/^[^#]*#/, "");
      const note = byId(target);
      const n = num(a.textContent);
      if (!note || !noteEls.includes(note)) problems.push("call " + a.textContent + " points to #" + target + ", which is not a note");
      else if (!firstCall.has(note)) firstCall.set(note, n);
      const holder = noteEls.find((el) => el !== a && el.contains(a));
      if (holder) {
        const key = holder.id;
        (nestedMarkers[key] = nestedMarkers[key] || []).push(n);
      } else markers.push(n);
    }
    const notes = noteEls.map((el) => {
      const number = firstCall.has(el) ? firstCall.get(el) : NaN;
      if (Number.isNaN(number)) problems.push("note #" + el.id + " has no call");
      const value = el.getAttribute("value");
      if (value !== null && Number(value) !== number) problems.push("note #" + el.id + " is listed as " + value + " but called " + number);
      return { id: el.id, number, text: text(el) };
    });
    const nested = {};
    for (const note of notes) if (nestedMarkers[note.id]) nested[note.number] = nestedMarkers[note.id];
    const links = [...doc.querySelectorAll("a[href]")].map((a) => a.getAttribute("href")).filter((h) => EXTERNAL.test(h));
    const headings = [...doc.querySelectorAll("h1,h2,h3,h4,h5,h6")].filter((h) => !isNote(h)).map((h) => ({ level: Number(h.localName.slice(1)), text: text(h) }));
    const section = doc.querySelector("#signatories, section.signatories");
    const signatories = section && section.querySelector("ul") ? {
      count: text(section.querySelector(".count") || doc.createElement("p")),
      organisations: [...section.querySelectorAll("ul.organisations > li")].map((li) => text(li)),
      individuals: [...section.querySelectorAll("ul.individuals > li")].map((li) => ({
        name: text(li.querySelector(".name") || li),
        line: li.querySelector(".affiliation") ? text(li.querySelector(".affiliation")) : "",
      })),
    } : undefined;
    const label = (id) => { const el = byId(id); return el ? text(el) : ""; };
    return {
      notes: notes.map(({ number, text }) => ({ number, text })), markers, nestedMarkers: nested, links, headings, signatories, problems,
      labels: { notes: label("notes-label"), organisations: label("organisations-label"), individuals: label("individuals-label"), signatories: label("signatories-label") },
      lang: doc.documentElement.getAttribute("lang") || doc.documentElement.getAttribute("xml:lang") || "",
      dir: doc.documentElement.getAttribute("dir") || "",
    };
  }

  function parse(xml, type) {
    const doc = new DOMParser().parseFromString(xml, type);
    const error = doc.getElementsByTagName("parsererror")[0];
    if (error) throw new Error("not well-formed " + type + ": " + error.textContent.slice(0, 200));
    return doc;
  }

  function xhtml(xml) { return htmlParts(parse(xml, "application/xhtml+xml")); }

  /** The EPUB navigation document's toc as nested entries. */
  function nav(xml) {
    const doc = parse(xml, "application/xhtml+xml");
    const toc = [...doc.getElementsByTagName("nav")].find((n) => (n.getAttribute("epub:type") || "").split(/\s+/).includes("toc"));
    if (!toc) return [];
    const out = [];
    const walk = (ol, depth) => {
      for (const li of ol.children) {
        if (li.localName !== "li") continue;
        const a = [...li.children].find((c) => c.localName === "a" || c.localName === "span");
        if (a) out.push({ depth, text: text(a), href: a.getAttribute("href") || "" });
        for (const c of li.children) if (c.localName === "ol") walk(c, depth + 1);
      }
    };
    for (const c of toc.children) if (c.localName === "ol") walk(c, 1);
    return out;
  }

  /** Package document: spine order and the nav document. */
  function opf(xml) {
    const doc = parse(xml, "application/xml");
    const items = new Map([...doc.getElementsByTagName("item")].map((i) => [i.getAttribute("id"), i]));
    const spine = [...doc.getElementsByTagName("itemref")].map((r) => items.get(r.getAttribute("idref"))).filter(Boolean).map((i) => i.getAttribute("href"));
    const navItem = [...items.values()].find((i) => (i.getAttribute("properties") || "").split(/\s+/).includes("nav"));
    const language = (doc.getElementsByTagNameNS("http://purl.org/dc/elements/1.1/", "language")[0] || {}).textContent || "";
    return { spine, nav: navItem ? navItem.getAttribute("href") : undefined, language };
  }

  function container(xml) {
    const root = parse(xml, "application/xml").getElementsByTagName("rootfile")[0];
    return root ? root.getAttribute("full-path") : undefined;
  }

  // ---------------------------------------------------------------------------- DOCX
  const W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";
  const R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
  const wattr = (el, name) => el.getAttributeNS(W, name) ?? el.getAttribute("w:" + name);

  /** Relationship id → { type, target, external }. */
  function rels(xml) {
    const out = {};
    if (!xml) return out;
    for (const r of parse(xml, "application/xml").getElementsByTagName("Relationship")) {
      out[r.getAttribute("Id")] = { type: r.getAttribute("Type"), target: r.getAttribute("Target"), external: r.getAttribute("TargetMode") === "External" };
    }
    return out;
  }

  /** Style id → outline level (0-based) for heading styles; Title counts as level -1. */
  function styles(xml) {
    const out = {};
    for (const s of parse(xml, "application/xml").getElementsByTagNameNS(W, "style")) {
      const id = wattr(s, "styleId");
      const lvl = s.getElementsByTagNameNS(W, "outlineLvl")[0];
      if (lvl) out[id] = Number(wattr(lvl, "val"));
      else if (id === "Title") out[id] = -1;
    }
    return out;
  }

  /**
   * Walk a part in document order: text (w:t, w:tab, w:br, field results; never field codes),
   * footnote references, NOTEREF fields with their shown result, bookmarks, hyperlinks.
   */
  function runs(root, on) {
    let field = null; // { code, result, inResult }
    const stack = [];
    const visit = (el) => {
      const name = el.localName;
      if (el.namespaceURI === W) {
        if (name === "fldChar") {
          const type = wattr(el, "fldCharType");
          if (type === "begin") { stack.push(field); field = { code: "", result: "", inResult: false }; }
          else if (type === "separate" && field) field.inResult = true;
          else if (type === "end" && field) { on.field && on.field(field.code.trim(), field.result); field = stack.pop() || null; }
          return;
        }
        if (name === "instrText") { if (field) field.code += el.textContent; return; }
        if (name === "t") { on.text(el.textContent); if (field && field.inResult) field.result += el.textContent; return; }
        if (name === "tab" || name === "br" || name === "cr") { on.text(" "); return; }
        if (name === "footnoteReference") { on.footnote && on.footnote(wattr(el, "id")); return; }
        if (name === "footnoteRef") { on.footnoteMark && on.footnoteMark(); return; }
        if (name === "bookmarkStart") { on.bookmark && on.bookmark(wattr(el, "name")); }
        if (name === "fldSimple") {
          let result = "";
          const sub = { ...on, text: (t) => { result += t; on.text(t); } };
          for (const c of el.children) runs(c, sub);
          on.field && on.field(wattr(el, "instr").trim(), result);
          return;
        }
        if (name === "hyperlink") { on.hyperlink && on.hyperlink(el.getAttributeNS(R, "id") ?? el.getAttribute("r:id"), wattr(el, "anchor")); }
        if (name === "instrText" || name === "delText") return;
      }
      for (const c of el.children) visit(c);
    };
    visit(root);
  }

  function paragraphText(p) {
    let out = "";
    runs(p, { text: (t) => (out += t) });
    return out;
  }

  function docx(parts) {
    const problems = [];
    const doc = parse(parts.document, "application/xml");
    const notesDoc = parts.footnotes ? parse(parts.footnotes, "application/xml") : null;
    const levels = parts.styles ? styles(parts.styles) : {};
    const docRels = rels(parts.documentRels);
    const noteRels = rels(parts.footnotesRels);
    const body = doc.getElementsByTagNameNS(W, "body")[0];

    // Word numbers footnotes by the position of their reference: the k-th reference shows k.
    const shown = new Map(); // footnote id -> number shown
    const bookmarkOfRef = new Map(); // bookmark name -> footnote id of the reference inside it
    const markers = [];
    const fieldChecks = [];
    const links = [];
    let openBookmarks = [];
    runs(body, {
      text: () => {},
      bookmark: (name) => openBookmarks.push(name),
      footnote: (id) => {
        if (!shown.has(id)) shown.set(id, shown.size + 1);
        else problems.push("footnote " + id + " is referenced twice in the body");
        for (const b of openBookmarks) bookmarkOfRef.set(b, id);
        openBookmarks = [];
        markers.push(shown.get(id));
      },
      field: (code, result) => {
        const m = /^NOTEREF\s+(\S+)/.exec(code);
        if (m) { fieldChecks.push({ bookmark: m[1], result }); markers.push(Number(result.trim())); }
      },
      hyperlink: (id) => { if (id && docRels[id] && docRels[id].external) links.push(docRels[id].target); },
    });
    for (const f of fieldChecks) {
      const id = bookmarkOfRef.get(f.bookmark);
      if (id === undefined) problems.push("NOTEREF " + f.bookmark + " points to no footnote reference");
      else if (String(shown.get(id)) !== f.result.trim()) problems.push("NOTEREF " + f.bookmark + " shows " + f.result + " but the note is number " + shown.get(id));
    }

    // Footnotes in the order they are shown, with their text (the mark run left out).
    const notes = [];
    const nestedMarkers = {};
    if (notesDoc) {
      const byId = new Map();
      for (const fn of notesDoc.getElementsByTagNameNS(W, "footnote")) {
        const type = wattr(fn, "type");
        if (type && type !== "normal") continue;
        byId.set(wattr(fn, "id"), fn);
      }
      for (const id of byId.keys()) if (!shown.has(id)) problems.push("footnote " + id + " is never referenced");
      for (const [id, number] of [...shown.entries()].sort((a, b) => a[1] - b[1])) {
        const fn = byId.get(id);
        if (!fn) { problems.push("reference to missing footnote " + id); continue; }
        let out = "";
        const inner = [];
        for (const p of fn.getElementsByTagNameNS(W, "p")) {
          out += " ";
          runs(p, {
            text: (t) => (out += t),
            field: (code, result) => { if (/^NOTEREF\s/.test(code)) inner.push(Number(result.trim())); },
            hyperlink: (rid) => { if (rid && noteRels[rid] && noteRels[rid].external) links.push(noteRels[rid].target); },
          });
          out += " ";
        }
        if (inner.length) nestedMarkers[number] = inner;
        notes.push({ number, text: out });
      }
    }

    // Headings: paragraphs whose style has an outline level (Title is the document's title).
    const headings = [];
    const paragraphs = [...body.children].filter((c) => c.localName === "p" || c.localName === "tbl");
    const info = paragraphs.map((p) => {
      const style = p.getElementsByTagNameNS(W, "pStyle")[0];
      const id = style ? wattr(style, "val") : "";
      const marks = [...p.getElementsByTagNameNS(W, "bookmarkStart")].map((b) => wattr(b, "name"));
      const list = p.getElementsByTagNameNS(W, "numPr").length > 0;
      // An individual is a name, a line break, then the affiliation or country.
      let name = "", line = "", afterBreak = false;
      const walker = (el) => {
        if (el.namespaceURI === W && (el.localName === "br")) { afterBreak = true; return; }
        if (el.namespaceURI === W && el.localName === "t") { if (afterBreak) line += el.textContent; else name += el.textContent; return; }
        for (const c of el.children) walker(c);
      };
      walker(p);
      return { style: id, level: id in levels ? levels[id] : undefined, text: paragraphText(p), marks, list, name, line, table: p.localName === "tbl" };
    });
    for (const p of info) if (p.level !== undefined && !p.table) headings.push({ level: p.level + 2, text: p.text });

    // Signatories: after the "signatories" bookmark; lists after the organisations and individuals headings.
    let signatories;
    const start = info.findIndex((p) => p.marks.includes("signatories") || p.marks.includes("signatories_label"));
    if (start >= 0) {
      const listAfter = (mark) => {
        const h = info.findIndex((p, i) => i > start && p.marks.includes(mark));
        if (h < 0) return [];
        const out = [];
        for (let i = h + 1; i < info.length; i++) {
          if (info[i].level !== undefined) break;
          if (info[i].list) out.push(info[i]);
          else if (out.length) break;
        }
        return out;
      };
      signatories = {
        count: info[start + 1] ? info[start + 1].text : "",
        organisations: listAfter("organisations_label").map((p) => p.text),
        individuals: listAfter("individuals_label").map((p) => ({ name: p.name, line: p.line })),
      };
    }
    return { notes, markers, nestedMarkers, links, headings, signatories, problems };
  }

  window.__lp = { htmlParts, xhtml, nav, opf, container, docx };
})();
`;

// ---------------------------------------------------------------------------------- reader

export interface HtmlLoad {
  view: View;
  /** Every request the page made, allowed or not. */
  requests: string[];
  blocked: BlockedRequest[];
  labels: { notes: string; organisations: string; individuals: string; signatories: string };
  lang: string;
  dir: string;
}

interface PageParts {
  notes: NoteView[];
  markers: number[];
  nestedMarkers: Record<number, number[]>;
  links: string[];
  headings: Array<{ level: number; text: string }>;
  signatories: SignatoryView | undefined;
  problems: string[];
  labels?: HtmlLoad["labels"];
  lang?: string;
  dir?: string;
}

function finish(format: Format, parts: PageParts, outline?: OutlineEntry[]): View {
  return {
    format,
    notes: parts.notes.map((n) => ({ number: n.number, text: normalise(n.text) })),
    markers: parts.markers,
    nestedMarkers: parts.nestedMarkers,
    links: [...new Set(parts.links.filter((l) => EXTERNAL.test(l)).map(canonicalUrl))].sort(),
    outline: outline ?? nest(parts.headings),
    signatories: parts.signatories && {
      count: normalise(parts.signatories.count),
      organisations: parts.signatories.organisations.map(normalise),
      individuals: parts.signatories.individuals.map((i) => ({ name: normalise(i.name), line: normalise(i.line) })),
    },
    problems: parts.problems,
  };
}

/** One Chromium for a whole test file; a blank page for parsing XML. */
export class ReadBack {
  private scratch: Page | undefined;
  private constructor(readonly browser: Browser) {}

  static async launch(): Promise<ReadBack> {
    return new ReadBack(await launchChromium());
  }

  async close(): Promise<void> {
    await this.browser.close();
  }

  private async parser(): Promise<Page> {
    if (!this.scratch) {
      this.scratch = await this.browser.newPage();
      await sandboxPage(this.scratch);
      await this.scratch.evaluate(IN_PAGE);
    }
    return this.scratch;
  }

  /**
   * Load an HTML file as a reader's browser does (`file://`), every other request blocked and
   * logged, and read it. The page is closed afterwards unless `keep` is set.
   */
  async html(file: string, options: { keep?: boolean; allow?: (url: string) => boolean } = {}): Promise<HtmlLoad & { page?: Page }> {
    const page = await this.browser.newPage();
    const requests: string[] = [];
    page.on("request", (r) => void requests.push(r.url()));
    const url = `file://${path.resolve(file)}`;
    const blocked = await sandboxPage(page, (u) => u === url || (options.allow?.(u) ?? false));
    await page.goto(url, { waitUntil: "load" });
    await page.evaluate(() => document.fonts.ready.then(() => undefined));
    await page.evaluate(IN_PAGE);
    const parts = (await page.evaluate("window.__lp.htmlParts(document)")) as PageParts;
    if (!options.keep) await page.close();
    return {
      view: finish("html", parts),
      requests,
      blocked,
      labels: parts.labels!,
      lang: parts.lang!,
      dir: parts.dir!,
      ...(options.keep ? { page } : {}),
    };
  }

  /** Unzip an EPUB, follow container → package → spine, read every content document and the nav. */
  async epub(file: string): Promise<View & { language: string; files: Record<string, Uint8Array> }> {
    const files = unzipSync(new Uint8Array(await readFile(file)));
    const text = (name: string) => {
      const data = files[name];
      if (!data) throw new Error(`${path.basename(file)} has no ${name}`);
      return new TextDecoder().decode(data);
    };
    const page = await this.parser();
    const opfPath = (await page.evaluate((xml: string) => (window as unknown as LpWindow).__lp.container(xml), text("META-INF/container.xml"))) as string;
    const base = path.posix.dirname(opfPath);
    const pkg = (await page.evaluate((xml: string) => (window as unknown as LpWindow).__lp.opf(xml), text(opfPath))) as { spine: string[]; nav?: string; language: string };
    const resolve = (href: string) => path.posix.normalize(path.posix.join(base, href));
    const merged: PageParts = { notes: [], markers: [], nestedMarkers: {}, links: [], headings: [], signatories: undefined, problems: [] };
    for (const href of pkg.spine) {
      if (pkg.nav && resolve(href) === resolve(pkg.nav)) continue;
      const parts = (await page.evaluate((xml: string) => (window as unknown as LpWindow).__lp.xhtml(xml), text(resolve(href)))) as PageParts;
      merged.notes.push(...parts.notes);
      merged.markers.push(...parts.markers);
      Object.assign(merged.nestedMarkers, parts.nestedMarkers);
      merged.links.push(...parts.links);
      merged.headings.push(...parts.headings);
      merged.signatories ??= parts.signatories;
      merged.problems.push(...parts.problems);
    }
    const nav = pkg.nav
      ? ((await page.evaluate((xml: string) => (window as unknown as LpWindow).__lp.nav(xml), text(resolve(pkg.nav)))) as Array<{ depth: number; text: string }>)
      : [];
    if (!pkg.nav) merged.problems.push("no navigation document");
    return { ...finish("epub", merged, nav.map((n) => ({ depth: n.depth, text: normalise(n.text) }))), language: pkg.language, files };
  }

  /** Unzip a DOCX and read its main document, footnotes, styles and relationships. */
  async docx(file: string): Promise<View & { files: Record<string, Uint8Array> }> {
    const files = unzipSync(new Uint8Array(await readFile(file)));
    const text = (name: string) => (files[name] ? new TextDecoder().decode(files[name]) : undefined);
    const parts = {
      document: text("word/document.xml"),
      footnotes: text("word/footnotes.xml"),
      styles: text("word/styles.xml"),
      documentRels: text("word/_rels/document.xml.rels"),
      footnotesRels: text("word/_rels/footnotes.xml.rels"),
    };
    if (!parts.document) throw new Error(`${path.basename(file)} has no word/document.xml`);
    const page = await this.parser();
    const read = (await page.evaluate((p: typeof parts) => (window as unknown as LpWindow).__lp.docx(p), parts)) as PageParts;
    return { ...finish("docx", read), files };
  }

  /** Read a PDF with poppler and qpdf (no browser needed). */
  async pdf(file: string, options: { dir?: "ltr" | "rtl" } = {}): Promise<PdfView> {
    return readPdf(file, options);
  }

  private readonly editions = new Map<string, Promise<Edition>>();

  /** Every format of the registry for one edition, read once and cached. */
  all(dir: string, lang: string, slug: string): Promise<Edition> {
    const key = `${dir}\0${lang}\0${slug}`;
    let edition = this.editions.get(key);
    if (!edition) {
      edition = this.edition(dir, lang, slug, ["html", ...FORMATS.filter((f) => f !== "html")]).then((r) => ({
        html: r.html!,
        views: r.views as Record<Format, View>,
        pdf: r.pdf!,
      }));
      this.editions.set(key, edition);
    }
    return edition;
  }

  /** Some formats of one edition: `<dir>/<lang>/<slug>.<ext>`. */
  async edition(dir: string, lang: string, slug: string, formats: readonly Format[]): Promise<{ html?: HtmlLoad; views: Partial<Record<Format, View>>; pdf?: PdfView }> {
    const views: Partial<Record<Format, View>> = {};
    let html: HtmlLoad | undefined;
    let pdf: PdfView | undefined;
    const file = (ext: string) => path.join(dir, lang, `${slug}.${ext}`);
    for (const format of formats) {
      if (format === "html") views.html = (html = await this.html(file("html"))).view;
      else if (format === "epub") views.epub = await this.epub(file("epub"));
      else if (format === "docx") views.docx = await this.docx(file("docx"));
      else if (format === "pdf") views.pdf = pdf = await this.pdf(file("pdf"), { dir: html?.dir === "rtl" ? "rtl" : "ltr" });
    }
    return { ...(html ? { html } : {}), views, ...(pdf ? { pdf } : {}) };
  }
}

interface LpWindow {
  __lp: {
    container(xml: string): string;
    opf(xml: string): unknown;
    xhtml(xml: string): unknown;
    nav(xml: string): unknown;
    docx(parts: unknown): unknown;
  };
}

// ------------------------------------------------------------------------ the shared suite

/** Checks expected to fail because of a known pipeline bug, with its description. */
export type KnownBugs = Record<string, string>;

/** Every format of one edition, read back. */
export interface Edition {
  html: HtmlLoad;
  views: Record<Format, View>;
  pdf: PdfView;
}

/**
 * The assertions every edition must pass, for every format in the registry, against the HTML
 * edition: notes (numbers in the order shown, text), calls (body and inside notes), external link
 * targets, outline (with `SECTION_HEADINGS`), signatories. Registers vitest tests; a check named
 * in `knownBugs` (`problems`, or `notes|calls|links|outline|signatories:<format>`) runs as
 * `it.fails` with the bug in its title, so it turns red the day the bug is fixed.
 */
export function consistencySuite(get: () => Promise<Edition>, knownBugs: KnownBugs = {}): void {
  const others = FORMATS.filter((f) => f !== "html");
  /** `it`, or `it.fails` with the bug in the title when a known bug makes the check fail. */
  const check = (key: string) => {
    const bug = knownBugs[key];
    return bug ? (title: string, fn: () => Promise<void>) => it.fails(`${title} (known bug: ${bug})`, fn) : (title: string, fn: () => Promise<void>) => it(title, fn);
  };
  const each = (kind: string, title: string, fn: (format: Format) => Promise<void>) => {
    for (const format of others) check(`${kind}:${format}`)(title.replace("%s", format), () => fn(format));
  };

  check("problems")("reads back without inconsistencies inside any format", async () => {
    const { views } = await get();
    for (const format of FORMATS) expect(views[format].problems, format).toEqual([]);
  });

  each("notes", "%s has the same notes, in the same order, with the same numbers and text", async (format) => {
    const { html, views } = await get();
    const reference = views.html.notes;
    const notes = views[format].notes;
    expect(notes.map((n) => n.number), "numbers in the order shown").toEqual(reference.map((n) => n.number));
    for (const [i, note] of notes.entries()) {
      const expected = reference[i]!.text;
      if (format !== "pdf") expect(note.text, `${format} note ${note.number}`).toBe(expected);
      else if (html.dir === "rtl") expect(letters(note.text), `pdf note ${note.number} (letters; poppler reads RTL runs in visual order)`).toBe(letters(expected));
      else expect(squash(note.text), `pdf note ${note.number} (line breaks fall anywhere)`).toBe(squash(expected));
    }
  });

  each("calls", "%s has the same note calls in reading order (body and inside notes)", async (format) => {
    const { views } = await get();
    expect(views[format].markers).toEqual(views.html.markers);
    expect(views[format].nestedMarkers).toEqual(views.html.nestedMarkers);
  });

  each("links", "%s links to the same external targets", async (format) => {
    const { views } = await get();
    expect(views[format].links).toEqual(views.html.links);
  });

  each("outline", "%s has the same heading outline", async (format) => {
    const { html, views } = await get();
    expect(views[format].outline).toEqual(outlineFor(format, views.html.outline, html.labels));
  });

  each("signatories", "%s lists the same signatories in the same order", async (format) => {
    const { html, views, pdf } = await get();
    const reference = views.html.signatories;
    if (!reference) {
      expect(views[format].signatories).toBeUndefined();
      return;
    }
    if (format !== "pdf") {
      expect(views[format].signatories).toEqual(reference);
      return;
    }
    // PDF: each name is one list item (a block); two columns, read column by column.
    const dir = html.dir === "rtl" ? "rtl" : "ltr";
    const organisations = pdfOrder(pdf, reference.organisations, dir);
    expect(organisations.missing).toEqual([]);
    expect(organisations.order).toEqual(reference.organisations);
    const people = reference.individuals.map((i) => `${i.name} ${i.line}`.trim());
    const individuals = pdfOrder(pdf, people, dir);
    expect(individuals.missing).toEqual([]);
    expect(individuals.order).toEqual(people);
    if (dir === "ltr") expect(squash(pdf.text)).toContain(squash(reference.count));
    else expect(pdf.blocks.some((b) => letters(b.text) === letters(reference.count)), "the count line").toBe(true);
  });
}


// -------------------------------------------------------------------------------------- PDF

export interface PdfWord {
  page: number;
  line: number;
  block: number;
  x0: number;
  y0: number;
  x1: number;
  y1: number;
  text: string;
}

export interface PdfLine {
  page: number;
  index: number;
  block: number;
  words: PdfWord[];
  x0: number;
  y0: number;
  x1: number;
  y1: number;
  text: string;
}

export interface PdfBlock {
  page: number;
  index: number;
  x0: number;
  y0: number;
  x1: number;
  y1: number;
  text: string;
}

export interface PdfView extends View {
  pages: number;
  pageSize: { width: number; height: number };
  lines: PdfLine[];
  blocks: PdfBlock[];
  /** Plain text (`pdftotext`, reading order). */
  text: string;
  /** Text of the note area of each page, squashed. */
  noteArea: string;
  /** Raw annotations' URIs, before canonicalisation, in page order. */
  uris: string[];
  /** Notes split over two pages whose continuation repeats the note's number. */
  continuedWithNumber: number[];
}

async function poppler(file: string, ...args: string[]): Promise<string> {
  return (await run("pdftotext", ["-enc", "UTF-8", ...args, file, "-"], { maxBuffer: 1 << 28 })).stdout;
}

const decodeXml = (s: string) =>
  s.replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&quot;/g, '"').replace(/&#39;|&apos;/g, "'").replace(/&#(\d+);/g, (_, d: string) => String.fromCodePoint(Number(d))).replace(/&amp;/g, "&");

/** Pages, blocks, lines and words from `pdftotext -bbox-layout`. */
export async function pdfWords(file: string): Promise<{ lines: PdfLine[]; blocks: PdfBlock[]; pageSize: { width: number; height: number }; pages: number }> {
  const xml = await poppler(file, "-bbox-layout");
  const lines: PdfLine[] = [];
  const blocks: PdfBlock[] = [];
  let pageSize = { width: 0, height: 0 };
  const pagesXml = xml.split(/<page\b/).slice(1);
  pagesXml.forEach((pageXml, p) => {
    const size = /width="([\d.]+)" height="([\d.]+)"/.exec(pageXml);
    if (size && p === 0) pageSize = { width: Number(size[1]), height: Number(size[2]) };
    for (const blockXml of pageXml.split(/<block\b/).slice(1)) {
      const blockIndex = blocks.length;
      const blockLines: PdfLine[] = [];
      for (const lineXml of blockXml.split(/<line\b/).slice(1)) {
        const words: PdfWord[] = [];
        for (const m of lineXml.matchAll(/<word xMin="([\d.-]+)" yMin="([\d.-]+)" xMax="([\d.-]+)" yMax="([\d.-]+)">([^<]*)<\/word>/g)) {
          words.push({ page: p + 1, line: lines.length, block: blockIndex, x0: +m[1]!, y0: +m[2]!, x1: +m[3]!, y1: +m[4]!, text: decodeXml(m[5]!) });
        }
        if (words.length === 0) continue;
        const line: PdfLine = {
          page: p + 1,
          index: lines.length,
          block: blockIndex,
          words,
          x0: Math.min(...words.map((w) => w.x0)),
          y0: Math.min(...words.map((w) => w.y0)),
          x1: Math.max(...words.map((w) => w.x1)),
          y1: Math.max(...words.map((w) => w.y1)),
          text: words.map((w) => w.text).join(" "),
        };
        lines.push(line);
        blockLines.push(line);
      }
      if (blockLines.length === 0) continue;
      blocks.push({
        page: p + 1,
        index: blockIndex,
        x0: Math.min(...blockLines.map((l) => l.x0)),
        y0: Math.min(...blockLines.map((l) => l.y0)),
        x1: Math.max(...blockLines.map((l) => l.x1)),
        y1: Math.max(...blockLines.map((l) => l.y1)),
        text: blockLines.map((l) => l.text).join(" "),
      });
    }
  });
  return { lines, blocks, pageSize, pages: pagesXml.length };
}

const CALL = /^[()[\]]?(\d{1,4})[()[\]]?$/;

/** The note's own number, the first word of its first row in reading order. */
function noteNumber(words: readonly PdfWord[]): number | undefined {
  // `7.`, `(7)`, or the same read in visual order in a right-to-left line (`.7`, `)7(`).
  const m = /^[.()[\]]{0,2}(\d{1,4})[.()[\]]{0,2}$/.exec(words[0]?.text ?? "");
  return m && m[0] !== m[1] ? Number(m[1]) : undefined;
}

/**
 * A PDF read back. Note calls are the numbers a reader can click to reach a note: a link
 * annotation to an internal destination around exactly one numeric word, in reading order. The
 * destinations they point to mark where each note starts; the line there must begin with the
 * note's number (`7.`), and the note runs until the next note or the foot of the type area (lines
 * packed just above the first note of a page continue the previous page's last note). External
 * links are the URI actions of link annotations; the outline is qpdf's.
 */
export async function readPdf(file: string, options: { dir?: "ltr" | "rtl" } = {}): Promise<PdfView> {
  const dir = options.dir ?? "ltr";
  const { lines, blocks, pageSize, pages } = await pdfWords(file);
  const problems: string[] = [];
  // The page's margin boxes (running head, page number) lie outside the type area (judged by a
  // line's centre: Naskh glyph boxes reach far below the baseline).
  const margin = 55;
  const inArea = (l: PdfLine) => (l.y0 + l.y1) / 2 > margin && (l.y0 + l.y1) / 2 < pageSize.height - margin;
  const inReadingOrder = (words: PdfWord[]) => (dir === "rtl" ? [...words].sort((a, b) => b.x1 - a.x1) : [...words].sort((a, b) => a.x0 - b.x0));

  // ------------------------------------------------------------ annotations and destinations
  const json = await qpdfJson(file);
  const deref = (v: unknown): unknown => (typeof v === "string" && / R$/.test(v) ? json.objects[`obj:${v}`]?.value : v);
  const pageIndex = new Map(json.pages.map((p, i) => [p.object, i + 1]));
  const trailer = json.objects.trailer?.value as Record<string, unknown> | undefined;
  const catalog = deref(trailer?.["/Root"]) as Record<string, unknown> | undefined;
  const named = new Map<string, unknown>();
  const dests = deref(catalog?.["/Dests"]) as Record<string, unknown> | undefined;
  for (const [k, v] of Object.entries(dests ?? {})) named.set(k.replace(/^\//, ""), deref(v));
  const nameTree = (node: unknown) => {
    const n = deref(node) as Record<string, unknown> | undefined;
    const names = deref(n?.["/Names"]) as unknown[] | undefined;
    for (let i = 0; names && i + 1 < names.length; i += 2) named.set(String(names[i]).replace(/^[ub]:/, ""), deref(names[i + 1]));
    for (const kid of (deref(n?.["/Kids"]) as unknown[] | undefined) ?? []) nameTree(kid);
  };
  nameTree((deref(catalog?.["/Names"]) as Record<string, unknown> | undefined)?.["/Dests"]);
  /** Page and top (pdftotext coordinates) of a destination. */
  const resolveDest = (d: unknown): { page: number; top: number } | undefined => {
    let dest = deref(d);
    if (typeof dest === "string") dest = named.get(dest.replace(/^\//, "").replace(/^[ub]:/, ""));
    const dict = dest as Record<string, unknown> | undefined;
    if (dict && !Array.isArray(dict) && dict["/D"]) dest = deref(dict["/D"]);
    if (!Array.isArray(dest)) return undefined;
    const page = pageIndex.get(String(dest[0]));
    const top = typeof dest[3] === "number" ? pageSize.height - dest[3] : 0;
    return page === undefined ? undefined : { page, top };
  };

  // ------------------------------------------------------------------------------- rows
  // Visual rows: poppler may split one printed line into several (right-to-left text, raised
  // or lowered glyphs); lines whose centres are close belong to one row.
  const rows: Array<{ page: number; y0: number; y1: number; lines: PdfLine[]; words: PdfWord[] }> = [];
  for (let page = 1; page <= pages; page++) {
    const onPage = lines.filter((l) => l.page === page && inArea(l)).sort((a, b) => a.y0 + a.y1 - (b.y0 + b.y1));
    const heights = onPage.map((l) => l.y1 - l.y0).sort((a, b) => a - b);
    const tolerance = 0.45 * (heights[Math.floor(heights.length / 2)] ?? 10);
    let row: (typeof rows)[number] | undefined;
    for (const l of onPage) {
      const centre = (l.y0 + l.y1) / 2;
      if (!row || centre - (row.y0 + row.y1) / 2 > tolerance) {
        row = { page, y0: l.y0, y1: l.y1, lines: [], words: [] };
        rows.push(row);
      }
      row.lines.push(l);
      row.words.push(...l.words);
      row.y0 = Math.min(row.y0, l.y0);
      row.y1 = Math.max(row.y1, l.y1);
    }
  }
  const rowOf = new Map<PdfLine, number>();
  rows.forEach((row, i) => row.lines.forEach((l) => rowOf.set(l, i)));

  // Link annotations: URI actions are external links; internal ones around a number are calls.
  const uris: string[] = [];
  const targets: Array<{ page: number; x0: number; x1: number; top: number; bottom: number; dest: { page: number; top: number } | undefined; words: Array<{ word: PdfWord; line: PdfLine; text: string }> }> = [];
  json.pages.forEach((pageRef, p) => {
    const pageDict = deref(pageRef.object) as Record<string, unknown> | undefined;
    const annots = (deref(pageDict?.["/Annots"]) as unknown[] | undefined) ?? [];
    for (const ref of annots) {
      const annot = deref(ref) as Record<string, unknown> | undefined;
      if (annot?.["/Subtype"] !== "/Link") continue;
      const action = deref(annot["/A"]) as Record<string, unknown> | undefined;
      const uri = action?.["/URI"];
      if (typeof uri === "string") {
        uris.push(uri.replace(/^[ub]:/, ""));
        continue;
      }
      const target = annot["/Dest"] ?? (action?.["/S"] === "/GoTo" ? action["/D"] : undefined);
      if (target === undefined) continue;
      const [x0, y0, x1, y1] = (deref(annot["/Rect"]) as number[]).map(Number) as [number, number, number, number];
      targets.push({ page: p + 1, x0: Math.min(x0, x1), x1: Math.max(x0, x1), top: pageSize.height - Math.max(y0, y1), bottom: pageSize.height - Math.min(y0, y1), dest: resolveDest(target), words: [] });
    }
  });
  // The words under each internal link. Calls set side by side ("68" "41") can reach poppler as
  // one word ("6841"): such a word is shared out between the links over it, by position.
  for (const line of lines) {
    const here = targets.filter((t) => t.page === line.page && t.top - 1 <= line.y1 && t.bottom + 1 >= line.y0);
    if (here.length === 0) continue;
    for (const word of line.words) {
      const cy = (word.y0 + word.y1) / 2;
      const over = here.filter((t) => t.x0 < word.x1 - 0.5 && t.x1 > word.x0 + 0.5 && cy >= t.top - 1 && cy <= t.bottom + 1).sort((a, b) => a.x0 - b.x0);
      if (over.length === 1) over[0]!.words.push({ word, line, text: word.text });
      else if (over.length > 1) {
        const width = word.x1 - word.x0;
        const at = (x: number) => Math.round((Math.min(Math.max(x, word.x0), word.x1) - word.x0) / width * word.text.length);
        for (const t of over) t.words.push({ word, line, text: word.text.slice(at(t.x0), at(t.x1)) });
      }
    }
  }
  const calls: Array<{ word: PdfWord; line: PdfLine; text: string; number: number; dest: { page: number; top: number } | undefined }> = [];
  for (const t of targets) {
    // A call is a number, perhaps in brackets (`1`, `(1)`, read `)1(` in a right-to-left line).
    const number = t.words.length === 1 ? CALL.exec(t.words[0]!.text)?.[1] : undefined;
    if (number) calls.push({ ...t.words[0]!, number: Number(number), dest: t.dest });
  }

  calls.sort((a, b) => (rowOf.get(a.line) ?? -1) - (rowOf.get(b.line) ?? -1) || (dir === "rtl" ? b.word.x1 - a.word.x1 : a.word.x0 - b.word.x0));

  // ------------------------------------------------------------------------------- notes
  const rowText = (row: (typeof rows)[number]) => inReadingOrder(row.words);
  const starts = new Map<(typeof rows)[number], number>();
  for (const call of calls) {
    if (!call.dest) {
      problems.push(`call ${call.text} on page ${call.word.page} has no destination`);
      continue;
    }
    const { page, top } = call.dest;
    // The destination is the top of the note's box: its first row starts there, not above.
    const candidates = rows.filter((r) => r.page === page && r.y0 >= top - 3 && r.y0 < top + 12).sort((a, b) => Math.abs(a.y0 - top) - Math.abs(b.y0 - top));
    const row = candidates.find((r) => noteNumber(rowText(r)) !== undefined);
    const shown = row ? noteNumber(rowText(row)) : undefined;
    if (!row || shown === undefined) problems.push(`call ${call.text}: no numbered note where it points (page ${page})`);
    else if (shown !== call.number) problems.push(`call ${call.text} points to note ${shown}`);
    else starts.set(row, shown);
  }
  const noteRows = new Set<(typeof rows)[number]>();
  for (let page = 1; page <= pages; page++) {
    const onPage = rows.filter((r) => r.page === page);
    const first = onPage.findIndex((r) => starts.has(r));
    if (first < 0) continue;
    for (let i = first; i < onPage.length; i++) noteRows.add(onPage[i]!);
    // Continuation of a note from the previous page: tightly packed rows just above.
    for (let i = first - 1; i >= 0; i--) {
      if (onPage[i + 1]!.y0 - onPage[i]!.y1 > 4) break;
      noteRows.add(onPage[i]!);
    }
  }
  const notes: Array<{ number: number; parts: string[] }> = [];
  const noteOfLine = new Map<PdfLine, number>();
  const continuedWithNumber: number[] = [];
  const ordered = rows.filter((r) => noteRows.has(r));
  for (const row of ordered) {
    const n = starts.get(row);
    const words = rowText(row);
    if (n !== undefined) {
      notes.push({ number: n, parts: [] });
      words.shift();
    }
    const current = notes.at(-1);
    if (!current) {
      problems.push(`page ${row.page}: note text before the first note: ${words.map((w) => w.text).join(" ").slice(0, 40)}`);
      continue;
    }
    // A paginator may print the number again where a note continues on the next page.
    if (n === undefined && row === ordered.find((r) => r.page === row.page) && noteNumber(words) === current.number) {
      words.shift();
      continuedWithNumber.push(current.number);
    }
    for (const l of row.lines) noteOfLine.set(l, current.number);
    current.parts.push(words.map((w) => w.text).join(" "));
  }

  const markers: number[] = [];
  const nestedMarkers: Record<number, number[]> = {};
  for (const { line, number } of calls) {
    const holder = noteOfLine.get(line);
    if (holder === undefined) markers.push(number);
    else (nestedMarkers[holder] ??= []).push(number);
  }
  const flatten = (items: QpdfOutline[], depth: number): OutlineEntry[] =>
    items.flatMap((o) => [{ depth, text: normalise(o.title) }, ...flatten(o.kids, depth + 1)]);

  return {
    format: "pdf",
    notes: notes.map((n) => ({ number: n.number, text: normalise(n.parts.join(" ")) })),
    markers,
    nestedMarkers,
    links: [...new Set(uris.filter((u) => EXTERNAL.test(u)).map(canonicalUrl))].sort(),
    outline: flatten(json.outlines, 1),
    signatories: undefined,
    problems,
    pages,
    pageSize,
    lines,
    blocks,
    text: await poppler(file),
    noteArea: squash(ordered.map((r) => rowText(r).map((w) => w.text).join(" ")).join(" ")),
    continuedWithNumber,
    uris,
  };
}

interface QpdfOutline {
  title: string;
  kids: QpdfOutline[];
}

export async function qpdfJson(file: string): Promise<{
  outlines: QpdfOutline[];
  pages: Array<{ object: string }>;
  objects: Record<string, { value?: unknown; stream?: { dict?: unknown } }>;
}> {
  const { stdout } = await run("qpdf", ["--json=2", "--json-key=outlines", "--json-key=pages", "--json-key=qpdf", file], { maxBuffer: 1 << 28 });
  const json = JSON.parse(stdout) as {
    outlines: QpdfOutline[];
    pages: Array<{ object: string }>;
    qpdf: [unknown, Record<string, { value?: unknown }>];
  };
  return { outlines: json.outlines, pages: json.pages.map((p) => ({ object: p.object })), objects: json.qpdf[1] };
}

/**
 * Where each item of a list stands in a PDF, as a reader goes through it: page, then column
 * (two-column lists; the right column first in right-to-left editions), then height on the page.
 * An item is found as consecutive lines of one column whose text is exactly the item's (a long
 * name wraps; an individual's affiliation is a line of its own). Returns the items in PDF order
 * and those not found (or found more than once).
 */
export function pdfOrder(view: Pick<PdfView, "lines" | "pageSize">, items: readonly string[], dir: "ltr" | "rtl" = "ltr"): { order: string[]; missing: string[] } {
  const mid = view.pageSize.width / 2;
  const column = (l: PdfLine) => {
    const right = (l.x0 + l.x1) / 2 > mid && l.x0 > mid - 20;
    return dir === "rtl" ? (right ? 0 : 1) : right ? 1 : 0;
  };
  const columns = new Map<string, PdfLine[]>();
  for (const l of view.lines) {
    const key = `${l.page}/${column(l)}`;
    columns.set(key, [...(columns.get(key) ?? []), l]);
  }
  for (const list of columns.values()) list.sort((a, b) => a.y0 - b.y0);
  const squashed = new Map<PdfLine, string>(view.lines.map((l) => [l, squash(l.text)]));
  const found: Array<{ item: string; line: PdfLine }> = [];
  const missing: string[] = [];
  for (const item of items) {
    const want = squash(item);
    const hits: PdfLine[] = [];
    for (const list of columns.values()) {
      for (let i = 0; i < list.length; i++) {
        let text = "";
        for (let k = i; k < list.length && text.length < want.length; k++) {
          text += squashed.get(list[k]!)!;
          if (text === want) hits.push(list[i]!);
        }
      }
    }
    if (hits.length === 1) found.push({ item, line: hits[0]! });
    else missing.push(hits.length === 0 ? item : `${item} (found ${hits.length} times)`);
  }
  found.sort((a, b) => a.line.page - b.line.page || column(a.line) - column(b.line) || a.line.y0 - b.line.y0);
  return { order: found.map((f) => f.item), missing };
}

// ------------------------------------------------------------------------------ diagnostics

export interface Reported {
  /** Absolute path of the file the message is about. */
  file: string;
  line: number;
  column: number;
  severity: string;
  /** Reason, rule id and source, as printed. */
  text: string;
  ruleId: string;
}

/**
 * The CLI's messages read back from its output (vfile-reporter's layout: a line with the file,
 * then `line:column[-line:column] severity reason rule source` lines, then a blank line).
 */
export function parseReport(stderr: string, cwd: string): Reported[] {
  const out: Reported[] = [];
  let file: string | undefined;
  for (const line of stderr.split("\n")) {
    const m = /^\s*(\d+):(\d+)(?:-\d+:\d+)?\s+(error|warning|info)\s+(.*\S)\s*$/.exec(line);
    if (m && file) {
      const ruleId = /\s(\S+)\s+\S+$/.exec(m[4]!)?.[1] ?? "";
      out.push({ file, line: Number(m[1]), column: Number(m[2]), severity: m[3]!, text: m[4]!, ruleId });
    } else if (line.trim() === "") file = undefined;
    else if (!/^\s/.test(line) && !line.startsWith("letterpress:") && !/^[✖⚠]/.test(line) && !/^\d+ messages? \(/.test(line)) file = path.resolve(cwd, line.trim());
  }
  return out;
}

// ------------------------------------------------------------------------------- unzipping

/** Unzip into a folder (to load an EPUB's content documents in Chromium). */
export async function unzipTo(file: string, dir: string): Promise<string[]> {
  const files = unzipSync(new Uint8Array(await readFile(file)));
  const names: string[] = [];
  for (const [name, data] of Object.entries(files)) {
    if (name.endsWith("/")) continue;
    const target = path.join(dir, name);
    if (!target.startsWith(path.resolve(dir) + path.sep)) throw new Error(`zip entry escapes the folder: ${name}`);
    await mkdir(path.dirname(target), { recursive: true });
    await writeFile(target, data);
    names.push(name);
  }
  return names;
}

/** Every entry of a zip as text (binary entries decoded leniently), for searching. */
export async function zipTexts(file: string): Promise<Record<string, string>> {
  const files = unzipSync(new Uint8Array(await readFile(file)));
  return Object.fromEntries(Object.entries(files).map(([name, data]) => [name, new TextDecoder("utf-8", { fatal: false }).decode(data)]));
}

/** PDF bytes with every stream uncompressed (qpdf), as latin1 text, for searching. */
export async function pdfUncompressed(file: string): Promise<string> {
  const { stdout } = await run("qpdf", ["--qdf", "--object-streams=disable", "--stream-data=uncompress", file, "-"], { encoding: "buffer", maxBuffer: 1 << 28 });
  return (stdout as unknown as Buffer).toString("latin1");
}
