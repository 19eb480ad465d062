/**
 * Fonts of a PDF edition: the npm TrueType faces (see `../shared/fonts.ts`), inlined as data: URLs,
 * with a family order per script. Arabic-script editions set Latin letters and digits in Noto
 * Naskh Arabic's own Latin, so every glyph of a line shares one set of vertical metrics (with Noto
 * Serif digits inside Naskh lines, page numbers and years look raised to any reader of the PDF).
 */
import { readFile } from "node:fs/promises";
import { FAMILIES, FONT_STACK, facesInOrder, fontFaceRule, type FontFace } from "../shared/fonts.ts";

const ARABIC_SCRIPT = new Set(["ar", "fa", "ur", "ps", "sd", "ug", "ckb", "ks"]);

type Family = (typeof FAMILIES)[keyof typeof FAMILIES]["family"];

export interface EditionFonts {
  /** The CSS font-family list. */
  stack: string;
  /** The font-family list for "Page X of Y" (see `numeralsFace`). */
  folioStack: string;
  /** `@font-face` rules with inlined data. */
  css: string;
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

const data = new Map<string, Promise<string>>();

export async function editionFonts(text: string, lang: string): Promise<EditionFonts> {
  const order = familyOrder(lang);
  const faces = await facesInOrder(text, order);
  const rules = await Promise.all(
    faces.map(async (face) => {
      let base64 = data.get(face.file);
      if (!base64) {
        base64 = readFile(face.file).then((b) => b.toString("base64"));
        data.set(face.file, base64);
      }
      return fontFaceRule(face, `data:font/woff2;base64,${await base64}`);
    }),
  );
  const stack = order[0] === FAMILIES.latin.family ? FONT_STACK : [...order.map((f) => `"${f}"`), "serif"].join(", ");
  const numerals = order[0] === FAMILIES.arabic.family ? await numeralsFace(faces) : "";
  return { stack, folioStack: numerals ? `"${NUMERALS_FAMILY}", ${stack}` : stack, css: [...rules, numerals].join("\n") };
}

/**
 * Naskh draws Arabic dots and vowels as separately positioned marks, which makes Arabic words
 * taller than the digits beside them; in a footer such as "الصفحة 1 من 4" the bare page numbers
 * then read like raised note markers to PDF text tools. The page numbers get their own face: the
 * same Naskh digits, 18% larger, so they stand as tall as the words around them.
 */
async function numeralsFace(faces: FontFace[]): Promise<string> {
  const face = faces.find((f) => f.family === FAMILIES.arabic.family && f.weight === 400 && f.style === "normal" && f.ranges.some(([lo, hi]) => lo <= 0x30 && hi >= 0x39));
  if (!face) return "";
  let base64 = data.get(face.file);
  if (!base64) {
    base64 = readFile(face.file).then((b) => b.toString("base64"));
    data.set(face.file, base64);
  }
  return `@font-face{font-family:"${NUMERALS_FAMILY}";font-style:normal;font-weight:400;font-display:block;size-adjust:118%;src:url(data:font/woff2;base64,${await base64}) format("woff2");unicode-range:U+30-39}`;
}
