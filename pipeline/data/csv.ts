/**
 * CSV for sign-on form exports: read with `csv-parse` (quoted fields, embedded newlines, BOM,
 * CRLF), separator detected from the header line, every record with the line it starts on.
 * Problems are vfile messages on the CSV file (invalid UTF-8 and malformed quoting are located);
 * nothing is thrown for the file's content, nothing prints.
 */
import { readFile } from "node:fs/promises";
import { CsvError, parse } from "csv-parse/sync";
import type { VFile } from "vfile";
import { readText } from "../parse/read.ts";

export type Delimiter = "," | ";" | "\t";

export interface CsvRecord {
  /** Line (1-based) of the file the record starts on. */
  line: number;
  fields: string[];
}

export interface CsvTable {
  header: string[];
  /** The records after the header, without blank lines. */
  records: CsvRecord[];
  delimiter: Delimiter;
  /** How the file was written, so a report next to it can be written the same way. */
  bom: boolean;
  crlf: boolean;
}

export interface ReadCsv {
  file: VFile;
  /** Undefined when the file is unusable (its messages say why). */
  table: CsvTable | undefined;
}

const DELIMITERS: readonly Delimiter[] = [",", ";", "\t"];

/**
 * The separator of a CSV file: whichever of `,` `;` and tab occurs most often (outside quotes)
 * in the header line; `,` when none does or on a tie.
 */
export function detectDelimiter(text: string): Delimiter {
  const counts = new Map<Delimiter, number>(DELIMITERS.map((d) => [d, 0]));
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '"') quoted = !quoted; // an escaped "" toggles twice
    else if (!quoted && (c === "\n" || c === "\r")) break;
    else if (!quoted && counts.has(c as Delimiter)) counts.set(c as Delimiter, counts.get(c as Delimiter)! + 1);
  }
  let best: Delimiter = ",";
  for (const d of DELIMITERS) if (counts.get(d)! > counts.get(best)!) best = d;
  return best;
}

/** Read and parse a CSV file. The first record is the header. */
export async function readCsv(csvPath: string): Promise<ReadCsv> {
  const file = await readText(csvPath); // UTF-8 or a located error; BOM stripped; CRLF → LF
  if (file.messages.some((m) => m.fatal)) return { file, table: undefined };
  const raw = await readFile(csvPath);
  const bom = raw[0] === 0xef && raw[1] === 0xbb && raw[2] === 0xbf;
  const crlf = raw.includes("\r\n");
  let text = String(file.value);
  // Spreadsheet exports may start with a `sep=;` line naming the separator: obey it, and keep
  // the line (blank) so line numbers stay those of the file.
  const sep = /^sep=([,;\t])\n/.exec(text);
  const delimiter = sep ? (sep[1] as Delimiter) : detectDelimiter(text);
  if (sep) text = `\n${text.slice(sep[0].length)}`;
  let parsed: Array<{ record: string[]; raw: string; info: { lines: number } }>;
  try {
    parsed = parse(text, {
      delimiter,
      info: true,
      raw: true,
      relax_column_count: true,
      relax_quotes: true,
      skip_empty_lines: true,
      trim: true,
    }) as unknown as typeof parsed;
  } catch (error) {
    if (!(error instanceof CsvError)) throw error;
    const line = error.code === "CSV_QUOTE_NOT_CLOSED" ? unclosedQuoteLine(text, delimiter) : Number((error as unknown as { lines?: number }).lines) || 1;
    const reason =
      error.code === "CSV_QUOTE_NOT_CLOSED"
        ? `Invalid CSV: the quoted field opened on line ${line} is never closed (a missing \`"\`)`
        : `Invalid CSV: ${error.message.replace(/\s*at line \d+/, "")}`;
    file.message(reason, { place: { line, column: 1 }, ruleId: "csv-syntax", source: "letterpress:data" }).fatal = true;
    return { file, table: undefined };
  }
  const records: CsvRecord[] = parsed.map(({ record, raw: recordText, info }) => {
    // `info.lines` is the line the record ends on; `raw` holds the blank lines skipped before it
    // and its own line break: what is left spans the record's lines.
    const body = recordText.replace(/^\n+/, "").replace(/\n$/, "");
    return { line: info.lines - (body.match(/\n/g)?.length ?? 0), fields: record };
  });
  const first = records.shift();
  if (!first || first.fields.every((f) => f === "")) {
    file.message("The CSV file is empty: the first line must name the columns", {
      place: { line: 1, column: 1 },
      ruleId: "csv-header",
      source: "letterpress:data",
    }).fatal = true;
    return { file, table: undefined };
  }
  return { file, table: { header: first.fields, records, delimiter, bom, crlf } };
}

/** Line of the opening quote of the field left open at the end of the text. */
function unclosedQuoteLine(text: string, delimiter: Delimiter): number {
  let line = 1;
  let openedAt = 1;
  let quoted = false;
  let fieldStart = true;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') i++;
        else quoted = false;
      } else if (c === "\n") line++;
      continue;
    }
    if (c === '"' && fieldStart) {
      quoted = true;
      openedAt = line;
    } else if (c === "\n") line++;
    fieldStart = c === delimiter || c === "\n" || (fieldStart && (c === " " || c === "\t") && c !== delimiter);
  }
  return openedAt;
}

/** Format rows as CSV (fields quoted only when needed; `"` doubled). */
export function formatCsv(rows: readonly (readonly string[])[], options: { delimiter: Delimiter; crlf: boolean; bom: boolean }): string {
  const eol = options.crlf ? "\r\n" : "\n";
  const quote = (field: string) =>
    /["\r\n]/.test(field) || field.includes(options.delimiter) || field !== field.trim() ? `"${field.replace(/"/g, '""')}"` : field;
  const body = rows.map((row) => row.map(quote).join(options.delimiter)).join(eol);
  return `${options.bom ? "\ufeff" : ""}${body}${eol}`;
}
