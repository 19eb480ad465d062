/**
 * Whole-process measurement for the benchmark: wall time of a child process, CPU time of its whole
 * tree (GNU time's rusage, and /proc for processes never reaped) and the peak memory of the
 * process tree, sampled from /proc every ~20 ms: the sum of VmRSS of the process and all its
 * descendants (Chromium's zygote and renderers included), and the same with shared pages counted
 * once.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { closeSync, existsSync, openSync, readdirSync, readSync } from "node:fs";
import { readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";

const PAGE_KIB = 4; // x86-64 and arm64 Debian kernels: 4 KiB pages (statm counts pages)
const GNU_TIME = "/usr/bin/time";

/** Is GNU time (with -f and -o) available? Probed once; BusyBox's `time` is not enough. */
let gnuTime: boolean | undefined;
function hasGnuTime(): boolean {
  if (gnuTime === undefined) {
    const r = existsSync(GNU_TIME) ? spawnSync(GNU_TIME, ["--version"], { encoding: "utf8" }) : undefined;
    gnuTime = r !== undefined && r.status === 0 && /GNU/.test(`${r.stdout}${r.stderr}`);
  }
  return gnuTime;
}

/**
 * Reads small /proc files through file descriptors kept open and re-read with pread at offset 0,
 * which is several times cheaper than open/read/close on every sample. A descriptor whose process
 * is gone fails to read and is closed.
 */
class ProcReader {
  private readonly fds = new Map<string, number>();
  private readonly buffer = Buffer.alloc(16 * 1024);

  read(file: string): string | undefined {
    let fd = this.fds.get(file);
    try {
      if (fd === undefined) {
        fd = openSync(file, "r");
        this.fds.set(file, fd);
      }
      const n = readSync(fd, this.buffer, 0, this.buffer.length, 0);
      return this.buffer.toString("latin1", 0, n);
    } catch {
      if (fd !== undefined) this.drop(file, fd);
      return undefined;
    }
  }

  private drop(file: string, fd: number): void {
    try {
      closeSync(fd);
    } catch {
      // already closed
    }
    this.fds.delete(file);
  }

  /** Close the descriptors of processes not in `alive`. */
  prune(alive: ReadonlySet<number>): void {
    for (const [file, fd] of this.fds) {
      const pid = Number(file.split("/")[2]);
      if (!alive.has(pid)) this.drop(file, fd);
    }
  }

  close(): void {
    for (const [file, fd] of this.fds) this.drop(file, fd);
  }
}

const numbers = (text: string | undefined) => (text ?? "").split(/\s+/).filter(Boolean).map(Number);

/**
 * Descendants of `root` (inclusive). `allThreads` reads the children list of every thread (a
 * process started from another thread, as Chromium's launcher thread does, is listed only there);
 * without it only the main threads' lists are read, which costs a fraction.
 */
export function processTree(root: number, reader: ProcReader = new ProcReader(), allThreads = true): number[] {
  const seen: number[] = [];
  const queue = [root];
  while (queue.length) {
    const pid = queue.shift()!;
    if (seen.includes(pid)) continue;
    seen.push(pid);
    let tasks = [String(pid)];
    if (allThreads) {
      try {
        tasks = readdirSync(`/proc/${pid}/task`);
      } catch {
        continue; // exited
      }
    }
    for (const tid of tasks) queue.push(...numbers(reader.read(`/proc/${pid}/task/${tid}/children`)));
  }
  return seen;
}

const CLK_TCK = 100; // USER_HZ on Linux

export interface Line {
  /** performance.now() when the line arrived. */
  t: number;
  stream: "stdout" | "stderr";
  text: string;
}

/** Every measured process still running (the bench stops them on Ctrl-C). */
export const running = new Set<Tracked>();

