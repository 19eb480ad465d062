/**
 * Translations of a document live in `translations/<lang>/<slug>.po` (and the template in
 * `translations/<slug>.pot`) under the project root, the gettext layout of one domain per letter:
 * a letter's file name is its id. Two letters with the same file name in different folders would
 * share these files; each PO file names its letter in its `#:` references, so a file made for
 * another letter that still exists is refused instead of shared. This module finds them, loads
 * them with located diagnostics, and updates them from the current source.
 */
import { existsSync } from "node:fs";
import { mkdir, readdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import type { VFile } from "vfile";
import { ConfigError } from "../errors.ts";
import type { LoadedDocument } from "../load.ts";
import { keyOf, type Memo } from "../memo.ts";
import { readText } from "../parse/read.ts";
import { resolveEpoch } from "../build/epoch.ts";
import { PLURAL_FORMS } from "./labels.ts";
import { parsePluralForms, pluralRulesOf, sameLanguage, samePluralForms } from "./lang.ts";
import { applyOverlay, statsOf, translates, type Overlay, type OverlayOptions, type TranslationStats } from "./overlay.ts";
import { mergeEntries, poHeaders, readPlainEntries, readPo, writePo, type PoFile } from "./po.ts";
import { extractSegments, segmentMap, type Segment } from "./segments.ts";
// XLIFF (and its XML libraries, libxml2 among them) loads only for export and import.
import type { ImportSummary } from "./xliff.ts";

export interface Translation {
  lang: string;
  file: VFile;
  po: PoFile | undefined;
}

export function translationsDir(root: string): string {
  return path.join(root, "translations");
}

export function poPath(root: string, lang: string, slug: string): string {
  return path.join(translationsDir(root), lang, `${slug}.po`);
}

/** The document a PO or POT text was made from: the path of its first `#:` reference. */
export function letterOf(text: string): { path: string; line: number } | undefined {
  const lines = text.split("\n");
  const i = lines.findIndex((l) => l.startsWith("#: "));
  if (i < 0) return undefined;
  const match = /^#: (.+?):\d+(\s|$)/.exec(lines[i]!);
  return match ? { path: match[1]!, line: i + 1 } : undefined;
}

/**
 * When the translation text was made for another letter (another source file that still exists),
 * the reason to give; undefined when it belongs to `doc` (or to a file since moved or renamed).
 */
export function otherLetter(text: string, root: string, docPath: string): { path: string; line: number } | undefined {
  const owner = letterOf(text);
  const own = path.relative(root, docPath).split(path.sep).join("/");
  if (!owner || owner.path === own || !existsSync(path.join(root, owner.path))) return undefined;
  return owner;
}

/** Languages with a PO file for this document. */
export async function translationLanguages(root: string, slug: string): Promise<string[]> {
  const dir = translationsDir(root);
  if (!existsSync(dir)) return [];
  const entries = await readdir(dir, { withFileTypes: true });
  return entries
    .filter((e) => e.isDirectory() && existsSync(path.join(dir, e.name, `${slug}.po`)))
    .map((e) => e.name)
    .sort();
}

/** Read and check one language's PO file (syntax, Language and Plural-Forms headers). */
export async function loadTranslation(root: string, slug: string, lang: string, memo?: Memo): Promise<Translation> {
  const file = await readText(poPath(root, lang, slug));
  if (file.messages.some((m) => m.fatal)) return { lang, file, po: undefined };
  const text = String(file.value);
  const read = () => {
    const po = readPo(text, file);
    if (po) checkHeaders(po, lang, text, file);
    return po;
  };
  // With `memo` (watch), a PO file is parsed again only when its text changed.
  return { lang, file, po: memo ? memo.run(`po ${lang}`, keyOf(file.path, text), file, read) : read() };
}

function checkHeaders(po: PoFile, lang: string, text: string, file: VFile) {
  const lines = text.split("\n");
  const lineOf = (header: string) => {
    const i = lines.findIndex((l) => l.startsWith(`"${header}:`));
    return { line: i >= 0 ? i + 1 : 1, column: 1 };
  };
  const language = po.headers.Language;
  if (language && !sameLanguage(language, lang)) {
    file.message(`Header Language is \`${language}\` but the file is in translations/${lang}/`, { place: lineOf("Language"), ruleId: "po-header", source: "letterpress:translations" }).fatal = true;
  }
  const rules = pluralRulesOf(lang);
  const actual = po.headers["Plural-Forms"];
  if (rules && !(actual && samePluralForms(actual, rules.header))) {
    const parsed = actual ? parsePluralForms(actual) : undefined;
    const why = !actual ? " (missing)" : !parsed ? ` (found \`${actual}\`, which is not a gettext plural expression)` : ` (found \`${actual}\`, which gives other forms)`;
    file.message(`Plural-Forms header for \`${lang}\` must mean \`${rules.header}\`${why}`, { place: lineOf("Plural-Forms"), ruleId: "po-plural-forms", source: "letterpress:translations" }).fatal = true;
  }
  if (!/charset=utf-8/i.test(po.headers["Content-Type"] ?? "")) {
    file.message("Content-Type header must declare charset=UTF-8", { place: lineOf("Content-Type"), ruleId: "po-header", source: "letterpress:translations" }).fatal = true;
  }
  if (rules) checkPluralCounts(po, lang, rules.nplurals, file);
}

/**
 * A plural entry must have one msgstr per plural form of the language (CLDR categories, as
 * gettext's nplurals). One with another count is an error and is not used: with it an edition
 * would print the wrong form for some counts.
 */
function checkPluralCounts(po: PoFile, lang: string, nplurals: number, file: VFile) {
  for (const entry of po.entries) {
    if (entry.obsolete || entry.msgidPlural === undefined || entry.msgstr.every((m) => m === "")) continue;
    if (entry.msgstr.length === nplurals) continue;
    file.message(`\`${entry.context}\` has ${entry.msgstr.length} plural form(s); \`${lang}\` has ${nplurals} (${pluralRulesOf(lang)!.categories.join(", ")})`, {
      place: { line: entry.line, column: 1 },
      ruleId: "po-plural-count",
      source: "letterpress:translations",
    }).fatal = true;
    entry.msgstr = entry.msgstr.map(() => "");
  }
}

/** Problems `translations update` must not paper over: it would drop a translation. */
const UPDATE_BLOCKERS = new Set(["po-syntax", "po-duplicate", "po-plural-count"]);

export interface LoadedEdition {
  lang: string;
  file: VFile;
  overlay: Overlay | undefined;
}

/**
 * Load every translation and overlay it on the canonical document. With `memo` (watch), a language
 * whose PO file, document and options did not change keeps its overlay (a signatory edit changes
 * none of them).
 */
export async function loadEditions(
  doc: LoadedDocument,
  root: string,
  langs: readonly string[],
  options: OverlayOptions = {},
  memo?: Memo,
): Promise<LoadedEdition[]> {
  if (langs.length === 0) return [];
  let segments: readonly Segment[] | undefined;
  // What every overlay depends on besides its PO file: the canonical tree (with embedded images),
  // the document's text (front matter) and the options.
  const common = memo && keyOf(String(doc.file.value), JSON.stringify(doc.tree), options.strict ? "strict" : "", options.partial ? "partial" : "");
  return Promise.all(
    langs.map(async (lang) => {
      const t = await loadTranslation(root, doc.slug, lang, memo);
      const other = t.po && otherLetter(String(t.file.value), root, doc.path);
      if (other) {
        const own = path.relative(root, doc.path).split(path.sep).join("/");
        t.file.message(`This file translates ${other.path}, not ${own}: two letters with the same file name share translations/<lang>/${doc.slug}.po; rename one of the two files (a letter's file name is its id)`, {
          place: { line: other.line, column: 4 },
          ruleId: "translation-other-letter",
          source: "letterpress:translations",
        }).fatal = true;
      }
      if (!t.po || t.file.messages.some((m) => m.fatal)) return { lang, file: t.file, overlay: undefined };
      const po = t.po;
      const overlay = () => applyOverlay(doc, (segments ??= extractSegments(doc)), po, lang, t.file, options);
      return { lang, file: t.file, overlay: memo && common ? memo.run(`overlay ${lang}`, keyOf(common, String(t.file.value)), t.file, overlay) : overlay() };
    }),
  );
}

/**
 * Whether a language's PO file translates every passage of the letter (labels aside), without
 * overlaying it: for the languages a partial build does not make, whose editions are listed.
 */
export async function isComplete(doc: LoadedDocument, root: string, lang: string, memo?: Memo): Promise<boolean> {
  // A file in the plain layout is read line by line; any other is parsed (gettext-parser), as is
  // one where a passage has a plural entry (the parse's plural check may empty it).
  const file = await readText(poPath(root, lang, doc.slug));
  if (file.messages.some((m) => m.fatal)) return false;
  const passages = extractSegments(doc).filter((s) => s.kind !== "label" && s.kind !== "plural");
  const plain = readPlainEntries(String(file.value));
  if (plain && !passages.some((s) => plain.get(s.context)?.plural)) return passages.every((s) => translates(plain.get(s.context), s));
  const t = await loadTranslation(root, doc.slug, lang, memo);
  if (!t.po) return false;
  const entries = new Map(t.po.entries.filter((e) => !e.obsolete).map((e) => [e.context, e]));
  return passages.every((s) => translates(entries.get(s.context), s));
}

export interface UpdateResult {
  pot: string;
  files: Array<{ lang: string; path: string; stats: TranslationStats; created: boolean }>;
}

/** `letterpress translations update`: write the POT and create or merge each PO file. */
export async function updateTranslations(doc: LoadedDocument, root: string, newLangs: readonly string[] = []): Promise<UpdateResult> {
  const segments = extractSegments(doc);
  const map = segmentMap(segments);
  const epoch = await resolveEpoch(doc.path);
  const sourcePath = path.relative(root, doc.path).split(path.sep).join("/");
  const dir = translationsDir(root);
  await mkdir(dir, { recursive: true });
  const potPath = path.join(dir, `${doc.slug}.pot`);
  const otherPot = existsSync(potPath) ? otherLetter(await readFile(potPath, "utf8"), root, doc.path) : undefined;
  if (otherPot) throw new ConfigError(`${path.relative(root, potPath)} is the template of ${otherPot.path}, another letter with the same file name`, { hint: "rename one of the two letters' files (a letter's file name is its id)" });
  const template = segments.map((s) => ({
    context: s.context,
    msgid: s.source,
    ...(s.sourcePlural ? { msgidPlural: s.sourcePlural } : {}),
    msgstr: s.sourcePlural ? ["", ""] : [""],
    fuzzy: false,
    obsolete: false,
    line: 0,
  }));
  await writeFile(potPath, writePo(poHeaders(doc.slug, undefined, {}, epoch), template, map, sourcePath));

  const langs = [...new Set([...(await translationLanguages(root, doc.slug)), ...newLangs])].sort();
  const files: UpdateResult["files"] = [];
  for (const lang of langs) {
    if (lang === doc.meta.lang) continue;
    const rules = pluralRulesOf(lang);
    if (!rules) {
      throw new ConfigError(`No plural rules known for \`${lang}\`; supported: ${Object.keys(PLURAL_FORMS).join(", ")}`);
    }
    const target = poPath(root, lang, doc.slug);
    const created = !existsSync(target);
    let old: PoFile = { headers: {}, entries: [] };
    if (!created) {
      const t = await loadTranslation(root, doc.slug, lang);
      const other = otherLetter(String(t.file.value), root, doc.path);
      if (other) throw new ConfigError(`${path.relative(root, target)} translates ${other.path}, another letter with the same file name`, { hint: "rename one of the two letters' files (a letter's file name is its id)" });
      const blocker = t.file.messages.find((x) => x.fatal && UPDATE_BLOCKERS.has(x.ruleId ?? ""));
      if (!t.po || blocker) {
        const m = blocker ?? t.file.messages.find((x) => x.fatal);
        throw new ConfigError(`Cannot update ${t.file.path}: ${m ? `${m.line}:${m.column} ${m.reason}` : "unreadable"}`);
      }
      old = t.po;
    }
    const entries = mergeEntries(segments, old.entries, rules.nplurals);
    await mkdir(path.dirname(target), { recursive: true });
    await writeFile(target, writePo(poHeaders(doc.slug, lang, old.headers, epoch), entries, map, sourcePath, old.headerComment));
    files.push({ lang, path: target, created, stats: statsOf(segments, { headers: {}, entries }, lang) });
  }
  return { pot: potPath, files };
}

/** `letterpress translations export --lang xx`: XLIFF 2.0 of the language's PO entries. */
export async function exportTranslation(doc: LoadedDocument, root: string, lang: string, out?: string): Promise<string> {
  const t = await loadTranslation(root, doc.slug, lang);
  if (!t.po) throw new ConfigError(`Cannot read ${t.file.path}: ${t.file.messages[0]?.reason ?? "invalid"}`);
  const segments = extractSegments(doc);
  const target = out ?? path.join(translationsDir(root), lang, `${doc.slug}.xlf`);
  const original = path.relative(root, doc.path).split(path.sep).join("/");
  const { exportXliff } = await import("./xliff.ts");
  await writeFile(target, exportXliff(segments, t.po.entries, doc.meta.lang, lang, original, pluralRulesOf(lang)?.categories));
  return target;
}

export interface ImportResult {
  lang: string | undefined;
  /** The PO file written, if any. */
  path: string | undefined;
  summary: ImportSummary;
  /** Messages about the XLIFF file (located), and about the PO file it was merged into. */
  files: VFile[];
}

/**
 * `letterpress translations import file.xlf [--lang xx]`: merge an XLIFF 2 file's targets into the
 * language's PO file. A file that is not valid XLIFF 2, or whose languages are not the document's
 * and the PO file's, changes nothing; units that cannot be applied are rejected one by one (see
 * importUnits) and the rest is written.
 */
export async function importTranslation(doc: LoadedDocument, root: string, xliffPath: string, expectedLang?: string): Promise<ImportResult> {
  const summary: ImportSummary = { translated: 0, fuzzy: 0, unchanged: 0, rejected: 0 };
  const xfile = await readText(xliffPath);
  if (xfile.messages.some((m) => m.fatal)) return { lang: undefined, path: undefined, summary, files: [xfile] };
  const { importUnits, readXliff } = await import("./xliff.ts");
  const parsed = readXliff(String(xfile.value), xfile);
  const files = [xfile];
  if (!parsed) return { lang: undefined, path: undefined, summary, files };
  const fail = (reason: string) => {
    xfile.message(reason, { place: { line: 1, column: 1 }, ruleId: "xliff-lang", source: "letterpress:xliff" }).fatal = true;
    return { lang: parsed.trgLang, path: undefined, summary, files };
  };
  const { srcLang, trgLang } = parsed;
  if (!trgLang) return fail("The <xliff> element has no trgLang: which language is this?");
  if (srcLang && !sameLanguage(srcLang, doc.meta.lang)) return fail(`srcLang is \`${srcLang}\` but the document is in \`${doc.meta.lang}\``);
  if (expectedLang && !sameLanguage(trgLang, expectedLang)) return fail(`trgLang is \`${trgLang}\` but the import is for \`${expectedLang}\`; nothing was imported`);
  const langs = await translationLanguages(root, doc.slug);
  const lang = expectedLang ?? langs.find((l) => l === trgLang) ?? langs.find((l) => sameLanguage(l, trgLang));
  if (!lang || !existsSync(poPath(root, lang, doc.slug))) return fail(`No translations/${trgLang}/${doc.slug}.po to import into; run \`letterpress translations update --lang ${trgLang}\` first`);
  const t = await loadTranslation(root, doc.slug, lang);
  files.push(t.file);
  if (!t.po || t.file.messages.some((m) => m.fatal && UPDATE_BLOCKERS.has(m.ruleId ?? ""))) return { lang, path: undefined, summary, files };
  if (t.po.headers.Language && !sameLanguage(t.po.headers.Language, trgLang)) return fail(`trgLang is \`${trgLang}\` but ${path.relative(root, t.file.path)} is \`${t.po.headers.Language}\`; nothing was imported`);
  const segments = extractSegments(doc);
  const result = importUnits(t.po.entries, parsed.units, segments, xfile);
  const target = poPath(root, lang, doc.slug);
  const sourcePath = path.relative(root, doc.path).split(path.sep).join("/");
  if (result.summary.translated + result.summary.fuzzy > 0) {
    await writeFile(target, writePo(t.po.headers, result.entries, segmentMap(segments), sourcePath, t.po.headerComment));
  }
  return { lang, path: target, summary: result.summary, files };
}

export { extractSegments, type Segment };
