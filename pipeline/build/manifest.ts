/**
 * The edition record: `dist/manifest.json` (every file with size and sha256, languages,
 * translation coverage, signatory counts and names, the source revision) and
 * `dist/signatories-changes.md`, who was added or removed since the previous build.
 */
import { createHash } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import type { TranslationStats } from "../i18n/overlay.ts";
import type { LoadedDocument } from "../load.ts";
import type { Signatories } from "../model.ts";

export const MANIFEST_FILE = "manifest.json";
export const CHANGES_FILE = "signatories-changes.md";

export interface Manifest {
  document: string;
  title: string;
  /** SOURCE_DATE_EPOCH (or its stand-in) as ISO time: no wall-clock time, outputs stay reproducible. */
  date: string;
  source: { inputs: string; commit?: string };
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

export async function readManifest(outDir: string): Promise<Manifest | undefined> {
  try {
    return JSON.parse(await readFile(path.join(outDir, MANIFEST_FILE), "utf8")) as Manifest;
  } catch {
    return undefined;
  }
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
  if (!changes.compared) lines.push("First build in this folder: nothing to compare with.");
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
  dir: string;
  epoch: number;
  inputHash: string;
  languages: string[];
  coverage: Manifest["coverage"];
  changes: SignatoryChanges;
  /** The checked-out commit (started by the caller, see `gitCommit`). */
  commit: Promise<string | undefined>;
  /** Files of the folder whose size and hash the build knows already (not read again). */
  known?: ReadonlyMap<string, { bytes: number; sha256: string }>;
}): Promise<string> {
  const files: Manifest["files"] = [];
  const walk = async (relative: string) => {
    for (const entry of (await readdir(path.join(input.dir, relative), { withFileTypes: true })).sort((a, b) => a.name.localeCompare(b.name))) {
      const rel = relative ? `${relative}/${entry.name}` : entry.name;
      if (entry.isDirectory()) await walk(rel);
      else if (rel !== MANIFEST_FILE) {
        const known = input.known?.get(rel);
        if (known) {
          files.push({ path: rel, bytes: known.bytes, sha256: known.sha256 });
          continue;
        }
        const data = await readFile(path.join(input.dir, rel));
        files.push({ path: rel, bytes: data.byteLength, sha256: createHash("sha256").update(data).digest("hex") });
      }
    }
  };
  await walk("");
  const commit = await input.commit;
  const manifest: Manifest = {
    document: input.doc.slug,
    title: input.doc.meta.title,
    date: new Date(input.epoch * 1000).toISOString(),
    source: { inputs: input.inputHash, ...(commit ? { commit } : {}) },
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
  return `${JSON.stringify(manifest, null, 2)}\n`;
}
