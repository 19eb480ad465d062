import { execFile } from "node:child_process";
import { readFile, stat } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);

/**
 * What `git log` answered, by document and checked-out commit (a watch asks after every build): the
 * commit time, or null when there is none (no repository, or the document in no commit yet; the
 * file's modification time stands in). Without a repository nothing changes that answer until one
 * appears, which `gitCommit` sees (a commit, a new key): no `git` process per rebuild.
 */
const epochs = new Map<string, number | null>();

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
  const key = `${documentPath}\0${commit ?? ""}`;
  let epoch = epochs.get(key);
  if (epoch === undefined) {
    epoch = await lastCommitTime(documentPath);
    if (epochs.size >= 64) epochs.delete(epochs.keys().next().value!);
    epochs.set(key, epoch);
  }
  return epoch ?? Math.floor((await stat(documentPath)).mtimeMs / 1000);
}

/**
 * Folders `gitCommit` found in no repository (no `.git` in them or above, GIT_DIR unset): git
 * would find none either, so `lastCommitTime` starts no process to be told so.
 */
const outsideGit = new Set<string>();

/** When the last commit that touched the file was made; null outside git or before its first commit. */
async function lastCommitTime(file: string): Promise<number | null> {
  if (!process.env.GIT_DIR && outsideGit.has(path.resolve(path.dirname(file)))) return null;
  try {
    const { stdout } = await run("git", ["log", "-1", "--format=%ct", "--", path.basename(file)], { cwd: path.dirname(file), encoding: "utf8" });
    return /^\d+$/.test(stdout.trim()) ? Number(stdout.trim()) : null;
  } catch {
    return null; // not a git checkout
  }
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
    if (found === "") outsideGit.add(path.resolve(dir));
    else outsideGit.delete(path.resolve(dir));
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
