/**
 * Sign-ons from outside: `importSignatories` merges a sign-on form export (CSV) into the
 * document's signatories file, `addSignatory` adds one entry. Each candidate is normalised
 * (trimmed, Unicode NFC, white space collapsed), classified (organisation or individual),
 * validated with the signatories schemas and de-duplicated with `dedupeKey` against the existing
 * list and the rows before it. Every CSV row gets an outcome (added, duplicate, rejected, empty)
 * with its line and reason; the outcomes are written to a report CSV. Nothing prints.
 *
 * Organisation or individual: a `type` column decides when it is filled ("organisation",
 * "organization", "org", "group", "ngo" … / "individual", "person", "personal" …); otherwise a
 * row with a family name or an affiliation is an individual, any other row an organisation.
 */
import { writeFile } from "node:fs/promises";
import path from "node:path";
import type { VFile } from "vfile";
import type { z } from "zod";
import { ConfigError } from "../errors.ts";
import { displayPath } from "../parse/read.ts";
import { formatCsv, readCsv, type CsvTable } from "./csv.ts";
import { openSignatories, renderWithAdditions, stageSignatories, writeSignatories, type Kind, type NewEntry, type SignatoriesTarget } from "./signatories-file.ts";
import { dedupeKey, individualSchema, normaliseName, organisationSchema } from "./signatories.ts";

export type { Kind, NewEntry } from "./signatories-file.ts";

export const FIELDS = ["name", "type", "family", "affiliation", "country", "website"] as const;
export type Field = (typeof FIELDS)[number];

/**
 * Header names recognised without `--map`, compared without case, accents, spaces and
 * punctuation ("Last name" = "lastname"). For `name` the first one present wins.
 */
export const DEFAULT_COLUMNS: Record<Field, readonly string[]> = {
  name: ["name", "fullname", "yourname", "signatory", "signatoryname", "organisation", "organization", "organisationname", "organizationname", "orgname"],
  type: ["type", "kind", "signatorytype", "signingas", "category"],
  family: ["family", "familyname", "lastname", "surname"],
  affiliation: ["affiliation", "affiliations"],
  country: ["country", "countryregion", "countryorregion"],
  website: ["website", "url", "web", "homepage", "websiteurl", "webaddress"],
};

/** Compare header names and type values: no case, accents, spaces or punctuation. */
export function headerKey(text: string): string {
  return text.normalize("NFKD").replace(/\p{M}+/gu, "").toLowerCase().replace(/[^\p{L}\p{N}]+/gu, "");
}

/** Parse `--map "name=Organisation,type=Kind"`; an empty column (`type=`) switches a field off. */
export function parseMapping(spec: string | undefined): Partial<Record<Field, string>> {
  const mapping: Partial<Record<Field, string>> = {};
  if (!spec) return mapping;
  for (const part of spec.split(",")) {
    if (!part.trim()) continue;
    const eq = part.indexOf("=");
    const field = (eq < 0 ? part : part.slice(0, eq)).trim().toLowerCase();
    if (eq < 0 || !(FIELDS as readonly string[]).includes(field)) {
      throw new ConfigError(`invalid --map entry \`${part.trim()}\``, {
        hint: `write field=Column with a field among ${FIELDS.join(", ")}`,
      });
    }
    mapping[field as Field] = part.slice(eq + 1).trim();
  }
  return mapping;
}

export interface ColumnPlan {
  /** Field → index of its column in the header. */
  columns: Partial<Record<Field, number>>;
  /** Header names that feed no field (shown to the user, kept in the report). */
  ignored: string[];
}

/**
 * Decide which column feeds which field. Problems (a mapped column that does not exist, no name
 * column) are fatal messages on the CSV file, naming the columns found.
 */
