/**
 * The PDF editions read back with poppler and qpdf: footnote markers 1..7 in order, every note on
 * the page of its reference, A4, tagged, fonts embedded with ToUnicode and never Type 3, bookmarks
 * with the headings' exact text, catalog language, "Page X of Y", an RTL edition that keeps all of
 * its pages, sandboxed rendering, byte-identical output. One Chromium for the whole file.
 */
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, readdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";
import type { Root } from "mdast";
import { toString } from "mdast-util-to-string";
import { VFile } from "vfile";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ResourcePool } from "../pipeline/build/resources.ts";
import { type LoadedDocument, loadDocument } from "../pipeline/load.ts";
import type { Publication } from "../pipeline/model.ts";
import { createPublication } from "../pipeline/transform/publication.ts";
import type { Browser } from "puppeteer-core";
import { launchChromium, stopChromium } from "../pipeline/browser/chromium.ts";
import { pdfWriter } from "../pipeline/writers/pdf/index.ts";
import { collectGarbage, paginate } from "../pipeline/writers/pdf/paginate.ts";
import { postprocess } from "../pipeline/writers/pdf/postprocess/index.ts";
import { printDocument } from "../pipeline/writers/pdf/template.ts";
import { FRONT, LETTER, project, ROOT, tempDir } from "./helpers.ts";

const run = promisify(execFile);
const EPOCH = 1_573_603_200; // 2019-11-13T00:00:00Z

let pool: ResourcePool;
let out: string;
let letter: LoadedDocument;
const en = { pub: undefined as unknown as Publication, file: "", bytes: new Uint8Array() as Uint8Array, again: new Uint8Array() as Uint8Array, messages: [] as string[] };
const ar = { pub: undefined as unknown as Publication, file: "" };
const small = { pub: undefined as unknown as Publication, file: "", messages: [] as Array<{ ruleId?: string | undefined; reason: string }> };

async function render(pub: Publication, name: string): Promise<{ file: string; bytes: Uint8Array; vfile: VFile }> {
  const vfile = new VFile({ path: name });
  const output = await pdfWriter.write(pub, { root: ROOT, resources: pool, file: vfile });
  const file = path.join(out, name);
  await writeFile(file, output.data);
  return { file, bytes: output.data as Uint8Array, vfile };
}

beforeAll(async () => {
  pool = new ResourcePool();
  out = await tempDir("letterpress-pdf-");
  await mkdir(out, { recursive: true });
  const loaded = await loadDocument(LETTER);
  letter = loaded.doc!;

  en.pub = createPublication(letter, { lang: "en", languages: ["en", "ar"], epoch: EPOCH });
  const first = await render(en.pub, "en.pdf");
  en.file = first.file;
  en.bytes = first.bytes;
  en.messages = first.vfile.messages.map((m) => String(m.reason));
  en.again = (await render(createPublication(letter, { lang: "en", languages: ["en", "ar"], epoch: EPOCH }), "en-again.pdf")).bytes;

  ar.pub = createPublication(letter, { lang: "ar", languages: ["en", "ar"], epoch: EPOCH });
  ar.file = (await render(ar.pub, "ar.pdf")).file;

  // A repeated reference, a note referenced from inside a note, and a remote image that got past
  // the sanitizer (put into the tree directly): the page must not fetch it, and must say so.
  const dir = await project({
    "doc.md": `${FRONT}One[^x], two[^y], again[^x]. Nested[^z].\n\n[^x]: Note X text.\n[^y]: Note Y text.\n[^z]: Note Z refers to[^w].\n[^w]: Note W text.\n`,
  });
  const smallDoc = (await loadDocument(path.join(dir, "doc.md"))).doc!;
  const tree = structuredClone(smallDoc.tree) as Root;
  // An image the edition has no bytes for (the sanitiser would have removed it), and, past every
  // stage before the writer, an element that makes the page ask the network: both must be caught.
  tree.children.push({ type: "paragraph", children: [{ type: "image", url: "https://example.org/chart.png", alt: "chart" }] });
  tree.children.push({ type: "paragraph", children: [], data: { hName: "img", hProperties: { src: "https://example.org/tracker.png", alt: "tracker" } } });
  small.pub = createPublication({ ...smallDoc, tree }, { lang: "en", languages: ["en"], epoch: EPOCH });
  const rendered = await render(small.pub, "small.pdf");
  small.file = rendered.file;
  small.messages = rendered.vfile.messages.map((m) => ({ ruleId: m.ruleId, reason: String(m.reason) }));
}, 240_000);

