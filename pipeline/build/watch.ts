/**
 * `letterpress watch`: rebuild when the document, its signatories or a translation changes.
 * One builder lives for the whole session, so the browser stays warm and editions whose inputs
 * did not change are reused by content hash: a PO edit re-renders one language, a signatory edit
 * every edition (each shows the list).
 */
import { watch as watchFs, type FSWatcher } from "node:fs";
import path from "node:path";
import type { VFile } from "vfile";
import { readText } from "../parse/read.ts";
import { translationsDir } from "../i18n/translations.ts";
import { Builder, type BuildOptions, type BuildResult } from "./build.ts";

export interface WatchEvent {
  /** Files whose change triggered the build (empty for the first build). */
  changed: string[];
  result?: BuildResult;
  error?: unknown;
}

export interface WatchOptions extends BuildOptions {
  signal: AbortSignal;
  onBuild: (event: WatchEvent) => void;
  /**
   * Quiet period before rebuilding, to coalesce an editor's write bursts (a save, truncate and
   * write or write and rename, takes a few milliseconds).
   */
  debounceMs?: number;
}

/** Watch and rebuild until `signal` aborts. */
export async function watch(options: WatchOptions): Promise<void> {
  const builder = new Builder({ lasting: true });
  const watchers: FSWatcher[] = [];
  let pending = new Set<string>();
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();

  let queued = 0;
  const rebuild = (changed: string[]) => {
    queued++;
    running = running.then(async () => {
      queued--;
      try {
        const result = await builder.build(options);
        options.onBuild({ changed, result });
      } catch (error) {
        options.onBuild({ changed, error });
      }
      // What the build read, also one that failed: a signatory file read by a build whose
      // printer could not start is watched like any other.
      await catchUp(rewatch(builder.read));
      // Reported, and no change waiting: collect the build's garbage before the next one.
      if (queued === 0 && pending.size === 0 && !options.signal.aborted) await builder.trim().catch(() => undefined);
    });
  };

  /** The document, the data files the last build read (signatories), and the translations. */
  const watchedDirs = (read: readonly VFile[]): Map<string, Set<string>> => {
    const dirs = new Map<string, Set<string>>();
    const add = (file: string) => {
      const dir = path.dirname(file);
      dirs.set(dir, (dirs.get(dir) ?? new Set()).add(path.basename(file)));
    };
    add(path.resolve(options.input));
    for (const file of read) if (file.path && !file.path.endsWith(".po")) add(path.resolve(file.path));
    const translations = translationsDir(options.root);
    dirs.set(translations, dirs.get(translations) ?? new Set(["*"]));
    return dirs;
  };

  /** A watched file changed: rebuild once the burst of writes has settled. */
  const changedFile = (file: string) => {
    pending.add(file);
    clearTimeout(timer);
    timer = setTimeout(() => {
      const changed = [...pending];
      pending = new Set();
      rebuild(changed);
    }, options.debounceMs ?? 20);
  };

  // Watch folders, not files: editors save by renaming, which ends a file watch. The set is
  // renewed after each build only if it changed (the document may name another data file).
  /** What is watched: each folder's file names joined to it (`*` for the translations). */
  let watched = new Set<string>();
  /** Watch what `read` needs; returns the files of `read` that were not watched before. */
  const rewatch = (read: readonly VFile[]): VFile[] => {
    if (options.signal.aborted) return [];
    const dirs = watchedDirs(read);
    const before = watched;
    watched = new Set([...dirs].flatMap(([dir, names]) => [...names].map((name) => path.join(dir, name))));
    if (watched.size === before.size && [...watched].every((file) => before.has(file))) return [];
    for (const w of watchers.splice(0)) w.close();
    for (const [dir, names] of dirs) {
      try {
        const w = watchFs(dir, { recursive: names.has("*") }, (_event, name) => {
          if (!name) return;
          const file = String(name);
          if (!names.has("*") && !names.has(file)) return;
          if (names.has("*") && !/\.po$/.test(file)) return;
          changedFile(path.join(dir, file));
        });
        watchers.push(w);
      } catch {
        // a folder that does not exist (no translations yet) is simply not watched
      }
    }
    return read.filter((file) => file.path && !before.has(path.resolve(file.path)) && watched.has(path.resolve(file.path)));
  };

  /**
   * A file the build read before it was watched (the signatories, during the first build) may
   * have changed since it was read, with nobody listening: compare it with what the build read.
   */
  const catchUp = async (unwatched: readonly VFile[]) => {
    await Promise.all(
      unwatched.map(async (file) => {
        const now = await readText(path.resolve(file.path)).catch(() => undefined);
        if (now?.value !== file.value) changedFile(path.resolve(file.path));
      }),
    );
  };

  rewatch([]);
  rebuild([]);
  await new Promise<void>((resolve) => {
    if (options.signal.aborted) resolve();
    options.signal.addEventListener("abort", () => resolve(), { once: true });
  });
  clearTimeout(timer);
  for (const w of watchers.splice(0)) w.close();
  await running;
  await builder.dispose();
}