export function planColumns(header: readonly string[], mapping: Partial<Record<Field, string>>, file: VFile): ColumnPlan | undefined {
  const keys = header.map(headerKey);
  const found = header.map((h) => `\`${h}\``).join(", ") || "none";
  const columns: Partial<Record<Field, number>> = {};
  const used = new Set<number>();
  let ok = true;
  for (const field of FIELDS) {
    const wanted = mapping[field];
    if (wanted === "") continue; // switched off
    if (wanted !== undefined) {
      let index = header.indexOf(wanted);
      if (index < 0) index = keys.indexOf(headerKey(wanted));
      if (index < 0) {
        file.message(`--map ${field}=${wanted}: no column \`${wanted}\` (columns found: ${found})`, {
          place: { line: 1, column: 1 },
          ruleId: "csv-columns",
          source: "letterpress:data",
        }).fatal = true;
        ok = false;
        continue;
      }
      columns[field] = index;
      used.add(index);
    }
  }
  for (const field of FIELDS) {
    if (field in columns || mapping[field] !== undefined) continue;
    for (const alias of DEFAULT_COLUMNS[field]) {
      const index = keys.findIndex((k, i) => k === alias && !used.has(i));
      if (index >= 0) {
        columns[field] = index;
        used.add(index);
        break;
      }
    }
  }
  if (ok && columns.name === undefined) {
    file.message(
      `No name column: expected one named ${DEFAULT_COLUMNS.name.slice(0, 7).join(", ")} … or \`--map name=COLUMN\` (columns found: ${found})`,
      { place: { line: 1, column: 1 }, ruleId: "csv-columns", source: "letterpress:data" },
    ).fatal = true;
    ok = false;
  }
  if (!ok) return undefined;
  return { columns, ignored: header.filter((h, i) => !used.has(i) && h !== "") };
}

/** A signatory as given (by a CSV row or by options); values are not yet normalised. */
export interface Candidate {
  name?: string | undefined;
  type?: string | undefined;
  family?: string | undefined;
  affiliation?: string | undefined;
  country?: string | undefined;
  website?: string | undefined;
}

export type Outcome =
  | { status: "added"; kind: Kind; entry: NewEntry }
  | { status: "duplicate"; kind: Kind; entry: NewEntry; reason: string }
  | { status: "rejected"; reason: string }
  | { status: "empty"; reason: string };

const ORGANISATION_TYPE = /^(org|group|ngo|company|association|institution|network|collective|coalition)/;
const INDIVIDUAL_TYPE = /^(individual|person|private|self)/;

/** Organisation or individual (see the module comment), or the reason it cannot be told. */
export function classify(candidate: Candidate): Kind | { reason: string } {
  const type = headerKey(candidate.type ?? "");
  if (type) {
    if (INDIVIDUAL_TYPE.test(type)) return "individual";
    if (ORGANISATION_TYPE.test(type)) return "organisation";
    return { reason: `unknown type \`${normaliseName(candidate.type ?? "")}\` (expected organisation or individual)` };
  }
  return normaliseName(candidate.family ?? "") || normaliseName(candidate.affiliation ?? "") ? "individual" : "organisation";
}

/** Each problem with the value it is about, so the report shows what was rejected. */
function issues(error: z.ZodError, entry: NewEntry): string {
  return error.issues
    .map((i) => {
      if (i.code === "unrecognized_keys") return `unexpected ${i.keys.join(", ")}`;
      const field = i.path.join(".") || "entry";
      const value = i.path.length === 1 ? entry[i.path[0] as keyof NewEntry] : undefined;
      if (!value) return `${field}: ${i.message}`;
      // A website written without its scheme is the usual case: say what would be accepted.
      const fixed = field === "website" && !/^[a-z][a-z0-9+.-]*:/i.test(value) && URL.canParse(`https://${value}`) ? ` (did you mean \`https://${value}\`?)` : "";
      return `${field}: \`${value}\` ${i.message}${fixed}`;
    })
    .join("; ");
}

/** Normalise, classify and validate one candidate (no duplicate check). */
export function validateCandidate(candidate: Candidate): { kind: Kind; entry: NewEntry } | { reason: string } {
  const kind = classify(candidate);
  if (typeof kind !== "string") return kind;
  const value = (s: string | undefined) => normaliseName(s ?? "") || undefined;
  const entry: NewEntry = { name: value(candidate.name) ?? "" };
  if (entry.name && !dedupeKey(entry.name)) return { reason: `name: \`${entry.name}\` has no letters or digits` };
  const family = value(candidate.family);
  const affiliation = value(candidate.affiliation);
  const country = value(candidate.country);
  const website = value(candidate.website);
  if (kind === "organisation") {
    const extra = [family && "a family name", affiliation && "an affiliation"].filter(Boolean);
    if (extra.length) return { reason: `an organisation has no ${extra.join(" or ")}: mark the row as an individual or clear the column` };
    if (country) entry.country = country;
    if (website) entry.website = website;
    const result = organisationSchema.safeParse(entry);
    return result.success ? { kind, entry } : { reason: issues(result.error, entry) };
  }
  if (website) return { reason: "individuals have no website (only organisations do): clear it or mark the row as an organisation" };
  if (family) entry.family = family;
  if (affiliation) entry.affiliation = affiliation;
  if (country) entry.country = country;
  const result = individualSchema.safeParse(entry);
  return result.success ? { kind, entry } : { reason: issues(result.error, entry) };
}