afterAll(async () => {
  await pool?.dispose();
});

// ------------------------------------------------------------------------------ poppler / qpdf

async function pdfinfo(file: string, ...args: string[]): Promise<Record<string, string>> {
  const { stdout } = await run("pdfinfo", [...args, file]);
  return Object.fromEntries(stdout.split("\n").filter((l) => l.includes(":")).map((l) => [l.slice(0, l.indexOf(":")).trim(), l.slice(l.indexOf(":") + 1).trim()]));
}

async function text(file: string, ...args: string[]): Promise<string> {
  return (await run("pdftotext", ["-enc", "UTF-8", ...args, file, "-"], { maxBuffer: 1 << 26 })).stdout;
}

interface Word {
  page: number;
  line: number;
  x0: number;
  y0: number;
  x1: number;
  y1: number;
  text: string;
}

/** Words from `pdftotext -bbox-layout`, with page and line numbers. */
async function words(file: string): Promise<Word[]> {
  const xml = await text(file, "-bbox-layout");
  const decode = (s: string) => s.replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, "&");
  const result: Word[] = [];
  let line = 0;
  xml.split(/<page\b/).slice(1).forEach((pageXml, index) => {
    for (const lineXml of pageXml.split(/<line\b/).slice(1)) {
      line++;
      for (const m of lineXml.matchAll(/<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)<\/word>/g)) {
        result.push({ page: index + 1, line, x0: +m[1]!, y0: +m[2]!, x1: +m[3]!, y1: +m[4]!, text: decode(m[5]!) });
      }
    }
  });
  return result;
}

function byLine(all: Word[]): Map<number, Word[]> {
  const lines = new Map<number, Word[]>();
  for (const w of all) lines.set(w.line, [...(lines.get(w.line) ?? []), w]);
  return lines;
}

const numberOf = (w: Word) => Number(w.text.replace(/[()]/g, ""));

/** Numbers set smaller and higher than the text of their line: the note calls, in reading order. */
function markers(all: Word[]): Word[] {
  const lines = byLine(all);
  return all.filter((w) => {
    if (!/^\(?\d{1,3}\)?$/.test(w.text)) return false;
    const others = lines.get(w.line)!.filter((o) => o !== w);
    if (others.length === 0) return false;
    const tallest = Math.max(...others.map((o) => o.y1 - o.y0));
    const lowest = Math.max(...others.map((o) => o.y1));
    return w.y1 - w.y0 < 0.85 * tallest && w.y1 < lowest - 0.1 * tallest;
  });
}

async function qpdfJson(file: string): Promise<{ outlines: Outline[]; objects: Record<string, { value?: Record<string, unknown> }> }> {
  const { stdout } = await run("qpdf", ["--json=2", "--json-key=outlines", "--json-key=qpdf", file], { maxBuffer: 1 << 26 });
  const json = JSON.parse(stdout) as { outlines: Outline[]; qpdf: [unknown, Record<string, { value?: Record<string, unknown> }>] };
  return { outlines: json.outlines, objects: json.qpdf[1] };
}

interface Outline {
  title: string;
  kids: Outline[];
  destpageposfrom1?: number;
}

function flatten(outline: Outline[]): string[] {
  return outline.flatMap((o) => [o.title, ...flatten(o.kids)]);
}

function catalogOf(objects: Record<string, { value?: Record<string, unknown> }>): Record<string, unknown> {
  const trailer = objects.trailer!.value!;
  return objects[`obj:${String(trailer["/Root"])}`]!.value!;
}

/** The first words of each note of a publication, as the model has them. */
function noteOpenings(pub: Publication): string[] {
  return pub.notes.map(({ definition }) => toString(definition).split(/\s+/).slice(0, 3).join(" "));
}

// ------------------------------------------------------------------------------ the letter

