/**
 * Reading source files: UTF-8 only (a located error otherwise), BOM stripped, CRLF normalised.
 */
import { readFile } from "node:fs/promises";
import path from "node:path";
import { VFile } from "vfile";
import { ConfigError } from "../errors.ts";

const decoder = new TextDecoder("utf-8", { fatal: true });

/** Where a file is shown in messages: relative to the working directory when below it. */
export function displayPath(file: string): string {
  const rel = path.relative(process.cwd(), file);
  return rel && !rel.startsWith("..") && !path.isAbsolute(rel) ? rel : file;
}

/**
 * Read a text file into a VFile. Invalid UTF-8 gives a fatal `encoding` message on the file
 * (with the line of the first bad byte) instead of mojibake.
 */
export async function readText(file: string): Promise<VFile> {
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new ConfigError(
      code === "ENOENT" ? `Cannot find ${displayPath(file)}` : `Cannot read ${displayPath(file)} (${code ?? String(error)})`,
      { cause: error },
    );
  }
  const vfile = new VFile({ path: displayPath(file), cwd: process.cwd() });
  vfile.data.absolutePath = path.resolve(file);
  let text: string;
  try {
    text = decoder.decode(bytes);
  } catch {
    const bad = firstInvalidUtf8(bytes);
    const line = bytes.subarray(0, bad).toString("latin1").split("\n").length;
    vfile.value = "";
    vfile.message(`File is not valid UTF-8 (byte 0x${(bytes[bad] ?? 0).toString(16)} at offset ${bad}); save it as UTF-8`, {
      place: { line, column: 1 },
      ruleId: "encoding",
      source: "letterpress:parse",
    }).fatal = true;
    return vfile;
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  vfile.value = text.replace(/\r\n?/g, "\n");
  return vfile;
}

/** Offset of the first byte that does not start a well-formed UTF-8 sequence. */
function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const c = bytes[i] ?? 0;
    const extra = c < 0x80 ? 0 : c >= 0xc2 && c < 0xe0 ? 1 : c >= 0xe0 && c < 0xf0 ? 2 : c >= 0xf0 && c < 0xf5 ? 3 : -1;
    if (extra < 0) return i;
    for (let k = 1; k <= extra; k++) if (((bytes[i + k] ?? 0) & 0xc0) !== 0x80) return i;
    i += extra + 1;
  }
  return 0;
}

declare module "vfile" {
  interface DataMap {
    /** Absolute path of the file on disk, for resolving relative references. */
    absolutePath: string;
  }
}
