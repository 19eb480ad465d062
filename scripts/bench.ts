/**
 * `npm run bench`: whole-process timings of the real CLI (`node bin/letterpress.js …` as child
 * processes), with pandoc on the same inputs in the same run for comparison.
 *
 *   npm run bench                                   # everything, 5 runs after 1 warm-up
 *   npm run bench -- --quick                        # smoke test: 1 run, no warm-up
 *   npm run bench -- --only cold,watch --runs 7
 *   npm run bench -- --only profile                 # node --cpu-prof of the cold build and the large edition
 *
 * Set-up: scripts/bench/setup.sh (run first, by the bench itself) installs pandoc and WeasyPrint, so pandoc's PDFs
 * are measured side by side (`pandoc --pdf-engine=weasyprint`).
 *
 * Options: --runs N (default 5), --warmup N (default 1), --only LIST (cold, watch, large, deliver,
 * profile; default all but profile), --quick, --out FILE (default bench/results.json), --keep
 * (keep the temporary folders), --no-pandoc, --deliver-runs N (deliver only: N runs, no warm-up).
 *
 * Each case reports the median, min and max wall time of its runs, the median CPU time of the
 * whole process tree (GNU time), and the peak memory of the process tree (sum of VmRSS of the
 * process and every descendant, Chromium's included, sampled every 20 ms; and the same with
 * file-backed and shared pages counted once); the warm-up runs, which are not timed, also sample
 * the exact memory of the tree (Σ PSS, every 100 ms), which the memory target is judged on (and
 * so do ten more edits after the timed ones in the watch, untimed: a longer session). The
 * table goes to stdout, progress to stderr, everything to bench/results.json. No time is asserted
 * anywhere: this is not part of `npm test`.
 */
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { appendFile, cp, mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { measure, running, summarise, Tracked, type RunSample, type Summary } from "./bench/measure.ts";
import { pandocArgs, pandocVersion, pdfEngine, preparePandocInputs, PANDOC_FORMATS, PANDOC_FROM } from "./bench/pandoc.ts";
import { formatProfile, summariseProfileFile, type ProfileSummary } from "./bench/profile.ts";
import { chromiumPath } from "../pipeline/browser/chromium.ts";

const ROOT = path.resolve(import.meta.dirname, "..");
const CLI = path.join(ROOT, "bin/letterpress.js");
const NODE = process.execPath;
const LETTER = path.join(ROOT, "source/open-letter.md");
const GROUPS = ["cold", "watch", "large", "deliver", "profile"] as const;
type Group = (typeof GROUPS)[number];

/** Reference figures from issue 9 (measured earlier on this machine; tools not installable here). */
const REFERENCE = {
  weasyprintPdfPerEditionS: 0.72,
  pagedjsCliLargePdfS: 7.2,
};
/** Untimed signatory edits after the timed ones, for the memory of a longer watch session. */
const SESSION_EDITS = 10;
const TARGETS = {
  fullBuildVsPandoc: 0.4,
  watchRebuildS: 0.6,
  largePdfS: REFERENCE.pagedjsCliLargePdfS,
  largeVsPandoc: 0.8,
  deliverS: 8,
  sendS: 30,
  peakMemoryMiB: 450,
};

// ---------------------------------------------------------------------------------------------
// options

const { values: opts } = parseArgs({
  options: {
    runs: { type: "string" },
    warmup: { type: "string" },
    only: { type: "string" },
    quick: { type: "boolean", default: false },
    out: { type: "string", default: path.join(ROOT, "bench/results.json") },
    keep: { type: "boolean", default: false },
    "no-pandoc": { type: "boolean", default: false },
    "deliver-runs": { type: "string" },
    help: { type: "boolean", short: "h", default: false },
  },
});
if (opts.help) {
  process.stdout.write(
    "usage: npm run bench -- [--runs N] [--warmup N] [--only cold,watch,large,deliver,profile] [--quick] [--out FILE] [--keep] [--no-pandoc] [--deliver-runs N]\n",
  );
  process.exit(0);
}
const RUNS = Math.max(1, Number(opts.runs ?? (opts.quick ? 1 : 5)));
const WARMUP = Math.max(0, Number(opts.warmup ?? (opts.quick ? 0 : 1)));
const only = (opts.only ?? "cold,watch,large,deliver").split(",").map((s) => s.trim()).filter(Boolean);
for (const g of only) {
  if (!(GROUPS as readonly string[]).includes(g)) {
    process.stderr.write(`bench: unknown group \`${g}\`; choose from ${GROUPS.join(", ")}\n`);
    process.exit(1);
  }
}
const want = (g: Group) => only.includes(g);
/** The bench's own set-up (scripts/bench/setup.sh): pandoc and WeasyPrint, its PDF engine. */
const SETUP = opts["no-pandoc"] ? undefined : spawnSync("bash", [path.join(ROOT, "scripts/bench/setup.sh")], { stdio: ["ignore", "inherit", "pipe"], encoding: "utf8" });
const PANDOC = opts["no-pandoc"] ? undefined : pandocVersion();
/** The Chromium the CLI runs (the same rule as the pipeline's), and its version. */
const CHROMIUM = (() => {
  const executable = chromiumPath();
  const r = spawnSync(executable, ["--version"], { encoding: "utf8" });
  return { path: executable, version: r.status === 0 ? r.stdout.trim() : "not found" };
})();

// ---------------------------------------------------------------------------------------------
// results

interface RunRecord {
  wallS: number;
  cpuS?: number;
  peakRssMiB: number;
  peakSharedOnceMiB: number;
  maxProcesses: number;
  samplerMsPerSample: number;
  /** Processes at this run's RSS peak, grouped by kind: "chromium --type=renderer ×2": MiB. */
  peakByProcess?: Record<string, number>;
  code: number | null;
}

interface CaseResult {
  id: string;
  group: Group;
  label: string;
  tool: "letterpress" | "pandoc";
  /** Output files one run produces. */
  outputs?: number;
  warmup: number;
  runs: RunRecord[];
  wall: Summary;
  cpu?: Summary;
  peakRssMiB: number;
  peakSharedOnceMiB: number;
  /** Exact peak memory (Σ PSS of the tree), sampled in the case's warm-up runs, which are not timed. */
  peakPssMiB?: number;
  /** What held the memory at the highest peak of the case. */
  peakByProcess?: Record<string, number>;
  failed?: string;
  extra?: Record<string, unknown>;
}

/** The by-process breakdown of the run with the highest peak. */
function peakOf(runs: readonly RunRecord[]): { peakByProcess?: Record<string, number> } {
  const top = [...runs].sort((a, b) => b.peakRssMiB - a.peakRssMiB)[0];
  return top?.peakByProcess ? { peakByProcess: top.peakByProcess } : {};
}

/** The figures every case reports about its measured runs: wall, CPU, peak memory. */
function measuredFigures(runs: readonly RunRecord[]) {
  const cpus = runs.flatMap((r) => (r.cpuS === undefined ? [] : [r.cpuS]));
  return {
    wall: summarise(runs.map((r) => r.wallS)),
    ...(cpus.length ? { cpu: summarise(cpus) } : {}),
    peakRssMiB: Math.max(0, ...runs.map((r) => r.peakRssMiB)),
    peakSharedOnceMiB: Math.max(0, ...runs.map((r) => r.peakSharedOnceMiB)),
    ...peakOf(runs),
  };
}

interface Comparison {
  id: string;
  label: string;
  ours: string;
  theirs: string;
  /** ours / theirs, median wall times: below 1 means we are faster. */
  ratio: number;
  note?: string;
}

interface Target {
  id: string;
  label: string;
  limit: string;
  measured: string;
  met: boolean | null;
  note?: string;
}

const cases: CaseResult[] = [];
const comparisons: Comparison[] = [];
const skipped: Array<{ id: string; reason: string }> = [];
const profiles: Array<{ id: string; summary: Omit<ProfileSummary, "file"> & { file: string } }> = [];
const notes: string[] = [];

const log = (text: string) => process.stderr.write(`${text}\n`);
const fmtS = (s: number | undefined) => (s === undefined || Number.isNaN(s) ? "-" : s < 10 ? s.toFixed(2) : s.toFixed(1));
const fmtMiB = (m: number) => (m > 0 ? `${Math.round(m)}` : "-");
const record = (s: RunSample): RunRecord => ({
  wallS: s.wallS,
  ...(s.cpuS === undefined ? {} : { cpuS: s.cpuS }),
  peakRssMiB: s.peakRssMiB,
  peakSharedOnceMiB: s.peakSharedOnceMiB,
  maxProcesses: s.maxProcesses,
  samplerMsPerSample: s.samplerMsPerSample,
  ...(s.peakBreakdown.length > 1 ? { peakByProcess: byKind(s.peakBreakdown) } : {}),
  code: s.code,
});

/** Group a peak breakdown by process kind, largest first. */
function byKind(list: ReadonlyArray<{ process: string; rssMiB: number }>): Record<string, number> {
  const groups = new Map<string, { n: number; mib: number }>();
  for (const p of list) {
    const g = groups.get(p.process) ?? { n: 0, mib: 0 };
    groups.set(p.process, { n: g.n + 1, mib: g.mib + p.rssMiB });
  }
  return Object.fromEntries([...groups].sort((a, b) => b[1].mib - a[1].mib).map(([k, g]) => [g.n > 1 ? `${k} ×${g.n}` : k, g.mib]));
}
const tail = (text: string, n = 8) => text.trim().split("\n").slice(-n).join("\n");

/** Run `once` WARMUP + RUNS times; keep the measured runs. `once` throws on failure. */
async function repeat(
  spec: { id: string; group: Group; label: string; tool: CaseResult["tool"]; runs?: number; warmup?: number },
  once: (i: number) => Promise<{ sample: RunSample; outputs?: number; extra?: Record<string, unknown> }>,
): Promise<CaseResult> {
  const runs: RunRecord[] = [];
  const extras: Array<Record<string, unknown>> = [];
  const warmup = spec.warmup ?? WARMUP;
  const total = warmup + (spec.runs ?? RUNS);
  let outputs: number | undefined;
  let failed: string | undefined;
  let pss: number | undefined;
  for (let i = 0; i < total; i++) {
    const what = i < warmup ? `warm-up ${i + 1}/${warmup}` : `run ${i - warmup + 1}/${total - warmup}`;
    try {
      warmingUp = i < warmup;
      const r = await once(i).finally(() => (warmingUp = false));
      if (r.sample.peakPssMiB !== undefined) pss = Math.max(pss ?? 0, r.sample.peakPssMiB);
      log(`  ${spec.id.padEnd(22)} ${what.padEnd(12)} ${fmtS(r.sample.wallS).padStart(6)} s  cpu ${fmtS(r.sample.cpuS).padStart(6)} s  peak ${fmtMiB(r.sample.peakRssMiB).padStart(5)} MiB RSS (${fmtMiB(r.sample.peakSharedOnceMiB).padStart(5)} shared once)`);
      if (i >= warmup) {
        runs.push(record(r.sample));
        if (r.extra) extras.push(r.extra);
        outputs = r.outputs ?? outputs;
      }
    } catch (error) {
      failed = (error as Error).message;
      log(`  ${spec.id} FAILED: ${failed}`);
      break;
    }
  }
  const result: CaseResult = {
    id: spec.id,
    group: spec.group,
    label: spec.label,
    tool: spec.tool,
    ...(outputs === undefined ? {} : { outputs }),
    warmup,
    runs,
    ...measuredFigures(runs),
    ...(pss === undefined ? {} : { peakPssMiB: pss }),
    ...(failed ? { failed } : {}),
    ...(extras.length ? { extra: mergeExtras(extras) } : {}),
  };
  cases.push(result);
  return result;
}

/** Per-run extras → one object: numeric arrays become medians, the rest keeps the last value. */
function mergeExtras(list: Array<Record<string, unknown>>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(list[0]!)) {
    const values = list.map((e) => e[key]);
    if (values.every((v) => typeof v === "number")) out[key] = summarise(values as number[]);
    else if (values.every((v) => v && typeof v === "object" && !Array.isArray(v))) {
      out[key] = mergeExtras(values as Array<Record<string, unknown>>);
    } else out[key] = values[values.length - 1];
  }
  return out;
}

