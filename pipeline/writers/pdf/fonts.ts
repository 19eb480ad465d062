/**
 * Fonts of a PDF edition: the npm TrueType faces (see `../shared/fonts.ts`), with a family order
 * per script. The rules name each face by a URL of the reserved `.invalid` domain, which the print
 * page's request handler answers with the file's bytes (see paginate.ts): a Chinese edition's
 * megabytes of fonts are then neither parsed out of the document as base64 nor decoded again for
 * the next document, as they would be as data: URLs. Arabic-script editions set Latin letters and digits in Noto
 * Naskh Arabic's own Latin, so every glyph of a line shares one set of vertical metrics (with Noto
 * Serif digits inside Naskh lines, page numbers and years look raised to any reader of the PDF).
 */
import path from "node:path";
import { FAMILIES, FONT_STACK, facesInOrder, fontBytes, fontFaceRule, type FontFace } from "../shared/fonts.ts";

const ARABIC_SCRIPT = new Set(["ar", "fa", "ur", "ps", "sd", "ug", "ckb", "ks"]);

type Family = (typeof FAMILIES)[keyof typeof FAMILIES]["family"];

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

function urlOf(face: FontFace): string {
  // The package and file name identify the face; the folder of node_modules does not matter.
  const url = `${FONT_ORIGIN}${path.basename(path.dirname(path.dirname(face.file)))}/${path.basename(face.file)}`;
  byUrl.set(url, face.file);
  return url;
}

/** The bytes of a face the rules name, or undefined for any other URL. */
export function fontFile(url: string): Promise<Uint8Array> | undefined {
  const file = byUrl.get(url);
  return file ? fontBytes(file) : undefined;
}

/** Family name of the page-number digits of Arabic-script editions. */
export const NUMERALS_FAMILY = "Letterpress Folio Numerals";

/** Whether a language is written in the Arabic script. */
export function isArabicScript(lang: string): boolean {
  return ARABIC_SCRIPT.has(lang.split("-")[0]!.toLowerCase());
}

export function familyOrder(lang: string): Family[] {
  if (isArabicScript(lang)) return [FAMILIES.arabic.family, FAMILIES.latin.family, FAMILIES.cjk.family];
  return [FAMILIES.latin.family, FAMILIES.arabic.family, FAMILIES.cjk.family];
}

export async function editionFonts(text: string, lang: string): Promise<EditionFonts> {
  const order = familyOrder(lang);
  const faces = await facesInOrder(text, order);
  const rules = faces.map((face) => fontFaceRule(face, urlOf(face)));
  const stack = order[0] === FAMILIES.latin.family ? FONT_STACK : [...order.map((f) => `"${f}"`), "serif"].join(", ");
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
