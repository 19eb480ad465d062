import { execFile } from "node:child_process";
import { readFile, stat } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);

/** Epochs found with `git log`, by document and checked-out commit (a watch asks after every build). */
const epochs = new Map<string, number>();

/**
 * The time every output is stamped with: SOURCE_DATE_EPOCH when set (reproducible builds), else
 * the last commit that touched the document, else its modification time. Git runs in its own
 * process while the caller goes on (a build starts this before it parses the document), and only
 * when the checked-out commit is not one it was asked about before. `head` is that commit when the
 * caller has asked for it already (`gitCommit`).
 */
export async function resolveEpoch(
  documentPath: string,
  env: NodeJS.ProcessEnv = process.env,
  head: Promise<string | undefined> = gitCommit(path.dirname(documentPath)),
): Promise<number> {
  const fromEnv = env.SOURCE_DATE_EPOCH;
  if (fromEnv !== undefined && fromEnv !== "") {
    const n = Number(fromEnv);
    if (Number.isInteger(n) && n >= 0) return n;
  }
  const commit = await head.catch(() => undefined);
  const key = `${documentPath}\0${commit}`;
  const known = commit ? epochs.get(key) : undefined;
  if (known !== undefined) return known;
  try {
    const { stdout } = await run("git", ["log", "-1", "--format=%ct", "--", path.basename(documentPath)], { cwd: path.dirname(documentPath), encoding: "utf8" });
    if (/^\d+$/.test(stdout.trim())) {
      const epoch = Number(stdout.trim());
      if (commit) {
        if (epochs.size >= 64) epochs.delete(epochs.keys().next().value!);
        epochs.set(key, epoch);
      }
      return epoch;
    }
  } catch {
    // not a git checkout
  }
  return Math.floor((await stat(documentPath)).mtimeMs / 1000);
}

const COMMIT = /^[0-9a-f]{40}(?:[0-9a-f]{24})?$/;

/**
 * The commit checked out in `dir`, if it is in a git checkout: read from the repository's HEAD and
 * refs (no process to start); anything unusual (GIT_DIR set, a ref format other than files) is
 * left to `git rev-parse HEAD`.
 */
export async function gitCommit(dir: string): Promise<string | undefined> {
  if (!process.env.GIT_DIR) {
    const found = await headFromFiles(dir).catch(() => undefined);
    if (found !== undefined) return found || undefined;
  }
  try {
    const { stdout } = await run("git", ["rev-parse", "HEAD"], { cwd: dir, encoding: "utf8" });
    return COMMIT.test(stdout.trim()) ? stdout.trim() : undefined;
  } catch {
    return undefined;
  }
}

/** HEAD's commit from the files of the nearest repository: "" when there is none, undefined when unsure. */
async function headFromFiles(dir: string): Promise<string | undefined> {
  let gitDir: string | undefined;
  for (let at = path.resolve(dir); ; at = path.dirname(at)) {
    const dotGit = path.join(at, ".git");
    const info = await stat(dotGit).catch(() => undefined);
    if (info?.isDirectory()) gitDir = dotGit;
    else if (info?.isFile()) {
      const pointer = /^gitdir: (.+)$/m.exec(await readFile(dotGit, "utf8"))?.[1];
      if (!pointer) return undefined;
      gitDir = path.resolve(at, pointer.trim());
    }
    if (gitDir || path.dirname(at) === at) break;
  }
  if (!gitDir) return "";
  const head = (await readFile(path.join(gitDir, "HEAD"), "utf8")).trim();
  if (COMMIT.test(head)) return head;
  const ref = /^ref: (refs\/[^\s]+)$/.exec(head)?.[1];
  if (!ref) return undefined;
  const common = await readFile(path.join(gitDir, "commondir"), "utf8").then((c) => path.resolve(gitDir!, c.trim()), () => gitDir!);
  for (const base of new Set([gitDir, common])) {
    const id = await readFile(path.join(base, ref), "utf8").then((t) => t.trim(), () => undefined);
    if (id !== undefined) return COMMIT.test(id) ? id : undefined;
  }
  const packed = await readFile(path.join(common, "packed-refs"), "utf8").catch(() => "");
  const line = packed.split("\n").find((l) => l.endsWith(` ${ref}`));
  const id = line?.split(" ")[0];
  return id && COMMIT.test(id) ? id : undefined;
}