const ok = (c: CaseResult | undefined): c is CaseResult => c !== undefined && !c.failed && c.runs.length > 0;

function compare(id: string, label: string, ours: CaseResult | undefined, theirs: CaseResult | undefined, note?: string): void {
  if (!ok(ours) || !ok(theirs)) return;
  comparisons.push({ id, label, ours: ours.id, theirs: theirs.id, ratio: ours.wall.median / theirs.wall.median, ...(note ? { note } : {}) });
}

// ---------------------------------------------------------------------------------------------
// helpers

let base = "";

/** Set by `repeat` during warm-up runs: their memory is sampled exactly (PSS), their time not kept. */
let warmingUp = false;

function cli(args: readonly string[], options: { env?: NodeJS.ProcessEnv } = {}): Promise<RunSample> {
  return measure(NODE, [CLI, ...args], { cwd: ROOT, pss: warmingUp, ...options });
}

function expectOk(sample: RunSample, what: string): void {
  if (sample.code !== 0) throw new Error(`${what} exited with ${sample.code}:\n${tail(sample.stderr || sample.stdout)}`);
}

/** Does the CLI know this command (its usage lists it)? */
function cliHasCommand(command: string): boolean {
  const r = spawnSync(NODE, [CLI, "--help"], { cwd: ROOT, encoding: "utf8" });
  return new RegExp(`^\\s+${command}\\b`, "m").test(`${r.stdout}`);
}

