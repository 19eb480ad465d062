/**
 * The DOCX editions read back: the package unzipped and its XML parts inspected (footnotes,
 * styles, languages, bookmarks, page setup, core properties), then opened by LibreOffice and
 * pandoc as a user's tools would open them.
 */
import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { strFromU8, unzipSync } from "fflate";
import { beforeAll, describe, expect, it } from "vitest";
import { loadDocument, type LoadedDocument } from "../pipeline/load.ts";
import { createPublication } from "../pipeline/transform/publication.ts";
import { bookmarkName } from "../pipeline/writers/docx/bookmarks.ts";
import { renderDocx } from "../pipeline/writers/docx/index.ts";
import { cli, LETTER, project, tempDir } from "./helpers.ts";

const run = promisify(execFile);
/** 1 November 2019 00:00 UTC. */
const EPOCH = 1_572_566_400;

type Parts = Record<string, string>;

function partsOf(bytes: Uint8Array): Parts {
  const files = unzipSync(bytes);
  return Object.fromEntries(Object.entries(files).map(([name, data]) => [name, strFromU8(data)]));
}

const decode = (s: string) =>
  s.replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, "&");

/** The text of WordprocessingML: `w:t` contents, paragraphs separated by newlines. */
function textOf(xml: string): string {
  let out = "";
  for (const m of xml.matchAll(/<w:t\b[^>]*>([^<]*)<\/w:t>|<\/w:p>/g)) out += m[1] !== undefined ? decode(m[1]) : "\n";
  return out.replace(/\u200E/g, "");
}

interface Note {
  id: string;
  xml: string;
  text: string;
}

/** Real footnotes (separators left out), in part order. */
function footnotesOf(parts: Parts): Note[] {
  const notes: Note[] = [];
  for (const m of (parts["word/footnotes.xml"] ?? "").matchAll(/<w:footnote\b([^>]*)>([\s\S]*?)<\/w:footnote>/g)) {
    if (/w:type="(separator|continuationSeparator|continuationNotice)"/.test(m[1]!)) continue;
    notes.push({ id: /w:id="(-?\d+)"/.exec(m[1]!)![1]!, xml: m[2]!, text: textOf(m[2]!).trim() });
  }
  return notes;
}

/** Footnote ids in the order the document references them. */
function referencesOf(parts: Parts): string[] {
  return [...parts["word/document.xml"]!.matchAll(/<w:footnoteReference\b[^>]*w:id="(-?\d+)"/g)].map((m) => m[1]!);
}

/** The w:style element with this id. */
function styleOf(parts: Parts, id: string): string | undefined {
  return new RegExp(`<w:style\\b[^>]*w:styleId="${id}"[^>]*>[\\s\\S]*?</w:style>`).exec(parts["word/styles.xml"]!)?.[0];
}

function paragraphsOf(xml: string): string[] {
  return [...xml.matchAll(/<w:p\b[^>]*>[\s\S]*?<\/w:p>/g)].map((m) => m[0]);
}

