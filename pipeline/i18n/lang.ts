/**
 * Language tags as translators' tools write them (`fr_FR` in Poedit, `zh_Hans` in Weblate,
 * `fr-FR` in CAT tools) and gettext's Plural-Forms header, compared by meaning, not by text.
 */
import { PLURAL_FORMS } from "./labels.ts";

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

/** Parse `nplurals=N; plural=EXPR;`; undefined if it is not that shape or EXPR is not a C expression of n. */
export function parsePluralForms(header: string): ParsedPluralForms | undefined {
  const match = /^\s*nplurals\s*=\s*(\d+)\s*;\s*plural\s*=\s*([^;]+?)\s*;?\s*$/.exec(header);
  if (!match) return undefined;
  const plural = compilePlural(match[2]!);
  return plural ? { nplurals: Number(match[1]), plural } : undefined;
}

type Expr = (n: number) => number;

/**
 * Compile gettext's plural expression (C syntax: ?:, ||, &&, comparisons, + - * / %, !, unary -,
 * parentheses, integers and n) by recursive descent, with C's precedence. The npm evaluators
 * tried misread expressions written without spaces (`n%10==1&&n%100!=11?0:…`).
 */
export function compilePlural(source: string): Expr | undefined {
  const tokens = source.match(/\d+|n|\|\||&&|==|!=|<=|>=|[-+*/%<>!?:()]|\S/g) ?? [];
  let i = 0;
  const peek = () => tokens[i];
  const take = (t: string) => (tokens[i] === t ? (i++, true) : false);
  const binary = (next: () => Expr, ops: Record<string, (a: number, b: number) => number>): Expr => {
    let left = next();
    for (let op = peek(); op !== undefined && op in ops; op = peek()) {
      i++;
      const right = next();
      const l = left;
      const f = ops[op]!;
      left = (n) => f(l(n), right(n));
    }
    return left;
  };
  const primary = (): Expr => {
    const t = tokens[i++];
    if (t === undefined) throw new Error("end");
    if (t === "n") return (n) => n;
    if (/^\d+$/.test(t)) return () => Number(t);
    if (t === "(") {
      const e = ternary();
      if (!take(")")) throw new Error(")");
      return e;
    }
    if (t === "!") {
      const e = primary();
      return (n) => (e(n) ? 0 : 1);
    }
    if (t === "-") {
      const e = primary();
      return (n) => -e(n);
    }
    throw new Error(t);
  };
  const int = (a: number, b: number, f: (x: number, y: number) => number) => (b === 0 ? NaN : Math.trunc(f(a, b)));
  const mul = () => binary(primary, { "*": (a, b) => a * b, "/": (a, b) => int(a, b, (x, y) => x / y), "%": (a, b) => int(a, b, (x, y) => x % y) });
  const add = () => binary(mul, { "+": (a, b) => a + b, "-": (a, b) => a - b });
  const rel = () => binary(add, { "<": (a, b) => +(a < b), ">": (a, b) => +(a > b), "<=": (a, b) => +(a <= b), ">=": (a, b) => +(a >= b) });
  const eq = () => binary(rel, { "==": (a, b) => +(a === b), "!=": (a, b) => +(a !== b) });
  const and = () => binary(eq, { "&&": (a, b) => +(!!a && !!b) });
  const or = () => binary(and, { "||": (a, b) => +(!!a || !!b) });
  const ternary = (): Expr => {
    const cond = or();
    if (!take("?")) return cond;
    const yes = ternary();
    if (!take(":")) throw new Error(":");
    const no = ternary();
    return (n) => (cond(n) ? yes(n) : no(n));
  };
  try {
    const e = ternary();
    return i === tokens.length ? e : undefined;
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
