/**
 * The EPUB editions read back: valid for EPUBCheck 4.2.6 and epubcheck-ts with no warning, no
 * DAISY Ace violation, notes as EPUB 3 noterefs/footnotes numbered 1..7 that link both ways,
 * language and direction on the package and every content document, the fonts the text needs,
 * and byte-identical rebuilds.
 */
import { execFile } from "node:child_process";
import { readFile, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import { promisify } from "node:util";
import { EpubCheck } from "@likecoin/epubcheck-ts";
import { strFromU8, unzipSync } from "fflate";
import type { Browser, Page } from "puppeteer-core";
import { VFile } from "vfile";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { chromiumPath, launchChromium } from "../pipeline/browser/chromium.ts";
import { loadDocument } from "../pipeline/load.ts";
import type { Publication } from "../pipeline/model.ts";
import { createPublication } from "../pipeline/transform/publication.ts";
import { renderEpub } from "../pipeline/writers/epub/index.ts";
import { cli, FRONT, LETTER, project, tempDir } from "./helpers.ts";

const require = createRequire(import.meta.url);
const run = promisify(execFile);
/** 2019-11-06T00:26:40Z */
const EPOCH = 1_573_000_000;

let out: string;
let enFile: string;
let en: Uint8Array;
let ar: Uint8Array;
let arFile: string;
let browser: Browser;
let page: Page;

async function publication(lang: string, epoch = EPOCH): Promise<Publication> {
  const { doc } = await loadDocument(LETTER);
  return createPublication(doc!, { lang, languages: ["en", "ar"], epoch });
}

function entries(epub: Uint8Array): Record<string, string> {
  const files = unzipSync(epub);
  return Object.fromEntries(
    Object.entries(files)
      .filter(([name]) => /\.(xhtml|opf|css|xml)$/.test(name) || name === "mimetype")
      .map(([name, data]) => [name, strFromU8(data)]),
  );
}

beforeAll(async () => {
  out = await tempDir();
  const result = await cli(["build", LETTER, "--out", out, "--format", "epub", "--lang", "en", "--quiet"]);
  expect(result.code, result.stderr).toBe(0);
  enFile = path.join(out, "en/open-letter.epub");
  en = new Uint8Array(await readFile(enFile));
  ar = await renderEpub(await publication("ar"));
  arFile = path.join(out, "ar-test.epub");
  await writeFile(arFile, ar);
  browser = await launchChromium();
  page = await browser.newPage();
}, 120_000);

afterAll(async () => {
  await browser?.close();
});

/** Parse XML in Chromium and evaluate a function on the document (fails on a parser error). */
async function inXml<T>(xml: string, type: "application/xhtml+xml" | "application/xml", fn: string): Promise<T> {
  return page.evaluate(
    (source: string, mime: DOMParserSupportedType, body: string) => {
      const doc = new DOMParser().parseFromString(source, mime);
      if (doc.getElementsByTagName("parsererror").length > 0) throw new Error(`not well-formed: ${doc.getElementsByTagName("parsererror")[0]!.textContent}`);
      return new Function("doc", body)(doc);
    },
    xml,
    type,
    fn,
  ) as Promise<T>;
}

describe("EPUB validity", () => {
  it.each([
    ["en", () => enFile],
    ["ar", () => arFile],
  ])("EPUBCheck 4.2.6: 0 fatal, 0 errors, 0 warnings (%s)", async (_lang, file) => {
    const report = path.join(out, `epubcheck-${_lang}.json`);
    await run("java", ["-jar", "/usr/share/java/epubcheck.jar", file(), "--json", report]).catch((e) => e);
    const json = JSON.parse(await readFile(report, "utf8"));
    const problems = (json.messages as Array<{ severity: string; ID: string; message: string }>)
      .filter((m) => ["FATAL", "ERROR", "WARNING"].includes(m.severity))
      .map((m) => `${m.severity} ${m.ID} ${m.message}`);
    expect(problems).toEqual([]);
    expect(json.checker.checkerVersion).toMatch(/^4\.2\.6/);
    expect([json.checker.nFatal, json.checker.nError, json.checker.nWarning]).toEqual([0, 0, 0]);
  }, 120_000);

  it.each([
    ["en", () => en],
    ["ar", () => ar],
  ])("epubcheck-ts: 0 fatal, 0 errors, 0 warnings (%s)", async (_lang, data) => {
    const result = await EpubCheck.validate(data());
    const problems = result.messages
      .filter((m) => ["fatal", "error", "warning"].includes(String(m.severity).toLowerCase()))
      .map((m) => `${m.severity} ${m.id} ${m.message} ${m.location?.path ?? ""}`);
    expect(problems).toEqual([]);
    expect([result.fatalCount, result.errorCount, result.warningCount]).toEqual([0, 0, 0]);
    expect(result.valid).toBe(true);
  }, 60_000);

  it.each([
    ["en", () => enFile],
    ["ar", () => arFile],
  ])("DAISY Ace: no violations (%s)", async (lang, file) => {
    const ace = path.join(path.dirname(require.resolve("@daisy/ace-cli/package.json")), "bin/ace.js");
    const work = path.join(out, `ace-${lang}`);
    const result = await run(
      process.execPath,
      [ace, "--force", "--silent", "--outdir", path.join(work, "report"), "--tempdir", path.join(work, "tmp"), file()],
      { env: { ...process.env, PUPPETEER_EXECUTABLE_PATH: chromiumPath(), PUPPETEER_SKIP_DOWNLOAD: "1" }, timeout: 150_000 },
    ).catch((e: { stderr?: string; message: string }) => ({ stderr: e.stderr ?? e.message }));
    const report = JSON.parse(await readFile(path.join(work, "report/report.json"), "utf8").catch(() => `{"error": ${JSON.stringify(result.stderr)}}`));
    expect(report.error).toBeUndefined();
    const violations: string[] = [];
    for (const doc of report.assertions ?? []) {
      for (const a of doc.assertions ?? []) {
        if (a["earl:result"]?.["earl:outcome"] === "fail") violations.push(`${doc["earl:testSubject"]?.url}: ${a["earl:test"]?.["dct:title"]}`);
      }
    }
    expect(violations).toEqual([]);
    expect(report["earl:result"]["earl:outcome"]).toBe("pass");
    // Ace found the accessibility metadata it looks for.
    expect(report["a11y-metadata"].present).toEqual(
      expect.arrayContaining(["schema:accessMode", "schema:accessibilityFeature", "schema:accessibilityHazard", "schema:accessibilitySummary", "schema:accessModeSufficient", "dcterms:conformsTo"]),
    );
  }, 180_000);
});

describe("EPUB package (en)", () => {
  it("stores mimetype first, uncompressed, without extra fields", () => {
    const view = new DataView(en.buffer, en.byteOffset, en.byteLength);
    expect(view.getUint32(0, true)).toBe(0x04034b50);
    expect(view.getUint16(8, true)).toBe(0); // STORE
    const nameLength = view.getUint16(26, true);
    expect(view.getUint16(28, true)).toBe(0); // no extra field
    expect(strFromU8(en.subarray(30, 30 + nameLength))).toBe("mimetype");
    expect(strFromU8(en.subarray(30 + nameLength, 30 + nameLength + 20))).toBe("application/epub+zip");
  });

  it("has language, title, dates, identifier and accessibility metadata", async () => {
    const opf = entries(en)["OEBPS/content.opf"]!;
    const meta = await inXml<Record<string, string | string[]>>(
      opf,
      "application/xml",
      `const DC = "http://purl.org/dc/elements/1.1/";
       const dc = (n) => [...doc.getElementsByTagNameNS(DC, n)].map((e) => e.textContent);
       const props = {};
       for (const m of doc.getElementsByTagName("meta")) { const p = m.getAttribute("property"); if (p) (props[p] ??= []).push(m.textContent); }
       const pkg = doc.documentElement;
       return { lang: dc("language"), title: dc("title"), creator: dc("creator"), description: dc("description"), date: dc("date"),
         identifier: dc("identifier"), xmlLang: pkg.getAttributeNS("http://www.w3.org/XML/1998/namespace", "lang"), dir: pkg.getAttribute("dir"),
         ppd: doc.getElementsByTagName("spine")[0].getAttribute("page-progression-direction"),
         ncx: [...doc.getElementsByTagName("item")].filter((i) => /ncx/.test(i.getAttribute("media-type"))).length,
         nav: [...doc.getElementsByTagName("item")].filter((i) => i.getAttribute("properties") === "nav").map((i) => i.getAttribute("href")),
         ...props };`,
    );
    expect(meta.lang).toEqual(["en"]);
    expect(meta.xmlLang).toBe("en");
    expect(meta.dir).toBe("ltr");
    expect(meta.ppd).toBe("ltr");
    expect(meta.title).toEqual([
      "Open letter to UN General Assembly: Proposed international convention on cybercrime poses a threat to human rights online",
    ]);
    expect(meta.creator).toEqual(["Joint civil society letter"]);
    expect(meta.description).toEqual(["Joint civil society letter urging delegations to vote against draft resolution A/C.3/74/L.11/Rev.1"]);
    expect(meta.date).toEqual(["2019-11"]);
    expect(meta.identifier![0]).toMatch(/^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(meta.ncx).toBe(0);
    expect(meta.nav).toEqual(["toc.xhtml"]);
    expect(meta["dcterms:modified"]![0]).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(meta["schema:accessMode"]).toEqual(["textual"]);
    expect(meta["schema:accessModeSufficient"]).toEqual(["textual"]);
    expect(meta["schema:accessibilityFeature"]).toEqual(expect.arrayContaining(["structuralNavigation", "tableOfContents", "readingOrder"]));
    expect(meta["schema:accessibilityHazard"]).toEqual(["none"]);
    expect(String(meta["schema:accessibilitySummary"]).length).toBeGreaterThan(80);
    expect(meta["dcterms:conformsTo"]).toEqual(["EPUB Accessibility 1.1 - WCAG 2.2 Level AA"]);
  });

  it("has a navigation document from the outline", async () => {
    const nav = await inXml<{ lang: string | null; links: Array<[string, string, number]> }>(
      entries(en)["OEBPS/toc.xhtml"]!,
      "application/xhtml+xml",
      `const toc = [...doc.getElementsByTagName("nav")].find((n) => n.getAttributeNS("http://www.idpf.org/2007/ops", "type") === "toc");
       const depth = (a) => { let d = 0; for (let n = a; n && n !== toc; n = n.parentElement) if (n.localName === "ol") d++; return d; };
       return { lang: doc.documentElement.getAttribute("lang"), links: [...toc.getElementsByTagName("a")].map((a) => [a.getAttribute("href"), a.textContent, depth(a)]) };`,
    );
    expect(nav.lang).toBe("en");
    expect(nav.links).toEqual([
      [
        "content.xhtml#open-letter-to-un-general-assembly-proposed-international-convention-on-cybercrime-poses-a-threat-to-human-rights-online",
        "Open letter to UN General Assembly: Proposed international convention on cybercrime poses a threat to human rights online",
        1,
      ],
      ["content.xhtml#signatories", "Signatories", 2],
      ["content.xhtml#organisations-label", "Organisations", 3],
      ["content.xhtml#individuals-label", "Individuals", 3],
      ["content.xhtml#notes", "Notes", 2],
    ]);
  });

  it("numbers the seven notes 1..7 as EPUB 3 noterefs and footnotes that link both ways", async () => {
    const xhtml = entries(en)["OEBPS/content.xhtml"]!;
    const notes = await inXml<{
      refs: Array<Record<string, unknown>>;
      asides: string[];
      heading: string | undefined;
      lang: string | null;
      xmlLang: string | null;
    }>(
      xhtml,
      "application/xhtml+xml",
      `const OPS = "http://www.idpf.org/2007/ops";
       const type = (el) => (el.getAttributeNS(OPS, "type") || "").split(/\\s+/);
       const byId = (id) => doc.querySelector('[id="' + id + '"]');
       const refs = [...doc.getElementsByTagName("a")].filter((a) => type(a).includes("noteref"));
       const asides = [...doc.getElementsByTagName("aside")].filter((a) => type(a).includes("footnote"));
       return {
         lang: doc.documentElement.getAttribute("lang"),
         xmlLang: doc.documentElement.getAttributeNS("http://www.w3.org/XML/1998/namespace", "lang"),
         heading: asides[0]?.parentElement.querySelector("h2")?.textContent,
         asides: asides.map((a) => a.id),
         refs: refs.map((a) => {
           const note = byId(a.getAttribute("href").slice(1));
           const back = note?.querySelector('a[role="doc-backlink"]');
           const rest = note ? note.textContent.slice(note.textContent.lastIndexOf(back.textContent)) : "";
           return {
             marker: a.textContent,
             id: a.id,
             role: a.getAttribute("role"),
             inSup: a.parentElement.localName === "sup",
             supInside: a.getElementsByTagName("sup").length,
             noteTag: note?.localName,
             noteId: note?.id,
             noteType: note ? type(note).join(" ") : "",
             noteRole: note?.getAttribute("role"),
             backTo: back?.getAttribute("href") === "#" + a.id && byId(back.getAttribute("href").slice(1)) === a,
             backLabel: back?.getAttribute("aria-label"),
             backText: back?.textContent.replace(/\\s+/g, " "),
             backIsLast: rest === back?.textContent,
             first: note?.textContent.trim().slice(0, 24),
           };
         }),
       };`,
    );
    expect(notes.lang).toBe("en");
    expect(notes.xmlLang).toBe("en");
    expect(notes.heading).toBe("Notes");
    expect(notes.refs.map((r) => r.marker)).toEqual(["1", "2", "3", "4", "5", "6", "7"]);
    expect(notes.asides).toEqual(["fn-1", "fn-2", "fn-3", "fn-4", "fn-5", "fn-6", "fn-7"]);
    notes.refs.forEach((r, i) => {
      const n = i + 1;
      expect(r).toMatchObject({
        id: `fnref-${n}`,
        role: "doc-noteref",
        inSup: true,
        supInside: 0,
        noteTag: "aside",
        noteId: `fn-${n}`,
        noteType: "footnote",
        noteRole: "doc-footnote",
        backTo: true,
        backLabel: `Back to reference ${n}`,
        backText: `\u21A9\uFE0E ${n}`,
        backIsLast: true,
      });
    });
    // The note text comes first, the number and the way back after it.
    expect(notes.refs[0]!.first).toBe("2019 Report of the Speci");
    expect(notes.refs[6]!.first).toBe("Civil society is engagin");
  });

  it("embeds fonts that cover every character of the text", async () => {
    const files = unzipSync(en);
    const text = entries(en);
    const css = text["OEBPS/style.css"]!;
    const faces = [...css.matchAll(/@font-face\{[^}]*src:url\(([^)]+)\)[^}]*unicode-range:([^}]+)\}/g)].map((m) => ({
      file: `OEBPS/${m[1]}`,
      ranges: m[2]!.split(",").map((r) => r.replace(/^U\+/i, "").split("-").map((x) => parseInt(x, 16))),
    }));
    expect(faces.length).toBeGreaterThan(0);
    const opf = text["OEBPS/content.opf"]!;
    for (const face of faces) {
      // A WOFF2 font (each is cut down to the characters it serves: some are a few hundred bytes).
      expect(strFromU8(files[face.file]!.subarray(0, 4))).toBe("wOF2");
      expect(opf).toContain(`href="${face.file.replace("OEBPS/", "")}" media-type="font/woff2"`);
    }
    const visible = await inXml<string>(text["OEBPS/content.xhtml"]!, "application/xhtml+xml", "return doc.body.textContent;");
    const uncovered = [...new Set(visible.replace(/[\s\uFE0E]/g, ""))].filter((ch) => {
      const cp = ch.codePointAt(0)!;
      return !faces.some((f) => f.ranges.some(([lo, hi = lo]) => cp >= lo! && cp <= hi!));
    });
    expect(uncovered).toEqual([]);
    // Only what the text needs: no italic text in the letter, so no italic face.
    expect(css).not.toContain("font-style:italic");
    expect(en.byteLength).toBeLessThan(80 * 1024);
  });
});