describe("PDF edition (en)", () => {
  it("is 2–6 A4 pages, tagged, titled, with the publication's metadata", async () => {
    const info = await pdfinfo(en.file);
    const pages = Number(info.Pages);
    expect(pages).toBeGreaterThanOrEqual(2);
    expect(pages).toBeLessThanOrEqual(6);
    expect(info.Tagged).toBe("yes");
    expect(info.Title).toBe(en.pub.meta.title);
    expect(info.Author).toBe(en.pub.meta.author);
    expect(info.Subject).toBe(en.pub.meta.subject);
    expect(info.Keywords).toBe(en.pub.meta.keywords.join(", "));
    expect(info.CreationDate).toMatch(/Nov 13 00:00:00 2019 UTC/);
    const sizes = await pdfinfo(en.file, "-f", "1", "-l", String(pages));
    const pageSizes = Object.entries(sizes).filter(([k]) => /^Page\s+\d+ size$/.test(k)).map(([, v]) => v);
    expect(pageSizes).toHaveLength(pages);
    for (const size of pageSizes) {
      const [w, h] = size.match(/[\d.]+/g)!.map(Number);
      expect(Math.abs(w! - 595.28)).toBeLessThan(2);
      expect(Math.abs(h! - 841.89)).toBeLessThan(2);
    }
  });

  it("shows note calls 1..7 in reading order, each on the page of its note", async () => {
    const all = await words(en.file);
    const calls = markers(all);
    expect(calls.map(numberOf)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    const openings = noteOpenings(en.pub);
    const lines = byLine(all);
    for (const [i, call] of calls.entries()) {
      const number = i + 1;
      const opening = openings[i]!.slice(0, 16);
      const noteLine = [...lines.values()].find((l) => l[0]!.text === `${number}.` && l.slice(1).map((w) => w.text).join(" ").startsWith(opening));
      expect(noteLine, `note ${number} (${openings[i]}) is printed`).toBeDefined();
      expect(noteLine![0]!.page, `note ${number} is on the page of its call`).toBe(call.page);
      // Notes are at the foot of the page: below every line of body text that precedes them.
      expect(noteLine![0]!.y0).toBeGreaterThan(call.y1);
    }
  });

  it("keeps every word of the body, in order (no text lost in pagination)", async () => {
    const normal = (s: string) => s.normalize("NFKC").replace(/[^\p{L}\p{N}]+/gu, " ").trim().split(/\s+/).filter(Boolean);
    const body = normal(
      en.pub.tree.children
        .filter((n) => n.type === "paragraph" || n.type === "heading")
        .map((n) => toString(n, { includeHtml: false }))
        .join(" "),
    );
    const printed = normal(await text(en.file));
    // pdftotext joins a word broken after a hyphen at the end of a line ("ill-" "defined" → "illdefined").
    let at = 0;
    for (let i = 0; i < body.length; i++) {
      const word = body[i]!;
      let found = printed.indexOf(word, at);
      const joined = printed.indexOf(word + (body[i + 1] ?? ""), at);
      if (joined >= 0 && (found < 0 || joined < found)) {
        found = joined;
        i++;
      }
      expect(found, `"${word}" after word ${at}`).toBeGreaterThanOrEqual(0);
      at = found + 1;
    }
    const signatories = en.pub.signatories!;
    const flat = printed.join(" ");
    for (const o of signatories.organisations) expect(flat).toContain(normal(o.name).join(" "));
    for (const p of signatories.individuals) expect(flat).toContain(normal(p.name).join(" "));
  });

  it('says "Page X of Y" on every page and runs the short title from page 2', async () => {
    const pages = Number((await pdfinfo(en.file)).Pages);
    for (let p = 1; p <= pages; p++) {
      const page = (await text(en.file, "-layout", "-f", String(p), "-l", String(p))).replace(/\s+/g, " ");
      expect(page).toContain(`Page ${p} of ${pages}`);
      if (p === 1) expect(page).not.toContain(en.pub.meta.shortTitle);
      else expect(page.trim().startsWith(en.pub.meta.shortTitle)).toBe(true);
    }
  });

  it("embeds every font with a ToUnicode map, never Type 3", async () => {
    const { stdout } = await run("pdffonts", [en.file]);
    const rows = stdout.trim().split("\n").slice(2).map((l) => l.trim().split(/\s+/));
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) {
      const [emb, sub, uni] = row.slice(-5, -2);
      expect(row.join(" ")).not.toContain("Type 3");
      expect(row[0]).toMatch(/^[A-Z]{6}\+Noto(Serif|NaskhArabic|SerifSC)/);
      expect([emb, sub, uni]).toEqual(["yes", "yes", "yes"]);
    }
  });

  it("has bookmarks with the headings' exact text, catalog Lang, DisplayDocTitle and a structure tree", async () => {
    const { outlines, objects } = await qpdfJson(en.file);
    const labels = en.pub.labels;
    expect(flatten(outlines)).toEqual([...en.pub.outline.filter((e) => e.kind === "heading").map((e) => e.text), labels.get("signatories"), labels.get("organisations"), labels.get("individuals")]);
    expect(outlines[0]!.destpageposfrom1).toBe(1);
    const catalog = catalogOf(objects);
    expect(catalog["/Lang"]).toBe("u:en");
    expect(catalog["/StructTreeRoot"]).toBeDefined();
    const resolve = (v: unknown) => (typeof v === "string" && v.endsWith(" R") ? objects[`obj:${v}`]!.value! : (v as Record<string, unknown>));
    expect(resolve(catalog["/MarkInfo"])["/Marked"]).toBe(true);
    expect(resolve(catalog["/ViewerPreferences"])["/DisplayDocTitle"]).toBe(true);
  });

  it("makes external links and note calls clickable", async () => {
    const { objects } = await qpdfJson(en.file);
    const links = Object.values(objects)
      .map((o) => o.value)
      .filter((v): v is Record<string, unknown> => !!v && v["/Subtype"] === "/Link");
    const uris = links.map((l) => (l["/A"] as Record<string, unknown> | undefined)?.["/URI"]).filter(Boolean);
    expect(uris).toContain("u:https://undocs.org/A/HRC/41/41");
    expect(uris).toContain("u:https://www.hrw.org/news/2019/10/31/russia-new-law-expands-government-control-online");
    const internal = links.filter((l) => l["/Dest"] !== undefined || (l["/A"] as Record<string, unknown> | undefined)?.["/S"] === "/GoTo");
    expect(internal.length).toBeGreaterThanOrEqual(7);
  });

  it("returns a PDF its post-processor cannot update (cross-reference streams) unchanged, with the reason", async () => {
    const streams = path.join(out, "xref-streams.pdf");
    await run("qpdf", ["--object-streams=generate", en.file, streams]);
    const bytes = new Uint8Array(await readFile(streams));
    const result = postprocess(bytes, en.pub, []);
    expect(result.unsupported).toMatch(/Cannot update this PDF incrementally/);
    expect(result.outlineRewritten).toBe(false);
    expect(Buffer.from(result.pdf).equals(Buffer.from(bytes))).toBe(true);
  });

  it("is byte-identical when rendered twice with the same epoch", () => {
    expect(en.again.length).toBe(en.bytes.length);
    expect(Buffer.from(en.again).equals(Buffer.from(en.bytes))).toBe(true);
    expect(en.messages).toEqual([]);
  });
});

