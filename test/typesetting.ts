/**
 * The typesetting report: what a PDF edition's text layer gives back to two independent readers,
 * and how tight its justified lines are, measured from the PDF alone.
 *
 * - Intact words: the words of the type area (running heads and folios cropped away) as poppler
 *   (`pdftotext -raw`) and pdf.js (`getTextContent`, the reader behind Firefox) read them, and the
 *   share of them that are words of the same edition's HTML (a reference bag of words). A word
 *   broken into fragments, a letter detached from its word or two words run together is not one.
 *   Chinese has no spaces: there the units are 4-character shingles of the squashed text.
 * - Loose lines: from `pdftotext -bbox-layout` word boxes, the full-measure lines (they run from
 *   the type area's start to its end, so justified and not a paragraph's last) and their mean gap
 *   between words in em of the line's font size (from pdf.js); "loose" is a mean gap over 0.5 em.
 * - Structure: the text of every P element of the tagged structure tree (pdf.js `getStructTree`
 *   and the marked content of `getTextContent`).
 */
import { execFile } from "node:child_process";
import { readFile } from "node:fs/promises";
import { promisify } from "node:util";

const run = promisify(execFile);

/** Characters that carry no text: soft hyphen, zero-width and bidi controls, tatweel. */
const INVISIBLE = /[\u00ad\u0640\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff\ufe0e\ufe0f]/g;
/** Punctuation stripped from both ends of a word. */
const EDGE = /^[\p{P}\p{S}]+|[\p{P}\p{S}]+$/gu;

export function words(text: string): string[] {
  return text
    .normalize("NFKC")
    .replace(INVISIBLE, "")
    .split(/\s+/)
    .map((w) => w.replace(EDGE, ""))
    .filter((w) => /[\p{L}\p{N}]/u.test(w));
}

/** The characters of a Chinese text with white space removed, as overlapping 4-character shingles. */
export function shingles(text: string): string[] {
  const chars = [...text.normalize("NFKC").replace(INVISIBLE, "").replace(/[\s\p{P}\p{S}]/gu, "")];
  const out: string[] = [];
  for (let i = 0; i + 4 <= chars.length; i++) out.push(chars.slice(i, i + 4).join(""));
  return out;
}