describe("EPUB for a right-to-left edition (ar)", () => {
  it("declares rtl page progression, Arabic language and rtl on every content document", async () => {
    const files = entries(ar);
    const opf = await inXml<{ lang: string[]; xmlLang: string | null; dir: string | null; ppd: string | null }>(
      files["OEBPS/content.opf"]!,
      "application/xml",
      `return { lang: [...doc.getElementsByTagNameNS("http://purl.org/dc/elements/1.1/", "language")].map((e) => e.textContent),
        xmlLang: doc.documentElement.getAttributeNS("http://www.w3.org/XML/1998/namespace", "lang"), dir: doc.documentElement.getAttribute("dir"),
        ppd: doc.getElementsByTagName("spine")[0].getAttribute("page-progression-direction") };`,
    );
    expect(opf).toEqual({ lang: ["ar"], xmlLang: "ar", dir: "rtl", ppd: "rtl" });
    for (const name of ["OEBPS/content.xhtml", "OEBPS/toc.xhtml"]) {
      const root = await inXml<string[]>(
        files[name]!,
        "application/xhtml+xml",
        `const r = doc.documentElement; return [r.getAttribute("dir"), r.getAttribute("lang"), r.getAttributeNS("http://www.w3.org/XML/1998/namespace", "lang")];`,
      );
      expect(root, name).toEqual(["rtl", "ar", "ar"]);
    }
  });

  it("gets an identifier of its own", () => {
    const id = (epub: Uint8Array) => /<dc:identifier id="pub-id">([^<]+)</.exec(entries(epub)["OEBPS/content.opf"]!)![1];
    expect(id(ar)).toMatch(/^urn:uuid:/);
    expect(id(ar)).not.toBe(id(en));
  });
});