/** Files ending in `ext` below `dir`, not counting its top level (dist/index.html). */
async function countFiles(dir: string, ext: string): Promise<number> {
  let n = 0;
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile() && entry.name.endsWith(ext) && path.resolve(entry.parentPath) !== path.resolve(dir)) n++;
  }
  return n;
}

/** `  en/open-letter.pdf   84.1 KiB   8305 ms` progress lines → ms per format (median over editions). */
function perFormatMs(stderr: string): Record<string, number> {
  const by = new Map<string, number[]>();
  for (const m of stderr.matchAll(/^\s+\S+\.(\w+)\s+[\d.]+ \S*B\s+(\d+) ms$/gm)) {
    by.set(m[1]!, [...(by.get(m[1]!) ?? []), Number(m[2])]);
  }
  return Object.fromEntries([...by].map(([f, list]) => [f, summarise(list).median]));
}

/** Run a set of commands with at most `concurrency` at a time; one sample for the whole set. */
async function measureSet(jobs: ReadonlyArray<{ cmd: string; args: string[] }>, concurrency: number): Promise<RunSample> {
  const started = performance.now();
  const samples: RunSample[] = [];
  let next = 0;
  const worker = async () => {
    while (next < jobs.length) {
      const job = jobs[next++]!;
      samples.push(await measure(job.cmd, job.args, { cwd: ROOT }));
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, jobs.length) }, worker));
  const failed = samples.find((s) => s.code !== 0);
  const cpus = samples.map((s) => s.cpuS);
  return {
    wallS: (performance.now() - started) / 1000,
    ...(cpus.every((c) => c !== undefined) ? { cpuS: cpus.reduce((a, b) => a! + b!, 0) } : {}),
    // with concurrency > 1 the processes overlap: the peak is at most the sum of the largest ones
    peakRssMiB: [...samples].map((s) => s.peakRssMiB).sort((a, b) => b - a).slice(0, concurrency).reduce((a, b) => a + b, 0),
    peakSharedOnceMiB: [...samples].map((s) => s.peakSharedOnceMiB).sort((a, b) => b - a).slice(0, concurrency).reduce((a, b) => a + b, 0),
    peakBreakdown: [],
    maxProcesses: Math.max(...samples.map((s) => s.maxProcesses)),
    samplerMsPerSample: summarise(samples.map((s) => s.samplerMsPerSample)).median,
    code: failed?.code ?? 0,
    stdout: "",
    stderr: failed?.stderr ?? "",
  };
}

// ---------------------------------------------------------------------------------------------
// a. cold full build, and pandoc on the same 6 editions

async function benchCold(): Promise<void> {
  log("\n== a. cold build of every edition");
  await repeat({ id: "startup", group: "cold", label: "CLI start-up only (`letterpress --help`)", tool: "letterpress" }, async () => {
    const sample = await cli(["--help"]);
    expectOk(sample, "letterpress --help");
    return { sample };
  });
  const buildCase = (id: string, label: string, formats?: string) =>
    repeat({ id, group: "cold", label, tool: "letterpress" }, async (i) => {
      const out = path.join(base, `${id}-${i}`);
      const sample = await cli(["build", "--out", out, "--verbose", ...(formats ? ["--format", formats] : [])]);
      expectOk(sample, "letterpress build");
      let outputs = 0;
      for (const ext of [".html", ".pdf", ".docx", ".epub"]) outputs += await countFiles(out, ext);
      await rm(out, { recursive: true, force: true });
      return { sample, outputs, extra: { perOutputMsByFormat: perFormatMs(sample.stderr) } };
    });
  const full = await buildCase("cold-24", "full cold build: 6 languages × html, docx, epub, pdf");
  const ours18 = await buildCase("cold-18", "cold build: 6 languages × html, docx, epub (no PDF)", "html,docx,epub");

  if (!PANDOC) {
    skipped.push({ id: "pandoc-18", reason: opts["no-pandoc"] ? "--no-pandoc" : "pandoc not installed" });
    return;
  }
  // Pandoc gets each edition's translated text (see scripts/bench/pandoc.ts); not timed.
  const inputs = await preparePandocInputs(LETTER, ROOT, path.join(base, "pandoc-in"));
  const engine = pdfEngine();
  const formats: string[] = [...PANDOC_FORMATS, ...(engine ? ["pdf"] : [])];
  const jobsFor = (out: string) =>
    inputs.flatMap((input) =>
      formats.map((f) => ({
        cmd: "pandoc",
        args: pandocArgs(input.file, path.join(out, `${input.lang}.${f}`), f === "pdf" ? pdfEngineArgs(engine!) : []),
      })),
    );
  const setCase = (id: string, label: string, concurrency: number) =>
    repeat({ id, group: "cold", label, tool: "pandoc" }, async (i) => {
      const out = path.join(base, `${id}-${i}`);
      await mkdir(out, { recursive: true });
      const jobs = jobsFor(out);
      const sample = await measureSet(jobs, concurrency);
      expectOk(sample, "pandoc");
      await rm(out, { recursive: true, force: true });
      return { sample, outputs: jobs.length };
    });
  const n = inputs.length * formats.length;
  const seq = await setCase(`pandoc-${n}`, `pandoc, ${inputs.length} languages × ${formats.join(", ")}, one after another`, 1);
  const cores = os.availableParallelism();
  const par = await setCase(`pandoc-${n}-j${cores}`, `pandoc, same ${n} outputs, ${cores} at a time`, cores);
  if (!engine) {
    notes.push(
      `No PDF engine for pandoc here (${"weasyprint, wkhtmltopdf, prince, pagedjs-cli, LaTeX"} all absent): pandoc made ${n} outputs (no PDF), so there is no measured PDF ratio. ` +
        `The 24-output comparison adds the issue's reference WeasyPrint time, ${REFERENCE.weasyprintPdfPerEditionS} s per edition.`,
    );
  }
  // With a PDF engine pandoc makes the same 24 outputs as our full build; without one, the 18 of ours without PDF.
  const same = engine ? full : ours18;
  compare("cold-same-formats", `cold build, same ${n} outputs (ours ${same.id} vs pandoc one at a time)`, same, seq);
  compare("cold-same-formats-par", `cold build, same ${n} outputs (ours ${same.id} vs pandoc ${cores} at a time)`, same, par);
  compare("cold-24-vs-pandoc", `full build: our 24 outputs vs pandoc's ${n}`, full, seq, engine ? undefined : "pandoc does no PDF here: this flatters pandoc");
}

