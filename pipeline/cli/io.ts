/**
 * Where the command line writes, and how: colour only on a terminal that supports it and never
 * with NO_COLOR; progress (one line redrawn in place) only on a terminal and never with --quiet.
 */
import { VFile } from "vfile";
import type { VFileMessage } from "vfile-message";
import { reporter } from "vfile-reporter";

export interface Io {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** stderr is a terminal: progress may be drawn on it. */
  interactive?: boolean;
  /** stderr may carry ANSI colours. */
  color?: boolean;
}

/** Colour on a stream: never with NO_COLOR (any value), else what the terminal supports. */
export function colorFor(stream: NodeJS.WriteStream, env: NodeJS.ProcessEnv = process.env): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== "") return false;
  return stream.isTTY === true && typeof stream.hasColors === "function" && stream.hasColors();
}

export const processIo = (): Io => ({
  stdout: (t) => process.stdout.write(t),
  stderr: (t) => process.stderr.write(t),
  interactive: process.stderr.isTTY === true,
  color: colorFor(process.stderr),
});

/** Report messages once, grouped by file, in vfile-reporter's format. */
export function reportMessages(all: readonly VFileMessage[], io: Io, verbose = false): void {
  // Information (each untranslated passage, for one) only on request: warnings summarise it.
  const messages = verbose ? all : all.filter((m) => m.fatal != null);
  if (messages.length === 0) return;
  const byFile = new Map<string, VFile>();
  for (const message of messages) {
    const name = message.file ?? "";
    let file = byFile.get(name);
    if (!file) byFile.set(name, (file = new VFile(name ? { path: name } : {})));
    file.messages.push(message);
  }
  io.stderr(`${reporter([...byFile.values()], { quiet: true, color: io.color === true })}\n`);
}

/** Report the messages of files (modules that return vfiles). */
export function reportFiles(files: readonly VFile[], io: Io): void {
  reportMessages(
    files.flatMap((f) => f.messages),
    io,
  );
}

export interface Progress {
  update(text: string): void;
  done(): void;
}

const silent: Progress = { update() {}, done() {} };

/** A one-line progress indicator on an interactive stderr; nothing otherwise or when quiet. */
export function progress(io: Io, quiet: boolean): Progress {
  if (!io.interactive || quiet) return silent;
  const width = Math.max(20, (process.stderr.columns || 80) - 1);
  let drawn = false;
  return {
    update(text) {
      io.stderr(`\r\x1b[K${text.slice(0, width)}`);
      drawn = true;
    },
    done() {
      if (drawn) io.stderr("\r\x1b[K");
      drawn = false;
    },
  };
}

/** `1 message`, `2 messages`; `many` for irregular plurals. */
export const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;

/** Rows as columns, each as wide as its widest cell (the last one unpadded), two spaces apart. */
export function table(rows: readonly (readonly string[])[]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => [...(r[i] ?? "")].length)));
  return rows.map((r) => r.map((cell, i) => (i === r.length - 1 ? cell : cell + " ".repeat(widths[i]! - [...cell].length))).join("  ").trimEnd()).join("\n");
}