/** A running child process whose tree memory is sampled until it exits. */
export class Tracked {
  readonly child: ChildProcess;
  readonly started = performance.now();
  readonly lines: Line[] = [];
  /** Peak of the sum of VmRSS over the tree. */
  peakRssKiB = 0;
  /**
   * Peak of the same memory with file-backed and shared-memory pages counted once (the largest
   * process's), not once per process: Σ(RSS − shared) + max(shared), from statm. Chromium's
   * processes map the same 150 MiB binary and share memory with each other; the plain sum counts
   * those pages once per process. (Exact PSS from smaps_rollup costs ~15 ms per Chromium process
   * per read: too much to sample.)
   */
  peakSharedOnceKiB = 0;
  /**
   * Sample the exact memory of the tree as well: Σ PSS from smaps_rollup (each shared page split
   * between the processes that map it), every 5th sample. That read costs ~15 ms per Chromium
   * process, so it is for runs that are not timed (the bench's warm-up runs).
   */
  pss: boolean;
  peakPssKiB = 0;
  /** The processes at the RSS peak, largest first: what holds the memory. */
  peakBreakdown: Array<{ process: string; rssMiB: number }> = [];
  maxProcesses = 0;
  samples = 0;
  /** Time the sampler itself spent, to show its overhead. */
  samplerMs = 0;
  private readonly reader = new ProcReader();
  private known = new Set<number>();
  ended?: number;
  /** Highest utime+stime seen per process of the tree (ticks): CPU even of processes never reaped. */
  private readonly ticks = new Map<number, number>();
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  private readonly timer: NodeJS.Timeout;
  private readonly waiters = new Set<() => void>();
  private readonly timeFile: string | undefined;

  constructor(cmd: string, args: readonly string[], options: { cwd?: string; env?: NodeJS.ProcessEnv; intervalMs?: number; pss?: boolean } = {}) {
    this.pss = options.pss ?? false;
    this.timeFile = hasGnuTime() ? path.join(os.tmpdir(), `letterpress-bench-time-${process.pid}-${Math.random().toString(36).slice(2)}`) : undefined;
    const [file, argv] = this.timeFile ? [GNU_TIME, ["-f", "%e %U %S %M", "-o", this.timeFile, cmd, ...args]] : [cmd, [...args]];
    this.child = spawn(file, argv, { cwd: options.cwd, env: options.env ?? process.env, stdio: ["ignore", "pipe", "pipe"] });
    for (const stream of ["stdout", "stderr"] as const) {
      let buffer = "";
      this.child[stream]!.setEncoding("utf8");
      this.child[stream]!.on("data", (chunk: string) => {
        const t = performance.now();
        buffer += chunk;
        let nl: number;
        while ((nl = buffer.indexOf("\n")) >= 0) {
          this.lines.push({ t, stream, text: buffer.slice(0, nl) });
          buffer = buffer.slice(nl + 1);
        }
        for (const wake of [...this.waiters]) wake();
      });
      this.child[stream]!.on("end", () => {
        if (buffer) this.lines.push({ t: performance.now(), stream, text: buffer });
        buffer = "";
      });
    }
    this.exited = new Promise((resolve, reject) => {
      this.child.once("error", reject);
      this.child.once("close", (code, signal) => {
        this.ended = performance.now();
        clearInterval(this.timer);
        this.reader.close();
        running.delete(this);
        for (const wake of [...this.waiters]) wake();
        resolve({ code, signal });
      });
    });
    this.timer = setInterval(() => this.sample(), options.intervalMs ?? 20);
    running.add(this);
    this.sample();
  }