/** Duplicate detection against the existing list and the entries accepted so far. */
class Deduper {
  private seen: Record<Kind, Map<string, { name: string; where: string; fields: Record<string, string | undefined> }>>;
  constructor(target: SignatoriesTarget) {
    this.seen = { organisation: new Map(), individual: new Map() };
    for (const kind of ["organisation", "individual"] as const) {
      for (const e of target.existing[kind]) {
        if (!this.seen[kind].has(e.key)) this.seen[kind].set(e.key, { name: e.name, where: `${target.display} line ${e.line}`, fields: e.fields });
      }
    }
  }
  /** The reason `entry` is a duplicate, or undefined (and then it is remembered). */
  check(kind: Kind, entry: NewEntry, where: string): string | undefined {
    const key = dedupeKey(entry.name);
    const first = this.seen[kind].get(key);
    if (!first) {
      this.seen[kind].set(key, { name: entry.name, where, fields: { ...entry } });
      return undefined;
    }
    const differs = (["family", "affiliation", "country", "website"] as const).filter((k) => entry[k] && entry[k] !== first.fields[k]);
    return `same ${kind} as \`${first.name}\` (${first.where})${differs.length ? `; this row also gives a different ${differs.join(", ")}` : ""}`;
  }
}

export interface ImportRow {
  /** Line of the CSV file the row starts on. */
  line: number;
  fields: string[];
  outcome: Outcome;
}

export interface ImportOptions {
  csv: string;
  document: string;
  map?: string | undefined;
  /** Report file; default `<csv>.report.csv`. */
  report?: string | undefined;
  dryRun?: boolean | undefined;
}

export interface ImportResult {
  /** False when nothing could be done (the CSV, the document or the signatories file is unusable). */
  ok: boolean;
  /** Files with messages. */
  files: VFile[];
  rows: ImportRow[];
  counts: Record<Outcome["status"], number>;
  ignoredColumns: string[];
  /** Columns used, by field. */
  columns: Partial<Record<Field, string>>;
  signatories?: { path: string; display: string; created: boolean; reformatted: boolean; written: boolean };
  /** The report written (undefined on a dry run or failure). */
  report?: string;
}

const EMPTY_COUNTS = (): Record<Outcome["status"], number> => ({ added: 0, duplicate: 0, rejected: 0, empty: 0 });

/** Import a sign-on CSV into the document's signatories file and write the report. */
export async function importSignatories(options: ImportOptions): Promise<ImportResult> {
  const mapping = parseMapping(options.map); // a bad --map is a configuration error: before any reading
  if (options.report && path.resolve(options.report) === path.resolve(options.csv)) {
    throw new ConfigError("--report names the input CSV itself", { hint: "choose another file" });
  }
  const failed = (files: VFile[]): ImportResult => ({ ok: false, files, rows: [], counts: EMPTY_COUNTS(), ignoredColumns: [], columns: {} });
  const { file, table } = await readCsv(options.csv);
  if (!table) return failed([file]);
  const plan = planColumns(table.header, mapping, file);
  if (!plan) return failed([file]);
  const opened = await openSignatories(options.document);
  if (!opened.target) return failed(opened.files);
  const target = opened.target;

  const deduper = new Deduper(target);
  const csvName = displayPath(options.csv);
  const rows: ImportRow[] = table.records.map((record) => {
    const get = (field: Field) => {
      const index = plan.columns[field];
      return index === undefined ? undefined : record.fields[index];
    };
    return { line: record.line, fields: record.fields, outcome: rowOutcome(record, table, get, deduper, csvName) };
  });
  const counts = EMPTY_COUNTS();
  for (const row of rows) counts[row.outcome.status]++;
  const additions = rows.flatMap((r) => (r.outcome.status === "added" ? [{ kind: r.outcome.kind, entry: r.outcome.entry }] : []));
  const rendered = additions.length ? renderWithAdditions(target, additions) : undefined;
  const result: ImportResult = {
    ok: true,
    files: [file].filter((f) => f.messages.length > 0),
    rows,
    counts,
    ignoredColumns: plan.ignored,
    columns: Object.fromEntries(Object.entries(plan.columns).map(([f, i]) => [f, table.header[i] ?? ""])),
    signatories: {
      path: target.path,
      display: target.display,
      created: !target.exists && additions.length > 0,
      reformatted: rendered?.reformatted ?? false,
      written: false,
    },
  };
  if (options.dryRun) return result;
  // The YAML is staged (written aside and checked) before the report, and replaces the file
  // only once the report is written: either both change or neither does.
  const staged = rendered ? await stageSignatories(target, rendered.text) : undefined;
  const reportPath = options.report ?? `${options.csv}.report.csv`;
  try {
    await writeFile(reportPath, reportCsv(table, rows));
  } catch (error) {
    await staged?.abort();
    const code = (error as NodeJS.ErrnoException).code;
    throw new ConfigError(`Cannot write the report ${displayPath(reportPath)} (${code ?? String(error)}); nothing was imported`, { cause: error });
  }
  result.report = reportPath;
  if (staged) {
    await staged.commit();
    result.signatories!.written = true;
  }
  return result;
}

