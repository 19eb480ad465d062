import { execFileSync } from "node:child_process";
import { statSync } from "node:fs";
import path from "node:path";

/**
 * The time every output is stamped with: SOURCE_DATE_EPOCH when set (reproducible builds), else
 * the last commit that touched the document, else its modification time.
 */
export function resolveEpoch(documentPath: string, env: NodeJS.ProcessEnv = process.env): number {
  const fromEnv = env.SOURCE_DATE_EPOCH;
  if (fromEnv !== undefined && fromEnv !== "") {
    const n = Number(fromEnv);
    if (Number.isInteger(n) && n >= 0) return n;
  }
  try {
    const out = execFileSync("git", ["log", "-1", "--format=%ct", "--", path.basename(documentPath)], {
      cwd: path.dirname(documentPath),
      encoding: "utf8",
      stdio: ["ignore", "pipe", "ignore"],
    }).trim();
    if (/^\d+$/.test(out)) return Number(out);
  } catch {
    // not a git checkout
  }
  return Math.floor(statSync(documentPath).mtimeMs / 1000);
}
