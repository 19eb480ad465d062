/**
 * Untrusted Markdown cannot do harm. `test/fixtures/hostile/hostile.md` carries script, event
 * handlers, `javascript:`/`data:`/`vbscript:` links, frames, objects, a style sheet with
 * `@import`, remote images, `file:` links and images, paths that climb to /etc/passwd and an image
 * beside the project folder (a sentinel file the test plants). It is built in every format of the
 * registry, then:
 *
 * - every construct is reported, once, at its line, with its rule id (and the build succeeds:
 *   they are warnings, the rest of the text is published);
 * - no output contains any trace of them: HTML as written and as Chromium sees its DOM, DOCX and
 *   EPUB unzipped, PDF as text and as uncompressed bytes;
 * - loading the HTML and the EPUB's content documents in Chromium (requests intercepted) makes no
 *   request but the page itself; the PDF writer, which renders in Chromium and reports every
 *   request it blocks (`pdf-blocked-request`), reported none; the DOCX has no external part;
 * - nothing outside the project was read: the sentinel's bytes appear in no output, and images
 *   that reach outside by a symlink or a `./..` path are refused.
 */
import { cp, mkdir, readFile, symlink, writeFile } from "node:fs/promises";
import path from "node:path";
import type { Page } from "puppeteer-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sandboxPage } from "../pipeline/browser/chromium.ts";
import { FORMATS } from "../pipeline/model.ts";
import { cli, hashTree, ROOT, tempDir } from "./helpers.ts";
import { parseReport, pdfUncompressed, ReadBack, readPdf, unzipTo, zipTexts, type Reported } from "./readback.ts";

const FIXTURE = path.join(ROOT, "test/fixtures/hostile");
/** Planted beside the project folder; its bytes must never reach an output. */
const SENTINEL = "LETTERPRESS-SENTINEL-7f3a9c";

/** Rule id of every diagnostic the hostile document must produce, by line (one entry per construct). */
const EXPECTED: Array<[number, string]> = [
  [9, "raw-html"], // <script>
  [11, "raw-html"], // <img onerror>
  [13, "link-unsafe"], // javascript:
  [13, "link-unsafe"], // JaVaScRiPt:
  [13, "link-unsafe"], // &#106;avascript:
  [15, "link-unsafe"], // data:
  [15, "link-unsafe"], // vbscript:
  [17, "raw-html"], // <iframe>
  [19, "raw-html"], // <object>
  [19, "raw-html"], // </object>
  [21, "raw-html"], // <style>@import
  [23, "image-remote"], // https image
  [23, "image-remote"], // protocol-relative image
  [25, "link-unsafe"], // file: link
  [25, "image-unsafe"], // file: image
  [25, "image-unsafe"], // ../../../../etc/passwd
  [27, "image-unsafe"], // /etc/passwd
  [27, "image-unsafe"], // ../secret.png
  [29, "raw-html"], // <a href=javascript:>
  [29, "raw-html"], // </a>
  [29, "raw-html"], // <svg onload>
  [29, "raw-html"], // </svg>
  [35, "link-unsafe"], // javascript: in a note
];

/** Strings that must appear in no output, whatever the format (case-insensitive). */
const FORBIDDEN = ["<script", "javascript:", "vbscript:", "onerror", "onload", "alert(", "<iframe", "<object", "<embed", "@import", "/etc/passwd", "evil.example", "data:text/html", SENTINEL, "must not be published"];

let rb: ReadBack;
let top: string;
let project: string;
let out: string;
let build: { code: number; stdout: string; stderr: string };
let reported: Reported[];

beforeAll(async () => {
  top = await tempDir("letterpress-hostile-");
  project = path.join(top, "project");
  await cp(FIXTURE, project, { recursive: true });
  await writeFile(path.join(project, "package.json"), "{}\n");
  // A valid PNG signature followed by the sentinel: readable, embeddable, and easy to spot.
  await writeFile(path.join(top, "secret.png"), Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.from(SENTINEL)]));
  await symlink("../secret.png", path.join(project, "inside.png"));
  out = path.join(project, "dist");
  build = await cli(["build", path.join(project, "hostile.md"), "--out", out]);
  reported = parseReport(build.stderr, ROOT);
  rb = await ReadBack.launch();
}, 180_000);

