/**
 * Letterpress as a library: `import { build, check } from "letterpress"`.
 *
 * Problems in the document, its data or its translations are vfile messages (file, line, column,
 * rule id), returned, never thrown; configuration mistakes (a missing document, an unknown format
 * or language, an unwritable output folder) throw a `ConfigError`. Nothing here prints.
 */
import { existsSync } from "node:fs";
import path from "node:path";
import type { VFile } from "vfile";
import type { VFileMessage } from "vfile-message";
import { build as runBuild, type BuiltFile, type ProgressEvent } from "./build/build.ts";
import { ConfigError } from "./errors.ts";
import { loadEditions, translationLanguages } from "./i18n/translations.ts";
import { loadDocument } from "./load.ts";
import type { Format } from "./model.ts";
import { parseFormats } from "./writers/index.ts";

export { ConfigError } from "./errors.ts";
export { FORMATS } from "./model.ts";
export type { Format } from "./model.ts";
export type { BuiltFile, ProgressEvent } from "./build/build.ts";
export type { VFileMessage } from "vfile-message";

export interface BuildOptions {
  /** The Markdown document (`source/open-letter.md`). */
  document: string;
  /** Output folder; default `dist` in the project root. */
  out?: string;
  /** Languages to build (`["en", "fr"]`); default: the source language and every translation. */
  languages?: readonly string[];
  /** Formats to build; default: all of {@link FORMATS}. */
  formats?: readonly (Format | (string & {}))[];
  /** Untranslated or fuzzy segments are errors instead of warnings. */
  strict?: boolean;
  /** Publish translations that are not complete, marked as partial (default: leave them out, listed in `skipped`). */
  partial?: boolean;
  /** Project root (where `translations/` is); default: the nearest folder above the document with a package.json. */
  root?: string;
  /** Called as each output is written. */
  onProgress?: (event: ProgressEvent) => void;
}

export interface BuildResult {
  /** False when the input has errors: nothing was written and the output folder is as it was. */
  ok: boolean;
  /** Absolute paths of the files written (empty when `ok` is false). */
  files: string[];
  /** The same files relative to `out`, with size, language, format and sha256. */
  outputs: BuiltFile[];
  /** Every diagnostic: errors (`fatal: true`) and warnings, with file, line, column and rule id. */
  messages: VFileMessage[];
  /** The output folder (absolute). */
  out: string;
  /** Milliseconds the build took. */
  ms: number;
  /** Languages not published because their translation is not complete (see `partial`). */
  skipped: string[];
}

export interface CheckOptions {
  document: string;
  /** Untranslated or fuzzy segments are errors instead of warnings. */
  strict?: boolean;
  /** Languages whose translations are checked; default: every translation. */
  languages?: readonly string[];
  root?: string;
}

/** The nearest folder above `from` with a package.json (else `from` itself). */
export function projectRoot(from: string): string {
  let dir = path.resolve(from);
  for (;;) {
    if (existsSync(path.join(dir, "package.json"))) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) return path.resolve(from);
    dir = parent;
  }
}

function requireDocument(options: { document?: unknown }): string {
  if (typeof options?.document !== "string" || options.document === "") {
    throw new ConfigError("`document` must be the path of a Markdown file", { hint: 'build({ document: "source/open-letter.md" })' });
  }
  return options.document;
}

function messagesOf(files: readonly VFile[]): VFileMessage[] {
  return files.flatMap((f) => f.messages);
}

/** Build the editions of a document; resolves to the files written and every message. */
export async function build(options: BuildOptions): Promise<BuildResult> {
  const document = requireDocument(options);
  const root = path.resolve(options.root ?? projectRoot(path.dirname(path.resolve(document))));
  const out = path.resolve(options.out ?? path.join(root, "dist"));
  if (options.languages !== undefined && (!Array.isArray(options.languages) || options.languages.some((l) => typeof l !== "string"))) {
    throw new ConfigError("`languages` must be an array of language codes, such as [\"en\", \"fr\"]");
  }
  const result = await runBuild({
    input: document,
    outDir: out,
    root,
    formats: parseFormats(options.formats ? [...options.formats] : undefined),
    ...(options.languages?.length ? { langs: options.languages } : {}),
    strict: options.strict === true,
    partial: options.partial === true,
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
  });
  return {
    ok: result.ok,
    files: result.ok ? result.outputs.map((o) => path.join(out, ...o.path.split("/"))) : [],
    outputs: result.ok ? result.outputs : [],
    messages: messagesOf(result.files),
    out,
    ms: result.ms,
    skipped: result.ok ? (result.skipped ?? []) : [],
  };
}

/** Check a document, its data and its translations; resolves to every message (nothing is written). */
export async function check(options: CheckOptions): Promise<VFileMessage[]> {
  const document = requireDocument(options);
  const { doc, files } = await loadDocument(document);
  if (doc) {
    const root = path.resolve(options.root ?? projectRoot(path.dirname(doc.path)));
    const translations = await translationLanguages(root, doc.slug);
    const langs = options.languages?.length ? options.languages.filter((l) => l !== doc.meta.lang) : translations;
    const unknown = langs.find((l) => !translations.includes(l));
    if (unknown !== undefined) throw new ConfigError(`No edition in \`${unknown}\`: available languages are ${[doc.meta.lang, ...translations].join(", ")}`);
    for (const edition of await loadEditions(doc, root, langs, { strict: options.strict === true })) files.push(edition.file);
  }
  return messagesOf(files);
}

/** True when any message is an error. */
export function hasFatal(messages: readonly VFileMessage[]): boolean {
  return messages.some((m) => m.fatal === true);
}
