/**
 * Prepare the editions of a document once: load and check the canonical document, overlay each
 * requested translation, and make one `Publication` per language. `build`, `watch` and `deliver`
 * all start here.
 */
import { createHash } from "node:crypto";
import path from "node:path";
import type { VFile } from "vfile";
import { ConfigError } from "../errors.ts";
import { isComplete, loadEditions, translationLanguages } from "../i18n/translations.ts";
import type { TranslationStats } from "../i18n/overlay.ts";
import { hasErrors, loadDocument, type LoadedDocument } from "../load.ts";
import type { Memo } from "../memo.ts";
import type { Publication } from "../model.ts";
import { createPublication } from "../transform/publication.ts";
import { Labels } from "../i18n/labels.ts";
import { gitCommit, resolveEpoch } from "./epoch.ts";

export interface EditionRequest {
  input: string;
  root: string;
  /** Languages to prepare; default: the source language and every translation. */
  langs?: readonly string[];
  strict?: boolean;
  /** Publish editions whose text is not fully translated, marked as partial (default: skip them). */
  partial?: boolean;
  env?: NodeJS.ProcessEnv;
}

export interface PreparedEditions {
  doc: LoadedDocument;
  /** Every file with diagnostics (document, data, PO files). */
  files: VFile[];
  /** All languages the document is published in (translations not fully translated are left out unless `partial`). */
  available: string[];
  /** Languages left out because their text is not fully translated (the PO file's warning says why). */
  skipped: string[];
  /** Languages published with passages left in English (`partial`). */
  partial: string[];
  publications: Publication[];
  /** The file an edition's diagnostics belong to (the PO file for translations). */
  fileOf: Map<string, VFile>;
  coverage: Record<string, TranslationStats | undefined>;
  epoch: number;
  /** The checked-out commit, if the document is in a git checkout (for the record: manifest.json). */
  commit: Promise<string | undefined>;
  /** Hash of everything the edition's outputs depend on. */
  hashOf: (lang: string) => string;
  /** Hash of the inputs shared by all editions. */
  inputHash: string;
}

/** Languages this document can be built in: the source language and those with translations. */
export function availableLanguages(sourceLang: string, translationLangs: readonly string[]): string[] {
  return [sourceLang, ...translationLangs.filter((l) => l !== sourceLang).sort()];
}

/** Returns the prepared editions, or only the files when there are errors. `memo` keeps parses and overlays between builds. */
export async function prepareEditions(request: EditionRequest, memo?: Memo): Promise<{ ok: true; editions: PreparedEditions } | { ok: false; files: VFile[] }> {
  // Git answers while the document is read and parsed; the epoch and the record share its answer.
  const input = path.resolve(request.input);
  const commit = gitCommit(path.dirname(input));
  const epochOf = resolveEpoch(input, request.env, commit);
  epochOf.catch(() => undefined);
  const { doc, files } = await loadDocument(request.input, memo);
  if (!doc || hasErrors(files)) return { ok: false, files };

  const existing = availableLanguages(doc.meta.lang, await translationLanguages(request.root, doc.slug));
  const requested = request.langs && request.langs.length > 0 ? [...request.langs] : existing;
  for (const lang of requested) {
    if (!existing.includes(lang)) {
      throw new ConfigError(`No edition in \`${lang}\`: available languages are ${existing.join(", ")}`, {
        hint: `start one with \`letterpress translations update --lang ${lang}\``,
      });
    }
  }
  const epoch = await epochOf;
  // Whether a language is published at all depends on whether its text is complete (also for the
  // languages a partial build does not make: the language switchers list what is published).
  const translated = await loadEditions(doc, request.root, requested.filter((l) => l !== doc.meta.lang), { strict: request.strict ?? false, partial: request.partial ?? false }, memo);
  files.push(...translated.map((t) => t.file));
  if (hasErrors(files)) return { ok: false, files };
  const incomplete = new Set(translated.filter((t) => !t.overlay || t.overlay.incomplete > 0).map((t) => t.lang));
  // Their files are read at once: the reads overlap each other and the segments' serialisation.
  const unmade = existing.filter((l) => l !== doc.meta.lang && !requested.includes(l));
  const complete = await Promise.all(unmade.map((lang) => isComplete(doc, request.root, lang, memo)));
  unmade.forEach((lang, i) => {
    if (!complete[i]) incomplete.add(lang);
  });
  const skipped = request.partial ? [] : existing.filter((l) => incomplete.has(l));
  const available = existing.filter((l) => !skipped.includes(l));
  const langs = requested.filter((l) => !skipped.includes(l));

  const fileOf = new Map<string, VFile>([[doc.meta.lang, doc.file], ...translated.map((t): [string, VFile] => [t.lang, t.file])]);
  const publications = langs.map((lang) => {
    const overlay = translated.find((t) => t.lang === lang)?.overlay;
    // A partial edition says so, in its language, where a complete one says it is unofficial.
    const catalog = overlay && incomplete.has(lang)
      ? { ...overlay.catalog, text: { ...overlay.catalog.text, "unofficial-translation": new Labels(lang, overlay.catalog).get("partial-translation") } }
      : overlay?.catalog;
    return createPublication(doc, {
      lang,
      languages: available,
      epoch,
      ...(overlay ? { tree: overlay.tree, meta: overlay.meta, catalog: catalog! } : {}),
    });
  });
  const inputHash = createHash("sha256")
    .update(
      files
        .filter((f) => !translated.some((t) => t.file === f))
        .map((f) => `${path.relative(request.root, f.data.absolutePath ?? f.path)}\0${String(f.value)}`)
        .join("\0"),
    )
    .update(`\0${available.join(",")}\0${epoch}`)
    .digest("hex");
  const hashOf = (lang: string) =>
    createHash("sha256").update(inputHash).update(String(fileOf.get(lang)?.value ?? "")).update(lang).digest("hex");
  return {
    ok: true,
    editions: {
      doc,
      files,
      available,
      publications,
      fileOf,
      coverage: Object.fromEntries(translated.filter((t) => available.includes(t.lang)).map((t) => [t.lang, t.overlay?.stats])),
      skipped,
      partial: available.filter((l) => incomplete.has(l)),
      epoch,
      commit,
      hashOf,
      inputHash,
    },
  };
}