function pdfEngineArgs(engine: string): string[] {
  const html = ["weasyprint", "wkhtmltopdf", "prince", "pagedjs-cli"].includes(engine);
  return ["--pdf-engine", engine, ...(html ? ["-t", "html"] : [])];
}

// ---------------------------------------------------------------------------------------------
// b. rebuild after a one-line signatory edit, with `letterpress watch` running

const NAMES = ["Alfa", "Bravo", "Charlie", "Delta", "Echo", "Foxtrot", "Golf", "Hotel", "India", "Juliett", "Kilo", "Lima", "Mike", "November", "Oscar", "Papa", "Quebec", "Romeo", "Sierra", "Tango", "Uniform", "Victor", "Whiskey", "Xray", "Yankee", "Zulu"];

async function benchWatch(): Promise<void> {
  log("\n== b. rebuild after a signatory edit, `letterpress watch` running");
  const project = path.join(base, "watch-project");
  await mkdir(project, { recursive: true });
  await cp(path.join(ROOT, "source"), path.join(project, "source"), { recursive: true });
  if (existsSync(path.join(ROOT, "translations"))) await cp(path.join(ROOT, "translations"), path.join(project, "translations"), { recursive: true });
  await writeFile(path.join(project, "package.json"), '{ "private": true }\n'); // marks the project root
  const data = path.join(project, "source/signatories.yaml");
  let yaml = await readFile(data, "utf8");
  const topKeys = yaml.split("\n").filter((l) => /^[A-Za-z_]+:/.test(l));
  if (!/^individuals:/.test(topKeys[topKeys.length - 1] ?? "")) throw new Error("signatories.yaml does not end with the individuals list; cannot append a line");
  if (!yaml.endsWith("\n")) await appendFile(data, "\n");

  // After the timed edits, more edits untimed: a watch runs all day, and its memory must not grow
  // with each rebuild (it did, from 550 to 730 MiB over sixteen edits, until the watch had the
  // renderers collect their garbage after each build).
  const session = opts.quick ? 0 : SESSION_EDITS;
  const edits = WARMUP + RUNS + session;
  // Exact memory (PSS) while the first build, the warm-up edits and the session's further edits
  // run; not during timed edits (sampling costs CPU).
  const watch = new Tracked(NODE, [CLI, "watch", path.join(project, "source/open-letter.md"), "--out", path.join(project, "dist")], { cwd: ROOT, pss: WARMUP > 0 });
  const runs: RunRecord[] = [];
  const internal: number[] = [];
  let failed: string | undefined;
  let startS = NaN;
  try {
    const first = await watch.waitForLine((l) => l.stream === "stdout" && /start: /.test(l.text), 0, 10 * 60_000);
    startS = (first.line.t - watch.started) / 1000;
    if (!/rebuilt/.test(first.line.text)) throw new Error(`first build failed: ${first.line.text}\n${watch.tail()}`);
    log(`  watch started: first build ${fmtS(startS)} s (${first.line.text.replace(/^\[[^\]]*\] /, "")})`);
    let from = first.index + 1;
    for (let i = 0; i < edits; i++) {
      await new Promise((r) => setTimeout(r, 300)); // let the last build's stray events settle
      if (i === WARMUP) watch.pss = false;
      if (i === WARMUP + RUNS) watch.pss = true;
      from = watch.lines.length;
      const name = `${NAMES[i % NAMES.length]}${i >= NAMES.length ? ` ${NAMES[Math.floor(i / NAMES.length) % NAMES.length]}` : ""}`;
      const line = `  - name: Bench ${name} Tester\n    family: Tester ${name}\n    country: Benchland\n`;
      const rssBefore = watch.peakRssKiB;
      watch.peakRssKiB = 0;
      const sharedBefore = watch.peakSharedOnceKiB;
      watch.peakSharedOnceKiB = 0;
      const cpu0 = watch.sampledCpuSeconds();
      const t0 = performance.now();
      await appendFile(data, line);
      const done = await watch.waitForLine((l) => /signatories\.yaml: /.test(l.text), from, 5 * 60_000);
      const wallS = (done.line.t - t0) / 1000;
      if (!/rebuilt/.test(done.line.text)) throw new Error(`rebuild failed: ${done.line.text}\n${watch.tail()}`);
      const ms = /in (\d+) ms/.exec(done.line.text);
      const rec: RunRecord = { wallS, cpuS: watch.sampledCpuSeconds() - cpu0, peakByProcess: byKind(watch.peakBreakdown), peakRssMiB: watch.peakRssKiB / 1024, peakSharedOnceMiB: watch.peakSharedOnceKiB / 1024, maxProcesses: watch.maxProcesses, samplerMsPerSample: watch.samples ? watch.samplerMs / watch.samples : 0, code: 0 };
      watch.peakRssKiB = Math.max(watch.peakRssKiB, rssBefore);
      watch.peakSharedOnceKiB = Math.max(watch.peakSharedOnceKiB, sharedBefore);
      const what = i < WARMUP ? `warm-up ${i + 1}/${WARMUP}` : i < WARMUP + RUNS ? `edit ${i - WARMUP + 1}/${RUNS}` : `more ${i - WARMUP - RUNS + 1}/${session}`;
      log(`  ${"watch-signatory".padEnd(22)} ${what.padEnd(12)} ${fmtS(wallS).padStart(6)} s  cpu ${fmtS(rec.cpuS).padStart(6)} s  (watch says ${ms?.[1] ?? "?"} ms: ${done.line.text.replace(/^\[[^\]]*\] \S+: /, "")})`);
      if (i >= WARMUP && i < WARMUP + RUNS) {
        runs.push(rec);
        if (ms) internal.push(Number(ms[1]) / 1000);
      }
      yaml = await readFile(data, "utf8");
    }
  } catch (error) {
    failed = (error as Error).message;
    log(`  watch FAILED: ${failed}`);
  } finally {
    await watch.stop("SIGINT");
  }
  const sessionCpuS = Math.max((await watch.cpuSeconds()) ?? 0, watch.sampledCpuSeconds());
  const names = (yaml.match(/Bench \w+ Tester/g) ?? []).length;
  cases.push({
    id: "watch-signatory",
    group: "watch",
    label: "rebuild after appending one signatory (write → watch's rebuild line)",
    tool: "letterpress",
    warmup: WARMUP,
    runs,
    ...measuredFigures(runs),
    ...(watch.peakPssKiB > 0 ? { peakPssMiB: watch.peakPssKiB / 1024 } : {}),
    ...(failed ? { failed } : {}),
    extra: {
      firstBuildS: startS,
      sessionCpuS,
      watchReportedS: summarise(internal),
      sessionPeakRssMiB: watch.peakRssKiB / 1024,
      sessionPeakSharedOnceMiB: watch.peakSharedOnceKiB / 1024,
      signatoriesAppended: names,
    },
  });
}