function bookmarksOf(parts: Parts): Set<string> {
  const xml = parts["word/document.xml"]! + (parts["word/footnotes.xml"] ?? "");
  return new Set([...xml.matchAll(/<w:bookmarkStart\b[^>]*w:name="([^"]+)"/g)].map((m) => m[1]!));
}

function anchorsOf(parts: Parts): string[] {
  const xml = parts["word/document.xml"]! + (parts["word/footnotes.xml"] ?? "");
  return [...xml.matchAll(/<w:hyperlink\b[^>]*w:anchor="([^"]+)"/g)].map((m) => m[1]!);
}

async function load(file: string): Promise<LoadedDocument> {
  const { doc } = await loadDocument(file);
  if (!doc) throw new Error(`could not load ${file}`);
  return doc;
}

/** A DOCX of `doc` in `lang`, written directly by the writer. */
async function edition(doc: LoadedDocument, lang: string, epoch = EPOCH): Promise<{ bytes: Uint8Array; parts: Parts; messages: string[] }> {
  const pub = createPublication(doc, { lang, languages: [doc.meta.lang, lang], epoch });
  const before = doc.file.messages.length;
  const bytes = await renderDocx(pub, { file: doc.file });
  return { bytes, parts: partsOf(bytes), messages: doc.file.messages.slice(before).map((m) => `${m.ruleId}: ${m.reason}`) };
}

describe("DOCX edition of the letter (en)", () => {
  let file: string;
  let parts: Parts;

  beforeAll(async () => {
    const out = await tempDir();
    const result = await cli(["build", LETTER, "--out", out, "--format", "docx", "--lang", "en", "--quiet"]);
    expect(result.code, result.stderr).toBe(0);
    file = path.join(out, "en/open-letter.docx");
    parts = partsOf(await readFile(file));
  }, 120_000);

  it("has the seven notes as Word footnotes, in reference order", () => {
    const notes = footnotesOf(parts);
    expect(notes).toHaveLength(7);
    expect(referencesOf(parts)).toEqual(["1", "2", "3", "4", "5", "6", "7"]);
    expect(notes.map((n) => n.id)).toEqual(["1", "2", "3", "4", "5", "6", "7"]);
    expect(notes[0]!.text).toMatch(/^2019 Report of the Special Rapporteur on the rights to freedom of peaceful assembly/);
    expect(notes[6]!.text).toMatch(/^Civil society is engaging/);
    // The seventh note keeps its second paragraph (the EFF link).
    expect(paragraphsOf(notes[6]!.xml)).toHaveLength(2);
    expect(notes[6]!.text).toContain("https://www.eff.org/document/joint-civil-society-response");
  });

  it("styles note paragraphs as Footnote Text and references as Footnote Reference", () => {
    for (const note of footnotesOf(parts)) {
      for (const p of paragraphsOf(note.xml)) expect(p).toContain('<w:pStyle w:val="FootnoteText"/>');
      expect(note.xml).toMatch(/<w:rStyle w:val="FootnoteReference"\/><\/w:rPr><w:footnoteRef\/>/);
    }
    const refs = [...parts["word/document.xml"]!.matchAll(/<w:r>(?:(?!<w:r>)[\s\S])*?<w:footnoteReference\b/g)];
    expect(refs).toHaveLength(7);
    for (const r of refs) expect(r[0]).toContain('<w:rStyle w:val="FootnoteReference"/>');
    // Separators carry no footnote mark.
    expect(parts["word/footnotes.xml"]).not.toMatch(/w:type="separator"[^>]*>(?:(?!<\/w:footnote>)[\s\S])*<w:footnoteRef\/>/);
  });

  it("links inside notes work (relationships of the footnotes part)", () => {
    const note1 = footnotesOf(parts)[0]!;
    const rid = /<w:hyperlink\b[^>]*r:id="([^"]+)"/.exec(note1.xml)?.[1];
    expect(rid).toBeDefined();
    const rels = parts["word/_rels/footnotes.xml.rels"]!;
    expect(rels).toMatch(new RegExp(`Id="${rid}"[^>]*Target="https://undocs.org/A/HRC/41/41"[^>]*TargetMode="External"`));
  });

  it("uses Word's built-in styles, headings with outline levels", () => {
    expect(styleOf(parts, "Normal")).toMatch(/w:default="1"/);
    expect(styleOf(parts, "Title")).toContain('<w:name w:val="Title"/>');
    for (let i = 1; i <= 6; i++) {
      const style = styleOf(parts, `Heading${i}`);
      expect(style, `Heading${i}`).toContain(`<w:name w:val="heading ${i}"/>`);
      expect(style).toContain(`<w:outlineLvl w:val="${i - 1}"/>`);
    }
    expect(styleOf(parts, "FootnoteText")).toContain('<w:name w:val="footnote text"/>');
    expect(styleOf(parts, "FootnoteReference")).toContain('<w:vertAlign w:val="superscript"/>');
    expect(styleOf(parts, "Hyperlink")).toContain('<w:name w:val="Hyperlink"/>');
    expect(styleOf(parts, "ListParagraph")).toContain('<w:name w:val="List Paragraph"/>');
    // The h1 is the Title; fonts and sizes live in the styles, not on runs.
    const body = parts["word/document.xml"]!;
    expect(paragraphsOf(body)[0]).toContain('<w:pStyle w:val="Title"/>');
    expect(body).not.toContain("<w:rFonts");
    expect(body).not.toMatch(/<w:sz /);
    expect(parts["word/styles.xml"]).toMatch(/<w:docDefaults>[\s\S]*<w:rFonts w:ascii="Noto Serif" w:cs="Noto Naskh Arabic"/);
  });

  it("marks the language in the defaults and on every run", () => {
    const defaults = /<w:docDefaults>[\s\S]*?<\/w:docDefaults>/.exec(parts["word/styles.xml"]!)![0];
    expect(defaults).toMatch(/<w:lang w:val="en-GB"/);
    const runs = [...parts["word/document.xml"]!.matchAll(/<w:r>(?:(?!<\/w:r>)[\s\S])*?<w:t\b/g)].map((m) => m[0]);
    expect(runs.length).toBeGreaterThan(50);
    for (const r of runs) expect(r).toContain('w:val="en-GB"');
  });

  it("is A4 with 20–25 mm margins and a 'Page X of Y' footer", () => {
    const sect = /<w:sectPr>[\s\S]*<\/w:sectPr>/.exec(parts["word/document.xml"]!)![0];
    expect(sect).toContain('<w:pgSz w:w="11906" w:h="16838"');
    for (const side of ["top", "bottom", "left", "right"]) {
      const twips = Number(new RegExp(`w:${side}="(\\d+)"`).exec(/<w:pgMar\b[^>]*>/.exec(sect)![0])![1]);
      expect(twips, side).toBeGreaterThanOrEqual(1134);
      expect(twips, side).toBeLessThanOrEqual(1418);
    }
    const footerId = /<w:footerReference w:type="default" r:id="([^"]+)"/.exec(sect)![1];
    const target = new RegExp(`Id="${footerId}"[^>]*Target="([^"]+)"`).exec(parts["word/_rels/document.xml.rels"]!)![1];
    const footer = parts[`word/${target}`]!;
    expect(footer).toMatch(/<w:instrText[^>]*>\s*PAGE\s*<\/w:instrText>/);
    expect(footer).toMatch(/<w:instrText[^>]*>\s*NUMPAGES\s*<\/w:instrText>/);
    expect(textOf(footer).trim()).toBe("Page  of");
    expect(footer).toContain('<w:pStyle w:val="Footer"/>');
  });

  it("lists the signatories as Word lists, affiliations beneath the names", () => {
    const paragraphs = paragraphsOf(parts["word/document.xml"]!);
    const at = paragraphs.findIndex((p) => textOf(p).trim() === "Signatories");
    expect(paragraphs[at]).toContain('<w:pStyle w:val="Heading1"/>');
    expect(textOf(paragraphs[at + 1]!).trim()).toBe("36 organisations and 6 individuals");
    const items = paragraphs.slice(at).filter((p) => p.includes("<w:numPr>"));
    expect(items).toHaveLength(42);
    expect(textOf(items[0]!).trim()).toBe("7amleh - The Arab Center for the Advancement of Social Media");
    const people = items.slice(36);
    expect(people.every((p) => p.includes("<w:br/>"))).toBe(true);
    expect(textOf(people[0]!)).toBe("Dr. Jennifer BarrigarCanada\n");
    const headings = paragraphs.slice(at).filter((p) => p.includes('<w:pStyle w:val="Heading2"/>')).map((p) => textOf(p).trim());
    expect(headings).toEqual(["Organisations", "Individuals"]);
    expect(paragraphs.some((p) => textOf(p).trim() === "(Affiliations listed for purposes of identification)")).toBe(true);
  });

  it("has core properties from the metadata", () => {
    const core = parts["docProps/core.xml"]!;
    expect(core).toContain("<dc:title>Open letter to UN General Assembly: Proposed international convention on cybercrime poses a threat to human rights online</dc:title>");
    expect(core).toContain("<dc:creator>Joint civil society letter</dc:creator>");
    expect(core).toContain("<dc:language>en-GB</dc:language>");
    expect(core).toMatch(/<cp:keywords>cybercrime, United Nations, [^<]+<\/cp:keywords>/);
    expect(core).toMatch(/<dc:description>Joint civil society letter urging delegations[^<]+<\/dc:description>/);
  });

  it("converts with LibreOffice; the PDF has the note texts", async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), "lo-docx-"));
    try {
      await run(
        "soffice",
        [`-env:UserInstallation=file://${dir}/profile`, "--headless", "--norestore", "--convert-to", "pdf", "--outdir", dir, file],
        { timeout: 150_000, env: { ...process.env, HOME: dir } },
      );
      const { stdout } = await run("pdftotext", ["-layout", path.join(dir, "open-letter.pdf"), "-"]);
      const flat = stdout.replace(/\s+/g, " ");
      expect(flat).toContain("2019 Report of the Special Rapporteur");
      expect(flat).toContain("Civil society is engaging in the development of the Second Additional Protocol");
      expect(flat).toMatch(/Page 1 of [4-9]/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 180_000);

  it("reads back in pandoc with seven notes", async () => {
    const { stdout } = await run("pandoc", ["-f", "docx", "-t", "json", file], { maxBuffer: 32 * 1024 * 1024 });
    let notes = 0;
    const walk = (x: unknown): void => {
      if (Array.isArray(x)) x.forEach(walk);
      else if (x && typeof x === "object") {
        if ((x as { t?: string }).t === "Note") notes++;
        walk((x as { c?: unknown }).c);
      }
    };
    walk(JSON.parse(stdout).blocks);
    expect(notes).toBe(7);
  }, 60_000);
});

