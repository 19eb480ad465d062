/**
 * Languages as Word wants them. Word picks the language (and font) of each character from one of
 * three attributes by script: `w:val` (Latin, Cyrillic …), `w:eastAsia` (Han, Kana, Hangul) and
 * `w:bidi` (Arabic, Hebrew …, in runs marked `w:rtl`). Proofing tools expect region tags
 * (`en-GB`, `ar-SA`, `zh-CN`), so bare BCP 47 languages get a default region.
 */
import { directionOf } from "../../i18n/labels.ts";
import type { Publication } from "../../model.ts";

/** Region used when a language comes without one (English: the letter's British spelling). */
const DEFAULT_REGIONS: Record<string, string> = {
  ar: "ar-SA",
  de: "de-DE",
  en: "en-GB",
  es: "es-ES",
  fa: "fa-IR",
  fr: "fr-FR",
  he: "he-IL",
  it: "it-IT",
  ja: "ja-JP",
  ko: "ko-KR",
  pt: "pt-PT",
  ru: "ru-RU",
  ur: "ur-PK",
  zh: "zh-CN",
};

const EAST_ASIAN = new Set(["zh", "ja", "ko"]);

/** Word's bidi language when the edition itself is not right-to-left (Word's own default). */
const DEFAULT_BIDI = "ar-SA";

/** `en` → `en-GB`, `zh-Hant` → `zh-TW`, `pt-br` → `pt-BR`. */
export function wordLanguage(lang: string): string {
  const [first = lang, ...rest] = lang.split(/[-_]/);
  const primary = first.toLowerCase();
  if (primary === "zh" && rest.some((p) => /^(hant|tw|hk|mo)$/i.test(p))) {
    const region = rest.find((p) => /^(tw|hk|mo)$/i.test(p));
    return `zh-${(region ?? "TW").toUpperCase()}`;
  }
  const region = rest.find((p) => /^([a-z]{2}|\d{3})$/i.test(p));
  if (region) return `${primary}-${region.toUpperCase()}`;
  return DEFAULT_REGIONS[primary] ?? primary;
}

export interface WordLanguage {
  readonly value: string;
  readonly eastAsia: string;
  readonly bidirectional: string;
}

const STRONG_RTL = /[\u0590-\u08FF\uFB1D-\uFDFF\uFE70-\uFEFF]/u;
const LRM = "\u200E";
/** Characters without a direction of their own (punctuation, symbols, spaces). */
const NEUTRAL_EDGE = /[^\p{L}\p{N}\p{M}]/u;
const STRONG_LTR = /[A-Za-z\u00C0-\u024F\u0370-\u052F\u1E00-\u1FFF\u3040-\u30FF\u3400-\u9FFF\uAC00-\uD7AF]/u;

/** How an edition's text is marked: its language tags, direction and script. */
export class Locale {
  readonly tag: string;
  readonly rtl: boolean;
  readonly eastAsian: boolean;
  /** `w:lang` of the edition's own text (docDefaults and runs). */
  readonly language: WordLanguage;

  constructor(pub: Pick<Publication, "lang" | "dir">) {
    this.tag = wordLanguage(pub.lang);
    this.rtl = pub.dir === "rtl";
    this.eastAsian = EAST_ASIAN.has(this.tag.split("-")[0]!);
    this.language = {
      value: this.tag,
      eastAsia: this.tag,
      bidirectional: this.rtl ? this.tag : DEFAULT_BIDI,
    };
  }

  /** `w:lang` for a run: the edition's, or that of text left in another language. */
  languageOf(lang: string | undefined): Partial<WordLanguage> {
    if (!lang) return this.language;
    const tag = wordLanguage(lang);
    if (directionOf(lang) === "rtl") return { value: tag, bidirectional: tag };
    if (EAST_ASIAN.has(tag.split("-")[0]!)) return { value: tag, eastAsia: tag };
    return { value: tag };
  }

  /**
   * Whether a run is a right-to-left run (`w:rtl`): in a right-to-left edition, text with
   * right-to-left letters or without any letters (punctuation and digits between Arabic words).
   * Latin text (URLs, names, English left untranslated) stays left-to-right: `w:rtl` would make
   * Word set it in the complex-script font.
   */
  isRtlRun(text: string, foreign: boolean): boolean {
    if (!this.rtl || foreign) return false;
    return STRONG_RTL.test(text) || !STRONG_LTR.test(text);
  }

  /**
   * Text of a run as written. In a right-to-left paragraph, punctuation at the edges of a Latin
   * run takes the paragraph's direction under the Unicode bidi algorithm (LibreOffice follows it
   * strictly): "University of Oxford." would show its full stop on the left. A LEFT-TO-RIGHT MARK
   * on that edge keeps it with the Latin text; it is invisible and ignored by search.
   */
  directed(text: string, rtlRun: boolean): string {
    if (!this.rtl || rtlRun || STRONG_RTL.test(text) || !STRONG_LTR.test(text)) return text;
    const start = NEUTRAL_EDGE.test(text[0] ?? "") ? LRM : "";
    const end = NEUTRAL_EDGE.test(text.at(-1) ?? "") ? LRM : "";
    return `${start}${text}${end}`;
  }
}
