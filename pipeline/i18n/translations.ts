/**
 * Translations of a document live in `translations/<lang>/<slug>.po` (and the template in
 * `translations/<slug>.pot`) under the project root. This module finds them, loads them with
 * located diagnostics, and updates them from the current source.
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
import { applyOverlay, statsOf, type Overlay, type OverlayOptions, type TranslationStats } from "./overlay.ts";
import { mergeEntries, poHeaders, readPo, writePo, type PoFile } from "./po.ts";
import { extractSegments, segmentMap, type Segment } from "./segments.ts";
import { exportXliff, importTargets, parseXliff } from "./xliff.ts";

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
  const lineOf = (header: string) => {
    const i = text.split("\n").findIndex((l) => l.startsWith(`"${header}:`));
    return { line: i >= 0 ? i + 1 : 1, column: 1 };
  };
  if (po.headers.Language && po.headers.Language !== lang) {
    file.message(`Header Language is \`${po.headers.Language}\` but the file is in translations/${lang}/`, { place: lineOf("Language"), ruleId: "po-header", source: "translations" }).fatal = true;
  }
  const expected = PLURAL_FORMS[lang.split("-")[0]!]?.header;
  const actual = po.headers["Plural-Forms"];
  const normal = (s: string | undefined) => s?.replace(/\s+/g, "").replace(/;$/, "");
  if (expected && normal(actual) !== normal(expected)) {
    file.message(`Plural-Forms header for \`${lang}\` must be \`${expected}\`${actual ? ` (found \`${actual}\`)` : " (missing)"}`, { place: lineOf("Plural-Forms"), ruleId: "po-plural-forms", source: "translations" }).fatal = true;
  }
  if (!/charset=utf-8/i.test(po.headers["Content-Type"] ?? "")) {
    file.message("Content-Type header must declare charset=UTF-8", { place: lineOf("Content-Type"), ruleId: "po-header", source: "translations" }).fatal = true;
  }
}

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
  let segments: Segment[] | undefined;
  // What every overlay depends on besides its PO file: the canonical tree (with embedded images),
  // the document's text (front matter) and the options.
  const common = memo && keyOf(String(doc.file.value), JSON.stringify(doc.tree), options.strict ? "strict" : "");
  return Promise.all(
    langs.map(async (lang) => {
      const t = await loadTranslation(root, doc.slug, lang, memo);
      if (!t.po || t.file.messages.some((m) => m.fatal)) return { lang, file: t.file, overlay: undefined };
      const po = t.po;
      const overlay = () => applyOverlay(doc, (segments ??= extractSegments(doc)), po, lang, t.file, options);
      return { lang, file: t.file, overlay: memo && common ? memo.run(`overlay ${lang}`, keyOf(common, String(t.file.value)), t.file, overlay) : overlay() };
    }),
  );
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
    const base = lang.split("-")[0]!;
    if (!PLURAL_FORMS[base]) {
      throw new ConfigError(`No plural rules known for \`${lang}\`; supported: ${Object.keys(PLURAL_FORMS).join(", ")}`);
    }
    const target = poPath(root, lang, doc.slug);
    const created = !existsSync(target);
    let old: PoFile = { headers: {}, entries: [] };
    if (!created) {
      const t = await loadTranslation(root, doc.slug, lang);
      if (!t.po) {
        const m = t.file.messages.find((x) => x.fatal);
        throw new ConfigError(`Cannot update ${t.file.path}: ${m ? `${m.line}:${m.column} ${m.reason}` : "unreadable"}`);
      }
      old = t.po;
    }
    const nplurals = Number(/nplurals=(\d+)/.exec(PLURAL_FORMS[base]!.header)?.[1] ?? 2);
    const entries = mergeEntries(segments, old.entries, nplurals);
    await mkdir(path.dirname(target), { recursive: true });
    await writeFile(target, writePo(poHeaders(doc.slug, lang, old.headers, epoch), entries, map, sourcePath));
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
  await writeFile(target, exportXliff(segments, t.po.entries, doc.meta.lang, lang, original));
  return target;
}

/** `letterpress translations import file.xlf`: merge an XLIFF 2.0 file's targets into the PO file. */
export async function importTranslation(doc: LoadedDocument, root: string, xliffPath: string): Promise<{ lang: string; path: string; updated: number; unknown: string[] }> {
  let xml: string;
  try {
    xml = await readFile(xliffPath, "utf8");
  } catch (error) {
    throw new ConfigError(`Cannot read ${xliffPath}`, { cause: error });
  }
  const { trgLang, units } = parseXliff(xml, xliffPath);
  if (!trgLang) throw new ConfigError(`${xliffPath}: the <xliff> element has no trgLang`);
  const t = await loadTranslation(root, doc.slug, trgLang);
  if (!t.po) throw new ConfigError(`Cannot read ${t.file.path}; run \`letterpress translations update --lang ${trgLang}\` first`);
  const segments = extractSegments(doc);
  const result = importTargets(t.po.entries, units);
  const target = poPath(root, trgLang, doc.slug);
  const sourcePath = path.relative(root, doc.path).split(path.sep).join("/");
  await writeFile(target, writePo(t.po.headers, result.entries, segmentMap(segments), sourcePath));
  return { lang: trgLang, path: target, updated: result.updated, unknown: result.unknown };
}

export { extractSegments, type Segment };
