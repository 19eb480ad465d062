/**
 * `letterpress signatories import <file.csv> [doc.md]` and `letterpress signatories add --name …
 * [doc.md]`: the printing side of `pipeline/data/import.ts`.
 *
 * Exit codes: `import` exits 0 when the CSV was processed, even if rows were rejected or were
 * duplicates (every row is in the report); 1 when nothing could be done (unreadable CSV, no name
 * column, invalid document or signatories file, bad option). `add` exits 1 when the entry is
 * invalid or already listed.
 */
import type { VFile } from "vfile";
import { ConfigError } from "../errors.ts";
import { addSignatory, importSignatories, type ImportRow, type Kind } from "../data/import.ts";
import { displayPath } from "../parse/read.ts";
import { plural, reportFiles, type Io } from "./io.ts";

export const SIGNATORIES_USAGE = `Usage:
  letterpress signatories import <file.csv> [doc.md] [--map "name=Column,type=Column,…"] [--report FILE] [--dry-run]
  letterpress signatories add --name "…" [--individual] [--family …] [--affiliation …] [--country …] [--website URL] [doc.md] [--dry-run]

Fields for --map: name, type, family, affiliation, country, website (an empty column, \`type=\`, ignores a field).
The signatories file is the one named by the document's front matter; the default document is source/open-letter.md.`;

export interface SignatoriesOptions {
  map?: string | undefined;
  report?: string | undefined;
  "dry-run"?: boolean | undefined;
  quiet?: boolean | undefined;
  name?: string | undefined;
  individual?: boolean | undefined;
  family?: string | undefined;
  affiliation?: string | undefined;
  country?: string | undefined;
  website?: string | undefined;
}

const DEFAULT_DOCUMENT = "source/open-letter.md";

const report = (files: readonly VFile[], io: Io) => reportFiles(files, io);

export async function signatoriesCommand(sub: string | undefined, args: string[], options: SignatoriesOptions, io: Io): Promise<number> {
  switch (sub) {
    case "import":
      return importCommand(args, options, io);
    case "add":
      return addCommand(args, options, io);
    default:
      io.stderr(`letterpress: \`signatories\` needs \`import\` or \`add\`\n\n${SIGNATORIES_USAGE}\n`);
      return 1;
  }
}

async function importCommand(args: string[], options: SignatoriesOptions, io: Io): Promise<number> {
  const [csv, document = DEFAULT_DOCUMENT, ...extra] = args;
  if (!csv) throw new ConfigError("`signatories import` needs a CSV file", { hint: "letterpress signatories import signons.csv" });
  if (extra.length) throw new ConfigError(`unexpected argument \`${extra[0]}\` for \`signatories import\``);
  const dryRun = options["dry-run"] === true;
  const result = await importSignatories({ csv, document, map: options.map, report: options.report, dryRun });
  report(result.files, io);
  if (!result.ok) {
    io.stderr("letterpress: nothing imported; no file was changed\n");
    return 1;
  }
  const target = result.signatories!;
  if (result.ignoredColumns.length) {
    io.stderr(`letterpress: warning: ignored ${plural(result.ignoredColumns.length, "column")}: ${result.ignoredColumns.map((c) => `\`${c}\``).join(", ")} (use --map to use them)\n`);
  }
  if (target.reformatted) io.stderr(`letterpress: warning: the layout of ${target.display} was normalised by the YAML writer (comments and order kept)\n`);
  const csvName = displayPath(csv);
  if (!options.quiet) {
    for (const row of result.rows) {
      if (row.outcome.status === "empty") continue;
      io.stdout(`${csvName}:${row.line}  ${describe(row)}\n`);
    }
  }
  const { added, duplicate, rejected, empty } = result.counts;
  const byKind = (kind: Kind) => result.rows.filter((r) => r.outcome.status === "added" && r.outcome.kind === kind).length;
  const where = added
    ? `${dryRun ? "would add to" : target.created ? "created" : "added to"} ${target.display} (${plural(byKind("organisation"), "organisation")}, ${plural(byKind("individual"), "individual")})`
    : `${target.display} unchanged`;
  const reportNote = result.report ? `report: ${displayPath(result.report)}` : "report: not written (dry run)";
  const emptyNote = empty ? `, ${plural(empty, "empty row")} skipped` : "";
  io.stdout(`${dryRun ? "Dry run: " : ""}${added} added, ${plural(duplicate, "duplicate")}, ${rejected} rejected${emptyNote}; ${reportNote}\n`);
  if (!options.quiet) io.stdout(`${where[0]!.toUpperCase()}${where.slice(1)}\n`);
  return 0;
}

function describe(row: ImportRow): string {
  const o = row.outcome;
  switch (o.status) {
    case "added":
      return `added      ${o.kind} \`${o.entry.name}\``;
    case "duplicate":
      return `duplicate  \`${o.entry.name}\`: ${o.reason}`;
    case "rejected":
      return `rejected   ${o.reason}`;
    case "empty":
      return "empty row";
  }
}

async function addCommand(args: string[], options: SignatoriesOptions, io: Io): Promise<number> {
  const [document = DEFAULT_DOCUMENT, ...extra] = args;
  if (extra.length) throw new ConfigError(`unexpected argument \`${extra[0]}\` for \`signatories add\``);
  if (!options.name?.trim()) throw new ConfigError("`signatories add` needs `--name`", { hint: SIGNATORIES_USAGE.split("\n")[2]!.trim() });
  const result = await addSignatory({
    document,
    candidate: {
      name: options.name,
      family: options.family,
      affiliation: options.affiliation,
      country: options.country,
      website: options.website,
    },
    individual: options.individual,
    dryRun: options["dry-run"],
  });
  report(result.files, io);
  if (!result.ok) {
    if (result.problem) io.stderr(`letterpress: error: not added: ${result.problem}\n`);
    return 1;
  }
  const target = result.signatories!;
  if (target.reformatted) io.stderr(`letterpress: warning: the layout of ${target.display} was normalised by the YAML writer (comments and order kept)\n`);
  const verb = options["dry-run"] ? "Dry run: would add" : "Added";
  io.stdout(`${verb} ${result.kind} \`${result.entry!.name}\` to ${target.display}${target.created ? " (new file)" : ""}\n`);
  return 0;
}
