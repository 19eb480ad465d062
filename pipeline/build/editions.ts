/**
 * Prepare the editions of a document once: load and check the canonical document, overlay each
 * requested translation, and make one `Publication` per language. `build`, `watch` and `deliver`
 * all start here.
 */
import { createHash } from "node:crypto";
import path from "node:path";
import type { VFile } from "vfile";
import { ConfigError } from "../errors.ts";
import { loadEditions, translationLanguages } from "../i18n/translations.ts";
import type { TranslationStats } from "../i18n/overlay.ts";
import { hasErrors, loadDocument, type LoadedDocument } from "../load.ts";
import type { Memo } from "../memo.ts";
import type { Publication } from "../model.ts";
import { createPublication } from "../transform/publication.ts";
import { gitCommit, resolveEpoch } from "./epoch.ts";

export interface EditionRequest {
  input: string;
  root: string;
  /** Languages to prepare; default: the source language and every translation. */
  langs?: readonly string[];
  strict?: boolean;
  env?: NodeJS.ProcessEnv;
}

export interface PreparedEditions {
  doc: LoadedDocument;
  /** Every file with diagnostics (document, data, PO files). */
  files: VFile[];
  /** All languages the document exists in. */
  available: string[];
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

  const available = availableLanguages(doc.meta.lang, await translationLanguages(request.root, doc.slug));
  const langs = request.langs && request.langs.length > 0 ? [...request.langs] : available;
  for (const lang of langs) {
    if (!available.includes(lang)) {
      throw new ConfigError(`No edition in \`${lang}\`: available languages are ${available.join(", ")}`, {
        hint: `start one with \`letterpress translations update --lang ${lang}\``,
      });
    }
  }
  const epoch = await epochOf;
  const translated = await loadEditions(doc, request.root, langs.filter((l) => l !== doc.meta.lang), { strict: request.strict ?? false }, memo);
  files.push(...translated.map((t) => t.file));
  if (hasErrors(files)) return { ok: false, files };

  const fileOf = new Map<string, VFile>([[doc.meta.lang, doc.file], ...translated.map((t): [string, VFile] => [t.lang, t.file])]);
  const publications = langs.map((lang) => {
    const overlay = translated.find((t) => t.lang === lang)?.overlay;
    return createPublication(doc, {
      lang,
      languages: available,
      epoch,
      ...(overlay ? { tree: overlay.tree, meta: overlay.meta, catalog: overlay.catalog } : {}),
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
      coverage: Object.fromEntries(translated.map((t) => [t.lang, t.overlay?.stats])),
      epoch,
      commit,
      hashOf,
      inputHash,
    },
  };
}
