/**
 * Summarise a V8 `.cpuprofile` (from `node --cpu-prof`): self time by function, by file and by
 * area (a package under node_modules, a pipeline folder, node internals, V8's own buckets), and
 * inclusive time of the project's own functions. Only the Node process is profiled: time spent in
 * Chromium shows up here as `(idle)` while Node waits for it.
 *
 *   npx tsx scripts/bench/profile.ts file.cpuprofile [--top 25]
 */
import { readFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
  columnNumber: number;
}
interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}
interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

export interface Row {
  key: string;
  ms: number;
  share: number;
}

export interface ProfileSummary {
  file: string;
  totalMs: number;
  /** Time not idle: what the Node process actually computed (including GC and compilation). */
  busyMs: number;
  buckets: Record<string, number>;
  byArea: Row[];
  byFile: Row[];
  byFunction: Row[];
  /** Inclusive time of project functions (pipeline/, bin/), each sample counted once per function. */
  inclusiveProject: Row[];
}

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

/** A readable location: project-relative path, `pkg/…` for dependencies, `node:…` for internals. */
export function shortUrl(url: string): string {
  if (!url) return "";
  if (url.startsWith("pptr:")) return decodeURIComponent(url).replace(/^pptr:(\w+);.*$/, "page script ($1)");
  let p = url;
  if (p.startsWith("file://")) {
    try {
      p = fileURLToPath(p.split("?")[0]!);
    } catch {
      // keep as is
    }
  }
  // The pipeline runs from its esbuild bundle (bin/bundle.js): its functions are project code.
  const bundled = /\/node_modules\/\.cache\/letterpress\/[0-9a-f]+\/(.*)$/.exec(p);
  if (bundled) return `pipeline/(bundle)/${bundled[1]}`;
  const nm = p.lastIndexOf("/node_modules/");
  if (nm >= 0) return p.slice(nm + "/node_modules/".length);
  if (p.startsWith(`${ROOT}/`)) return p.slice(ROOT.length + 1);
  return p;
}

/** The area a location belongs to: a package name, a pipeline folder, or a V8/node bucket. */
export function areaOf(frame: CallFrame): string {
  const url = frame.url;
  if (!url) return frame.functionName.startsWith("(") ? frame.functionName : "(native)";
  if (url.startsWith("node:")) return "node internals";
  const short = shortUrl(url);
  if (url.includes("/node_modules/") && !short.startsWith("pipeline/")) {
    const parts = short.split("/");
    return parts[0]!.startsWith("@") ? `${parts[0]}/${parts[1]}` : parts[0]!;
  }
  const m = /^(pipeline\/[^/]+(?:\/[^/.]+(?=\/))?)/.exec(short);
  if (m) return m[1]!;
  return short.split("/").slice(0, 2).join("/");
}

function rows(map: Map<string, number>, total: number, top: number): Row[] {
  return [...map]
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(([key, ms]) => ({ key, ms, share: total ? ms / total : 0 }));
}