describe("EPUB reproducibility", () => {
  it("rebuilds byte-identically from the same epoch", async () => {
    const again = await tempDir();
    const result = await cli(["build", LETTER, "--out", again, "--format", "epub", "--lang", "en", "--quiet"]);
    expect(result.code, result.stderr).toBe(0);
    const rebuilt = new Uint8Array(await readFile(path.join(again, "en/open-letter.epub")));
    expect(Buffer.compare(rebuilt, en)).toBe(0);
    const first = await renderEpub(await publication("ar"));
    expect(Buffer.compare(first, ar)).toBe(0);
  });

  it("takes every date from the epoch", async () => {
    const later = await renderEpub(await publication("ar", EPOCH + 86_400 * 366));
    const opf = (epub: Uint8Array) => entries(epub)["OEBPS/content.opf"]!;
    expect(opf(ar)).toContain('<meta property="dcterms:modified">2019-11-06T00:26:40Z</meta>');
    expect(opf(later)).toContain('<meta property="dcterms:modified">2020-11-06T00:26:40Z</meta>');
    // Zip entry times: DOS date of the mimetype entry (offset 12) is the epoch's day.
    const dosDate = (epub: Uint8Array) => new DataView(epub.buffer, epub.byteOffset).getUint16(12, true);
    const day = (d: number) => `${(d >> 9) + 1980}-${(d >> 5) & 15}-${d & 31}`;
    expect(day(dosDate(ar))).toBe("2019-11-6");
    expect(day(dosDate(later))).toBe("2020-11-6");
  });
});

