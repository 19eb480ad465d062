/**
 * Hyphenation of the print edition: soft hyphens (U+00AD) from TeX's pattern dictionaries, as the
 * `hyphen` package ships them (en-GB, fr, es, ru), in the letter's justified running text, so that
 * Chromium may break a long word at a line end rather than stretch the spaces of the line. Chromium
 * has no hyphenation dictionaries of its own offline (`hyphens: auto` does nothing in the print
 * page). The text layer still reads every hyphenated word whole (see postprocess/hyphens.ts).
 *
 * Only running text: paragraphs, list items and quotations of the body, never links (URLs, UN
 * symbols), code, note calls, headings, tables, the address block or the signatory list (names),
 * and never notes (set ragged). Never a word with a digit, a capital after its first letter
 * (acronyms, symbols) or fewer than six letters; at least two letters before a break and three
 * after it; never inside a ligature.
 */
import { createRequire } from "node:module";
import type { ElementContent, Element } from "hast";

const require = createRequire(import.meta.url);

type Hyphenate = (text: string, options?: { minWordLength?: number; hyphenChar?: string }) => string;

/** Pattern modules by primary language subtag. en-GB: the letter's English is British. */
const PATTERNS: Record<string, string> = { en: "hyphen/en-gb", fr: "hyphen/fr", es: "hyphen/es", ru: "hyphen/ru" };

const loaded = new Map<string, Hyphenate>();

/**
 * Each language's words as hyphenated, by word: running text repeats its words, and the patterns
 * are a pure function of the word. Bounded, as a watch hyphenates edition after edition.
 */
const hyphenated = new Map<Hyphenate, Map<string, string>>();
const MAX_CACHED_WORDS = 100_000;

function hyphenatorFor(lang: string): Hyphenate | undefined {
  const primary = lang.split("-")[0]!.toLowerCase();
  const module = PATTERNS[primary];
  if (!module) return undefined;
  let fn = loaded.get(primary);
  if (!fn) {
    fn = (require(module) as { hyphenateSync: Hyphenate }).hyphenateSync;
    loaded.set(primary, fn);
  }
  return fn;
}

export const SOFT_HYPHEN = "\u00ad";
const MIN_BEFORE = 2;
const MIN_AFTER = 3;
const MIN_WORD = 6;
/** Elements whose text is never hyphenated. */
const SKIP_TAGS = new Set(["a", "code", "kbd", "samp", "pre", "sup", "sub", "h1", "h2", "h3", "h4", "h5", "h6", "address", "table", "abbr"]);
const SKIP_CLASSES = new Set(["signatories", "notice", "fn", "fn-call", "count", "recipient"]);
/** Elements whose own text runs are hyphenated (their inline content). */
const RUNNING = new Set(["p", "li"]);

function hyphenateWord(word: string, hyphenate: Hyphenate): string {
  if (word.length < MIN_WORD || /\d/.test(word) || /.\p{Lu}/u.test(word)) return word;
  const pieces = hyphenate(word, { hyphenChar: SOFT_HYPHEN, minWordLength: MIN_WORD }).split(SOFT_HYPHEN);
  let out = "";
  let done = 0;
  for (const [i, piece] of pieces.entries()) {
    done += piece.length;
    out += piece;
    // Never inside a ligature (ff, fi, fl, ffi, ffl): its one glyph cannot carry the break's text.
    const ligature = word[done - 1] === "f" && /[fil]/.test(word[done] ?? "");
    if (i < pieces.length - 1 && done >= MIN_BEFORE && word.length - done >= MIN_AFTER && !ligature) out += SOFT_HYPHEN;
  }
  return out;
}

/** A text with soft hyphens in its words, in `lang`'s patterns (or as it was, without patterns). */
export function hyphenateText(text: string, lang: string): string {
  const hyphenate = hyphenatorFor(lang);
  if (!hyphenate) return text;
  // A word bound to what follows by a no-break space (French `exactitude :`) keeps no soft
  // hyphen either: with one, Chromium may break the line at the no-break space.
  let words = hyphenated.get(hyphenate);
  if (!words) hyphenated.set(hyphenate, (words = new Map()));
  const cache = words;
  return text.replace(/[\p{L}\p{M}]+(?![\p{L}\p{M}]*[\u00a0\u202f])/gu, (word) => {
    let out = cache.get(word);
    if (out === undefined) {
      out = hyphenateWord(word, hyphenate);
      if (cache.size >= MAX_CACHED_WORDS) cache.clear();
      cache.set(word, out);
    }
    return out;
  });
}

function skipped(node: Element): boolean {
  if (SKIP_TAGS.has(node.tagName)) return true;
  const classes = node.properties["className"];
  return Array.isArray(classes) && classes.some((c) => SKIP_CLASSES.has(String(c)));
}

function ownLang(node: Element, lang: string): string {
  const own = node.properties["lang"];
  return typeof own === "string" && own !== "" ? own : lang;
}

/** Soft hyphens in the running text of `nodes` (in place), each element in its own language. */
export function hyphenateTree(nodes: ElementContent[], lang: string, inline = false): void {
  for (const [i, node] of nodes.entries()) {
    if (node.type === "text") {
      if (!inline) continue;
      // Text glued to the element after it (a word, then its note call): Chromium may end a line
      // between a hyphenated word and that element, leaving the call alone at the head of the
      // next line. The glued word keeps no soft hyphen.
      const glued = nodes[i + 1]?.type === "element" ? /\S+$/u.exec(node.value) : null;
      node.value = glued ? hyphenateText(node.value.slice(0, glued.index), lang) + glued[0] : hyphenateText(node.value, lang);
      continue;
    }
    if (node.type !== "element" || skipped(node)) continue;
    const block = ["ul", "ol", "blockquote", "div", "section"].includes(node.tagName);
    hyphenateTree(node.children, ownLang(node, lang), block ? false : inline || RUNNING.has(node.tagName));
  }
}