// ---------------------------------------------------------------------------------------------
// c. the large edition (280 footnotes, ~72,000 words), per format

interface LargeDoc {
  document: string;
  lang: string;
  title: string;
  words: number;
  footnotes: number;
  generator: string;
}

let largeDoc: Promise<LargeDoc> | undefined;

/** The large edition, from the project's generator (scripts/generate-large.ts). */
function prepareLarge(): Promise<LargeDoc> {
  largeDoc ??= (async () => {
    const dir = path.join(base, "large");
    const r = spawnSync(NODE, ["--import", "tsx", path.join(ROOT, "scripts/generate-large.ts"), dir], { cwd: ROOT, encoding: "utf8" });
    if (r.status !== 0) throw new Error(`scripts/generate-large.ts failed (${r.status}): ${tail(`${r.stderr}${r.stdout}`)}`);
    const generator = "scripts/generate-large.ts";
    // The document: the largest Markdown file with front matter and footnotes.
    const candidates: Array<{ file: string; size: number }> = [];
    for (const e of await readdir(dir, { withFileTypes: true, recursive: true })) {
      if (!e.isFile() || !e.name.endsWith(".md")) continue;
      const file = path.join(e.parentPath, e.name);
      const text = await readFile(file, "utf8");
      if (text.startsWith("---") && /\[\^[^\]]+\]:/.test(text)) candidates.push({ file, size: (await stat(file)).size });
    }
    const document = candidates.sort((a, b) => b.size - a.size)[0]?.file;
    if (!document) throw new Error(`the generator wrote no Markdown document with footnotes into ${dir}`);
    if (!existsSync(path.join(dir, "package.json"))) await writeFile(path.join(dir, "package.json"), '{ "private": true }\n');
    const text = await readFile(document, "utf8");
    const front = /^---\n([\s\S]*?)\n---/.exec(text)?.[1] ?? "";
    const lang = /^lang:\s*["']?([\w-]+)/m.exec(front)?.[1] ?? "en";
    const title = /^title:\s*(.+)$/m.exec(front)?.[1] ?? /^# (.+)$/m.exec(text)?.[1] ?? path.basename(document);
    const body = text.slice(front.length + 8);
    return {
      document,
      lang,
      title,
      words: body.split(/\s+/).filter(Boolean).length,
      footnotes: (text.match(/^\[\^[^\]]+\]:/gm) ?? []).length,
      generator,
    };
  })();
  return largeDoc;
}

async function benchLarge(): Promise<void> {
  log("\n== c. the large edition, per format");
  const doc = await prepareLarge();
  log(`  ${path.relative(base, doc.document)}: ${doc.words} words, ${doc.footnotes} footnotes (${doc.generator})`);
  const engine = pdfEngine();
  // What every format's build pays before any writer runs: start-up, the parse and the checks.
  const checked = await repeat({ id: "large-check", group: "large", label: "large edition: start-up, parse and checks, no writer (`check`)", tool: "letterpress" }, async () => {
    const sample = await cli(["check", doc.document, "--lang", doc.lang, "--quiet"]);
    expectOk(sample, "letterpress check");
    return { sample };
  });
  for (const format of ["html", "docx", "epub", "pdf"] as const) {
    const ours = await repeat({ id: `large-${format}`, group: "large", label: `large edition → ${format}`, tool: "letterpress" }, async (i) => {
      const out = path.join(base, `large-${format}-${i}`);
      const sample = await cli(["build", doc.document, "--lang", doc.lang, "--format", format, "--out", out]);
      expectOk(sample, `letterpress build --format ${format}`);
      const outputs = await countFiles(out, `.${format}`);
      await rm(out, { recursive: true, force: true });
      return { sample, outputs };
    });
    if (!PANDOC) continue;
    if (format === "pdf" && !engine) {
      skipped.push({ id: "pandoc-large-pdf", reason: "no PDF engine for pandoc (weasyprint, wkhtmltopdf, prince, LaTeX absent): no PDF ratio" });
      continue;
    }
    const theirs = await repeat({ id: `pandoc-large-${format}`, group: "large", label: `pandoc large edition → ${format}`, tool: "pandoc" }, async (i) => {
      const out = path.join(base, `pandoc-large-${i}.${format}`);
      const sample = await measure("pandoc", pandocArgs(doc.document, out, ["-M", `title=${doc.title}`, ...(format === "pdf" ? pdfEngineArgs(engine!) : [])]), { cwd: path.dirname(doc.document) });
      expectOk(sample, "pandoc");
      await rm(out, { force: true });
      return { sample, outputs: 1 };
    });
    compare(`large-${format}`, `large edition → ${format}`, ours, theirs);
    if (format === "html") compare("large-check", "large edition: start-up, parse and checks alone (`check`) against pandoc → html", checked, theirs);
  }
}

