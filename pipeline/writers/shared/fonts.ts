/**
 * The one place that chooses fonts, for every writer that renders with them.
 *
 * Fonts are shipped as npm packages (@fontsource), so no output depends on the fonts of the machine
 * that builds or opens it. All faces are TrueType-outline WOFF2 (Google Fonts builds): Chromium
 * embeds them in PDFs as CID TrueType with ToUnicode maps, never as Type 3.
 *
 * - HTML and EPUB (`embeddedFonts`): each character is given to one face (the first family of the
 *   stack whose font really has it, in the weight and style the character is set in), and each face
 *   is cut down with HarfBuzz's hb-subset to the characters it serves, keeping every layout feature
 *   (Arabic joining forms and marks, CJK punctuation forms, kerning, ligatures). A face's
 *   `unicode-range` is then exactly its characters, so the browser uses the face the selection
 *   chose. Subsets are kept per (face, characters) for the process (a watch session rebuilds them
 *   only when the text of a face changes).
 * - PDF (`editionFonts`): whole unicode-range slices, served to the print page by URL; Chromium
 *   subsets them itself when it writes the PDF, and keeps their text layer.
 */
import { createHash } from "node:crypto";
import { mkdir, readFile, rename, stat, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import type { ElementContent, Nodes } from "hast";
import { base64Of } from "../../base64.ts";
import { splitAtMark } from "./text.ts";

const require = createRequire(import.meta.url);

export interface FontFace {
  family: string;
  style: "normal" | "italic";
  weight: number;
  /** Absolute path of the woff2 file. */
  file: string;
  ranges: Array<[number, number]>;
}

/** Font families: the serif family for Latin/Cyrillic, and script companions. */
export const FAMILIES = {
  latin: { pkg: "@fontsource/noto-serif", family: "Noto Serif", css: ["400.css", "700.css", "400-italic.css", "700-italic.css"] },
  arabic: { pkg: "@fontsource/noto-naskh-arabic", family: "Noto Naskh Arabic", css: ["400.css", "700.css"] },
  cjk: { pkg: "@fontsource/noto-serif-sc", family: "Noto Serif SC", css: ["400.css", "700.css"] },
  /** Symbols none of the others draws (the notes' back-link arrow ↩). */
  symbols: { pkg: "@fontsource/noto-sans-math", family: "Noto Sans Math", css: ["400.css"] },
} as const;

type Family = (typeof FAMILIES)[keyof typeof FAMILIES]["family"];

/** The families of the HTML and EPUB editions, in stack order. */
const SCREEN_ORDER: readonly Family[] = [FAMILIES.latin.family, FAMILIES.arabic.family, FAMILIES.cjk.family, FAMILIES.symbols.family];

/** The CSS font-family list of the HTML and EPUB editions. */
export const FONT_STACK = stackOf(SCREEN_ORDER);

function stackOf(order: readonly string[]): string {
  return [...order.map((f) => `"${f}"`), "serif"].join(", ");
}

let catalogue: Promise<FontFace[]> | undefined;

/** Every face of every family, parsed once per process from the packages' CSS. */
export function allFaces(): Promise<FontFace[]> {
  catalogue ??= (async () => {
    const faces: FontFace[] = [];
    for (const { pkg, css } of Object.values(FAMILIES)) {
      const dir = path.dirname(require.resolve(`${pkg}/package.json`));
      for (const name of css) faces.push(...parseFontFaces(await readFile(path.join(dir, name), "utf8"), dir));
    }
    return faces;
  })();
  return catalogue;
}

export function parseFontFaces(css: string, dir: string): FontFace[] {
  const faces: FontFace[] = [];
  for (const block of css.matchAll(/@font-face\s*{([^}]*)}/g)) {
    const body = block[1]!;
    const get = (prop: string) => new RegExp(`${prop}:\\s*([^;]+);`).exec(body)?.[1]?.trim();
    const src = /url\(['"]?([^)'"]+\.woff2)['"]?\)/.exec(body)?.[1];
    if (!src) continue;
    const ranges = (get("unicode-range") ?? "U+0-10FFFF").split(",").map((r): [number, number] => {
      const [a, b] = r.trim().replace(/^U\+/i, "").split("-");
      return [parseInt(a!, 16), parseInt(b ?? a!, 16)];
    });
    faces.push({
      family: (get("font-family") ?? "").replace(/['"]/g, ""),
      style: get("font-style") === "italic" ? "italic" : "normal",
      weight: Number(get("font-weight") ?? 400),
      file: path.join(dir, src.replace(/^\.\//, "")),
      ranges,
    });
  }
  return faces;
}

/** Faces covering each code point, found once per list of faces (a Chinese edition has thousands). */
const coverage = new WeakMap<readonly FontFace[], Map<number, FontFace[]>>();

/** Every face of `faces` whose unicode-range covers `cp`. */
export function facesCovering(faces: readonly FontFace[], cp: number): FontFace[] {
  let byCodePoint = coverage.get(faces);
  if (!byCodePoint) coverage.set(faces, (byCodePoint = new Map()));
  let found = byCodePoint.get(cp);
  if (!found) {
    found = faces.filter((face) => face.ranges.some(([lo, hi]) => cp >= lo && cp <= hi));
    byCodePoint.set(cp, found);
  }
  return found;
}

const fileBytes = new Map<string, Promise<Uint8Array>>();

/** A face file's bytes, read once per process (every writer embeds the same files, build after build). */
export function fontBytes(file: string): Promise<Uint8Array> {
  let data = fileBytes.get(file);
  if (!data) {
    data = readFile(file);
    fileBytes.set(file, data);
  }
  return data;
}

export function fontFaceRule(face: FontFace, url: string, ranges: ReadonlyArray<readonly [number, number]> = face.ranges): string {
  const range = ranges.map(([a, b]) => (a === b ? `U+${a.toString(16)}` : `U+${a.toString(16)}-${b.toString(16)}`)).join(",");
  return `@font-face{font-family:"${face.family}";font-style:${face.style};font-weight:${face.weight};font-display:block;src:url(${url}) format("woff2");unicode-range:${range}}`;
}

// ---------------------------------------------------------------------------------------------
// Text by the face it is set in

export type StyleKey = `${400 | 700} ${"normal" | "italic"}`;

/** Elements and classes that the editions' style sheets (and the browser's) set in bold or italic. */
const BOLD = new Set(["strong", "b", "h1", "h2", "h3", "h4", "h5", "h6", "th"]);
const ITALIC = new Set(["em", "i", "cite", "dfn", "var", "address"]);
const BOLD_CLASSES = new Set(["name"]);

/**
 * The text of a fragment by the weight and style it is set in, following the style sheets' rules
 * (bold: headings, strong/b, th, signatory names, the current language in the HTML switcher;
 * italic: em/i/cite/dfn/var/address). The numbers of ordered lists are drawn by the browser in
 * the item's face: their digits go with the item's text.
 */
export function textByStyle(nodes: readonly (ElementContent | Nodes)[]): Map<StyleKey, string> {
  const out = new Map<StyleKey, string>();
  const add = (key: StyleKey, text: string) => out.set(key, (out.get(key) ?? "") + text);
  const walk = (node: ElementContent | Nodes, bold: boolean, italic: boolean, listItem: boolean) => {
    const key: StyleKey = `${bold ? 700 : 400} ${italic ? "italic" : "normal"}`;
    if (node.type === "text") add(key, node.value);
    else if (node.type === "element") {
      if (node.tagName === "style" || node.tagName === "script" || node.tagName === "title") return;
      const classes = Array.isArray(node.properties.className) ? node.properties.className.map(String) : [];
      const b = bold || BOLD.has(node.tagName) || classes.some((c) => BOLD_CLASSES.has(c)) || node.properties.ariaCurrent != null;
      const i = italic || ITALIC.has(node.tagName);
      if (listItem && node.tagName === "li") add(`${b ? 700 : 400} ${i ? "italic" : "normal"}`, "0123456789.");
      for (const child of node.children) walk(child, b, i, node.tagName === "ol");
    } else if ("children" in node) {
      for (const child of node.children) walk(child, bold, italic, false);
    }
  };
  for (const node of nodes) walk(node, false, false, false);
  return out;
}

/** `a` with the text of `b` added, style by style. */
export function mergeText(a: Map<StyleKey, string>, b: Map<StyleKey, string>): Map<StyleKey, string> {
  const out = new Map(a);
  for (const [key, text] of b) out.set(key, (out.get(key) ?? "") + text);
  return out;
}

// ---------------------------------------------------------------------------------------------
// HTML and EPUB: subset faces

/** A face cut down to the characters it serves in an edition. */
export interface EmbeddedFont {
  face: FontFace;
  /** The face's file name (`noto-serif-latin-400-normal.woff2`). */
  name: string;
  /** WOFF2 bytes of the subset. */
  data: Uint8Array;
  /** The code points it draws, as ranges (its `unicode-range`). */
  ranges: Array<[number, number]>;
}

/** Characters that draw nothing (controls, joiners, variation selectors): they never choose a face. */
const INVISIBLE = /[\u0000-\u001F\u007F-\u009F\u00AD\u061C\u180E\u200B-\u200F\u202A-\u202E\u2060-\u206F\uFE00-\uFE0F\uFEFF]/u;
/** Letters a browser may hyphenate (the style sheets ask for `hyphens: auto`). */
const HYPHENATED = /[\p{Script=Latin}\p{Script=Cyrillic}\p{Script=Greek}]/u;

/**
 * Where subsets and character maps are kept between processes: node_modules/.cache/letterpress/fonts
 * (beside the bundle bin/bundle.js makes). Subsetting and WOFF2 compression take tens of
 * milliseconds a face, and a Chinese edition has some fifty faces; what the fonts, the text and the
 * tools have not changed is read back, the same bytes. Without a writable cache, nothing is kept.
 */
const NODE_MODULES = path.dirname(path.dirname(require.resolve("subset-font/package.json")));
const CACHE_DIR = path.join(NODE_MODULES, ".cache", "letterpress", "fonts");

let toolsKey: string | undefined;
/** The versions of the tools that make a subset, and the file's identity (path in node_modules, size, time). */
async function cacheKey(kind: string, file: string, extra = ""): Promise<string> {
  toolsKey ??= (
    await Promise.all(["subset-font", "harfbuzzjs", "wawoff2"].map(async (name) => `${name}@${JSON.parse(await readFile(path.join(NODE_MODULES, name, "package.json"), "utf8")).version}`))
  ).join(" ");
  const info = await stat(file);
  const where = file.slice(file.lastIndexOf(`node_modules${path.sep}`) + 1);
  return createHash("sha256").update(`${kind}\n${toolsKey}\n${where} ${info.size} ${info.mtimeMs}\n${extra}`).digest("hex");
}

async function cached(key: string, ext: string, make: () => Promise<Uint8Array>): Promise<Uint8Array> {
  const file = path.join(CACHE_DIR, `${key}.${ext}`);
  const kept = await readFile(file).catch(() => undefined);
  if (kept) return new Uint8Array(kept.buffer, kept.byteOffset, kept.byteLength);
  const data = await make();
  try {
    await mkdir(CACHE_DIR, { recursive: true });
    const temp = `${file}.${process.pid}.tmp`;
    await writeFile(temp, data);
    await rename(temp, file);
  } catch {
    // a cache that cannot be written only costs time
  }
  return data;
}

/** The code points each face has, read from the font itself (a slice's unicode-range can claim more). */
const cmaps = new Map<string, Promise<Set<number>>>();
/** Decompressed (TrueType) faces, the input of hb-subset; the latest few are kept. */
const sfnts = new Map<string, Promise<Uint8Array>>();

function sfntOf(file: string): Promise<Uint8Array> {
  let sfnt = sfnts.get(file);
  if (sfnt) {
    sfnts.delete(file);
  } else {
    // The codec answers with a view of its WebAssembly memory, which its next call overwrites: copied.
    sfnt = fontBytes(file).then(async (woff2) => Uint8Array.from(await (await import("wawoff2")).decompress(woff2)));
    if (sfnts.size >= 64) sfnts.delete(sfnts.keys().next().value!);
  }
  sfnts.set(file, sfnt);
  return sfnt;
}

function cmapOf(file: string): Promise<Set<number>> {
  let cmap = cmaps.get(file);
  if (!cmap) {
    cmap = (async () => {
      const bytes = await cached(await cacheKey("cmap", file), "u32", async () => {
        const hb = await import("harfbuzzjs");
        const codePoints = new hb.Face(new hb.Blob(await sfntOf(file))).collectUnicodes();
        return new Uint8Array(Uint32Array.from(codePoints).buffer);
      });
      return new Set(new Uint32Array(bytes.slice().buffer));
    })();
    cmaps.set(file, cmap);
  }
  return cmap;
}

/** Subsets by face and characters (WOFF2 bytes), for this process. */
const subsets = new Map<string, Promise<Uint8Array>>();

/** One subset at a time: each holds a decompressed face and HarfBuzz's memory while it runs. */
let queue: Promise<unknown> = Promise.resolve();
function oneAtATime<T>(make: () => Promise<T>): Promise<T> {
  const run = queue.then(make);
  queue = run.catch(() => undefined);
  return run;
}

function subsetOf(face: FontFace, codePoints: readonly number[]): Promise<Uint8Array> {
  const text = String.fromCodePoint(...codePoints);
  const key = `${face.file}\n${text}`;
  let data = subsets.get(key);
  if (data) {
    subsets.delete(key);
  } else {
    data = (async () =>
      cached(await cacheKey("subset", face.file, text), "woff2", () =>
        oneAtATime(async () => {
          const [sfnt, { default: subsetFont }, { compress }] = await Promise.all([sfntOf(face.file), import("subset-font"), import("wawoff2")]);
          // Every layout feature is kept (subset-font's default): joining forms, marks, CJK punctuation forms.
          const cut = await subsetFont(Buffer.from(sfnt.buffer, sfnt.byteOffset, sfnt.byteLength), text, { targetFormat: "truetype" });
          return Uint8Array.from(await compress(cut));
        }),
      ))();
    if (subsets.size >= 512) subsets.delete(subsets.keys().next().value!);
  }
  subsets.set(key, data);
  return data;
}

/** The faces of `family` a browser matches for `key`: the style if the family has it, else upright; the nearest weight. */
function facesForStyle(faces: readonly FontFace[], family: string, key: StyleKey): FontFace[] {
  const own = faces.filter((f) => f.family === family);
  const [weight, style] = key.split(" ") as [string, "normal" | "italic"];
  const styled = own.some((f) => f.style === style) ? own.filter((f) => f.style === style) : own.filter((f) => f.style === "normal");
  const weights = [...new Set(styled.map((f) => f.weight))];
  if (weights.length === 0) return [];
  const nearest = weights.reduce((best, w) => (Math.abs(w - Number(weight)) < Math.abs(best - Number(weight)) ? w : best));
  return styled.filter((f) => f.weight === nearest);
}

/**
 * The faces the text needs, each with the code points it serves. A character goes to the first
 * family of `order` whose font has it, and within a family to as few slices as possible (slices
 * overlap: Noto Serif's `latin` and `latin-ext` both have `œ`). A slice's unicode-range is only a
 * first guess: what a face is given is checked against the font's own character map.
 */
function chooseFaces(text: Map<StyleKey, string>, order: readonly string[]): Promise<Map<FontFace, Set<number>>> {
  // The choice depends only on each style's set of characters: a watch rebuild after a small edit
  // (a signatory added) asks again for the same sets, edition after edition.
  const key = [order.join(","), ...[...text].map(([style, value]) => `${style}:${String.fromCodePoint(...[...codePoints(value)].sort((a, b) => a - b))}`).sort()].join("\0");
  let choice = choices.get(key);
  if (choice) {
    choices.delete(key);
  } else {
    choice = choose(text, order);
    choice.catch(() => choices.delete(key));
    if (choices.size >= 64) choices.delete(choices.keys().next().value!);
  }
  choices.set(key, choice);
  return choice;
}

/** Faces chosen, by the characters they were chosen for (the latest few; never changed once made). */
const choices = new Map<string, Promise<Map<FontFace, Set<number>>>>();

async function choose(text: Map<StyleKey, string>, order: readonly string[]): Promise<Map<FontFace, Set<number>>> {
  const faces = await allFaces();
  const chosen = new Map<FontFace, Set<number>>();
  for (const [key, value] of [...text].sort(([a], [b]) => a.localeCompare(b, "en"))) {
    const all = codePoints(value);
    const visible = [...all].filter((cp) => !INVISIBLE.test(String.fromCodePoint(cp)) && cp !== 0x20 && cp !== 0x0a && cp !== 0x0d && cp !== 0x09);
    if (visible.length === 0) continue;
    // A space (the browser takes the face that has one as the line's first available font) and the hyphens of hyphenation.
    const wanted = new Set([...visible, 0x20, ...(visible.some((cp) => HYPHENATED.test(String.fromCodePoint(cp))) ? [0x2d, 0x2010] : [])]);
    let remaining = [...wanted].sort((a, b) => a - b);
    for (const family of order) {
      const own = facesForStyle(faces, family, key);
      const ownSet = new Set(own);
      const known = new Map<FontFace, Set<number>>();
      // A family that is one file per style (Noto Sans Math) is not sliced: its own map is its coverage.
      if (own.length === 1) known.set(own[0]!, await cmapOf(own[0]!.file));
      for (;;) {
        // Count, for each face, the remaining characters it covers: by its character map once read, else by its unicode-range.
        // Counted character by character (a character is in the ranges of a few slices), not face by face.
        const counts = new Map<FontFace, number>();
        for (const cp of remaining) {
          for (const face of facesCovering(faces, cp)) if (ownSet.has(face) && !known.has(face)) counts.set(face, (counts.get(face) ?? 0) + 1);
        }
        for (const [face, map] of known) {
          let n = 0;
          for (const cp of remaining) if (map.has(cp)) n++;
          counts.set(face, n);
        }
        let best: FontFace | undefined;
        let bestCount = 0;
        for (const face of own) {
          const n = counts.get(face) ?? 0;
          if (n > bestCount) [best, bestCount] = [face, n];
        }
        if (!best) break;
        if (!known.has(best)) {
          known.set(best, await cmapOf(best.file));
          continue; // count again with what the font really has
        }
        // The face is chosen by its own character map.
        const map = known.get(best)!;
        const set = chosen.get(best) ?? new Set<number>();
        for (const cp of remaining) if (map.has(cp)) set.add(cp);
        // Invisible characters of the text that the face has go with it (joiners shape with their neighbours).
        for (const cp of all) if (!wanted.has(cp) && map.has(cp)) set.add(cp);
        chosen.set(best, set);
        remaining = remaining.filter((cp) => !map.has(cp));
      }
      if (remaining.length === 0) break;
    }
  }
  return chosen;
}

/** The code points of a text, each once, in order of first appearance (no array of its characters). */
function codePoints(text: string): Set<number> {
  const out = new Set<number>();
  for (let i = 0; i < text.length; ) {
    const cp = text.codePointAt(i)!;
    out.add(cp);
    i += cp > 0xffff ? 2 : 1;
  }
  return out;
}

function rangesOf(codePoints: readonly number[]): Array<[number, number]> {
  const ranges: Array<[number, number]> = [];
  for (const cp of codePoints) {
    const last = ranges[ranges.length - 1];
    if (last && last[1] === cp - 1) last[1] = cp;
    else ranges.push([cp, cp]);
  }
  return ranges;
}

/** The subset faces for text set in the HTML and EPUB style sheets, ordered by file name. */
export async function embeddedFonts(text: Map<StyleKey, string>): Promise<EmbeddedFont[]> {
  const chosen = await chooseFaces(text, SCREEN_ORDER);
  const fonts = await Promise.all(
    [...chosen].map(async ([face, set]) => {
      const codePoints = [...set].sort((a, b) => a - b);
      return { face, name: path.basename(face.file), data: await subsetOf(face, codePoints), ranges: rangesOf(codePoints) };
    }),
  );
  return fonts.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/**
 * Where `htmlWithInlineFonts` puts the rules. The `<` is escaped everywhere the serialiser writes
 * text or attributes, so the mark can only be the one in the style sheet.
 */
export const FONT_RULES_MARK = "/*<letterpress-font-rules>*/";

/**
 * A self-contained HTML page as UTF-8: `render` makes the page with `FONT_RULES_MARK` in its style
 * sheet, and the `@font-face` rules for `text`, the subset fonts as data: URLs, are spliced in as
 * bytes. Passed through the HTML serialiser, they were copied at every level of the tree, as two
 * bytes a character in any page with text outside Latin-1.
 */
export async function htmlWithInlineFonts(text: Map<StyleKey, string>, render: (mark: string) => string): Promise<Uint8Array> {
  const fonts = await embeddedFonts(text);
  const rules = fonts.map((font) => fontFaceRule(font.face, `data:font/woff2;base64,${base64Of(font.data)}`, font.ranges)).join("\n");
  const [before, after] = splitAtMark(render(FONT_RULES_MARK), FONT_RULES_MARK);
  return Buffer.concat([Buffer.from(before), Buffer.from(rules), Buffer.from(after)]);
}

// ---------------------------------------------------------------------------------------------
// PDF: whole slices, by URL

/**
 * The faces `text` needs, each character served by the first family (in `order`) covering it by
 * unicode-range, in every weight and style of the slices chosen.
 */
export async function facesInOrder(text: string, order: readonly string[]): Promise<FontFace[]> {
  const faces = await allFaces();
  const chosen = new Set<FontFace>();
  const seen = new Set<number>();
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    if (seen.has(cp)) continue;
    seen.add(cp);
    const covering = facesCovering(faces, cp);
    for (const family of order) {
      const own = covering.filter((face) => face.family === family);
      if (own.length === 0) continue;
      for (const face of own) chosen.add(face);
      break;
    }
  }
  // Family by family in `order`, each in the package's order, as the rules are written.
  return order.flatMap((family) => faces.filter((face) => face.family === family && chosen.has(face)));
}

const ARABIC_SCRIPT = new Set(["ar", "fa", "ur", "ps", "sd", "ug", "ckb", "ks"]);

/** Whether a language is written in the Arabic script. */
export function isArabicScript(lang: string): boolean {
  return ARABIC_SCRIPT.has(lang.split("-")[0]!.toLowerCase());
}

/**
 * The PDF's families in stack order. Arabic-script editions set Latin letters and digits in Noto
 * Naskh Arabic's own Latin, so every glyph of a line shares one set of vertical metrics (with Noto
 * Serif digits inside Naskh lines, page numbers and years look raised to any reader of the PDF).
 */
export function familyOrder(lang: string): Family[] {
  if (isArabicScript(lang)) return [FAMILIES.arabic.family, FAMILIES.latin.family, FAMILIES.cjk.family];
  return [FAMILIES.latin.family, FAMILIES.arabic.family, FAMILIES.cjk.family];
}

export interface EditionFonts {
  /** The CSS font-family list. */
  stack: string;
  /** The font-family list for "Page X of Y" (see `numeralsFace`). */
  folioStack: string;
  /** `@font-face` rules. */
  css: string;
}

/** Where the print page asks for a face. */
const FONT_ORIGIN = "https://fonts.letterpress.invalid/";

/** Face files by the URL the rules give them. */
const byUrl = new Map<string, string>();

/**
 * The rules name each face by a URL of the reserved `.invalid` domain, which the print page's
 * request handler answers with the file's bytes (see `fontFile`): a Chinese edition's 2 MB of
 * fonts are then neither parsed out of the document as base64 nor decoded again for the next
 * document, as they would be as data: URLs.
 */
function urlOf(face: FontFace): string {
  // The package and file name identify the face; the folder of node_modules does not matter.
  const url = `${FONT_ORIGIN}${path.basename(path.dirname(path.dirname(face.file)))}/${path.basename(face.file)}`;
  byUrl.set(url, face.file);
  return url;
}

/** The bytes of a face the PDF rules name, or undefined for any other URL. */
export function fontFile(url: string): Promise<Uint8Array> | undefined {
  const file = byUrl.get(url);
  return file ? fontBytes(file) : undefined;
}

/** Family name of the page-number digits of Arabic-script editions. */
export const NUMERALS_FAMILY = "Letterpress Folio Numerals";

/** The fonts of a PDF edition: whole slices (Chromium subsets them into the PDF itself). */
export async function editionFonts(text: string, lang: string): Promise<EditionFonts> {
  const order = familyOrder(lang);
  const faces = await facesInOrder(text, order);
  const rules = faces.map((face) => fontFaceRule(face, urlOf(face)));
  const stack = stackOf(order);
  const numerals = order[0] === FAMILIES.arabic.family ? numeralsFace(faces) : "";
  return { stack, folioStack: numerals ? `"${NUMERALS_FAMILY}", ${stack}` : stack, css: [...rules, numerals].join("\n") };
}

/**
 * Naskh draws Arabic dots and vowels as separately positioned marks, which makes Arabic words
 * taller than the digits beside them; in a footer such as "الصفحة 1 من 4" the bare page numbers
 * then read like raised note markers to PDF text tools. The page numbers get their own face: the
 * same Naskh digits, 18% larger, so they stand as tall as the words around them.
 */
function numeralsFace(faces: FontFace[]): string {
  const face = faces.find((f) => f.family === FAMILIES.arabic.family && f.weight === 400 && f.style === "normal" && f.ranges.some(([lo, hi]) => lo <= 0x30 && hi >= 0x39));
  if (!face) return "";
  return `@font-face{font-family:"${NUMERALS_FAMILY}";font-style:normal;font-weight:400;font-display:block;size-adjust:118%;src:url(${urlOf(face)}) format("woff2");unicode-range:U+30-39}`;
}
