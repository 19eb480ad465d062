/**
 * The build: load and check the document once, make each edition's publication once, run every
 * requested writer on it, stage the outputs and swap them into place only if all succeeded.
 */
import { webcrypto } from "node:crypto";
import { availableParallelism } from "node:os";
import path from "node:path";
import type { VFile } from "vfile";
import { hasErrors } from "../load.ts";
import { FORMATS, type Format, type Output } from "../model.ts";
import { writers } from "../writers/index.ts";
import { renderIndexPage } from "../writers/html/index-page.ts";
import { Memo } from "../memo.ts";
import { prepareEditions } from "./editions.ts";
import { isEditionOf, Staging } from "./output.ts";
import { ResourcePool } from "./resources.ts";
import { type Halt, runLimited } from "./tasks.ts";
import { changesFile, checkSameLetter, createManifest, LEGACY_CHANGES_FILE, LEGACY_MANIFEST_FILE, manifestFile, manifestJson, readManifest, renderChangeReport, signatoryChanges, type Manifest } from "./manifest.ts";

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
  /** Publish translations that are not complete, marked as partial (default: leave them out). */
  partial?: boolean;
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
  /** Outputs written so far (this one included) and in all, for progress. */
  done: number;
  total: number;
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
  /** Languages not published because their translation is not complete (see the PO files' warnings). */
  skipped?: string[];
  /** The letter's record, as written to `<slug>.manifest.json` (when `ok`). */
  manifest?: Manifest;
}

export { availableLanguages } from "./editions.ts";

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
 * A builder keeps what is worth keeping between builds (`letterpress watch`): the warm browser,
 * the parses and overlays whose inputs did not change, and the outputs of editions whose inputs
 * did not change, reused by content hash.
 */
export class Builder {
  readonly resources: ResourcePool;
  /**
   * The last output of each format and language, with the hash of the inputs it was made from:
   * reused while the hash is the same, replaced when it changes (so a long `watch` keeps one
   * version of each output, not all of them), and how long it took to make (ms; the longest
   * start first next time).
   */
  private readonly cache = new Map<string, { hash: string; output: Output; ms: number }>();
  /** The document's parse and each language's overlay, kept while their inputs do not change. */
  private readonly memo = new Memo();
  /**
   * The files the latest build read (the document, its data files, the translations), also when
   * that build then failed: what a watch must watch to see the input that fixes it. A build that
   * failed before reading leaves those of the build before.
   */
  read: readonly VFile[] = [];

  /** With `lasting`, writers keep what makes the next build cheaper (for `watch`). */
  constructor(options: { lasting?: boolean } = {}) {
    this.resources = new ResourcePool(options.lasting ?? false);
  }

  async dispose(): Promise<void> {
    await this.resources.dispose();
  }

  /**
   * Give back memory held without need once a build is done and nothing waits (`watch`): the
   * garbage of the build in the browser's renderers. Without it a watch session grows with each
   * rebuild. (This process is left to its collector: a full collection here after each build
   * makes the next build slower, V8 compiling again what it had thrown away.)
   */
  async trim(): Promise<void> {
    await this.resources.trim();
  }

