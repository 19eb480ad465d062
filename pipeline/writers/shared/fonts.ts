/**
 * Fonts shipped as npm packages (@fontsource), so no output depends on the fonts of the machine
 * that builds or opens it. Only the unicode-range slices that the text actually uses are loaded,
 * which keeps a Chinese edition's embedded fonts to the characters it contains.
 *
 * All faces are TrueType-outline WOFF2 (Google Fonts builds): Chromium embeds them in PDFs as
 * CID TrueType with ToUnicode maps, never as Type 3.
 */
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
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

/** Font stacks per script: the serif family for Latin/Cyrillic, and script companions. */
export const FAMILIES = {
  latin: { pkg: "@fontsource/noto-serif", family: "Noto Serif", css: ["400.css", "700.css", "400-italic.css", "700-italic.css"] },
  arabic: { pkg: "@fontsource/noto-naskh-arabic", family: "Noto Naskh Arabic", css: ["400.css", "700.css"] },
  cjk: { pkg: "@fontsource/noto-serif-sc", family: "Noto Serif SC", css: ["400.css", "700.css"] },
} as const;

/** The CSS font-family list used by every writer that renders with Chromium. */
export const FONT_STACK = `"Noto Serif", "Noto Naskh Arabic", "Noto Serif SC", serif`;

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

/**
 * The faces the text needs. Families are tried in stack order and a character is served by the
 * first family that covers it, so Latin quotes do not pull in CJK slices.
 */
export function facesFor(text: string): Promise<FontFace[]> {
  return facesInOrder(text, Object.values(FAMILIES).map((f) => f.family));
}

/** The faces `text` needs, each character served by the first family (in `order`) covering it. */
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

/** `@font-face` rules with the font data inlined as data: URLs (for self-contained HTML). */
async function rulesOf(faces: readonly FontFace[]): Promise<string> {
  // The same encoding the print pages are served (one per file and process).
  const rules = await Promise.all(faces.map(async (face) => fontFaceRule(face, `data:font/woff2;base64,${base64Of(await fontBytes(face.file))}`)));
  return rules.join("\n");
}

/**
 * Where `htmlWithInlineFonts` puts the rules. The `<` is escaped everywhere the serialiser writes
 * text or attributes, so the mark can only be the one in the style sheet.
 */
export const FONT_RULES_MARK = "/*<letterpress-font-rules>*/";

/** Inlined rules as UTF-8, by list of faces (a watch session rebuilds the same pages). */
const ruleBytes = new Map<string, Promise<Uint8Array>>();

/**
 * A self-contained HTML page as UTF-8: `render` makes the page with `FONT_RULES_MARK` in its style
 * sheet, and the `@font-face` rules for `text` (megabytes of base64 for Chinese) are spliced in as
 * bytes encoded once. Passed through the HTML serialiser, they were copied at every level of the
 * tree, as two bytes a character in any page with text outside Latin-1.
 */
export async function htmlWithInlineFonts(text: string, render: (mark: string) => string): Promise<Uint8Array> {
  const faces = await facesFor(text);
  const key = faces.map((face) => face.file).join("\n");
  let rules = ruleBytes.get(key);
  if (!rules) {
    if (ruleBytes.size >= 32) ruleBytes.delete(ruleBytes.keys().next().value!);
    rules = rulesOf(faces).then((css) => Buffer.from(css));
    ruleBytes.set(key, rules);
  }
  const [before, after] = splitAtMark(render(FONT_RULES_MARK), FONT_RULES_MARK);
  return Buffer.concat([Buffer.from(before), await rules, Buffer.from(after)]);
}

export function fontFaceRule(face: FontFace, url: string): string {
  const range = face.ranges.map(([a, b]) => (a === b ? `U+${a.toString(16)}` : `U+${a.toString(16)}-${b.toString(16)}`)).join(",");
  return `@font-face{font-family:"${face.family}";font-style:${face.style};font-weight:${face.weight};font-display:block;src:url(${url}) format("woff2");unicode-range:${range}}`;
}