function rowOutcome(
  record: { line: number; fields: string[] },
  table: CsvTable,
  get: (field: Field) => string | undefined,
  deduper: Deduper,
  csvName: string,
): Outcome {
  if (record.fields.every((f) => f.trim() === "")) return { status: "empty", reason: "empty row" };
  if (record.fields.length > table.header.length && record.fields.slice(table.header.length).some((f) => f.trim() !== "")) {
    return {
      status: "rejected",
      reason: `${record.fields.length} fields but the header has ${table.header.length} (an unquoted \`${table.delimiter === "\t" ? "tab" : table.delimiter}\` in a value?)`,
    };
  }
  const validated = validateCandidate({
    name: get("name"),
    type: get("type"),
    family: get("family"),
    affiliation: get("affiliation"),
    country: get("country"),
    website: get("website"),
  });
  if ("reason" in validated) return { status: "rejected", reason: validated.reason };
  const duplicate = deduper.check(validated.kind, validated.entry, `${csvName} line ${record.line}`);
  return duplicate ? { status: "duplicate", ...validated, reason: duplicate } : { status: "added", ...validated };
}

/** Every row with its outcome: `line`, `status`, `reason`, then the row's own columns. */
function reportCsv(table: CsvTable, rows: readonly ImportRow[]): string {
  const width = Math.max(table.header.length, ...rows.map((r) => r.fields.length));
  const header = ["line", "status", "reason", ...table.header, ...Array.from({ length: width - table.header.length }, (_, i) => `extra ${i + 1}`)];
  const body = rows.map((r) => {
    const reason = r.outcome.status === "added" ? `added as ${r.outcome.kind}` : r.outcome.reason;
    return [String(r.line), r.outcome.status, reason, ...Array.from({ length: width }, (_, i) => r.fields[i] ?? "")];
  });
  return formatCsv([header, ...body], table);
}

export interface AddOptions {
  document: string;
  candidate: Candidate;
  /** Force an individual even without a family name or affiliation. */
  individual?: boolean | undefined;
  dryRun?: boolean | undefined;
}

export interface AddResult {
  ok: boolean;
  files: VFile[];
  /** Why the entry was not added (validation or duplicate). */
  problem?: string;
  kind?: Kind;
  entry?: NewEntry;
  signatories?: { path: string; display: string; created: boolean; reformatted: boolean; written: boolean };
}

/** Add one signatory (same validation and duplicate check as the import). */
export async function addSignatory(options: AddOptions): Promise<AddResult> {
  const candidate = { ...options.candidate, ...(options.individual ? { type: "individual" } : {}) };
  const opened = await openSignatories(options.document);
  if (!opened.target) return { ok: false, files: opened.files };
  const target = opened.target;
  const validated = validateCandidate(candidate);
  if ("reason" in validated) return { ok: false, files: [], problem: validated.reason };
  const duplicate = new Deduper(target).check(validated.kind, validated.entry, "");
  if (duplicate) return { ok: false, files: [], problem: `already listed: ${duplicate}`, ...validated };
  const rendered = renderWithAdditions(target, [validated]);
  const signatories = { path: target.path, display: target.display, created: !target.exists, reformatted: rendered.reformatted, written: false };
  if (!options.dryRun) {
    await writeSignatories(target, rendered.text);
    signatories.written = true;
  }
  return { ok: true, files: [], ...validated, signatories };
}