// ---------------------------------------------------------------------------------------------
// d. deliver: one addressed PDF per mission (193)

async function benchDeliver(): Promise<void> {
  log("\n== d. deliver (193 mission PDFs)");
  if (!cliHasCommand("deliver")) {
    skipped.push({ id: "deliver", reason: "skipped: deliver command not available" });
    log("  skipped: deliver command not available");
    return;
  }
  // A delivery run takes minutes while it is slow: `--deliver-runs N` measures N runs, no warm-up.
  const runs = opts["deliver-runs"] ? Math.max(1, Number(opts["deliver-runs"])) : RUNS;
  const warmup = opts["deliver-runs"] ? 0 : WARMUP;
  await repeat({ id: "deliver-193", group: "deliver", label: "deliver: one addressed PDF per mission", tool: "letterpress", runs, warmup }, async (i) => {
    const out = path.join(base, `deliver-${i}`);
    const sample = await cli(["deliver", "--out", out]);
    expectOk(sample, "letterpress deliver");
    const outputs = existsSync(out) ? await countFiles(out, ".pdf") : 0;
    await rm(out, { recursive: true, force: true });
    return { sample, outputs };
  });
  await benchSend();
}

/**
 * `deliver --send` of the 193 copies to an SMTP server in this process (smtp-server on a loopback
 * port, STARTTLS and AUTH, as in the tests), the PDFs made beforehand (untimed): each run starts
 * with no ledger, so it sends all 193 messages.
 */
async function benchSend(): Promise<void> {
  const { startSmtp, CA } = await import("../test/smtp.ts");
  const dir = path.join(base, "send");
  await cp(path.join(ROOT, "source"), path.join(dir, "source"), { recursive: true });
  await cp(path.join(ROOT, "translations"), path.join(dir, "translations"), { recursive: true });
  await writeFile(path.join(dir, "package.json"), "{}");
  const doc = path.join(dir, "source/open-letter.md");
  const missions = path.join(dir, "source/missions.yaml");
  await writeFile(missions, (await readFile(missions, "utf8")).replace(/\{ code: (\w\w), ([^}]*?) \}/g, (_, code: string, rest: string) => `{ code: ${code}, ${rest}, email: ${code.toLowerCase()}@missions.test }`));
  await writeFile(doc, (await readFile(doc, "utf8")).replace("missions: missions.yaml\n", "missions: missions.yaml\nfrom: Bench <bench@example.org>\n"));
  const out = path.join(dir, "delivery");
  expectOk(await cli(["deliver", doc, "--out", out, "--quiet"]), "letterpress deliver (the copies to send)");
  const smtp = await startSmtp();
  const env = { ...process.env, LETTERPRESS_SMTP_URL: smtp.url(), LETTERPRESS_SMTP_CA: CA };
  try {
    await repeat({ id: "deliver-send-193", group: "deliver", label: "deliver --send: 193 messages to a local SMTP server", tool: "letterpress", runs: opts["deliver-runs"] ? Math.max(1, Number(opts["deliver-runs"])) : RUNS, warmup: 0 }, async () => {
      await rm(path.join(dir, "source/open-letter.sent.jsonl"), { force: true });
      const before = smtp.received.length;
      const sample = await cli(["deliver", doc, "--out", out, "--send", "--yes", "--quiet"], { env });
      expectOk(sample, "letterpress deliver --send");
      const sent = smtp.received.length - before;
      if (sent !== 193) throw new Error(`the server received ${sent} messages, not 193`);
      return { sample, outputs: sent };
    });
  } finally {
    await smtp.close();
  }
}

// ---------------------------------------------------------------------------------------------
// profile: node --cpu-prof of the cold build and of the large edition

async function benchProfile(): Promise<void> {
  log("\n== profile (node --cpu-prof)");
  const dir = path.join(path.dirname(path.resolve(opts.out!)), "profile");
  await rm(dir, { recursive: true, force: true });
  const doc = await prepareLarge();
  const runs: Array<{ id: string; args: string[] }> = [
    { id: "startup", args: ["--help"] },
    { id: "cold", args: ["build", "--out", path.join(base, "profile-cold")] },
    { id: "large", args: ["build", doc.document, "--lang", doc.lang, "--out", path.join(base, "profile-large")] },
    { id: "large-pdf", args: ["build", doc.document, "--lang", doc.lang, "--format", "pdf", "--out", path.join(base, "profile-large-pdf")] },
  ];
  const report: string[] = [];
  for (const run of runs) {
    const out = path.join(dir, run.id);
    const sample = await measure(NODE, ["--cpu-prof", "--cpu-prof-dir", out, CLI, ...run.args], { cwd: ROOT });
    if (sample.code !== 0) {
      log(`  profile ${run.id} FAILED: ${tail(sample.stderr)}`);
      continue;
    }
    const files = (await readdir(out)).filter((f) => f.endsWith(".cpuprofile"));
    // One profile per thread (tsx's loader hooks run on their own thread): keep the busiest.
    const summaries = await Promise.all(files.map((f) => summariseProfileFile(path.join(out, f), 30)));
    summaries.sort((a, b) => b.busyMs - a.busyMs);
    for (const [k, s] of summaries.entries()) {
      const id = k === 0 ? run.id : `${run.id}-thread${k}`;
      profiles.push({ id, summary: { ...s, file: path.relative(ROOT, s.file) } });
      report.push(`## ${id} (${fmtS(sample.wallS)} s wall, ${fmtS(sample.cpuS)} s CPU of the whole tree)\n${formatProfile(s, 20)}`);
    }
    log(`  ${run.id}: ${fmtS(sample.wallS)} s, ${files.length} profile(s) in ${path.relative(ROOT, out)}`);
  }
  await mkdir(dir, { recursive: true });
  await writeFile(path.join(dir, "summary.txt"), `${report.join("\n\n")}\n`);
  process.stdout.write(`\n${report.join("\n\n")}\n`);
}

// ---------------------------------------------------------------------------------------------
// targets, table, JSON

