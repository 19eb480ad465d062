import { execFile } from "node:child_process";
import { stat } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);

/**
 * The time every output is stamped with: SOURCE_DATE_EPOCH when set (reproducible builds), else
 * the last commit that touched the document, else its modification time. Git runs in its own
 * process while the caller goes on (a build starts this before it parses the document).
 */
export async function resolveEpoch(documentPath: string, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const fromEnv = env.SOURCE_DATE_EPOCH;
  if (fromEnv !== undefined && fromEnv !== "") {
    const n = Number(fromEnv);
    if (Number.isInteger(n) && n >= 0) return n;
  }
  try {
    const { stdout } = await run("git", ["log", "-1", "--format=%ct", "--", path.basename(documentPath)], { cwd: path.dirname(documentPath), encoding: "utf8" });
    if (/^\d+$/.test(stdout.trim())) return Number(stdout.trim());
  } catch {
    // not a git checkout
  }
  return Math.floor((await stat(documentPath)).mtimeMs / 1000);
}

/** The commit checked out in `dir`, if it is in a git checkout. */
export async function gitCommit(dir: string): Promise<string | undefined> {
  try {
    const { stdout } = await run("git", ["rev-parse", "HEAD"], { cwd: dir, encoding: "utf8" });
    return /^[0-9a-f]{40}$/.test(stdout.trim()) ? stdout.trim() : undefined;
  } catch {
    return undefined;
  }
}
