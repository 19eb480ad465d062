/**
 * Font copies, shared by the content-stream passes (actualtext.ts, hyphens.ts): a copy of one of a
 * page's Type 0 fonts whose codes read as text the pass chooses. A "glyphs" or "hyphen" copy has
 * codes of its own, numbered from 1, each drawing a glyph of the original (its CIDToGIDMap) and
 * reading as a chosen text (its ToUnicode); a "silent" copy keeps the original's codes and reads
 * every one as a space. The passes ask for copies and codes while they rewrite the streams; the
 * copies are then written once, as new objects, and join the font resources of the pages that
 * use them.
 */
import type { PostprocessReuse } from "./reuse.ts";
import { dictionary, raw, reference, refsIn, utf16Hex, type Dict, type PdfUpdate, type Ref, type Value } from "./incremental.ts";

/** A page's fonts by resource name: the font object and its glyph → text map. */
export interface PageFont {
  ref: Ref;
  toUnicode: Map<number, string>;
}

/** A font copy a pass needs: which font it copies, and what its codes mean. */
export interface FontCopy {
  /** Resource name on every page that uses it. */
  name: string;
  of: Ref;
  kind: "hyphen" | "silent" | "glyphs";
  /**
   * hyphen and glyphs: code → [glyph id, text] (own codes, numbered from 1); silent: code → glyph
   * id (text is a space).
   */
  codes: Map<number, { gid: number; text: string }>;
}

/** Resource-name prefix of each kind of copy (followed by the original's object number). */
const PREFIX: Record<FontCopy["kind"], string> = { glyphs: "LPG", hyphen: "LPH", silent: "LPS" };

/** The copies a document's passes ask for, in the order first asked, with the pages that use each. */
export class FontCopies {
  private readonly copies = new Map<string, FontCopy & { pages: Set<number> }>();

  /** The `kind` copy of font `of`, used on page `page` (an index in the document's pages). */
  copyOf(kind: FontCopy["kind"], of: Ref, page: number): FontCopy {
    const name = `${PREFIX[kind]}${of.num}`;
    let copy = this.copies.get(name);
    if (!copy) {
      copy = { name, of, kind, codes: new Map(), pages: new Set() };
      this.copies.set(name, copy);
    }
    copy.pages.add(page);
    return copy;
  }

  /** Every copy, with its pages in order. */
  list(): Array<FontCopy & { pages: number[] }> {
    return [...this.copies.values()].map((c) => ({ ...c, pages: [...c.pages].sort((a, b) => a - b) }));
  }
}

/** Each hyphen or glyphs copy's codes by glyph and text (`codeFor` is the only writer of their codes). */
const codeIndex = new WeakMap<FontCopy["codes"], Map<string, number>>();

/** The code of `copy` (hyphen or glyphs) that draws `gid` and reads as `text`: the one it has, or a new one. */
export function codeFor(copy: FontCopy, gid: number, text: string): number {
  let index = codeIndex.get(copy.codes);
  if (!index) {
    index = new Map();
    for (const [code, c] of copy.codes) if (!index.has(`${c.gid}\0${c.text}`)) index.set(`${c.gid}\0${c.text}`, code);
    codeIndex.set(copy.codes, index);
  }
  const key = `${gid}\0${text}`;
  const found = index.get(key);
  if (found !== undefined) return found;
  copy.codes.set(copy.codes.size + 1, { gid, text });
  index.set(key, copy.codes.size);
  return copy.codes.size;
}

/** Glyph id → text, from a ToUnicode CMap (bfchar and bfrange sections). */
export function parseToUnicode(cmap: string): Map<number, string> {
  const map = new Map<number, string>();
  const hexText = (hex: string) => {
    let out = "";
    for (let i = 0; i + 4 <= hex.length; i += 4) out += String.fromCharCode(parseInt(hex.slice(i, i + 4), 16));
    return out;
  };
  for (const section of cmap.matchAll(/beginbfchar([\s\S]*?)endbfchar/g)) {
    for (const [, code, text] of section[1]!.matchAll(/<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]*)>/g)) map.set(parseInt(code!, 16), hexText(text!));
  }
  for (const section of cmap.matchAll(/beginbfrange([\s\S]*?)endbfrange/g)) {
    for (const [, lo, hi, rest] of section[1]!.matchAll(/<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>\s*(<[0-9a-fA-F]*>|\[[^\]]*\])/g)) {
      const from = parseInt(lo!, 16);
      const to = parseInt(hi!, 16);
      if (rest!.startsWith("[")) {
        const items = [...rest!.matchAll(/<([0-9a-fA-F]*)>/g)].map((m) => hexText(m[1]!));
        items.forEach((text, i) => from + i <= to && map.set(from + i, text));
      } else {
        const base = hexText(rest!.slice(1, -1));
        const last = base.charCodeAt(base.length - 1);
        for (let code = from; code <= to; code++) map.set(code, base.slice(0, -1) + String.fromCharCode(last + code - from));
      }
    }
  }
  return map;
}

/**
 * The advance of a glyph in a CIDFontType2 dictionary: its /W array, else /DW, else 1000. The
 * array is read once, when the table is made.
 */
function widthTable(descendant: Dict): (gid: number) => number {
  const tokens = (descendant.get("W")?.raw ?? "").match(/\[|\]|-?[\d.]+/g) ?? [];
  const fallback = Number(descendant.get("DW")?.raw ?? 1000);
  return (gid) => {
    let i = 1;
    while (i < tokens.length - 1) {
      const first = Number(tokens[i]);
      if (tokens[i + 1] === "[") {
        let j = i + 2;
        for (let c = first; tokens[j] !== "]" && j < tokens.length; j++, c++) if (c === gid) return Number(tokens[j]);
        i = j + 1;
      } else {
        const last = Number(tokens[i + 1]);
        if (gid >= first && gid <= last) return Number(tokens[i + 2]);
        i += 3;
      }
    }
    return fallback;
  };
}