  async build(options: BuildOptions): Promise<BuildResult> {
    const started = performance.now();
    // The browser is spawned first and comes up while the sources are parsed (a failure to start
    // surfaces in the writer).
    await Promise.all(options.formats.map((format) => writers[format].prepare?.(this.resources).catch(() => undefined)));
    const prepared = await prepareEditions(options, this.memo);
    this.read = prepared.ok ? prepared.editions.files : prepared.files;
    if (!prepared.ok) return { ok: false, files: prepared.files, outputs: [], ms: performance.now() - started };
    const { doc, files, available, skipped, partial: partialLangs, publications, fileOf: editionFiles, epoch, commit, hashOf: editionHash, inputHash: common, coverage } = prepared.editions;
    const langs = publications.map((p) => p.lang);

    // Other letters in the folder stay as they are; this letter's record says what it was.
    const sourcePath = path.relative(options.root, doc.path).split(path.sep).join("/");
    const previousRecord = await readManifest(options.outDir, doc.slug);
    const previous = previousRecord?.manifest;
    checkSameLetter(previous, sourcePath, options.root, options.outDir);
    const partial = langs.length < available.length || options.formats.length < FORMATS.length;
    // A full build leaves the letter's editions out of the staged folder: it makes them all again.
    const staging = await Staging.open(options.outDir, true, partial ? undefined : (relative) => isEditionOf(relative, doc.slug));
    const outputs: BuiltFile[] = [];
    let reused = 0;
    let manifest: Manifest;
    try {
      if (previousRecord?.legacy) for (const legacy of [LEGACY_MANIFEST_FILE, LEGACY_CHANGES_FILE]) await staging.remove(legacy);
      const tasks = publications.flatMap((pub) => options.formats.map((format) => ({ pub, format })));
      // Outputs rendered in the browser run one per core, alongside the formats written in this
      // process, one at a time (they share its single thread).
      // The longest first, by what each took last time (Arabic shaping makes its PDF the slowest),
      // so the build does not end waiting on one long output while a core is idle.
      const previousMs = (t: (typeof tasks)[number]) => this.cache.get(`${t.format}\0${t.pub.lang}`)?.ms ?? Infinity;
      const offloaded = tasks.filter((t) => writers[t.format].offloaded).sort((a, b) => previousMs(b) - previousMs(a));
      const inProcess = tasks.filter((t) => !writers[t.format].offloaded);
      const cores = Math.max(1, availableParallelism());
      const run = async ({ pub, format }: (typeof tasks)[number]) => {
        const t0 = performance.now();
        const key = `${format}\0${pub.lang}`;
        const hash = editionHash(pub.lang);
        const cached = this.cache.get(key);
        let output: Output;
        if (cached?.hash === hash) {
          output = cached.output;
          reused++;
        } else {
          output = await writers[format].write(pub, { root: options.root, resources: this.resources, file: editionFiles.get(pub.lang)! });
          this.cache.set(key, { hash, output, ms: performance.now() - t0 });
        }
        const relative = path.posix.join(pub.lang, output.path);
        const bytes = await staging.write(relative, output.data);
        outputs.push({ path: relative, bytes: bytes.byteLength, lang: pub.lang, format, sha256: await sha256(bytes) });
        options.onProgress?.({ lang: pub.lang, format, path: relative, bytes: bytes.byteLength, ms: performance.now() - t0, done: outputs.length, total: tasks.length });
      };
      // A writer that fails stops the others from starting another output; the build fails once
      // the ones in flight have ended, so that nothing is still writing when staging is removed.
      const halt: Halt = {};
      await Promise.all([runLimited(offloaded, cores, run, halt), runLimited(inProcess, 1, run, halt)]);
      if (halt.failure) throw halt.failure.error;
      if (hasErrors(files)) {
        await staging.abort();
        return { ok: false, files, outputs: [], ms: performance.now() - started };
      }
      outputs.sort((a, b) => a.path.localeCompare(b.path));
      const add = async (relative: string, text: string | Uint8Array) => {
        const bytes = await staging.write(relative, text);
        outputs.push({ path: relative, bytes: bytes.byteLength, sha256: await sha256(bytes) });
      };
      const changes = signatoryChanges(previous, doc.signatories);
      await add(changesFile(doc.slug), renderChangeReport(changes, doc.meta.title));
      // Titles of the editions kept from earlier builds (a partial build) come from the record.
      const titles: Record<string, string> = { ...(partial ? previous?.titles : {}), ...Object.fromEntries(publications.map((p) => [p.lang, p.meta.title])) };
      manifest = await createManifest({
        doc,
        dir: staging.dir,
        sourcePath,
        epoch,
        inputHash: common,
        languages: available,
        titles: Object.fromEntries(Object.entries(titles).sort(([a], [b]) => a.localeCompare(b))),
        partial: partialLangs,
        coverage,
        changes,
        files: (await staging.files()).filter((f) => isEditionOf(f, doc.slug) || f === changesFile(doc.slug)),
        known: new Map(outputs.map((o) => [o.path, o])),
        commit,
      });
      await add(manifestFile(doc.slug), manifestJson(manifest));
      await add("index.html", await renderIndexPage(staging.dir));
      await staging.commit();
    } catch (error) {
      await staging.abort();
      throw error;
    }
    return { ok: true, files, outputs, ms: performance.now() - started, reused, skipped, manifest };
  }
}

/** Hashed on libuv's thread pool (Web Crypto), so this thread goes on driving the print pages. */
async function sha256(data: Uint8Array): Promise<string> {
  return Buffer.from(await webcrypto.subtle.digest("SHA-256", data)).toString("hex");
}