describe("DOCX footnotes and cross-references", () => {
  let parts: Parts;
  let messages: string[];

  beforeAll(async () => {
    const dir = await project({
      "doc.md": [
        "---\nlang: en\n---\n",
        "# Title\n",
        "First[^x], see [the reasons](#why-it-matters), [the note](#fn-1), [the echo](#fnref-1-2) and [the top](#content).\n",
        "## Why it matters\n",
        "Again[^x], then[^y].\n",
        "> Quoted[^y].\n",
        "[^x]: Note X with [a link](https://example.org/x) and a pointer to Y[^y] and to Z[^z].",
        "[^y]: Note Y.",
        "[^z]: Note Z, only referenced from X.\n",
      ].join("\n"),
    });
    ({ parts, messages } = await edition(await load(path.join(dir, "doc.md")), "en"));
  });

  it("writes one footnote per note; repeated references are NOTEREF fields", () => {
    const notes = footnotesOf(parts);
    expect(notes.map((n) => n.id)).toEqual(["1", "2"]);
    expect(referencesOf(parts)).toEqual(["1", "2"]);
    const body = parts["word/document.xml"]!;
    // The first reference sits in the hidden bookmark the fields point to.
    expect(body).toMatch(/<w:bookmarkStart w:name="_fnref_1" w:id="(\d+)"\/><w:r><w:rPr><w:rStyle w:val="FootnoteReference"\/><\/w:rPr><w:footnoteReference w:id="1"\/><\/w:r><w:bookmarkEnd w:id="\1"\/>/);
    const fields = [...body.matchAll(/<w:instrText[^>]*>([^<]*)<\/w:instrText>/g)].map((m) => m[1]!.trim());
    expect(fields).toEqual(["NOTEREF _fnref_1 \\f \\h", "NOTEREF _fnref_2 \\f \\h"]);
    // The cached result is the number, formatted as a note reference.
    expect(body).toMatch(/<w:fldChar w:fldCharType="separate"\/><\/w:r><w:r><w:rPr><w:rStyle w:val="FootnoteReference"\/>(?:<w:lang [^>]*\/>)?<\/w:rPr><w:t xml:space="preserve">1<\/w:t>/);
    // A reference from inside a note is a field too, never a nested footnote.
    expect(notes[0]!.xml).toContain("NOTEREF _fnref_2 \\f \\h");
    expect(notes[0]!.xml).not.toContain("<w:footnoteReference");
  });

  it("prints a note referenced only from inside another note within that note, with a warning", () => {
    const x = footnotesOf(parts)[0]!;
    expect(x.text).toMatch(/^Note X with a link and a pointer to Y2 and to Z3\.\n3 Note Z, only referenced from X\.$/);
    expect(messages.filter((m) => m.startsWith("docx-nested-note"))).toHaveLength(1);
  });

  it("gives every linked anchor a bookmark", () => {
    const anchors = anchorsOf(parts);
    expect(anchors.sort()).toEqual(["content", "fn_1", "fnref_1_2", "why_it_matters"]);
    const marks = bookmarksOf(parts);
    for (const a of anchors) expect(marks, a).toContain(a);
    // Headings are bookmarked whether linked or not, the note where its text begins.
    expect(marks).toContain(bookmarkName("title"));
    expect(footnotesOf(parts)[0]!.xml).toMatch(/<w:footnoteRef\/><\/w:r><w:bookmarkStart w:name="fn_1"/);
  });

  it("links inside notes go through the footnotes part's relationships", () => {
    const rid = /<w:hyperlink\b[^>]*r:id="([^"]+)"/.exec(footnotesOf(parts)[0]!.xml)![1];
    expect(parts["word/_rels/footnotes.xml.rels"]).toMatch(new RegExp(`Id="${rid}"[^>]*Target="https://example.org/x"`));
  });
});

