/**
 * The send ledger: what was emailed to which mission, kept beside the document
 * (`<slug>.sent.jsonl`, never in the output folder, never touched by `build`). One JSON record a
 * line, appended and flushed to disk (fsync) before the next step: `sending` before a message is
 * handed to the server, `sent` with the server's answer after its 250, `failed` with its answer
 * after a refusal. A message whose `sending` has neither after it was in flight when the process
 * stopped: whether it arrived is unknown.
 */
import { open, readFile, rm, type FileHandle } from "node:fs/promises";
import path from "node:path";
import { ConfigError } from "../errors.ts";
import { letterSlug } from "../load.ts";

export interface LedgerRecord {
  event: "sending" | "sent" | "failed";
  /** ISO 3166-1 code of the mission. */
  mission: string;
  /** The copy's revision: the sha256 of its PDF. */
  revision: string;
  lang: string;
  to: string[];
  messageId: string;
  /** When the record was written (wall-clock time, ISO). */
  at: string;
  /** The server's answer (`sent`, `failed`). */
  response?: string;
}

export type MissionState = "sent" | "failed" | "unknown";

/** The ledger of a document. */
export function ledgerPath(document: string): string {
  const absolute = path.resolve(document);
  return path.join(path.dirname(absolute), `${letterSlug(absolute)}.sent.jsonl`);
}

/** Every complete record of a ledger (a line cut short by a crash is ignored). */
export async function readLedger(file: string): Promise<LedgerRecord[]> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw error;
  }
  const records: LedgerRecord[] = [];
  for (const line of text.split("\n")) {
    if (!line.trim()) continue;
    try {
      records.push(JSON.parse(line) as LedgerRecord);
    } catch {
      // only the last line can be cut short, by a crash while it was written: it recorded nothing
    }
  }
  return records;
}

/** What became of each (mission, revision): its last record decides. */
export function statesOf(records: readonly LedgerRecord[]): Map<string, MissionState> {
  const states = new Map<string, MissionState>();
  for (const r of records) states.set(`${r.mission} ${r.revision}`, r.event === "sending" ? "unknown" : r.event);
  return states;
}

/** An open ledger: appends records one at a time, each on disk before `append` returns. */
export class Ledger {
  private constructor(
    readonly file: string,
    private readonly handle: FileHandle,
    private readonly lock: string,
  ) {}

  /** Open for appending; one sender at a time (a lock file beside the ledger names its process). */
  static async open(file: string): Promise<Ledger> {
    const lock = `${file}.lock`;
    for (let attempt = 0; ; attempt++) {
      try {
        const handle = await open(lock, "wx");
        await handle.writeFile(`${process.pid}\n`);
        await handle.close();
        break;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== "EEXIST" || attempt > 0) throw lockError(file, error);
        const pid = Number((await readFile(lock, "utf8").catch(() => "")).trim());
        if (pid && alive(pid)) throw lockError(file, error, pid);
        await rm(lock, { force: true }); // left by a process that no longer runs
      }
    }
    const handle = await open(file, "a+");
    // A line cut short by a crash is ended, so the next record starts on a line of its own.
    const { size } = await handle.stat();
    if (size > 0) {
      const last = Buffer.alloc(1);
      await handle.read(last, 0, 1, size - 1);
      if (last[0] !== 0x0a) await handle.appendFile("\n");
    }
    return new Ledger(file, handle, lock);
  }

  async append(record: Omit<LedgerRecord, "at">): Promise<void> {
    await this.handle.appendFile(`${JSON.stringify({ ...record, at: new Date().toISOString() })}\n`);
    await this.handle.sync();
  }

  async close(): Promise<void> {
    await this.handle.close();
    await rm(this.lock, { force: true });
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

function lockError(file: string, cause: unknown, pid?: number): ConfigError {
  return new ConfigError(
    pid ? `Another send of this document is running (process ${pid}); its ledger is ${path.basename(file)}` : `Cannot lock the send ledger ${file} (${(cause as NodeJS.ErrnoException).code ?? String(cause)})`,
    { cause },
  );
}