/**
 * Glyph advances of a document's Type 0 fonts, in thousandths of an em, for both passes and the
 * copies' /W: each font's dictionaries are read and its /W array parsed once per document, and
 * each glyph looked up once, however many runs draw it.
 */
export class FontWidths {
  private readonly fonts = new Map<number, { table: ((gid: number) => number) | undefined; widths: Map<number, number> }>();

  constructor(private readonly file: PdfUpdate) {}

  /** The advance of `gid` in Type 0 font `font` (0 for a font without a descendant). */
  of(font: Ref, gid: number): number {
    let entry = this.fonts.get(font.num);
    if (!entry) {
      const [descendant] = refsIn(this.file.dict(font).get("DescendantFonts"));
      entry = { table: descendant ? widthTable(this.file.dict(descendant)) : undefined, widths: new Map() };
      this.fonts.set(font.num, entry);
    }
    let width = entry.widths.get(gid);
    if (width === undefined) {
      width = entry.table ? entry.table(gid) : 0;
      entry.widths.set(gid, width);
    }
    return width;
  }
}

/** A ToUnicode CMap of two-byte codes. */
export function toUnicodeCMap(entries: ReadonlyArray<[number, string]>): string {
  const hex = (n: number) => n.toString(16).toUpperCase().padStart(4, "0");
  const blocks: string[] = [];
  for (let i = 0; i < entries.length; i += 100) {
    const chunk = entries.slice(i, i + 100);
    blocks.push(`${chunk.length} beginbfchar\n${chunk.map(([code, text]) => `<${hex(code)}> <${utf16Hex(text, false)}>`).join("\n")}\nendbfchar`);
  }
  return [
    "/CIDInit /ProcSet findresource begin",
    "12 dict begin",
    "begincmap",
    "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def",
    "/CMapName /Adobe-Identity-UCS def",
    "/CMapType 2 def",
    "1 begincodespacerange",
    "<0000> <FFFF>",
    "endcodespacerange",
    ...blocks,
    "endcmap",
    "CMapName currentdict /CMap defineresource pop",
    "end",
    "end",
    "",
  ].join("\n");
}

/** Writes each font copy (see the module comment) as new objects; returns their references by name. */
export function writeFontCopies(file: PdfUpdate, copies: readonly FontCopy[], widths: FontWidths, reuse: PostprocessReuse): Map<string, Ref> {
  const out = new Map<string, Ref>();
  const flate = (text: string) => ({ dict: new Map([["Filter", raw("/FlateDecode")]]), data: reuse.deflate(text) });
  for (const copy of copies) {
    const type0 = file.dict(copy.of);
    const codes = [...copy.codes].sort((a, b) => a[0] - b[0]);
    const cmap = flate(toUnicodeCMap(codes.map(([code, { text }]) => [code, text])));
    const cmapRef = file.add();
    file.set(cmapRef, cmap.dict, cmap.data);
    const font = new Map(type0).set("ToUnicode", reference(cmapRef));
    if (copy.kind !== "silent") {
      const [descendantRef] = refsIn(type0.get("DescendantFonts"));
      if (!descendantRef) continue;
      const descendant = new Map(file.dict(descendantRef));
      const last = codes.at(-1)![0];
      const map = Buffer.alloc(2 * (last + 1));
      for (const [code, { gid }] of codes) map.writeUInt16BE(gid, 2 * code);
      const mapRef = file.add();
      file.set(mapRef, new Map([["Filter", raw("/FlateDecode")]]), reuse.deflate(map.toString("latin1")));
      descendant.set("CIDToGIDMap", reference(mapRef));
      descendant.set("W", raw(`[1 [${codes.map(([, { gid }]) => widths.of(copy.of, gid)).join(" ")}]]`));
      const descendantCopy = file.add();
      file.set(descendantCopy, descendant);
      font.set("DescendantFonts", raw(`[${descendantCopy.num} ${descendantCopy.gen} R]`));
    }
    const ref = file.add();
    file.set(ref, font);
    out.set(copy.name, ref);
  }
  return out;
}

/**
 * Writes the copies (`writeFontCopies`) and adds each to the font resources of the pages (by
 * index in `pages`) that use it, wherever those resources are written.
 */
export function addFontCopies(
  file: PdfUpdate,
  copies: ReadonlyArray<FontCopy & { pages: number[] }>,
  pages: ReadonlyArray<{ ref: Ref; resources: Value | undefined }>,
  widths: FontWidths,
  reuse: PostprocessReuse,
): void {
  const written = writeFontCopies(file, copies, widths, reuse);
  for (const [i, page] of pages.entries()) {
    const added = copies.filter((c) => c.pages.includes(i) && written.has(c.name));
    if (added.length && page.resources) {
      const resources = new Map(file.resolve(page.resources));
      const fontValue = resources.get("Font");
      const fonts = new Map(fontValue ? file.resolve(fontValue) : []);
      for (const copy of added) fonts.set(copy.name, reference(written.get(copy.name)!));
      if (fontValue?.ref) file.set(fontValue.ref, fonts);
      else resources.set("Font", dictionary(fonts));
      if (page.resources.ref) file.set(page.resources.ref, resources);
      else file.set(page.ref, new Map(file.dict(page.ref)).set("Resources", dictionary(resources)));
    }
  }
}