describe("DOCX block content", () => {
  it("writes lists, quotes, code, tables and rules with Word's means", async () => {
    const dir = await project({
      "doc.md":
        "---\nlang: en\n---\n\n# T\n\n1. one\n2. two\n   - inner\n\nBetween.\n\n5. five\n\n> quoted\n\n```\ncode  line\n```\n\n| a | b |\n| :- | -: |\n| 1 | 2 |\n\n---\n\n- [x] done\n\nText  \nbroken ![alt text](pic.png).\n",
      "pic.png": "x",
    });
    const { parts, messages } = await edition(await load(path.join(dir, "doc.md")), "en");
    const body = parts["word/document.xml"]!;
    const numbering = parts["word/numbering.xml"]!;
    const item = (text: string) => paragraphsOf(body).find((p) => textOf(p).includes(text))!;
    const numId = (p: string) => /<w:numId w:val="(\d+)"\/>/.exec(p)?.[1];
    const level = (p: string) => /<w:ilvl w:val="(\d+)"\/>/.exec(p)?.[1];
    expect(level(item("one"))).toBe("0");
    expect(numId(item("two"))).toBe(numId(item("one")));
    expect(level(item("inner"))).toBe("1");
    // A list that starts at 5 is a list of its own whose numbers start at 5.
    expect(numId(item("five"))).not.toBe(numId(item("one")));
    expect(numbering).toMatch(/<w:start w:val="5"\/><w:numFmt w:val="decimal"\/>/);
    expect(item("quoted")).toContain('<w:pStyle w:val="Quote"/>');
    expect(item("code  line")).toContain('<w:pStyle w:val="HTMLPreformatted"/>');
    expect(body).toMatch(/<w:tbl>[\s\S]*<w:tblHeader\/>[\s\S]*<w:jc w:val="end"\/>[\s\S]*<\/w:tbl>/);
    expect(body).toMatch(/<w:pBdr><w:bottom w:val="single"/);
    expect(textOf(item("done"))).toContain("☒ done");
    expect(item("broken")).toContain("<w:br/>");
    expect(textOf(item("broken"))).toContain("broken alt text.");
    expect(messages.some((m) => m.startsWith("docx-image"))).toBe(true);
  });
});