/** The visible text of an HTML file (scripts, styles and the head removed, entities decoded). */
export function htmlText(html: string): string {
  return html
    .replace(/<head[\s\S]*?<\/head>/i, " ")
    .replace(/<(script|style)[\s\S]*?<\/\1>/gi, " ")
    .replace(/<[^>]+>/g, " ")
    .replace(/&#x([0-9a-f]+);/gi, (_, h: string) => String.fromCodePoint(parseInt(h, 16)))
    .replace(/&#(\d+);/g, (_, d: string) => String.fromCodePoint(Number(d)))
    .replace(/&nbsp;/g, "\u00a0")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, "&");
}

export interface Intact {
  total: number;
  intact: number;
  share: number;
  /** Up to 20 units that are not in the reference. */
  broken: string[];
}

/** Which of `units` are in the reference bag (each reference unit can be matched once per occurrence). */
export function intactShare(units: string[], reference: string[]): Intact {
  const bag = new Map<string, number>();
  for (const u of reference) bag.set(u, (bag.get(u) ?? 0) + 1);
  let intact = 0;
  const broken: string[] = [];
  for (const u of units) {
    const n = bag.get(u) ?? 0;
    if (n > 0) {
      intact++;
      bag.set(u, n - 1);
    } else if (broken.length < 20) broken.push(u);
  }
  return { total: units.length, intact, share: units.length ? intact / units.length : 1, broken };
}

// ------------------------------------------------------------------------------ readers

/** The type area's vertical band in PDF points from the top: running head and folio are outside. */
const TOP = 24 * 2.8346;
const BOTTOM = 25 * 2.8346;

export async function popplerText(file: string): Promise<string> {
  const { stdout: info } = await run("pdfinfo", [file]);
  const [, w, h] = /Page size:\s+([\d.]+) x ([\d.]+)/.exec(info) ?? [];
  const height = Number(h);
  const args = ["-raw", "-enc", "UTF-8", "-x", "0", "-y", String(Math.floor(TOP - 4)), "-W", String(Math.ceil(Number(w))), "-H", String(Math.ceil(height - TOP - BOTTOM + 8))];
  return (await run("pdftotext", [...args, file, "-"], { maxBuffer: 1 << 28 })).stdout;
}

type PdfJs = typeof import("pdfjs-dist/legacy/build/pdf.mjs");
let pdfjs: Promise<PdfJs> | undefined;

async function openPdf(file: string) {
  pdfjs ??= import("pdfjs-dist/legacy/build/pdf.mjs");
  const lib = await pdfjs;
  const data = new Uint8Array(await readFile(file));
  return lib.getDocument({ data, useSystemFonts: false, disableFontFace: true, isEvalSupported: false, verbosity: 0 }).promise;
}

interface Item {
  str: string;
  hasEOL: boolean;
  transform: number[];
  width: number;
}

export interface PdfJsPage {
  text: string;
  /** Font size by baseline (points from the top of the page, rounded). */
  sizes: Array<{ top: number; size: number }>;
  /** Text of each P element of the page's structure tree, in order. */
  paragraphs: string[];
}

/** Each page's type-area text as pdf.js extracts it, its font sizes, and its tagged paragraphs. */
export async function pdfjsRead(file: string): Promise<PdfJsPage[]> {
  const doc = await openPdf(file);
  const pages: PdfJsPage[] = [];
  try {
    for (let n = 1; n <= doc.numPages; n++) {
      const page = await doc.getPage(n);
      const height = page.view[3]! - page.view[1]!;
      const content = await page.getTextContent({ includeMarkedContent: true });
      let text = "";
      const sizes: PdfJsPage["sizes"] = [];
      const byMark = new Map<string, string>();
      const open: string[] = [];
      for (const raw of content.items as Array<Item | { type: string; id?: string }>) {
        if ("type" in raw) {
          if (raw.type === "beginMarkedContentProps" || raw.type === "beginMarkedContent") open.push(raw.id ?? "");
          else if (raw.type === "endMarkedContent") open.pop();
          continue;
        }
        const item = raw;
        const top = height - item.transform[5]!;
        // The innermost marked-content sequence with an id (an MCID of the structure tree).
        const mark = open.findLast((id) => id !== "");
        if (mark) byMark.set(mark, (byMark.get(mark) ?? "") + item.str + (item.hasEOL ? " " : ""));
        if (top < TOP - 4 || top > height - BOTTOM + 4) continue;
        text += item.str + (item.hasEOL ? "\n" : "");
        if (item.str.trim()) sizes.push({ top: Math.round(top), size: Math.hypot(item.transform[2]!, item.transform[3]!) });
      }
      const paragraphs: string[] = [];
      const tree = (await page.getStructTree()) as StructNode | null;
      const walk = (node: StructNode) => {
        if (node.role === "P") {
          paragraphs.push(contentOf(node, byMark));
          return;
        }
        for (const child of node.children ?? []) if ("role" in child) walk(child);
      };
      if (tree) walk(tree);
      pages.push({ text, sizes, paragraphs });
      page.cleanup();
    }
  } finally {
    await doc.destroy();
  }
  return pages;
}

interface StructNode {
  role?: string;
  children?: Array<StructNode | { type: string; id: string }>;
}

function contentOf(node: StructNode, byMark: Map<string, string>): string {
  let out = "";
  for (const child of node.children ?? []) {
    if ("role" in child) out += contentOf(child, byMark);
    else if ("id" in child && child.type === "content") out += byMark.get(child.id) ?? "";
  }
  return out;
}

// ------------------------------------------------------------------------------ loose lines

export interface Looseness {
  /** Full-measure lines with at least three words. */
  lines: number;
  loose: number;
  share: number;
  /** The largest mean word gap of a full-measure line, in em. */
  worst: number;
  /** The text of the loosest lines. */
  loosest: Array<{ page: number; gap: number; text: string }>;
}

interface Word {
  x0: number;
  x1: number;
  y0: number;
  y1: number;
  text: string;
}

export async function looseness(file: string, pages: PdfJsPage[]): Promise<Looseness> {
  const xml = (await run("pdftotext", ["-bbox-layout", "-enc", "UTF-8", file, "-"], { maxBuffer: 1 << 28 })).stdout;
  const lines: Array<{ page: number; block: number; words: Word[] }> = [];
  let page = 0;
  let block = 0;
  for (const m of xml.matchAll(/<page |<block |<line [^>]*>([\s\S]*?)<\/line>/g)) {
    if (m[0].startsWith("<page")) {
      page++;
      continue;
    }
    if (m[0].startsWith("<block")) {
      block++;
      continue;
    }
    const ws: Word[] = [];
    for (const w of m[1]!.matchAll(/<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)<\/word>/g)) {
      ws.push({ x0: Number(w[1]), y0: Number(w[2]), x1: Number(w[3]), y1: Number(w[4]), text: w[5]! });
    }
    if (ws.length) lines.push({ page, block, words: ws });
  }
  // Where each text block (a paragraph, as poppler groups lines) starts.
  const blockStart = new Map<number, number>();
  for (const line of lines) blockStart.set(line.block, Math.min(blockStart.get(line.block) ?? Infinity, ...line.words.map((w) => w.x0)));
  // The type area's edges: the most common line starts and ends.
  const mode = (values: number[]) => {
    const count = new Map<number, number>();
    for (const v of values) count.set(Math.round(v), (count.get(Math.round(v)) ?? 0) + 1);
    return [...count].sort((a, b) => b[1] - a[1])[0]?.[0] ?? 0;
  };
  const start = mode(lines.map((l) => Math.min(...l.words.map((w) => w.x0))));
  const end = mode(lines.map((l) => Math.max(...l.words.map((w) => w.x1))));
  let count = 0;
  let loose = 0;
  let worst = 0;
  const all: Looseness["loosest"] = [];
  for (const line of lines) {
    const ws = [...line.words].sort((a, b) => a.x0 - b.x0);
    const left = ws[0]!.x0;
    const right = ws.at(-1)!.x1;
    // A line that starts with the rest of a hyphenated word starts, for the readers, after it (the
    // rest reads as nothing, see writers/pdf/postprocess/hyphens.ts): it is full if its paragraph
    // starts at the type area's start. Its gaps are those between the words it shows.
    const startsAtStart = Math.abs(left - start) <= 2 || (left > start && Math.abs(blockStart.get(line.block)! - start) <= 2);
    if (ws.length < 3 || !startsAtStart || Math.abs(right - end) > 2) continue;
    const top = (ws[0]!.y0 + ws[0]!.y1) / 2;
    const sizes = pages[line.page - 1]?.sizes.filter((s) => Math.abs(s.top - top) < 8).map((s) => s.size) ?? [];
    const size = sizes.length ? mode(sizes.map((s) => s * 10)) / 10 : 10.5;
    let gaps = 0;
    for (let i = 1; i < ws.length; i++) gaps += Math.max(0, ws[i]!.x0 - ws[i - 1]!.x1);
    const gap = gaps / (ws.length - 1) / size;
    count++;
    if (gap > 0.5) loose++;
    worst = Math.max(worst, gap);
    all.push({ page: line.page, gap: Math.round(gap * 100) / 100, text: ws.map((w) => w.text).join(" ") });
  }
  all.sort((a, b) => b.gap - a.gap);
  return { lines: count, loose, share: count ? loose / count : 0, worst, loosest: all.slice(0, 5) };
}

// ------------------------------------------------------------------------------ the report

export interface EditionReport {
  poppler: Intact;
  pdfjs: Intact;
  loose: Looseness;
  /** Share of the structure tree's P elements whose text is words of the reference. */
  structure: Intact;
}

/** The report of one PDF edition, against the words of its HTML edition's text. */
export async function typesettingReport(pdfFile: string, referenceText: string, lang: string): Promise<EditionReport> {
  const units = lang.startsWith("zh") ? shingles : words;
  const reference = units(referenceText);
  const pages = await pdfjsRead(pdfFile);
  const poppler = intactShare(units(await popplerText(pdfFile)), reference);
  const pdfjs = intactShare(units(pages.map((p) => p.text).join("\n")), reference);
  const structure = intactShare(units(pages.flatMap((p) => p.paragraphs).join("\n")), reference);
  return { poppler, pdfjs, structure, loose: await looseness(pdfFile, pages) };
}
