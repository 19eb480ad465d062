/**
 * Atomic output: a build writes into a temporary sibling folder and replaces `dist/` only when
 * everything succeeded. A failed build leaves the previous outputs exactly as they were.
 *
 * An output folder holds several letters side by side (`<lang>/<slug>.<ext>` per edition,
 * `<slug>.manifest.json` and `<slug>.signatories-changes.md` per letter, one `index.html`), so
 * the staging folder always starts with what is there: every file is hard-linked (a copy where
 * links are refused), and a file the build writes is unlinked first, so the outputs in place are
 * never written through a link. A full build of a letter leaves that letter's own editions out
 * of the staged folder; other letters' files stay as they were.
 */
import { copyFile, link, mkdir, readdir, readlink, rename, rm, rmdir, stat, symlink, unlink, writeFile } from "node:fs/promises";
import path from "node:path";
import { ConfigError } from "../errors.ts";

/** A folder of one edition's files: a language tag (`en`, `fr`, `pt-BR`). */
export const LANGUAGE_DIR = /^[a-z]{2,3}(-[A-Za-z0-9]+)*$/;

/** Whether `relative` (a path inside the output folder) is one of the letter `slug`'s editions. */
export function isEditionOf(relative: string, slug: string): boolean {
  const parts = relative.split("/");
  if (parts.length !== 2 || !LANGUAGE_DIR.test(parts[0]!)) return false;
  const name = parts[1]!;
  const dot = name.lastIndexOf(".");
  return dot > 0 && name.slice(0, dot) === slug;
}

export class Staging {
  readonly dir: string;
  /** Staged files that are links to the ones in place (a write replaces the link). */
  private readonly linked: Set<string>;
  /** Folders made or linked so far (a write needs no `mkdir` for them). */
  private readonly folders = new Set<string>();
  private constructor(readonly target: string, dir: string, linked: Set<string>) {
    this.dir = dir;
    this.linked = linked;
    this.folders.add(dir);
  }

  /**
   * Create the staging folder, holding (as links) everything the output folder holds now; with
   * `keepExisting` false it starts empty (a folder one command owns whole, as `deliver`'s). Files
   * for which `leave` is true are not taken (a full build of a letter leaves out its editions), nor
   * folders that held only such files.
   */
  static async open(target: string, keepExisting = true, leave?: (relative: string) => boolean): Promise<Staging> {
    const absolute = path.resolve(target);
    const dir = `${absolute}.tmp-${process.pid}-${Date.now().toString(36)}`;
    const linked = new Set<string>();
    try {
      await mkdir(path.dirname(absolute), { recursive: true });
      await rm(dir, { recursive: true, force: true });
      await mkdir(dir, { recursive: true });
      if (keepExisting && (await exists(absolute))) await linkTree(absolute, dir, "", leave ?? (() => false), linked);
    } catch (error) {
      await rm(dir, { recursive: true, force: true }).catch(() => undefined);
      const code = (error as NodeJS.ErrnoException).code;
      throw new ConfigError(`Cannot write the output folder ${target} (${code ?? String(error)})`, {
        hint: "choose another folder with --out, or fix its permissions",
        cause: error,
      });
    }
    return new Staging(absolute, dir, linked);
  }

  /** Every file of the staged folder, as `/`-separated paths relative to it, sorted. */
  async files(): Promise<string[]> {
    const out: string[] = [];
    const walk = async (relative: string) => {
      for (const entry of await readdir(path.join(this.dir, relative), { withFileTypes: true })) {
        const rel = relative ? `${relative}/${entry.name}` : entry.name;
        if (entry.isDirectory()) await walk(rel);
        else out.push(rel);
      }
    };
    await walk("");
    return out.sort((a, b) => a.localeCompare(b));
  }

  /** Remove one staged file (and its folder when that is left empty). */
  async remove(relative: string): Promise<void> {
    const file = path.join(this.dir, relative);
    await rm(file, { force: true });
    this.linked.delete(relative);
    const folder = path.dirname(file);
    if (folder !== this.dir && (await rmdir(folder).then(() => true, () => false))) this.folders.delete(folder);
  }

  /** Write a file (text as UTF-8); returns the bytes written. */
  async write(relative: string, data: Uint8Array | string): Promise<Uint8Array> {
    const file = path.join(this.dir, relative);
    const bytes = typeof data === "string" ? Buffer.from(data) : data;
    const folder = path.dirname(file);
    if (!this.folders.has(folder)) {
      await mkdir(folder, { recursive: true });
      this.folders.add(folder);
    }
    // The staged file may be a link to the one in place: replace the link, never write through it.
    if (this.linked.delete(relative)) await unlink(file).catch(() => undefined);
    await writeFile(file, bytes);
    return bytes;
  }

  /** Swap the staged outputs in place of the target. */
  async commit(): Promise<void> {
    const old = `${this.target}.old-${process.pid}-${Date.now().toString(36)}`;
    const hadTarget = await exists(this.target);
    try {
      if (hadTarget) await rename(this.target, old);
      await rename(this.dir, this.target);
    } catch (error) {
      if (hadTarget && !(await exists(this.target))) await rename(old, this.target).catch(() => undefined);
      throw new ConfigError(`Cannot replace ${this.target} (${(error as NodeJS.ErrnoException).code ?? String(error)})`, { cause: error });
    }
    if (hadTarget) await rm(old, { recursive: true, force: true });
  }

  async abort(): Promise<void> {
    await rm(this.dir, { recursive: true, force: true });
  }
}

/**
 * Recreate `from`'s folders under `to`, its files as hard links (copies where links fail), except
 * the files `leave` names and folders left with nothing; `linked` gets the relative paths linked.
 */
async function linkTree(from: string, to: string, relative: string, leave: (relative: string) => boolean, linked: Set<string>): Promise<void> {
  const entries = await readdir(from, { withFileTypes: true });
  let made = relative === "" || entries.length === 0;
  if (made && relative !== "") await mkdir(to, { recursive: true });
  const folder = async () => {
    if (!made) await mkdir(to, { recursive: true });
    made = true;
  };
  for (const entry of entries) {
    const source = path.join(from, entry.name);
    const target = path.join(to, entry.name);
    const rel = relative ? `${relative}/${entry.name}` : entry.name;
    if (entry.isDirectory()) {
      await linkTree(source, target, rel, leave, linked);
    } else if (entry.isFile() || entry.isSymbolicLink()) {
      if (leave(rel)) continue;
      await folder();
      if (entry.isFile()) await link(source, target).catch(() => copyFile(source, target));
      else await symlink(await readlink(source), target);
      linked.add(rel);
    }
  }
}

async function exists(file: string): Promise<boolean> {
  try {
    await stat(file);
    return true;
  } catch {
    return false;
  }
}
