/**
 * The record of each letter in an output folder: `<slug>.manifest.json` (its files with size and
 * sha256, languages, translation coverage, signatory counts and names, the source file and
 * revision) and `<slug>.signatories-changes.md`, who was added or removed since that letter's
 * previous build. Letters built into the same folder keep separate records; a folder made before
 * letters had their own records has one `manifest.json`, read as its letter's previous record.
 */
import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { ConfigError } from "../errors.ts";
import type { TranslationStats } from "../i18n/overlay.ts";
import type { LoadedDocument } from "../load.ts";
import type { Signatories } from "../model.ts";

/** The single record of folders built before letters had their own (read, then replaced). */
export const LEGACY_MANIFEST_FILE = "manifest.json";
export const LEGACY_CHANGES_FILE = "signatories-changes.md";
const MANIFEST_SUFFIX = ".manifest.json";

export function manifestFile(slug: string): string {
  return `${slug}${MANIFEST_SUFFIX}`;
}

export function changesFile(slug: string): string {
  return `${slug}.signatories-changes.md`;
}

export interface Manifest {
  /** The letter's id: its file name without extension, which names its outputs. */
  document: string;
  title: string;
  /** The language of the canonical text. */
  lang?: string;
  /** Each edition's title in its language. */
  titles?: Record<string, string>;
  /** Editions published although their text is not fully translated (`--partial`). */
  partial?: string[];
  /** SOURCE_DATE_EPOCH (or its stand-in) as ISO time: no wall-clock time, outputs stay reproducible. */
  date: string;
  /** `path`: the Markdown source, relative to the project root. */
  source: { path?: string; inputs: string; commit?: string };
  languages: string[];
  coverage: Record<string, TranslationStats | undefined>;
  signatories: { organisations: number; individuals: number; names: { organisations: string[]; individuals: string[] } };
  changes: SignatoryChanges;
  files: Array<{ path: string; bytes: number; sha256: string }>;
}

export interface SignatoryChanges {
  /** False on the first build (no previous manifest to compare with). */
  compared: boolean;
  added: string[];
  removed: string[];
}

