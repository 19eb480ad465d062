/**
 * The writer registry: one writer per format. The `Format` union and this record are the only
 * place formats are enumerated; an unknown format is a configuration error (see `parseFormats`).
 */
import { ConfigError } from "../errors.ts";
import { FORMATS, type Format, type Writer } from "../model.ts";
import { htmlWriter } from "./html/index.ts";
import { epubWriter } from "./epub/index.ts";
import { pdfWriter } from "./pdf/index.ts";
import { docxWriter } from "./docx/index.ts";

export const writers: Record<Format, Writer> = {
  html: htmlWriter,
  epub: epubWriter,
  pdf: pdfWriter,
  docx: docxWriter,
};

/** Validate a user's list of formats (`html,pdf`). */
export function parseFormats(list: readonly string[] | undefined): Format[] {
  if (!list || list.length === 0) return [...FORMATS];
  return list.map((name) => {
    if (!(FORMATS as readonly string[]).includes(name)) {
      throw new ConfigError(`Unknown format \`${name}\`; choose from ${FORMATS.join(", ")}`);
    }
    return name as Format;
  });
}
