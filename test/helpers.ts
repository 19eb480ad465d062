/** Shared test helpers: temporary projects, running the CLI, hashing folders. */
import { createHash } from "node:crypto";
import { cp, mkdtemp, readdir, readFile, rm, writeFile, mkdir } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { crc32, deflateSync } from "node:zlib";
import { po, type GetTextTranslation } from "gettext-parser";
import { main } from "../pipeline/cli/main.ts";

export const ROOT = path.resolve(import.meta.dirname, "..");
export const LETTER = path.join(ROOT, "source/open-letter.md");

/** Folders made by `tempDir`: removed after each test file (see test/setup.ts). */
const made: string[] = [];

export async function tempDir(prefix = "letterpress-test-"): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), prefix));
  made.push(dir);
  return dir;
}

/** Remove every folder `tempDir` made so far. */
export async function removeTempDirs(): Promise<void> {
  await Promise.all(made.splice(0).map((dir) => rm(dir, { recursive: true, force: true, maxRetries: 3 })));
}

/** Run the CLI in-process; returns exit code and captured output. */
export async function cli(argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = "";
  let stderr = "";
  const code = await main(argv, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) });
  return { code, stdout, stderr };
}

/** Write files into a fresh temporary folder: `{ "doc.md": "..." }`. */
export async function project(files: Record<string, string | Uint8Array>): Promise<string> {
  const dir = await tempDir();
  for (const [name, content] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(dir, name)), { recursive: true });
    await writeFile(path.join(dir, name), content);
  }
  return dir;
}

/** A copy of the bundled letter's sources in a temporary folder. */
export async function letterCopy(): Promise<string> {
  const dir = await tempDir();
  await cp(path.join(ROOT, "source"), path.join(dir, "source"), { recursive: true });
  return dir;
}

/** A project with the bundled letter: its sources, its translations and a package.json (the root). */
export async function letterProject(): Promise<string> {
  const dir = await letterCopy();
  await cp(path.join(ROOT, "translations"), path.join(dir, "translations"), { recursive: true });
  await writeFile(path.join(dir, "package.json"), "{}");
  return dir;
}

/** sha256 of every file below `dir`, by relative path. */
export async function hashTree(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  const walk = async (d: string) => {
    for (const entry of await readdir(d, { withFileTypes: true })) {
      const full = path.join(d, entry.name);
      if (entry.isDirectory()) await walk(full);
      else out[path.relative(dir, full)] = createHash("sha256").update(await readFile(full)).digest("hex");
    }
  };
  await walk(dir);
  return out;
}

/** Minimal valid document front matter. */
export const FRONT = "---\nlang: en\n---\n\n# Title\n\n";

/** A real PNG (`width` × `height`, one colour), so every reader can decode it. */
export function png(width: number, height: number, rgb: [number, number, number]): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, "latin1"), data]);
    const out = Buffer.alloc(body.length + 8);
    out.writeUInt32BE(data.length, 0);
    body.copy(out, 4);
    out.writeUInt32BE(crc32(body), body.length + 4);
    return out;
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bit depth
  header[9] = 2; // truecolour
  const row = Buffer.concat([Buffer.from([0]), Buffer.from(Array.from({ length: width }, () => rgb).flat())]);
  const pixels = deflateSync(Buffer.concat(Array.from({ length: height }, () => row)));
  return Buffer.concat([Buffer.from("89504e470d0a1a0a", "hex"), chunk("IHDR", header), chunk("IDAT", pixels), chunk("IEND", Buffer.alloc(0))]);
}

/**
 * Play the translator: rewrite a PO file with gettext-parser, each entry (the header aside) getting
 * the msgstrs `translate` gives, or kept when it gives none.
 */
export async function translatePo(file: string, translate: (entry: GetTextTranslation, context: string) => string[] | undefined): Promise<void> {
  const table = po.parse(await readFile(file));
  for (const [context, byId] of Object.entries(table.translations)) {
    for (const entry of Object.values(byId)) {
      if (!entry.msgid) continue;
      const msgstr = translate(entry, context);
      if (msgstr) entry.msgstr = msgstr;
    }
  }
  await writeFile(file, po.compile(table, { foldLength: 0 }));
}