export function summariseProfile(profile: CpuProfile, file: string, top = 25): ProfileSummary {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  // tsx hands V8 whitespace-minified TypeScript: line numbers in .ts files mean nothing, so an
  // anonymous function is named after its nearest named caller instead.
  const named = (id: number): string => {
    const frame = byId.get(id)!.callFrame;
    if (frame.functionName) return frame.functionName;
    for (let p = parent.get(id); p !== undefined; p = parent.get(p)) {
      const name = byId.get(p)!.callFrame.functionName;
      if (name && !name.startsWith("(")) return `(anonymous in ${name})`;
    }
    return "(anonymous)";
  };
  const fnKey = (id: number) => {
    const f = byId.get(id)!.callFrame;
    const where = shortUrl(f.url);
    const line = f.url && !/\.ts$/.test(where) ? `:${f.lineNumber + 1}` : "";
    return `${named(id)} ${where}${line}`;
  };

  // Sample i lasts until sample i+1 (DevTools' convention); the last one until endTime.
  const stamps: number[] = [];
  let t = profile.startTime;
  for (const d of profile.timeDeltas) stamps.push((t += d));
  const self = new Map<number, number>();
  const inclusive = new Map<string, number>();
  for (let i = 0; i < profile.samples.length; i++) {
    const id = profile.samples[i]!;
    const ms = ((i + 1 < stamps.length ? stamps[i + 1]! : profile.endTime) - stamps[i]!) / 1000;
    if (ms <= 0) continue;
    self.set(id, (self.get(id) ?? 0) + ms);
    const seen = new Set<string>();
    for (let n: number | undefined = id; n !== undefined; n = parent.get(n)) {
      const frame = byId.get(n)!.callFrame;
      const short = shortUrl(frame.url);
      if (!/^(pipeline|bin|scripts)\//.test(short)) continue;
      const key = fnKey(n);
      if (!seen.has(key)) {
        seen.add(key);
        inclusive.set(key, (inclusive.get(key) ?? 0) + ms);
      }
    }
  }
  const totalMs = (profile.endTime - profile.startTime) / 1000;
  const area = new Map<string, number>();
  const files = new Map<string, number>();
  const fns = new Map<string, number>();
  const buckets: Record<string, number> = {};
  for (const [id, ms] of self) {
    const frame = byId.get(id)!.callFrame;
    const a = areaOf(frame);
    area.set(a, (area.get(a) ?? 0) + ms);
    if (!frame.url && frame.functionName.startsWith("(")) buckets[frame.functionName] = (buckets[frame.functionName] ?? 0) + ms;
    const f = frame.url ? shortUrl(frame.url) : frame.functionName || "(native)";
    files.set(f, (files.get(f) ?? 0) + ms);
    const k = fnKey(id);
    fns.set(k, (fns.get(k) ?? 0) + ms);
  }
  const busyMs = totalMs - (buckets["(idle)"] ?? 0);
  return {
    file,
    totalMs,
    busyMs,
    buckets,
    byArea: rows(area, totalMs, top),
    byFile: rows(files, totalMs, top),
    byFunction: rows(fns, totalMs, top),
    inclusiveProject: rows(inclusive, totalMs, top),
  };
}

export async function summariseProfileFile(file: string, top = 25): Promise<ProfileSummary> {
  return summariseProfile(JSON.parse(await readFile(file, "utf8")) as CpuProfile, file, top);
}

/** A plain-text report of a summary. */
export function formatProfile(s: ProfileSummary, top = 15): string {
  const ms = (v: number) => `${Math.round(v).toString().padStart(7)} ms`;
  const pct = (v: number) => `${(v * 100).toFixed(1).padStart(5)}%`;
  const table = (title: string, list: Row[]) =>
    [`  ${title}`, ...list.slice(0, top).map((r) => `    ${ms(r.ms)} ${pct(r.share)}  ${r.key}`)].join("\n");
  const b = Object.entries(s.buckets)
    .sort((x, y) => y[1] - x[1])
    .map(([k, v]) => `${k} ${Math.round(v)} ms`)
    .join(", ");
  return [
    `${path.basename(s.file)}: ${Math.round(s.totalMs)} ms profiled, ${Math.round(s.busyMs)} ms busy in Node (${b})`,
    table("self time by area", s.byArea),
    table("self time by file", s.byFile),
    table("self time by function", s.byFunction),
    table("inclusive time, project functions", s.inclusiveProject),
  ].join("\n");
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const args = process.argv.slice(2);
  const topAt = args.indexOf("--top");
  const top = topAt >= 0 ? Number(args.splice(topAt, 2)[1]) : 15;
  if (args.length === 0) {
    process.stderr.write("usage: tsx scripts/bench/profile.ts file.cpuprofile… [--top N]\n");
    process.exitCode = 1;
  }
  for (const file of args) process.stdout.write(`${formatProfile(await summariseProfileFile(file, Math.max(top, 25)), top)}\n\n`);
}
