/**
 * Atomic output: a build writes into a temporary sibling folder and replaces `dist/` only when
 * everything succeeded. A failed build leaves the previous outputs exactly as they were.
 */
import { cp, mkdir, rename, rm, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import { ConfigError } from "../errors.ts";

export class Staging {
  readonly dir: string;
  private constructor(readonly target: string, dir: string) {
    this.dir = dir;
  }

  /** Create the staging folder; with `keepExisting`, it starts as a copy of the current outputs. */
  static async open(target: string, keepExisting: boolean): Promise<Staging> {
    const absolute = path.resolve(target);
    const dir = `${absolute}.tmp-${process.pid}-${Date.now().toString(36)}`;
    try {
      await mkdir(path.dirname(absolute), { recursive: true });
      await rm(dir, { recursive: true, force: true });
      if (keepExisting && (await exists(absolute))) await cp(absolute, dir, { recursive: true });
      else await mkdir(dir, { recursive: true });
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      throw new ConfigError(`Cannot write the output folder ${target} (${code ?? String(error)})`, {
        hint: "choose another folder with --out, or fix its permissions",
        cause: error,
      });
    }
    return new Staging(absolute, dir);
  }

  /** Write a file (text as UTF-8); returns the bytes written. */
  async write(relative: string, data: Uint8Array | string): Promise<Uint8Array> {
    const file = path.join(this.dir, relative);
    const bytes = typeof data === "string" ? Buffer.from(data) : data;
    await mkdir(path.dirname(file), { recursive: true });
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

async function exists(file: string): Promise<boolean> {
  try {
    await stat(file);
    return true;
  } catch {
    return false;
  }
}
