/**
 * The words the writers add themselves ("Notes", "Back to reference 3", "Page 2 of 5" …).
 * English is defined here. In another language each label comes from the edition's PO file (one
 * entry with the msgctxt `label/<key>`) when that entry is translated, else from Letterpress's
 * shipped wording for the language (`catalogue.ts`: the six UN languages), else English.
 */
import { builtinLabels, type BuiltinCatalog } from "./catalogue.ts";
import { LABELS, PLURAL_LABELS, type Direction, type LabelKey, type PluralLabelKey } from "./wording.ts";

export { LABELS, PLURAL_LABELS, type LabelKey, type PluralLabelKey } from "./wording.ts";

/** Gettext plural forms and the CLDR category each msgstr index stands for. */
export const PLURAL_FORMS: Record<string, { header: string; categories: Intl.LDMLPluralRule[] }> = {
  en: { header: "nplurals=2; plural=(n != 1);", categories: ["one", "other"] },
  fr: { header: "nplurals=2; plural=(n > 1);", categories: ["one", "other"] },
  de: { header: "nplurals=2; plural=(n != 1);", categories: ["one", "other"] },
  es: { header: "nplurals=2; plural=(n != 1);", categories: ["one", "other"] },
  ru: {
    header: "nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2);",
    categories: ["one", "few", "many"],
  },
  ar: {
    header: "nplurals=6; plural=(n==0 ? 0 : n==1 ? 1 : n==2 ? 2 : n%100>=3 && n%100<=10 ? 3 : n%100>=11 ? 4 : 5);",
    categories: ["zero", "one", "two", "few", "many", "other"],
  },
  zh: { header: "nplurals=1; plural=0;", categories: ["other"] },
};

const RTL_LANGUAGES = new Set(["ar", "he", "fa", "ur", "ps", "yi", "dv", "ckb", "sd", "ug"]);

export function directionOf(lang: string): Direction {
  return RTL_LANGUAGES.has(lang.split("-")[0]!.toLowerCase()) ? "rtl" : "ltr";
}

/** A language's name in another language ("French" in `en`, "russe" in `fr`); the tag itself if CLDR has none. */
export function languageName(lang: string, inLang: string): string {
  try {
    return new Intl.DisplayNames([inLang], { type: "language" }).of(lang) ?? lang;
  } catch {
    return lang;
  }
}

/** The language's name in itself ("Français", "العربية", "中文"). */
export function autonym(lang: string): string {
  const name = languageName(lang, lang);
  return name.charAt(0).toLocaleUpperCase(lang) + name.slice(1);
}

/** A date as written in front matter (`2019-11`), formatted for the edition's language. */
export function formatDate(date: string, lang: string): string {
  const [y, m, d] = date.split("-").map(Number);
  const value = new Date(Date.UTC(y!, (m ?? 1) - 1, d ?? 1));
  const options: Intl.DateTimeFormatOptions = { timeZone: "UTC", year: "numeric", ...(m ? { month: "long" } : {}), ...(d ? { day: "numeric" } : {}) };
  return new Intl.DateTimeFormat(lang, options).format(value);
}

/** Replace `{name}` placeholders. */
export function fill(template: string, params: Record<string, string | number> = {}): string {
  return template.replace(/\{(\w+)\}/g, (whole, key: string) => (key in params ? String(params[key]) : whole));
}

/** Translations of labels for one language, as read from its PO file. */
export interface LabelCatalog {
  lang: string;
  /** Singular labels by key. */
  text: Partial<Record<LabelKey, string>>;
  /** Plural labels by key: one msgstr per gettext plural index. */
  plural: Partial<Record<PluralLabelKey, string[]>>;
}

/** Resolved labels for one edition. Untranslated labels fall back to English and say so. */
export class Labels {
  readonly lang: string;
  readonly dir: Direction;
  readonly languageName: string;
  private readonly catalog: LabelCatalog | undefined;
  private readonly builtin: BuiltinCatalog | undefined;
  private readonly rules: Intl.PluralRules;

  constructor(lang: string, catalog?: LabelCatalog) {
    this.lang = lang;
    this.dir = directionOf(lang);
    this.languageName = autonym(lang);
    this.catalog = catalog;
    this.builtin = isEnglish(lang) ? undefined : builtinLabels(lang);
    this.rules = new Intl.PluralRules(lang);
  }

  /** The label's text: the PO file's translation, else Letterpress's own, else English. */
  private text(key: LabelKey): string | undefined {
    return this.catalog?.text[key] ?? this.builtin?.text[key];
  }

  /** The label text with placeholders filled. */
  get(key: LabelKey, params?: Record<string, string | number>): string {
    return fill(this.text(key) ?? LABELS[key], params);
  }

  /** Whether `get(key)` is English standing in for a missing translation. */
  isFallback(key: LabelKey): boolean {
    return !isEnglish(this.lang) && this.text(key) === undefined;
  }

  /** A plural label for `n`, chosen with the language's CLDR plural rules. */
  plural(key: PluralLabelKey, n: number): string {
    const forms = this.catalog?.plural[key] ?? this.builtin?.plural[key];
    const categories = PLURAL_FORMS[this.lang.split("-")[0]!]?.categories;
    if (forms && categories) {
      const index = categories.indexOf(this.rules.select(n));
      const chosen = forms[index >= 0 ? index : forms.length - 1];
      if (chosen) return fill(chosen, { n: n.toLocaleString(this.lang) });
    }
    const english = PLURAL_LABELS[key][n === 1 ? 0 : 1];
    return fill(english, { n });
  }

  /** "36 organisations and 6 individuals", localised. */
  count(organisations: number, individuals: number): string {
    if (individuals === 0) return this.plural("count-organisations", organisations);
    if (organisations === 0) return this.plural("count-individuals", individuals);
    return this.get("count-and", {
      organisations: this.plural("count-organisations", organisations),
      individuals: this.plural("count-individuals", individuals),
    });
  }
}

function isEnglish(lang: string): boolean {
  return lang.split("-")[0]!.toLowerCase() === "en";
}

/** Whether Letterpress ships its own wording of `key` (singular or plural) for `lang`. */
export function hasBuiltinLabel(lang: string, key: string): boolean {
  if (isEnglish(lang)) return true;
  const builtin = builtinLabels(lang);
  return !!builtin && (key in builtin.text || key in builtin.plural);
}