describe("DOCX language editions", () => {
  let letter: LoadedDocument;
  beforeAll(async () => {
    letter = await load(LETTER);
  });

  it("Arabic: bidi paragraphs everywhere, Arabic as the bidi language, Naskh as complex-script font", async () => {
    const { parts } = await edition(letter, "ar");
    const body = parts["word/document.xml"]!;
    const paragraphs = paragraphsOf(body);
    expect(paragraphs.length).toBeGreaterThan(50);
    for (const p of paragraphs) expect(p).toMatch(/<w:pPr>(?:(?!<\/w:pPr>)[\s\S])*<w:bidi\/>/);
    for (const note of footnotesOf(parts)) for (const p of paragraphsOf(note.xml)) expect(p).toContain("<w:bidi/>");
    const footer = Object.entries(parts).find(([name]) => /^word\/footer\d*\.xml$/.test(name))![1];
    expect(footer).toContain("<w:bidi/>");
    expect(body).not.toMatch(/<w:jc w:val="(left|right)"/);
    const defaults = /<w:docDefaults>[\s\S]*?<\/w:docDefaults>/.exec(parts["word/styles.xml"]!)![0];
    expect(defaults).toMatch(/<w:lang [^>]*w:bidi="ar-SA"/);
    expect(defaults).toMatch(/w:cs="Noto Naskh Arabic"/);
    expect(defaults).toMatch(/<w:szCs w:val="24"\/>/);
    expect(body).toMatch(/<w:lang [^>]*w:bidi="ar-SA"/);
    expect(parts["docProps/core.xml"]).toContain("<dc:language>ar-SA</dc:language>");
  });

  it("Arabic text: right-to-left runs; Latin inside stays left-to-right", async () => {
    const dir = await project({
      "doc.md": "---\nlang: ar\n---\n\n# رسالة مفتوحة\n\nنص عربي مع [رابط](https://example.org) وملاحظة[^a].\n\n[^a]: تقرير (A/HRC/41/41).\n",
    });
    const { parts } = await edition(await load(path.join(dir, "doc.md")), "ar");
    const body = parts["word/document.xml"]!;
    const runs = [...body.matchAll(/<w:r>((?:(?!<\/w:r>)[\s\S])*?)<w:t xml:space="preserve">([^<]*)<\/w:t>/g)].map((m) => ({ props: m[1]!, text: m[2]! }));
    const arabic = runs.filter((r) => /[\u0600-\u06FF]/.test(r.text));
    expect(arabic.length).toBeGreaterThan(2);
    for (const r of arabic) expect(r.props).toContain("<w:rtl/>");
    expect(body).toContain("<w:bidi/>");
    expect(body).toMatch(/<w:lang [^>]*w:bidi="ar-SA"/);
    const note = footnotesOf(parts)[0]!;
    expect(note.xml).toContain("<w:rtl/>");
    expect(note.xml).toContain("<w:bidi/>");
  });

  it("Chinese: East Asian language and font", async () => {
    const { parts } = await edition(letter, "zh");
    const defaults = /<w:docDefaults>[\s\S]*?<\/w:docDefaults>/.exec(parts["word/styles.xml"]!)![0];
    expect(defaults).toMatch(/<w:lang [^>]*w:eastAsia="zh-CN"/);
    expect(defaults).toMatch(/w:eastAsia="Noto Serif CJK SC"/);
    expect(defaults).toMatch(/w:hint="eastAsia"/);
    expect(parts["word/document.xml"]).toMatch(/<w:lang [^>]*w:eastAsia="zh-CN"/);
    expect(parts["word/document.xml"]).not.toContain("<w:bidi/>");
  });

  it("text left in the source language keeps its language", async () => {
    const pub = createPublication(letter, { lang: "fr", languages: ["en", "fr"], epoch: EPOCH });
    const first = pub.tree.children.find((n) => n.type === "paragraph")!;
    const tree = structuredClone(pub.tree);
    const copy = tree.children[pub.tree.children.indexOf(first)]!;
    if (copy.type === "paragraph" && copy.children[0]?.type === "text") copy.children[0].data = { fallbackLang: "en" };
    const parts = partsOf(await renderDocx({ ...pub, tree }, { file: letter.file }));
    const langOf = (text: string) =>
      new RegExp(`<w:lang ([^>]*)/></w:rPr><w:t xml:space="preserve">${text}`).exec(parts["word/document.xml"]!)?.[1];
    expect(langOf("Excellencies,")).toBe('w:val="en-GB"');
    expect(langOf("Countering cybercrime")).toBe('w:val="fr-FR" w:eastAsia="fr-FR" w:bidi="ar-SA"');
  });
});

