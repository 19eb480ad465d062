/**
 * The build: load and check the document once, make each edition's publication once, run every
 * requested writer on it, stage the outputs and swap them into place only if all succeeded.
 */
import path from "node:path";
import type { VFile } from "vfile";
import { ConfigError } from "../errors.ts";
import { hasErrors, loadDocument } from "../load.ts";
import type { Format, Output, Publication } from "../model.ts";
import { loadEditions, translationLanguages } from "../i18n/translations.ts";
import { createPublication } from "../transform/publication.ts";
import { writers } from "../writers/index.ts";
import { renderIndexPage, type IndexEntry } from "../writers/html/index-page.ts";
import { resolveEpoch } from "./epoch.ts";
import { Staging } from "./output.ts";
import { ResourcePool } from "./resources.ts";

export interface BuildOptions {
  /** The Markdown document. */
  input: string;
  /** Output folder (`dist`). */
  outDir: string;
  /** Project root: where `translations/` and `node_modules/` are. */
  root: string;
  /** Languages to build; default: the source language and every translation. */
  langs?: readonly string[];
  formats: readonly Format[];
  /** Untranslated or fuzzy segments are errors instead of warnings. */
  strict?: boolean;
  env?: NodeJS.ProcessEnv;
  /** Called as outputs are written (the CLI prints progress). */
  onProgress?: (event: ProgressEvent) => void;
}

export interface ProgressEvent {
  lang: string;
  format: Format;
  path: string;
  bytes: number;
  ms: number;
}

export interface BuiltFile {
  /** Path relative to the output folder. */
  path: string;
  bytes: number;
  lang?: string;
  format?: Format;
}

export interface BuildResult {
  ok: boolean;
  /** Files with diagnostics, to report. */
  files: VFile[];
  outputs: BuiltFile[];
  ms: number;
}

/** Languages this document can be built in: the source language and those with translations. */
export function availableLanguages(sourceLang: string, translationLangs: readonly string[]): string[] {
  return [sourceLang, ...translationLangs.filter((l) => l !== sourceLang).sort()];
}

export async function build(options: BuildOptions): Promise<BuildResult> {
  const started = performance.now();
  const { doc, files } = await loadDocument(options.input);
  if (!doc || hasErrors(files)) return { ok: false, files, outputs: [], ms: performance.now() - started };

  const available = availableLanguages(doc.meta.lang, await translationLanguages(options.root, doc.slug));
  const langs = options.langs && options.langs.length > 0 ? [...options.langs] : available;
  for (const lang of langs) {
    if (!available.includes(lang)) {
      throw new ConfigError(`No edition in \`${lang}\`: available languages are ${available.join(", ")}`, {
        hint: `start one with \`letterpress translations update --lang ${lang}\``,
      });
    }
  }
  const epoch = resolveEpoch(doc.path, options.env);
  const translated = await loadEditions(doc, options.root, langs.filter((l) => l !== doc.meta.lang), { strict: options.strict ?? false });
  files.push(...translated.map((t) => t.file));
  if (hasErrors(files)) return { ok: false, files, outputs: [], ms: performance.now() - started };
  const editionFiles = new Map<string, VFile>([[doc.meta.lang, doc.file], ...translated.map((t): [string, VFile] => [t.lang, t.file])]);
  const publications: Publication[] = langs.map((lang) => {
    const overlay = translated.find((t) => t.lang === lang)?.overlay;
    return createPublication(doc, {
      lang,
      languages: available,
      epoch,
      ...(overlay ? { tree: overlay.tree, meta: overlay.meta, catalog: overlay.catalog } : {}),
    });
  });

  const partial = langs.length < available.length || options.formats.length < Object.keys(writers).length;
  const staging = await Staging.open(options.outDir, partial);
  const resources = new ResourcePool();
  const outputs: BuiltFile[] = [];
  try {
    for (const pub of publications) {
      for (const format of options.formats) {
        const t0 = performance.now();
        const output: Output = await writers[format].write(pub, { root: options.root, resources, file: editionFiles.get(pub.lang)! });
        const relative = path.posix.join(pub.lang, output.path);
        const bytes = await staging.write(relative, output.data);
        outputs.push({ path: relative, bytes, lang: pub.lang, format });
        options.onProgress?.({ lang: pub.lang, format, path: relative, bytes, ms: performance.now() - t0 });
      }
    }
    if (hasErrors(files)) {
      await staging.abort();
      return { ok: false, files, outputs: [], ms: performance.now() - started };
    }
    const entries: IndexEntry[] = publications.map((pub) => ({
      pub,
      files: outputs.filter((o) => o.lang === pub.lang).map((o) => ({ path: o.path, bytes: o.bytes, format: o.format! })),
    }));
    const index = await renderIndexPage(entries, staging.dir);
    outputs.push({ path: "index.html", bytes: await staging.write("index.html", index) });
    await staging.commit();
  } catch (error) {
    await staging.abort();
    throw error;
  } finally {
    await resources.dispose();
  }
  return { ok: true, files, outputs, ms: performance.now() - started };
}
