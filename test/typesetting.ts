/**
 * The typesetting report: what a PDF edition's text layer gives back to two independent readers,
 * and how tight its justified lines are, measured from the PDF alone.
 *
 * - Intact words: the words of the type area (running heads and folios cropped away) as poppler
 *   (`pdftotext -raw`) and pdf.js (`getTextContent`, the reader behind Firefox) read them, and the
 *   share of them that are words of the same edition's HTML (a reference bag of words). A word
 *   broken into fragments, a letter detached from its word or two words run together is not one.
 *   Chinese has no spaces: there the units are 4-character shingles of the squashed text.
 * - Loose lines: from `pdftotext -bbox-layout` word boxes (readback.ts's `pdfWords`), the full-measure lines (they run from
 *   the type area's start to its end, so justified and not a paragraph's last) and their mean gap
 *   between words in em of the line's font size (from pdf.js); "loose" is a mean gap over 0.5 em.
 * - Structure: the text of every P element of the tagged structure tree (pdf.js `getStructTree`
 *   and the marked content of `getTextContent`).
 */
import { execFile } from "node:child_process";
import { readFile } from "node:fs/promises";
import { promisify } from "node:util";
import { pdfWords } from "./readback.ts";

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

/**
 * pdf.js's text items with the innermost marked-content sequence that has an id (an MCID of the
 * structure tree) around each.
 */