function targets(): Target[] {
  const list: Target[] = [];
  const find = (id: string) => cases.find((c) => c.id === id);
  const full = find("cold-24");
  const pandocSeq = cases.find((c) => c.group === "cold" && c.tool === "pandoc" && !c.id.includes("-j"));
  if (ok(full) && ok(pandocSeq)) {
    const pdfMeasured = (pandocSeq.outputs ?? 0) >= 24;
    const pandoc24 = pandocSeq.wall.median + (pdfMeasured ? 0 : 6 * REFERENCE.weasyprintPdfPerEditionS);
    list.push({
      id: "full-build",
      label: `full build of 24 outputs ≤ ${TARGETS.fullBuildVsPandoc} × pandoc for the same 24`,
      limit: `≤ ${fmtS(TARGETS.fullBuildVsPandoc * pandoc24)} s (${TARGETS.fullBuildVsPandoc} × ${fmtS(pandoc24)} s)`,
      measured: `${fmtS(full.wall.median)} s (${(full.wall.median / pandoc24).toFixed(2)} × pandoc)`,
      met: full.wall.median <= TARGETS.fullBuildVsPandoc * pandoc24,
      ...(pdfMeasured
        ? {}
        : { note: `pandoc's 24 = its measured ${pandocSeq.outputs} outputs (${fmtS(pandocSeq.wall.median)} s) + 6 × ${REFERENCE.weasyprintPdfPerEditionS} s WeasyPrint PDF (reference figure; no PDF engine here)` }),
    });
  }
  const watch = find("watch-signatory");
  if (ok(watch)) {
    list.push({ id: "watch", label: `warm rebuild after a signatory edit ≤ ${TARGETS.watchRebuildS} s`, limit: `≤ ${TARGETS.watchRebuildS} s`, measured: `${fmtS(watch.wall.median)} s`, met: watch.wall.median <= TARGETS.watchRebuildS });
  }
  const pdf = find("large-pdf");
  if (ok(pdf)) {
    list.push({
      id: "large-pdf",
      label: "280-footnote PDF faster than pagedjs-cli",
      limit: `< ${TARGETS.largePdfS} s`,
      measured: `${fmtS(pdf.wall.median)} s`,
      met: pdf.wall.median < TARGETS.largePdfS,
      note: "pagedjs-cli's 7.2 s is the issue's reference figure (it cannot be installed here)",
    });
  }
  for (const format of ["html", "docx", "epub"]) {
    const mine = find(`large-${format}`);
    const theirs = find(`pandoc-large-${format}`);
    if (!ok(mine) || !ok(theirs)) continue;
    const ratio = mine.wall.median / theirs.wall.median;
    const check = find("large-check");
    list.push({
      id: `large-${format}`,
      label: `280-footnote edition → ${format} ≤ ${TARGETS.largeVsPandoc} × pandoc`,
      limit: `≤ ${fmtS(TARGETS.largeVsPandoc * theirs.wall.median)} s (${TARGETS.largeVsPandoc} × ${fmtS(theirs.wall.median)} s)`,
      measured: `${fmtS(mine.wall.median)} s (${ratio.toFixed(2)} × pandoc)`,
      met: ratio <= TARGETS.largeVsPandoc,
      ...(ok(check) ? { note: `start-up, parse and checks alone (\`check\`, no writer): ${fmtS(check.wall.median)} s (${(check.wall.median / theirs.wall.median).toFixed(2)} × pandoc)` } : {}),
    });
  }
  const deliver = find("deliver-193");
  if (ok(deliver)) {
    list.push({ id: "deliver", label: `193 delivery PDFs ≤ ${TARGETS.deliverS} s`, limit: `≤ ${TARGETS.deliverS} s`, measured: `${fmtS(deliver.wall.median)} s (${deliver.outputs ?? "?"} PDFs)`, met: deliver.wall.median <= TARGETS.deliverS });
  }
  const send = find("deliver-send-193");
  if (ok(send)) {
    list.push({ id: "deliver-send", label: "193 messages sent ≤ 30 s", limit: `≤ ${TARGETS.sendS} s`, measured: `${fmtS(send.wall.median)} s (${send.outputs ?? "?"} messages)`, met: send.wall.median <= TARGETS.sendS });
  }
  if (!ok(deliver) && want("deliver")) {
    list.push({ id: "deliver", label: `193 delivery PDFs ≤ ${TARGETS.deliverS} s`, limit: `≤ ${TARGETS.deliverS} s`, measured: skipped.find((s) => s.id === "deliver")?.reason ?? "failed", met: null });
  }
  const ours = cases.filter((c) => c.tool === "letterpress" && c.runs.length > 0);
  if (ours.length) {
    const worst = ours.reduce((a, b) => (b.peakRssMiB > a.peakRssMiB ? b : a));
    const measuredPss = ours.filter((c) => c.peakPssMiB !== undefined);
    const worstPss = measuredPss.length ? measuredPss.reduce((a, b) => (b.peakPssMiB! > a.peakPssMiB! ? b : a)) : undefined;
    const breakdown = worst.peakByProcess ? `; at the RSS peak: ${Object.entries(worst.peakByProcess).map(([k, v]) => `${k} ${v}`).join(", ")} MiB` : "";
    list.push({
      id: "memory",
      label: `peak memory ≤ ${TARGETS.peakMemoryMiB} MiB (process tree, Chromium included)`,
      limit: `≤ ${TARGETS.peakMemoryMiB} MiB`,
      measured: worstPss
        ? `${fmtMiB(worstPss.peakPssMiB!)} MiB PSS (${worstPss.id}); RSS sum ${fmtMiB(worst.peakRssMiB)} MiB (${worst.id})`
        : `${fmtMiB(worst.peakRssMiB)} MiB RSS sum (${worst.id})`,
      met: worstPss ? worstPss.peakPssMiB! <= TARGETS.peakMemoryMiB : worst.peakRssMiB <= TARGETS.peakMemoryMiB,
      note: worstPss
        ? "judged on the exact memory of the tree, Σ PSS (each page shared by Chromium's processes split between them), sampled in the untimed warm-up runs (and the watch's ten further edits); the RSS sum counts a shared page once per process" +
          `${breakdown}${measuredPss.length < ours.length ? `; no PSS for ${ours.filter((c) => c.peakPssMiB === undefined).map((c) => c.id).join(", ")} (no warm-up run)` : ""}`
        : `judged on the RSS sum, which counts pages that Chromium's processes share once per process (no warm-up run, so no exact PSS)${breakdown}`,
    });
  }
  return list;
}

