/**
 * Language tags as translators' tools write them (`fr_FR` in Poedit, `zh_Hans` in Weblate,
 * `fr-FR` in CAT tools) and gettext's Plural-Forms header, compared by meaning, not by text.
 */
import pluralFormsModule from "@tannin/plural-forms";
import { PLURAL_FORMS } from "./labels.ts";

// A CommonJS module whose typings declare an ES default export: at run time the import is the function.
const pluralForms = pluralFormsModule as unknown as (expression: string) => (n: number) => number;

/** BCP 47 form of a gettext or BCP 47 tag (`zh_Hans` → `zh-Hans`), or undefined if it is not one. */
export function bcp47(tag: string): string | undefined {
  try {
    return new Intl.Locale(tag.trim().replace(/_/g, "-").replace(/@.*$/, "")).toString();
  } catch {
    return undefined;
  }
}

/**
 * Whether two tags name the same written language: same language and script once each is
 * completed with its likely subtags (`fr` = `fr_FR` = `fr-Latn`; `zh` = `zh_Hans` ≠ `zh-Hant`).
 * Regions are not compared: a Letterpress edition is per language.
 */
export function sameLanguage(a: string, b: string): boolean {
  const x = bcp47(a);
  const y = bcp47(b);
  if (!x || !y) return false;
  const mx = new Intl.Locale(x).maximize();
  const my = new Intl.Locale(y).maximize();
  return mx.language === my.language && mx.script === my.script;
}

/** The plural rules Letterpress knows for a language (by its primary subtag). */
export function pluralRulesOf(lang: string): { header: string; nplurals: number; categories: Intl.LDMLPluralRule[] } | undefined {
  const base = (bcp47(lang) ?? lang).split("-")[0]!.toLowerCase();
  const known = PLURAL_FORMS[base];
  if (!known) return undefined;
  return { ...known, nplurals: known.categories.length };
}

export interface ParsedPluralForms {
  nplurals: number;
  plural: (n: number) => number;
}

/** Parse `nplurals=N; plural=EXPR;`; undefined if it is not that shape or EXPR is not a C expression. */
export function parsePluralForms(header: string): ParsedPluralForms | undefined {
  const match = /^\s*nplurals\s*=\s*(\d+)\s*;\s*plural\s*=\s*([^;]+?)\s*;?\s*$/.exec(header);
  if (!match) return undefined;
  if (!/^[\sn0-9()?:<>=!&|%+*/-]+$/.test(match[2]!)) return undefined;
  try {
    const evaluate = pluralForms(match[2]!);
    const plural = (n: number) => Number(evaluate(n));
    // The compiler accepts some malformed input; a result that is not a number is not an expression.
    if (Number.isNaN(plural(1))) return undefined;
    return { nplurals: Number(match[1]), plural };
  } catch {
    return undefined;
  }
}

/** Whether two Plural-Forms headers mean the same: same nplurals and the same index for n = 0…200. */
export function samePluralForms(a: string, b: string): boolean {
  const x = parsePluralForms(a);
  const y = parsePluralForms(b);
  if (!x || !y || x.nplurals !== y.nplurals) return false;
  for (let n = 0; n <= 200; n++) if (x.plural(n) !== y.plural(n)) return false;
  return true;
}