describe("DOCX reproducibility", () => {
  it("two builds with the same epoch are byte-identical; the epoch dates the document", async () => {
    const letter = await load(LETTER);
    const a = await edition(letter, "en");
    const b = await edition(letter, "en");
    expect(Buffer.compare(Buffer.from(a.bytes), Buffer.from(b.bytes))).toBe(0);
    const core = a.parts["docProps/core.xml"]!;
    expect(core).toContain('<dcterms:created xsi:type="dcterms:W3CDTF">2019-11-01T00:00:00Z</dcterms:created>');
    expect(core).toContain('<dcterms:modified xsi:type="dcterms:W3CDTF">2019-11-01T00:00:00Z</dcterms:modified>');
    // Another epoch changes the dates and nothing else.
    const c = await edition(letter, "en", EPOCH + 86_400);
    for (const name of Object.keys(a.parts)) {
      if (name !== "docProps/core.xml") expect(c.parts[name], name).toBe(a.parts[name]);
    }
    expect(c.parts["docProps/core.xml"]).toContain("2019-11-02T00:00:00Z");
  });

  it("rebuilds through the CLI byte for byte", async () => {
    const dir = await tempDir();
    const saved = process.env.SOURCE_DATE_EPOCH;
    process.env.SOURCE_DATE_EPOCH = String(EPOCH);
    try {
      for (const out of ["a", "b"]) {
        const result = await cli(["build", LETTER, "--out", path.join(dir, out), "--format", "docx", "--lang", "en", "--quiet"]);
        expect(result.code, result.stderr).toBe(0);
      }
    } finally {
      if (saved === undefined) delete process.env.SOURCE_DATE_EPOCH;
      else process.env.SOURCE_DATE_EPOCH = saved;
    }
    const [a, b] = await Promise.all(["a", "b"].map((out) => readFile(path.join(dir, out, "en/open-letter.docx"))));
    expect(a!.equals(b!)).toBe(true);
  }, 60_000);
});

describe("Word bookmark names", () => {
  it("are valid, stable and distinct", () => {
    const ids = ["why-it-matters", "why_it_matters", "signatories", "fn-1", "fnref-1-2", "2019-report", "签署者", "注一", "a".repeat(60), "a".repeat(61)];
    const names = ids.map(bookmarkName);
    for (const name of names) expect(name).toMatch(/^[A-Za-z][A-Za-z0-9_]{0,39}$/);
    expect(new Set(names).size).toBe(ids.length);
    expect(bookmarkName("why-it-matters")).toBe("why_it_matters");
    expect(bookmarkName("fn-1")).toBe("fn_1");
    expect(ids.map(bookmarkName)).toEqual(names);
  });
});
