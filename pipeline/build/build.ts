/**
 * The build: load and check the document once, make each edition's publication once, run every
 * requested writer on it, stage the outputs and swap them into place only if all succeeded.
 */
import { createHash } from "node:crypto";
import { availableParallelism } from "node:os";
import path from "node:path";
import type { VFile } from "vfile";
import { ConfigError } from "../errors.ts";
import { hasErrors, loadDocument } from "../load.ts";
import { FORMATS, type Format, type Output, type Publication } from "../model.ts";
import { loadEditions, translationLanguages } from "../i18n/translations.ts";
import { createPublication } from "../transform/publication.ts";
import { writers } from "../writers/index.ts";
import { renderIndexPage, type IndexEntry } from "../writers/html/index-page.ts";
import { resolveEpoch } from "./epoch.ts";
import { Staging } from "./output.ts";
import { ResourcePool } from "./resources.ts";
import { CHANGES_FILE, createManifest, MANIFEST_FILE, readManifest, renderChangeReport, signatoryChanges } from "./manifest.ts";

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
  sha256: string;
}

export interface BuildResult {
  ok: boolean;
  /** Files with diagnostics, to report. */
  files: VFile[];
  outputs: BuiltFile[];
  ms: number;
  /** Outputs reused from an earlier build of this builder (unchanged inputs). */
  reused?: number;
}

/** Languages this document can be built in: the source language and those with translations. */
export function availableLanguages(sourceLang: string, translationLangs: readonly string[]): string[] {
  return [sourceLang, ...translationLangs.filter((l) => l !== sourceLang).sort()];
}

/** One-shot build: a fresh builder, disposed at the end (the browser is closed). */
export async function build(options: BuildOptions): Promise<BuildResult> {
  const builder = new Builder();
  try {
    return await builder.build(options);
  } finally {
    await builder.dispose();
  }
}

/**
 * A builder keeps what is worth keeping between builds (`letterpress watch`): the warm browser and
 * the outputs of editions whose inputs did not change, reused by content hash.
 */
export class Builder {
  readonly resources = new ResourcePool();
  private readonly cache = new Map<string, Output>();

  async dispose(): Promise<void> {
    await this.resources.dispose();
  }

  async build(options: BuildOptions): Promise<BuildResult> {
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

    // Everything an edition's outputs depend on, hashed: the document and its data, the edition's
    // PO file, the set of languages (language switchers) and the epoch.
    const common = createHash("sha256")
      .update(files.filter((f) => !translated.some((t) => t.file === f)).map((f) => `${f.path}\0${String(f.value)}`).join("\0"))
      .update(`\0${available.join(",")}\0${epoch}`)
      .digest("hex");
    const editionHash = (lang: string) =>
      createHash("sha256").update(common).update(String(editionFiles.get(lang)?.value ?? "")).update(lang).digest("hex");

    const previous = await readManifest(options.outDir);
    const partial = langs.length < available.length || options.formats.length < FORMATS.length;
    const staging = await Staging.open(options.outDir, partial);
    const outputs: BuiltFile[] = [];
    let reused = 0;
    try {
      const tasks = publications.flatMap((pub) => options.formats.map((format) => ({ pub, format })));
      await runLimited(tasks, Math.max(1, availableParallelism()), async ({ pub, format }) => {
        const t0 = performance.now();
        const key = `${format}\0${editionHash(pub.lang)}`;
        let output = this.cache.get(key);
        if (output) reused++;
        else {
          output = await writers[format].write(pub, { root: options.root, resources: this.resources, file: editionFiles.get(pub.lang)! });
          this.cache.set(key, output);
        }
        const relative = path.posix.join(pub.lang, output.path);
        const bytes = await staging.write(relative, output.data);
        outputs.push({ path: relative, bytes, lang: pub.lang, format, sha256: sha256(output.data) });
        options.onProgress?.({ lang: pub.lang, format, path: relative, bytes, ms: performance.now() - t0 });
      });
      if (hasErrors(files)) {
        await staging.abort();
        return { ok: false, files, outputs: [], ms: performance.now() - started };
      }
      outputs.sort((a, b) => a.path.localeCompare(b.path));
      const entries: IndexEntry[] = publications.map((pub) => ({
        pub,
        files: outputs.filter((o) => o.lang === pub.lang).map((o) => ({ path: o.path, bytes: o.bytes, format: o.format! })),
      }));
      const index = await renderIndexPage(entries, staging.dir);
      outputs.push({ path: "index.html", bytes: await staging.write("index.html", index), sha256: sha256(index) });
      const changes = signatoryChanges(previous, doc.signatories);
      const report = renderChangeReport(changes, doc.meta.title);
      outputs.push({ path: CHANGES_FILE, bytes: await staging.write(CHANGES_FILE, report), sha256: sha256(report) });
      const manifest = await createManifest({
        doc,
        dir: staging.dir,
        epoch,
        inputHash: common,
        languages: available,
        coverage: Object.fromEntries(translated.map((t) => [t.lang, t.overlay?.stats])),
        changes,
      });
      outputs.push({ path: MANIFEST_FILE, bytes: await staging.write(MANIFEST_FILE, manifest), sha256: sha256(manifest) });
      await staging.commit();
    } catch (error) {
      await staging.abort();
      throw error;
    }
    return { ok: true, files, outputs, ms: performance.now() - started, reused };
  }
}

function sha256(data: Uint8Array | string): string {
  return createHash("sha256").update(data).digest("hex");
}

/** Run tasks with at most `limit` in flight (writers overlap with Chromium's own processes). */
async function runLimited<T>(tasks: readonly T[], limit: number, run: (task: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < tasks.length) {
      const task = tasks[next++]!;
      await run(task);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, tasks.length) }, worker));
}