  /**
   * One sample: the memory of every known process of the tree (every ~20 ms); their CPU times
   * (every 5th); new processes from the main threads' children lists (every 5th) and from every
   * thread's (every 25th, ~0.5 s: Chromium's helpers are launched early and live long).
   */
  private sample(): void {
    const pid = this.child.pid;
    if (pid === undefined || this.ended !== undefined) return;
    const t0 = performance.now();
    const k = this.samples++;
    if (k % 25 === 0) this.known = new Set(processTree(pid, this.reader, true));
    else if (k % 5 === 0) this.known = new Set([...this.known, ...processTree(pid, this.reader, false)]);
    let rss = 0;
    let unshared = 0;
    let shared = 0;
    const alive = new Set<number>();
    const each = new Map<number, number>();
    for (const p of this.known) {
      const statm = numbers(this.reader.read(`/proc/${p}/statm`));
      if (statm.length < 3) continue;
      alive.add(p);
      each.set(p, statm[1]! * PAGE_KIB);
      rss += statm[1]! * PAGE_KIB; // resident = VmRSS
      unshared += (statm[1]! - statm[2]!) * PAGE_KIB; // resident − shared (file + shmem) = RssAnon
      shared = Math.max(shared, statm[2]! * PAGE_KIB);
      if (k % 5 === 0) {
        const stat = this.reader.read(`/proc/${p}/stat`);
        if (stat) {
          const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
          const ticks = Number(fields[11]) + Number(fields[12]); // utime + stime: fields 14, 15 of stat(5)
          if (ticks > (this.ticks.get(p) ?? 0)) this.ticks.set(p, ticks);
        }
      }
    }
    if (alive.size !== this.known.size) {
      this.known = alive;
      this.reader.prune(alive);
    }
    this.maxProcesses = Math.max(this.maxProcesses, alive.size);
    if (rss > this.peakRssKiB) {
      this.peakRssKiB = rss;
      this.peakBreakdown = [...each]
        .map(([p, kib]) => ({ process: this.describe(p), rssMiB: Math.round(kib / 1024) }))
        .sort((a, b) => b.rssMiB - a.rssMiB);
    }
    this.peakSharedOnceKiB = Math.max(this.peakSharedOnceKiB, unshared + shared);
    if (this.pss && k % 5 === 0) {
      let pss = 0;
      for (const p of alive) pss += Number(/^Pss:\s+(\d+)/m.exec(this.reader.read(`/proc/${p}/smaps_rollup`) ?? "")?.[1] ?? 0);
      this.peakPssKiB = Math.max(this.peakPssKiB, pss);
    }
    this.samplerMs += performance.now() - t0;
  }

  /** `node`, `chromium`, `chromium --type=renderer`… (read only when a new peak is reached). */
  private describe(pid: number): string {
    // Chromium rewrites its children's command lines as one space-separated string.
    const argv = (this.reader.read(`/proc/${pid}/cmdline`) ?? "").split(/[\0 ]+/);
    const name = path.basename(argv[0] || "?");
    const type = argv.find((a) => a.startsWith("--type="));
    const sub = argv.find((a) => a.startsWith("--utility-sub-type="));
    return [name, type, sub?.replace(/^--utility-sub-type=(\w+\.)*/, "")].filter(Boolean).join(" ");
  }

  /** Wait for a line (stdout or stderr) after index `from` that matches. */
  waitForLine(match: (line: Line) => boolean, from: number, timeoutMs: number): Promise<{ line: Line; index: number }> {
    return new Promise((resolve, reject) => {
      const check = () => {
        for (let i = from; i < this.lines.length; i++) {
          if (match(this.lines[i]!)) {
            done();
            resolve({ line: this.lines[i]!, index: i });
            return true;
          }
        }
        if (this.ended !== undefined) {
          done();
          reject(new Error(`process exited before the expected line; last output:\n${this.tail()}`));
          return true;
        }
        return false;
      };
      const timer = setTimeout(() => {
        done();
        reject(new Error(`timed out after ${timeoutMs} ms waiting for a line; last output:\n${this.tail()}`));
      }, timeoutMs);
      const done = () => {
        clearTimeout(timer);
        this.waiters.delete(wake);
      };
      const wake = () => void check();
      if (!check()) this.waiters.add(wake);
    });
  }

  tail(n = 12): string {
    return this.lines
      .slice(-n)
      .map((l) => `  ${l.stream}: ${l.text}`)
      .join("\n");
  }

  text(stream: "stdout" | "stderr"): string {
    return this.lines
      .filter((l) => l.stream === stream)
      .map((l) => l.text)
      .join("\n");
  }

  /** CPU seconds of the tree from the /proc samples (misses at most one interval per process). */
  sampledCpuSeconds(): number {
    let sum = 0;
    for (const t of this.ticks.values()) sum += t;
    return sum / CLK_TCK;
  }