// ------------------------------------------------------------------------------ right to left

describe("PDF edition, right to left (ar)", () => {
  it("renders every page right to left, with /Lang ar", async () => {
    const pages = Number((await pdfinfo(ar.file)).Pages);
    expect(pages).toBeGreaterThanOrEqual(3);
    const last = (await text(ar.file, "-f", String(pages), "-l", String(pages))).replace(/\s+/g, " ");
    expect(last).toContain(ar.pub.signatories!.individuals.at(-1)!.name);
    const { objects } = await qpdfJson(ar.file);
    expect(catalogOf(objects)["/Lang"]).toBe("u:ar");
  });

  it("sets lines and notes from the right, numbers the calls 1..7", async () => {
    const all = await words(ar.file);
    const right = 595.28 - 23 * (72 / 25.4);
    const left = 23 * (72 / 25.4);
    // "Excellencies," is a one-word paragraph: flush right in RTL (it is flush left in en).
    const salutation = all.find((w) => /^\W?Excellencies\W?$/.test(w.text))!;
    expect(salutation.x1).toBeGreaterThan(right - 3);
    const enSalutation = (await words(en.file)).find((w) => /^\W?Excellencies\W?$/.test(w.text))!;
    expect(enSalutation.x0).toBeLessThan(left + 3);
    const calls = markers(all);
    expect(calls.map(numberOf)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    // The first note starts at the right edge with its number, on the page of its call.
    const note = all
      .filter((w) => /^(1\.|\.1|\(1\)|\)1\()$/.test(w.text) && w.page === calls[0]!.page && w.y0 > calls[0]!.y1)
      .sort((a, b) => b.y0 - a.y0)[0]!;
    expect(note.x1).toBeGreaterThan(right - 30);
    // The folio in Letterpress's own Arabic wording; poppler gives right-to-left words in drawing order.
    const folio = all.filter((w) => w.page === 1 && w.y0 > 780).map((w) => [...w.text].reverse().join(""));
    const pages = Number((await pdfinfo(ar.file)).Pages);
    expect(folio.reverse().join(" ")).toBe(ar.pub.labels.get("page-of", { page: 1, pages }));
  });
});

// ------------------------------------------------------------------------------ notes and sandbox

describe("PDF notes and sandbox", () => {
  it("prints a repeated reference with the same number and the note once; a note's own note follows it", async () => {
    const plain = (await text(small.file)).replace(/\s+/g, " ");
    for (const t of ["Note X text.", "Note Y text.", "Note W text."]) expect(plain.split(t)).toHaveLength(2);
    expect(plain).toContain("Note Z refers to");
    const all = await words(small.file);
    const calls = markers(all).map(numberOf);
    expect(calls.slice(0, 4)).toEqual([1, 2, 1, 3]);
    const notes = all.filter((w) => /^\d\.$/.test(w.text)).map((w) => w.text);
    expect(notes).toEqual(["1.", "2.", "3.", "4."]);
  });

  it("blocks a request that is not an asset of the build and reports it", () => {
    const blocked = small.messages.filter((m) => m.ruleId === "pdf-blocked-request");
    expect(blocked).toHaveLength(1);
    expect(blocked[0]!.reason).toContain("https://example.org/tracker.png");
  });

  it("shows an image the edition has no bytes for as its alternative text, and says so", async () => {
    const missing = small.messages.filter((m) => m.ruleId === "pdf-image-not-embedded");
    expect(missing.map((m) => m.reason)).toEqual(["Image `https://example.org/chart.png` is not embedded in the en PDF: the edition has no such image, its alternative text is shown"]);
    const { stdout } = await run("pdftotext", [small.file, "-"]);
    expect(stdout).toContain("chart");
  });
});

// ------------------------------------------------------------------------------ widows and orphans

describe("PDF browser", () => {
  it("leaves no Chromium process and no profile folder behind when the build's resources are disposed", async () => {
    const resources = new ResourcePool();
    const browser = await resources.get<Browser>("chromium", () => launchChromium(), { dispose: stopChromium });
    await (await browser.newPage()).setContent("<p>x</p>");
    const pid = browser.process()!.pid!;
    const profile = browser.process()!.spawnargs.find((a) => a.startsWith("--user-data-dir="))!.split("=")[1]!;
    const usingProfile = async () => {
      const found: number[] = [];
      for (const entry of await readdir("/proc")) {
        if (!/^\d+$/.test(entry)) continue;
        const cmdline = await readFile(`/proc/${entry}/cmdline`, "utf8").catch(() => "");
        if (cmdline.includes(profile)) found.push(Number(entry));
      }
      return found;
    };
    expect(existsSync(profile)).toBe(true);
    expect((await usingProfile()).length).toBeGreaterThanOrEqual(2); // the browser and its helpers
    await resources.dispose();
    expect(() => process.kill(pid, 0)).toThrow();
    expect(existsSync(profile)).toBe(false);
    await expect.poll(usingProfile, { timeout: 5000 }).toEqual([]);
  });
});

describe("PDF pagination", () => {
  it("never leaves a single line of a paragraph at the foot or the head of a page", async () => {
    // Paragraphs of many different lengths, so page breaks fall at many different lines
    // (without the handler in in-page.ts, this document has one-line widows on pages 3 and 8).
    const words = "The committee of experts considered the draft text with care and patience".split(" ");
    const para = (n: number) => `${Array.from({ length: n }, (_, k) => words[k % words.length]).join(" ")}.`;
    let md = `${FRONT}`;
    for (let i = 0; i < 60; i++) {
      if (i % 9 === 4) md += `## Section ${i}\n\n`;
      md += `${para(((37 * i) % 97) + 12)}${i % 5 === 0 ? ` Noted.[^n${i}]` : ""}\n\n`;
    }
    for (let i = 0; i < 60; i += 5) md += `[^n${i}]: A note about paragraph ${i}. ${para((i % 3) * 12 + 8)}\n\n`;
    const dir = await project({ "doc.md": md });
    const doc = (await loadDocument(path.join(dir, "doc.md"))).doc!;
    const pub = createPublication(doc, { lang: "en", languages: ["en"], epoch: EPOCH });
    const browser = await pool.get<Browser>("chromium", () => launchChromium(), { dispose: stopChromium });
    const { layout } = await paginate(browser, await printDocument(pub));
    expect(layout.pages).toBeGreaterThanOrEqual(6);
    expect(layout.splits.length).toBeGreaterThanOrEqual(4);
    expect(layout.splits.filter((piece) => piece.lines < 2)).toEqual([]);
    expect(layout.misplaced).toEqual([]);
    expect(layout.notes).toEqual(pub.footnotes.map((n) => n.id));
  });

  it("keeps an edition's pages before a change and prints what a fresh layout prints (watch)", async () => {
    const words = "The delegations considered the draft text of the convention with care".split(" ");
    const para = (n: number, tag: string) => `${tag} ${Array.from({ length: n }, (_, k) => words[k % words.length]).join(" ")}.`;
    const variant = (edit: (blocks: string[]) => void) => {
      const blocks: string[] = [];
      for (let i = 0; i < 40; i++) {
        if (i % 8 === 3) blocks.push(`## Part ${i}`);
        blocks.push(`${para(((29 * i) % 83) + 15, `P${i}`)}${i % 6 === 1 ? `[^n${i}]` : ""}`);
        if (i === 20) blocks.push(Array.from({ length: 30 }, (_, k) => `${k + 1}. Point ${k + 1}.`).join("\n"));
      }
      edit(blocks);
      const notes = Array.from({ length: 40 }, (_, i) => i).filter((i) => i % 6 === 1).map((i) => `[^n${i}]: ${para(i === 13 ? 400 : 20, `N${i}`)}`);
      return `${FRONT}${[...blocks, ...notes].join("\n\n")}\n`;
    };
    const dir = await project({});
    const browser = await pool.get<Browser>("chromium", () => launchChromium(), { dispose: stopChromium });
    const printed = async (md: string, keep?: string) => {
      await writeFile(path.join(dir, "doc.md"), md);
      const doc = (await loadDocument(path.join(dir, "doc.md"))).doc!;
      const pub = createPublication(doc, { lang: "en", languages: ["en"], epoch: EPOCH });
      const source = await printDocument(pub);
      const { pdf, layout } = await paginate(browser, source, [], keep);
      return { pdf: postprocess(pdf, pub, source.outline).pdf, layout };
    };
    const first = await printed(variant(() => {}), "doc");
    expect(first.layout.pages).toBeGreaterThan(5);
    expect(first.layout.keptPages).toBe(0);
    const edits: Array<[string, (blocks: string[]) => void, "kept" | "fresh"]> = [
      ["a paragraph near the end is longer", (b) => (b[b.length - 2] += " And one more sentence for the record."), "kept"],
      ["a paragraph in the middle is gone", (b) => b.splice(30, 1), "kept"],
      ["the list has one more point", (b) => (b[b.findIndex((x) => x.startsWith("1. "))] += "\n31. Point 31."), "kept"],
      ["two paragraphs at the end", (b) => b.push(para(60, "Q1"), para(70, "Q2")), "kept"],
      ["the second paragraph is shorter", (b) => (b[1] = para(5, "P1")), "fresh"],
    ];
    for (const [what, edit, expected] of edits) {
      const md = variant(edit);
      // As a watch does between builds: the kept page's earlier layouts are garbage, not its pages.
      await collectGarbage(browser);
      const kept = await printed(md, "doc");
      const fresh = await printed(md);
      if (expected === "kept") expect(kept.layout.keptPages, what).toBeGreaterThan(0);
      else expect(kept.layout.keptPages, what).toBe(0);
      expect({ ...kept.layout, keptPages: 0 }, what).toEqual(fresh.layout);
      expect(Buffer.from(kept.pdf).equals(Buffer.from(fresh.pdf)), `${what}: the same bytes`).toBe(true);
    }
  });

  it("gives back the documents of earlier layouts when asked (watch, delivery)", async () => {
    const dir = await project({});
    // A browser of its own with one print page, so one renderer whose documents can be counted.
    const browser = await launchChromium();
    try {
      for (let i = 0; i < 4; i++) {
        await writeFile(path.join(dir, "doc.md"), `${FRONT}Layout ${i}: ${"the draft convention ".repeat(200 * (i + 1))}\n`);
        const doc = (await loadDocument(path.join(dir, "doc.md"))).doc!;
        await paginate(browser, await printDocument(createPublication(doc, { lang: "en", languages: ["en"], epoch: EPOCH })));
      }
      const pages = await browser.pages();
      expect(pages).toHaveLength(1);
      const session = await pages[0]!.createCDPSession();
      await collectGarbage(browser);
      // Each layout was a new document in the same page: only the last one is left.
      expect((await session.send("Memory.getDOMCounters")).documents).toBe(1);
    } finally {
      await stopChromium(browser);
    }
  });

  it("divides long lists and tables across pages and carries a note too long for its page over, losing nothing", async () => {
    // A note of 1,500 numbered words (longer than a page of notes), an ordered list of 70 items
    // and a table of 90 rows with a header: read back from the printed PDF.
    const tokens = Array.from({ length: 1500 }, (_, k) => `L${k + 1}`);
    const md = [
      FRONT,
      `A paragraph with a very long note.[^long]\n\n`,
      Array.from({ length: 70 }, (_, k) => `${k + 1}. Item ${k + 1} of the list.`).join("\n"),
      `\n\n| Row | Text |\n| --- | --- |\n`,
      Array.from({ length: 90 }, (_, k) => `| R${k + 1} | cell ${k + 1} |`).join("\n"),
      `\n\nThe end.\n\n[^long]: ${tokens.join(" ")}\n`,
    ].join("");
    const dir = await project({ "doc.md": md });
    const doc = (await loadDocument(path.join(dir, "doc.md"))).doc!;
    const pub = createPublication(doc, { lang: "en", languages: ["en"], epoch: EPOCH });
    const { file, vfile } = await render(pub, "divided.pdf");
    expect(vfile.messages.map((m) => m.ruleId)).toEqual([]);
    const pages = (await text(file)).split("\f").filter((p) => p.trim() !== "");
    const all = pages.join("\n");

    // The note: every word, in order, over more than one page, starting on the page of its call.
    expect([...all.matchAll(/\bL(\d+)\b/g)].map((m) => Number(m[1]))).toEqual(tokens.map((_, k) => k + 1));
    const pageOf = (needle: RegExp) => pages.findIndex((p) => needle.test(p));
    expect(pageOf(/\bL1\b/)).toBe(pageOf(/very long note/));
    expect(pageOf(/\bL1500\b/)).toBeGreaterThan(pageOf(/\bL1\b/));

    // The list keeps its numbers 1..70 across the break.
    const items = [...all.matchAll(/^\s*(\d+)\.\s+Item (\d+) of the list/gm)];
    expect(items.map((m) => Number(m[1]))).toEqual(Array.from({ length: 70 }, (_, k) => k + 1));
    expect(items.every((m) => m[1] === m[2])).toBe(true);
    expect(new Set(items.map((m) => pageOf(new RegExp(`Item ${m[2]} of the list`)))).size).toBeGreaterThan(1);

    // The table: all rows in order; every page with rows repeats the header above them.
    expect([...all.matchAll(/\bR(\d+)\b/g)].map((m) => Number(m[1]))).toEqual(Array.from({ length: 90 }, (_, k) => k + 1));
    const tablePages = pages.filter((p) => /\bR\d+\b/.test(p));
    expect(tablePages.length).toBeGreaterThan(1);
    for (const page of tablePages) expect(page.indexOf("Row")).toBeLessThan(page.search(/\bR\d+\b/));
    expect(all).toContain("The end.");
  });
});