function* markedItems(items: readonly unknown[]): Generator<{ item: Item; mark: string | undefined }> {
  const open: string[] = [];
  for (const raw of items as Array<Item | { type: string; id?: string }>) {
    if ("type" in raw) {
      if (raw.type === "beginMarkedContentProps" || raw.type === "beginMarkedContent") open.push(raw.id ?? "");
      else if (raw.type === "endMarkedContent") open.pop();
      continue;
    }
    yield { item: raw, mark: open.findLast((id) => id !== "") };
  }
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
      for (const { item, mark } of markedItems(content.items)) {
        const top = height - item.transform[5]!;
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

/** The most common of `values`, rounded to whole points. */
function mode(values: number[]): number {
  const count = new Map<number, number>();
  for (const v of values) count.set(Math.round(v), (count.get(Math.round(v)) ?? 0) + 1);
  return [...count].sort((a, b) => b[1] - a[1])[0]?.[0] ?? 0;
}

export async function looseness(file: string, pages: PdfJsPage[]): Promise<Looseness> {
  const { lines } = await pdfWords(file);
  // Where each text block (a paragraph, as poppler groups lines) starts.
  const blockStart = new Map<number, number>();
  for (const line of lines) blockStart.set(line.block, Math.min(blockStart.get(line.block) ?? Infinity, line.x0));
  // The type area's edges: the most common line starts and ends.
  const start = mode(lines.map((l) => l.x0));
  const end = mode(lines.map((l) => l.x1));
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

// ------------------------------------------------------------------------------ page breaks

export interface PageBlock {
  /** The structure element's role: P, LI, H1…H6. */
  role: string;
  text: string;
  /** Baselines the block has on the page. */
  lines: number;
  /** Whether its last line on the page runs the full measure (a paragraph continued overleaf). */
  full: boolean;
}

/**
 * Each page's body blocks as the tagged structure and pdf.js give them: the P, LI and H1–H6 elements
 * with text on the page, in order, without the notes (set smaller than the body) and without the
 * running head and folio (artifacts, outside the structure).
 */
export async function pageBlocks(file: string, direction: "ltr" | "rtl" = "ltr"): Promise<PageBlock[][]> {
  const doc = await openPdf(file);
  type Block = { role: string; items: Array<{ x0: number; x1: number; y: number; size: number; str: string }> };
  const all: Block[][] = [];
  try {
    for (let n = 1; n <= doc.numPages; n++) {
      const page = await doc.getPage(n);
      const content = await page.getTextContent({ includeMarkedContent: true });
      const byMark = new Map<string, Array<{ x0: number; x1: number; y: number; size: number; str: string }>>();
      for (const { item: raw, mark } of markedItems(content.items)) {
        if (!mark || !raw.str.trim()) continue;
        const list = byMark.get(mark) ?? [];
        list.push({ x0: raw.transform[4]!, x1: raw.transform[4]! + raw.width, y: Math.round(raw.transform[5]!), size: Math.hypot(raw.transform[2]!, raw.transform[3]!), str: raw.str });
        byMark.set(mark, list);
      }
      const blocks: Block[] = [];
      const walk = (node: StructNode) => {
        if (node.role === "P" || node.role === "LI" || /^H[1-6]$/.test(node.role ?? "")) {
          const items: Block["items"] = [];
          const collect = (n: StructNode) => {
            for (const child of n.children ?? []) {
              if ("role" in child) collect(child);
              else if ("id" in child && child.type === "content") items.push(...(byMark.get(child.id) ?? []));
            }
          };
          collect(node);
          if (items.length) blocks.push({ role: node.role!, items });
          return;
        }
        for (const child of node.children ?? []) if ("role" in child) walk(child);
      };
      const tree = (await page.getStructTree()) as StructNode | null;
      if (tree) walk(tree);
      all.push(blocks);
      page.cleanup();
    }
  } finally {
    await doc.destroy();
  }
  // The body's size: the most common size of the document's text. Notes are set at 8.5/10.5 of it,
  // the signatory list (part of the body) at 9/10.5.
  const sizes = new Map<number, number>();
  for (const b of all.flat()) for (const i of b.items) sizes.set(Math.round(i.size * 10), (sizes.get(Math.round(i.size * 10)) ?? 0) + i.str.length);
  const body = ([...sizes].sort((a, b) => b[1] - a[1])[0]?.[0] ?? 0) / 10;
  const bodies = all.map((blocks) => blocks.filter((b) => Math.max(...b.items.map((i) => i.size)) >= body * 0.84));
  // The type area's edges: the most common line start and line end of the body.
  const lineEdges = bodies.flat().flatMap((b) =>
    [...new Set(b.items.map((i) => i.y))].map((y) => {
      const line = b.items.filter((i) => i.y === y);
      return { x0: Math.min(...line.map((i) => i.x0)), x1: Math.max(...line.map((i) => i.x1)) };
    }),
  );
  const left = mode(lineEdges.map((e) => e.x0));
  const right = mode(lineEdges.map((e) => e.x1));
  return bodies.map((bodyBlocks) => {
    return bodyBlocks.map((b) => {
      const baselines = [...new Set(b.items.map((i) => i.y))].sort((a, c) => c - a);
      const last = b.items.filter((i) => i.y === baselines.at(-1));
      // Full: it reaches the end of the measure (a ragged last line stops short of it; a line may
      // start after the start, with the silent rest of a hyphenated word).
      const full = direction === "ltr" ? Math.abs(right - Math.max(...last.map((i) => i.x1))) < 2 : Math.abs(Math.min(...last.map((i) => i.x0)) - left) < 2;
      return { role: b.role, text: b.items.map((i) => i.str).join(""), lines: baselines.length, full };
    });
  });
}

/** Widows, orphans and headings last on a page, as read from the PDF (see `pageBlocks`). */
export function pageBreakFaults(pages: PageBlock[][]): string[] {
  const faults: string[] = [];
  for (const [i, blocks] of pages.entries()) {
    if (i === pages.length - 1) break;
    const last = blocks.at(-1);
    if (!last) continue;
    const n = i + 1;
    if (/^H/.test(last.role)) faults.push(`page ${n} ends with the heading “${last.text.slice(0, 40)}”`);
    if (last.role === "P" && last.full) {
      if (last.lines < 2) faults.push(`page ${n} ends with one line of a paragraph (orphan): “${last.text.slice(0, 40)}”`);
      const next = pages[i + 1]![0];
      if (next && next.role === "P" && next.lines < 2) faults.push(`page ${n + 1} starts with one line of a paragraph (widow): “${next.text.slice(0, 40)}”`);
    }
  }
  return faults;
}