function table(): string {
  const head = ["case", "outputs", "runs", "median s", "min s", "max s", "CPU s", "peak RSS MiB", "shared once MiB", "PSS MiB"];
  const lines = cases.map((c) => [
    c.id,
    String(c.outputs ?? "-"),
    c.failed ? `${c.runs.length} (failed)` : String(c.runs.length),
    fmtS(c.wall.median),
    fmtS(c.wall.min),
    fmtS(c.wall.max),
    fmtS(c.cpu?.median),
    fmtMiB(c.peakRssMiB),
    fmtMiB(c.peakSharedOnceMiB),
    fmtMiB(c.peakPssMiB ?? 0),
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i]!.length)));
  const row = (cells: string[]) => `| ${cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join(" | ")} |`;
  return [row(head), `|${widths.map((w, i) => (i === 0 ? ` ${"-".repeat(w)} ` : ` ${"-".repeat(w - 1)}: `)).join("|")}|`, ...lines.map(row)].join("\n");
}

async function gitInfo(): Promise<{ commit?: string; dirty?: boolean }> {
  const head = spawnSync("git", ["rev-parse", "HEAD"], { cwd: ROOT, encoding: "utf8" });
  const status = spawnSync("git", ["status", "--porcelain"], { cwd: ROOT, encoding: "utf8" });
  return head.status === 0 ? { commit: head.stdout.trim(), dirty: status.stdout.trim().length > 0 } : {};
}

async function main(): Promise<void> {
  base = await mkdtemp(path.join(os.tmpdir(), "letterpress-bench-"));
  const stopAll = async () => {
    await Promise.all([...running].map((t) => t.stop("SIGINT", 5000)));
    if (!opts.keep) await rm(base, { recursive: true, force: true }).catch(() => undefined);
    process.exit(130);
  };
  process.once("SIGINT", () => void stopAll());
  process.once("SIGTERM", () => void stopAll());

  const loadStart = os.loadavg();
  const started = new Date();
  log(`bench: ${RUNS} run(s) after ${WARMUP} warm-up(s); groups: ${only.join(", ")}; ${os.availableParallelism()} cores, load ${loadStart.map((l) => l.toFixed(2)).join(" ")}`);
  log(`bench: ${PANDOC ?? "pandoc not used"}; temporary folders in ${base}`);
  log(`bench: Chromium ${CHROMIUM.path} (${CHROMIUM.version})`);
  if (SETUP && SETUP.status !== 0) notes.push(`scripts/bench/setup.sh failed (${tail(SETUP.stderr ?? "", 2).replace(/\n/g, " ")}): pandoc's PDF engine may be missing`);
  const engine = pdfEngine();
  log(`bench: pandoc's PDF engine: ${engine ?? "none"}`);
  // The launcher makes its bundle on first use after a change: made here, untimed, so that no case
  // (the start-up's warm-up, whose memory is sampled, came first) measures esbuild.
  const bundle = spawnSync(NODE, [CLI, "--version"], { cwd: ROOT, encoding: "utf8" });
  if (bundle.status !== 0) throw new Error(`letterpress --version failed (${bundle.status}): ${tail(`${bundle.stderr}${bundle.stdout}`)}`);
  try {
    if (want("cold")) await benchCold().catch((e: Error) => skipped.push({ id: "cold", reason: `failed: ${e.message}` }));
    if (want("watch")) await benchWatch().catch((e: Error) => skipped.push({ id: "watch", reason: `failed: ${e.message}` }));
    if (want("large")) await benchLarge().catch((e: Error) => skipped.push({ id: "large", reason: `failed: ${e.message}` }));
    if (want("deliver")) await benchDeliver().catch((e: Error) => skipped.push({ id: "deliver", reason: `failed: ${e.message}` }));
    if (want("profile")) await benchProfile().catch((e: Error) => skipped.push({ id: "profile", reason: `failed: ${e.message}` }));
  } finally {
    if (!opts.keep) await rm(base, { recursive: true, force: true });
  }
  const loadEnd = os.loadavg();
  const goals = targets();
  const large = largeDoc ? await largeDoc.catch(() => undefined) : undefined;

  const out: string[] = [];
  out.push("", `Letterpress bench — ${started.toISOString()} — ${RUNS} run(s) after ${WARMUP} warm-up(s), ${os.availableParallelism()} cores, load ${loadStart[0]!.toFixed(1)} → ${loadEnd[0]!.toFixed(1)}`);
  out.push(`Chromium: ${CHROMIUM.path} (${CHROMIUM.version})`, "");
  if (cases.length) out.push(table(), "");
  if (comparisons.length) {
    out.push("Compared with pandoc (median wall time, ours ÷ pandoc; below 1 = we are faster):");
    for (const c of comparisons) out.push(`  ${c.ratio.toFixed(2)}×  ${c.label}${c.note ? ` — ${c.note}` : ""}`);
    out.push("");
  }
  if (goals.length) {
    out.push("Targets:");
    for (const t of goals) out.push(`  ${t.met === null ? "n/a " : t.met ? "MET " : "MISS"}  ${t.label}: ${t.measured} (target ${t.limit})${t.note ? ` — ${t.note}` : ""}`);
    out.push("");
  }
  for (const s of skipped) out.push(`${s.id}: ${s.reason}`);
  for (const n of notes) out.push(`Note: ${n}`);
  process.stdout.write(`${out.join("\n")}\n`);

  const results = {
    generated: started.toISOString(),
    options: { runs: RUNS, warmup: WARMUP, only, quick: opts.quick },
    machine: {
      cores: os.availableParallelism(),
      cpu: os.cpus()[0]?.model,
      memoryMiB: Math.round(os.totalmem() / 2 ** 20),
      loadavgStart: loadStart,
      loadavgEnd: loadEnd,
      node: process.version,
      pandoc: PANDOC ?? null,
      pandocFrom: PANDOC_FROM,
      pdfEngine: pdfEngine() ?? null,
      chromium: CHROMIUM,
      kernel: os.release(),
    },
    git: await gitInfo(),
    reference: REFERENCE,
    ...(large ? { large: { ...large, document: path.basename(large.document) } } : {}),
    cases,
    comparisons,
    targets: goals,
    skipped,
    notes,
    profiles,
  };
  await mkdir(path.dirname(path.resolve(opts.out!)), { recursive: true });
  await writeFile(path.resolve(opts.out!), `${JSON.stringify(results, null, 2)}\n`);
  log(`bench: wrote ${path.relative(process.cwd(), path.resolve(opts.out!))}`);
}

await main();