  /**
   * CPU seconds (user + system) of the whole tree from GNU time's rusage; undefined without it.
   * Rusage only counts children that were waited for: Chromium's are, when the browser is closed
   * cleanly; the /proc samples catch the others.
   */
  async cpuSeconds(): Promise<number | undefined> {
    if (!this.timeFile) return undefined;
    try {
      const text = await readFile(this.timeFile, "utf8");
      const last = text.trim().split("\n").pop() ?? "";
      const [, user, sys] = last.split(" ").map(Number);
      return Number.isFinite(user) && Number.isFinite(sys) ? user! + sys! : undefined;
    } catch {
      return undefined;
    } finally {
      await rm(this.timeFile, { force: true });
    }
  }

  /** Ask the command (not GNU time) to stop: signal its process (time's child), then wait. */
  async stop(signal: NodeJS.Signals = "SIGINT", graceMs = 15_000): Promise<void> {
    if (this.ended !== undefined) return;
    const pid = this.child.pid!;
    const target = this.timeFile ? (processTree(pid)[1] ?? pid) : pid;
    try {
      process.kill(target, signal);
    } catch {
      // already gone
    }
    const timer = setTimeout(() => {
      for (const p of processTree(pid).reverse()) {
        try {
          process.kill(p, "SIGKILL");
        } catch {
          // gone
        }
      }
    }, graceMs);
    await this.exited.catch(() => undefined);
    clearTimeout(timer);
  }

  /** Forget GNU time's output file (when its CPU figure is not wanted). */
  async discard(): Promise<void> {
    if (this.timeFile) await rm(this.timeFile, { force: true });
  }
}

export interface RunSample {
  wallS: number;
  /** CPU seconds of the tree: the larger of GNU time's rusage and the /proc samples. */
  cpuS?: number;
  peakRssMiB: number;
  /** Peak with file-backed and shared pages counted once (see Tracked.peakSharedOnceKiB). */
  peakSharedOnceMiB: number;
  /** Peak Σ PSS of the tree, when sampled (see Tracked.pss). */
  peakPssMiB?: number;
  /** Processes at the RSS peak, largest first. */
  peakBreakdown: Array<{ process: string; rssMiB: number }>;
  maxProcesses: number;
  /** Mean time the sampler spent per sample (its overhead). */
  samplerMsPerSample: number;
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Run a command to completion and measure it. */
export async function measure(
  cmd: string,
  args: readonly string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number; pss?: boolean } = {},
): Promise<RunSample> {
  const run = new Tracked(cmd, args, options);
  const timeout = setTimeout(() => void run.stop("SIGKILL", 0), options.timeoutMs ?? 15 * 60_000);
  const { code } = await run.exited;
  clearTimeout(timeout);
  return {
    wallS: (run.ended! - run.started) / 1000,
    cpuS: Math.max((await run.cpuSeconds()) ?? 0, run.sampledCpuSeconds()),
    peakRssMiB: run.peakRssKiB / 1024,
    peakSharedOnceMiB: run.peakSharedOnceKiB / 1024,
    ...(run.pss ? { peakPssMiB: run.peakPssKiB / 1024 } : {}),
    peakBreakdown: run.peakBreakdown,
    maxProcesses: run.maxProcesses,
    samplerMsPerSample: run.samples ? run.samplerMs / run.samples : 0,
    code,
    stdout: run.text("stdout"),
    stderr: run.text("stderr"),
  };
}

export interface Summary {
  runs: number;
  median: number;
  min: number;
  max: number;
}

export function summarise(values: readonly number[]): Summary {
  const sorted = [...values].sort((a, b) => a - b);
  const n = sorted.length;
  const median = n === 0 ? NaN : n % 2 ? sorted[(n - 1) / 2]! : (sorted[n / 2 - 1]! + sorted[n / 2]!) / 2;
  return { runs: n, median, min: sorted[0] ?? NaN, max: sorted[n - 1] ?? NaN };
}