async function readJson(file: string): Promise<Manifest | undefined> {
  try {
    const value = JSON.parse(await readFile(file, "utf8")) as Manifest;
    return value && typeof value === "object" && typeof value.document === "string" ? value : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The previous record of the letter `slug` in `outDir`; `legacy` when it is the folder's old
 * single `manifest.json` (to be replaced by the letter's own).
 */
export async function readManifest(outDir: string, slug: string): Promise<{ manifest: Manifest; legacy: boolean } | undefined> {
  const own = await readJson(path.join(outDir, manifestFile(slug)));
  if (own) return { manifest: own, legacy: false };
  const legacy = await readJson(path.join(outDir, LEGACY_MANIFEST_FILE));
  return legacy?.document === slug ? { manifest: legacy, legacy: true } : undefined;
}

/** Every letter's record in a folder, by letter id. */
export async function readManifests(dir: string): Promise<Manifest[]> {
  const names = existsSync(dir) ? await readdir(dir) : [];
  const found = new Map<string, Manifest>();
  for (const name of names.filter((n) => n.endsWith(MANIFEST_SUFFIX)).sort()) {
    const manifest = await readJson(path.join(dir, name));
    if (manifest && name === manifestFile(manifest.document)) found.set(manifest.document, manifest);
  }
  const legacy = names.includes(LEGACY_MANIFEST_FILE) ? await readJson(path.join(dir, LEGACY_MANIFEST_FILE)) : undefined;
  if (legacy && !found.has(legacy.document)) found.set(legacy.document, legacy);
  return [...found.values()].sort((a, b) => a.document.localeCompare(b.document));
}

/**
 * Two letters with the same file name would share their outputs: refuse to build over a letter
 * made from another source that still exists.
 */
export function checkSameLetter(previous: Manifest | undefined, sourcePath: string, root: string, outDir: string): void {
  const before = previous?.source?.path;
  if (!before || before === sourcePath || !existsSync(path.join(root, before))) return;
  throw new ConfigError(
    `${path.relative(process.cwd(), outDir) || "."}/ already holds the letter \`${previous.document}\` built from ${before}, and ${sourcePath} has the same file name (a letter's file name names its outputs)`,
    { hint: `rename one of the two files, or build this one with another --out` },
  );
}

function names(list: Signatories | undefined) {
  return {
    organisations: list?.organisations.map((o) => o.name) ?? [],
    individuals: list?.individuals.map((i) => i.name) ?? [],
  };
}

export function signatoryChanges(previous: Manifest | undefined, current: Signatories | undefined): SignatoryChanges {
  const now = names(current);
  if (!previous?.signatories?.names) return { compared: false, added: [], removed: [] };
  const before = [...previous.signatories.names.organisations, ...previous.signatories.names.individuals];
  const after = [...now.organisations, ...now.individuals];
  return {
    compared: true,
    added: after.filter((n) => !before.includes(n)),
    removed: before.filter((n) => !after.includes(n)),
  };
}

export function renderChangeReport(changes: SignatoryChanges, title: string): string {
  const lines = [`# Signatory changes: ${title}`, ""];
  if (!changes.compared) lines.push("First build of this letter in this folder: nothing to compare with.");
  else if (changes.added.length === 0 && changes.removed.length === 0) lines.push("No signatories added or removed since the previous build.");
  else {
    lines.push(`Since the previous build: ${changes.added.length} added, ${changes.removed.length} removed.`, "");
    if (changes.added.length) lines.push("## Added", "", ...changes.added.map((n) => `- ${n}`), "");
    if (changes.removed.length) lines.push("## Removed", "", ...changes.removed.map((n) => `- ${n}`), "");
  }
  return `${lines.join("\n").trimEnd()}\n`;
}

export async function createManifest(input: {
  doc: LoadedDocument;
  /** The staged folder. */
  dir: string;
  /** The source, relative to the project root. */
  sourcePath: string;
  epoch: number;
  inputHash: string;
  languages: string[];
  titles: Record<string, string>;
  partial: string[];
  coverage: Manifest["coverage"];
  changes: SignatoryChanges;
  /** The checked-out commit (started by the caller, see `gitCommit`). */
  commit: Promise<string | undefined>;
  /** The letter's files in the staged folder (its editions and change report). */
  files: readonly string[];
  /** Files whose size and hash the build knows already (not read again). */
  known?: ReadonlyMap<string, { bytes: number; sha256: string }>;
}): Promise<Manifest> {
  const files: Manifest["files"] = [];
  for (const rel of input.files) {
    const known = input.known?.get(rel);
    if (known) {
      files.push({ path: rel, bytes: known.bytes, sha256: known.sha256 });
      continue;
    }
    const data = await readFile(path.join(input.dir, rel));
    files.push({ path: rel, bytes: data.byteLength, sha256: createHash("sha256").update(data).digest("hex") });
  }
  const commit = await input.commit;
  const manifest: Manifest = {
    document: input.doc.slug,
    title: input.doc.meta.title,
    lang: input.doc.meta.lang,
    titles: input.titles,
    ...(input.partial.length ? { partial: input.partial } : {}),
    date: new Date(input.epoch * 1000).toISOString(),
    source: { path: input.sourcePath, inputs: input.inputHash, ...(commit ? { commit } : {}) },
    languages: input.languages,
    coverage: input.coverage,
    signatories: {
      organisations: input.doc.signatories?.organisations.length ?? 0,
      individuals: input.doc.signatories?.individuals.length ?? 0,
      names: names(input.doc.signatories),
    },
    changes: input.changes,
    files,
  };
  return manifest;
}

/** The record as it is written to `<slug>.manifest.json`. */
export function manifestJson(manifest: Manifest): string {
  return `${JSON.stringify(manifest, null, 2)}\n`;
}