describe("EPUB from other documents", () => {
  it("shows the alternative text of an image the edition has no bytes for, and says so", async () => {
    const dir = await project({ "doc.md": `${FRONT}Text before.\n\n![A chart of votes](chart.png)\n` });
    const { doc } = await loadDocument(path.join(dir, "doc.md"));
    const pub = createPublication(doc!, { lang: "en", languages: ["en"], epoch: EPOCH });
    const file = new VFile();
    const epub = await renderEpub(pub, file);
    const xhtml = entries(epub)["OEBPS/content.xhtml"]!;
    expect(xhtml).toContain("A chart of votes");
    expect(xhtml).not.toContain("<img");
    expect(Object.keys(unzipSync(epub)).some((n) => n.includes("images/"))).toBe(false);
    expect(file.messages.map((m) => m.ruleId)).toContain("epub-image");
    const result = await EpubCheck.validate(epub);
    expect(result.messages.filter((m) => m.severity !== "usage" && m.severity !== "info").map((m) => m.message)).toEqual([]);
  });

  it("keeps the number an ordered list starts at, which epub-gen-memory alone would drop", async () => {
    const dir = await project({ "doc.md": `${FRONT}5. five\n6. six\n\nText.\n\n1. one\n` });
    const { doc } = await loadDocument(path.join(dir, "doc.md"));
    const pub = createPublication(doc!, { lang: "en", languages: ["en"], epoch: EPOCH });
    const epub = await renderEpub(pub, new VFile());
    const xhtml = entries(epub)["OEBPS/content.xhtml"]!;
    expect([...xhtml.matchAll(/<ol[^>]*>/g)].map((m) => m[0])).toEqual(['<ol start="5">', "<ol>"]);
    expect(xhtml).not.toContain("letterpress-start");
    const result = await EpubCheck.validate(epub);
    expect(result.messages.filter((m) => m.severity !== "usage" && m.severity !== "info").map((m) => m.message)).toEqual([]);
  });
});