afterAll(async () => {
  await rb?.close();
});

const file = (ext: string) => path.join(out, "en", `hostile.${ext}`);

/** Everything an output holds, as searchable text. */
async function contents(format: string): Promise<Record<string, string>> {
  if (format === "html") return { html: await readFile(file("html"), "utf8") };
  if (format === "docx" || format === "epub") return zipTexts(file(format));
  if (format === "pdf") {
    const pdf = await readPdf(file("pdf"));
    return { text: pdf.text, bytes: await pdfUncompressed(file("pdf")), raw: (await readFile(file("pdf"))).toString("latin1") };
  }
  throw new Error(`no reader for ${format}`);
}

/**
 * Elements and attributes that can run script or fetch, as the browser's DOM has them: URLs are
 * checked as the browser resolved them (tabs, entities and case no longer matter), and a `file:`
 * URL must stay inside `root` (the output folder).
 */
async function activeContent(page: Page, root: string): Promise<string[]> {
  return page.evaluate((root: string) => {
    const found: string[] = [];
    const inside = (url: URL) => url.protocol === "file:" && decodeURIComponent(url.pathname).startsWith(root);
    for (const el of document.querySelectorAll("*")) {
      const tag = el.localName;
      if (["script", "iframe", "object", "embed", "frame", "frameset", "applet", "base", "form", "link", "meta"].includes(tag)) {
        const harmless = (tag === "meta" && !el.getAttribute("http-equiv")) || (tag === "link" && /^(alternate|stylesheet)$/.test(el.getAttribute("rel") ?? "") && inside(new URL(el.getAttribute("href") ?? "", document.baseURI)));
        if (!harmless) found.push(`<${tag}>`);
      }
      for (const attr of el.getAttributeNames()) {
        if (/^on/i.test(attr)) found.push(`<${tag} ${attr}>`);
        if (!/^(href|src|action|formaction|xlink:href|data|poster|background|cite)$/i.test(attr)) continue;
        const raw = el.getAttribute(attr) ?? "";
        if (raw.startsWith("#")) continue;
        let url: URL;
        try {
          url = new URL(raw, document.baseURI);
        } catch {
          continue;
        }
        const link = tag === "a" || tag === "area";
        const ok = link ? ["http:", "https:", "mailto:", "tel:"].includes(url.protocol) || inside(url) : url.protocol === "data:" ? !/^data:text\/html/i.test(raw) : inside(url);
        if (!ok) found.push(`<${tag} ${attr}=${raw}>`);
      }
      if (el.getAttribute("srcset")) found.push(`<${tag} srcset>`);
    }
    for (const style of document.querySelectorAll("style")) if (/@import|url\(\s*['"]?(https?:|file:)?\/\//i.test(style.textContent ?? "")) found.push("<style> with a remote resource");
    return found;
  }, root);
}

describe("hostile Markdown", () => {
  it("builds (the constructs are removed, the text around them is published)", () => {
    expect(build.code, build.stderr).toBe(0);
    expect(reported.filter((r) => r.severity === "error")).toEqual([]);
  });

  it("reports every removed construct once, at its line, with its rule id", () => {
    const source = path.join(project, "hostile.md");
    const got = reported
      .filter((r) => r.file === source && r.severity === "warning")
      .map((r): [number, string] => [r.line, r.ruleId])
      .sort((a, b) => a[0] - b[0] || a[1].localeCompare(b[1]));
    expect(got).toEqual([...EXPECTED].sort((a, b) => a[0] - b[0] || a[1].localeCompare(b[1])));
    expect(reported.filter((r) => r.file !== source), "no message about another file").toEqual([]);
  });

  it.each(FORMATS)("the %s edition contains no trace of any construct", async (format) => {
    const texts = await contents(format);
    for (const [part, text] of Object.entries(texts)) {
      const lower = text.toLowerCase();
      for (const needle of FORBIDDEN) expect(lower.includes(needle.toLowerCase()), `${format} ${part} contains ${needle}`).toBe(false);
    }
    // …but keeps the text around them and the safe link.
    const all = Object.values(texts).join("\n");
    if (format !== "pdf") expect(all).toContain("https://example.org/safe");
    expect(all.replace(/\s+/g, " ")).toMatch(/The text around every construct stays|stays/);
  });

  it("the HTML page has no active content and makes no request but itself", async () => {
    const loaded = await rb.html(file("html"), { keep: true });
    const page = loaded.page!;
    try {
      expect(await activeContent(page, out)).toEqual([]);
      const own = `file://${file("html")}`;
      expect(loaded.requests.filter((u) => u !== own && !u.startsWith("data:"))).toEqual([]);
      expect(loaded.blocked).toEqual([]);
      expect(loaded.view.links).toEqual(["https://example.org/safe"]);
    } finally {
      await page.close();
    }
  });

  it("the EPUB's content documents have no active content and make no request outside the book", async () => {
    const dir = path.join(top, "epub");
    await mkdir(dir, { recursive: true });
    const names = await unzipTo(file("epub"), dir);
    const documents = names.filter((n) => n.endsWith(".xhtml"));
    expect(documents.length).toBeGreaterThan(0);
    for (const name of documents) {
      const page = await rb.browser.newPage();
      const requests: string[] = [];
      page.on("request", (r) => void requests.push(r.url()));
      const blocked = await sandboxPage(page, (u) => u.startsWith(`file://${dir}/`));
      try {
        await page.goto(`file://${path.join(dir, name)}`, { waitUntil: "load" });
        expect(await activeContent(page, dir), name).toEqual([]);
        expect(requests.filter((u) => !u.startsWith(`file://${dir}/`) && !u.startsWith("data:")), name).toEqual([]);
        expect(blocked, name).toEqual([]);
      } finally {
        await page.close();
      }
    }
    expect((await rb.epub(file("epub"))).links).toEqual(["https://example.org/safe"]);
  });

  it("the PDF writer's browser blocked no request, and the PDF has no actions but the safe link", async () => {
    expect(reported.filter((r) => r.ruleId === "pdf-blocked-request")).toEqual([]);
    expect(build.stderr).not.toContain("pdf-blocked-request");
    const pdf = await readPdf(file("pdf"));
    expect(pdf.uris).toEqual(["https://example.org/safe"]);
    const bytes = await pdfUncompressed(file("pdf"));
    for (const key of ["/JavaScript", "/JS ", "/Launch", "/EmbeddedFile", "/SubmitForm", "/GoToR", "/ImportData", "/RichMedia"]) {
      expect(bytes.includes(key), `PDF has ${key}`).toBe(false);
    }
  });

  it("the DOCX has no external part: only the safe hyperlink leaves the package", async () => {
    const parts = await zipTexts(file("docx"));
    const rels = Object.entries(parts).filter(([name]) => name.endsWith(".rels"));
    const external = rels.flatMap(([name, xml]) =>
      [...xml.matchAll(/<Relationship\b[^>]*>/g)].map((m) => m[0]).filter((r) => /TargetMode="External"/.test(r)).map((r) => `${name}: ${/Type="[^"]*\/([^"/]+)"/.exec(r)?.[1]} ${/Target="([^"]*)"/.exec(r)?.[1]}`),
    );
    expect(external).toEqual(["word/_rels/footnotes.xml.rels: hyperlink https://example.org/safe"]);
    for (const [name, xml] of Object.entries(parts)) {
      for (const element of ["<w:object", "<w:altChunk", "<o:OLEObject", "<w:control", "r:link=", "<v:imagedata"]) {
        expect(xml.includes(element), `${name} has ${element}`).toBe(false);
      }
    }
  });

  it("reads nothing outside the project: a symlinked image is refused, nothing is published", async () => {
    const dist = path.join(project, "dist-symlink");
    const result = await cli(["build", path.join(project, "symlink.md"), "--out", dist, "--format", "html"]);
    expect(result.code).toBe(1);
    const messages = parseReport(result.stderr, ROOT);
    expect(messages.map((m) => `${m.line}:${m.column} ${m.severity} ${m.ruleId}`)).toEqual(["8:1 error image-file"]);
    expect(messages[0]!.text).toContain("resolves outside the document's folder");
    expect(await hashTree(project).then((h) => Object.keys(h).filter((k) => k.startsWith("dist-symlink")))).toEqual([]);
  });
});

describe("relative links and climbing images (bugs found by this suite, fixed)", () => {
  // pipeline/check/rules/links.ts isSafeLink treats every URL without a protocol as safe, so a
  // relative link such as ../../../../etc/passwd is published as is: an `href` in HTML and EPUB, an
  // external hyperlink relationship in DOCX (Word resolves it against the file's folder). The
  // policy (README, Security) is "http:, https:, mailto:, tel: or inside the document".
  it("a relative link that leaves the document is reported and reduced to its text", async () => {
    const dist = path.join(project, "dist-relative");
    const result = await cli(["build", path.join(project, "relative-link.md"), "--out", dist, "--format", "html,docx,epub"]);
    expect(result.code).toBe(0);
    expect(parseReport(result.stderr, ROOT).map((m) => `${m.line} ${m.ruleId}`)).toEqual(["8 link-unsafe"]);
    const all = [
      await readFile(path.join(dist, "en/relative-link.html"), "utf8"),
      ...Object.values(await zipTexts(path.join(dist, "en/relative-link.docx"))),
      ...Object.values(await zipTexts(path.join(dist, "en/relative-link.epub"))),
    ].join("\n");
    expect(all).not.toContain("/etc/passwd");
  });

  // pipeline/check/rules/links.ts tests `path.normalize(url).startsWith("..")` (warning: "it is
  // removed"), pipeline/transform/sanitize.ts only `url.startsWith("..")`: `./../x.png` and
  // `sub/../../x.png` get the warning, are not removed, and then fail in transform/images.ts with
  // an image-file error. Safe (the build stops, nothing is read), but two contradictory messages.
  it("an image that climbs out through ./ or a folder gets one consistent message", async () => {
    const result = await cli(["check", path.join(project, "climbing-images.md")]);
    const messages = parseReport(result.stderr, ROOT).map((m) => `${m.line}:${m.column} ${m.ruleId}`);
    expect(messages).toEqual(["8:5 image-unsafe", "8:39 image-unsafe"]);
  });
});

describe("reference-style links and images (bug found by this suite, fixed)", () => {
  // `[text][id]` / `![alt][id]` are `linkReference` / `imageReference` nodes whose target is a
  // `definition`; the rules and the sanitiser visited only `link` and `image`, and
  // mdast-util-to-hast resolved references at render time, so `javascript:`, `file:` and remote
  // targets reached every output unchecked. pipeline/transform/references.ts now turns references
  // into links and images before anything checks them; each is reported where it is used.
  it("are checked and removed like inline ones: nothing reaches any output", async () => {
    const dist = path.join(project, "dist-references");
    const result = await cli(["build", path.join(project, "reference-links.md"), "--out", dist]);
    expect(result.code).toBe(0);
    const messages = parseReport(result.stderr, ROOT);
    expect(messages.map((m) => `${m.line}:${m.column} ${m.ruleId}`)).toEqual(["8:3 link-unsafe", "8:24 link-unsafe", "8:45 link-unsafe", "8:66 link-unsafe", "9:7 image-remote", "9:53 image-unsafe"]);
    const outputs: Record<string, string> = {
      html: await readFile(path.join(dist, "en/reference-links.html"), "utf8"),
      ...(await zipTexts(path.join(dist, "en/reference-links.docx"))),
      ...(await zipTexts(path.join(dist, "en/reference-links.epub"))),
      pdf: await pdfUncompressed(path.join(dist, "en/reference-links.pdf")),
    };
    for (const [part, text] of Object.entries(outputs)) {
      for (const needle of ["javascript:", "file:", "data:text", "/etc/passwd", "evil.example"]) expect(text.includes(needle), `${part} contains ${needle}`).toBe(false);
    }
    expect(outputs.html).toContain("https://example.org/safe");
    // Opened in a browser, the page requests nothing but itself and has no active content.
    const loaded = await rb.html(path.join(dist, "en/reference-links.html"), { keep: true });
    try {
      expect(loaded.blocked).toEqual([]);
      expect(await activeContent(loaded.page!, dist)).toEqual([]);
    } finally {
      await loaded.page!.close();
    }
  });
});
