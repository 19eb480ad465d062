/**
 * Data stage: the signatory list is data, not prose. It is read from YAML, validated with a
 * schema (errors at the YAML line and column), de-duplicated and put in a stable order once,
 * so every edition and every format shows the same list.
 */
import path from "node:path";
import type { VFile } from "vfile";
import { z } from "zod";
import type { Individual, Organisation, Signatories } from "../model.ts";
import { readText } from "../parse/read.ts";
import { parseYaml, placeOf, validateYaml, type YamlSource } from "../parse/yaml.ts";

const text = z.string().trim().min(1, "must not be empty");
const url = z.url({ protocol: /^https?$/, error: "must be an http(s) URL" });

export const organisationSchema = z.strictObject({
  name: text,
  country: text.optional(),
  website: url.optional(),
});

export const individualSchema = z.strictObject({
  name: text,
  family: text.optional(),
  affiliation: text.optional(),
  country: text.optional(),
});

export const signatoriesSchema = z.strictObject({
  organisations: z.array(organisationSchema).default([]),
  individuals: z.array(individualSchema).default([]),
});

/** Collation used for the canonical order; numeric so "7amleh" sorts before "Access Now". */
const collator = new Intl.Collator("en", { numeric: true, sensitivity: "base" });

/**
 * The key two names are compared by: case, accents, punctuation, white space and a trailing
 * acronym in parentheses are ignored ("Electronic Frontier Foundation (EFF)" = "electronic
 * frontier foundation").
 */
export function dedupeKey(name: string): string {
  return name
    .normalize("NFKD")
    .replace(/\p{M}+/gu, "")
    .replace(/\s*\([\p{Lu}\p{N}&.\s-]{2,}\)\s*$/u, "")
    .toLowerCase()
    .replace(/&/g, " and ")
    .replace(/[\p{P}\p{S}]+/gu, " ")
    .replace(/\s+/g, " ")
    .trim();
}

/** Unicode NFC, trimmed, inner white space collapsed. */
export function normaliseName(name: string): string {
  return name.normalize("NFC").replace(/\s+/g, " ").trim();
}

/** Family name used to sort an individual: explicit `family`, else the last word of the name. */
export function familyName(individual: { name: string; family?: string | undefined }): string {
  return individual.family ?? individual.name.split(/\s+/).at(-1) ?? individual.name;
}

export function sortSignatories(list: Signatories): Signatories {
  return {
    organisations: [...list.organisations].sort((a, b) => collator.compare(a.name, b.name)),
    individuals: [...list.individuals].sort(
      (a, b) => collator.compare(a.family, b.family) || collator.compare(a.name, b.name),
    ),
  };
}

export interface LoadedSignatories {
  file: VFile;
  signatories: Signatories | undefined;
}

/** Load, validate, de-duplicate and order a signatories file (path relative to the document). */
export async function loadSignatories(documentPath: string, relative: string): Promise<LoadedSignatories> {
  const absolute = path.resolve(path.dirname(documentPath), relative);
  const file = await readText(absolute);
  if (file.messages.some((m) => m.fatal)) return { file, signatories: undefined };
  const source = parseYaml(String(file.value), file, "letterpress:data");
  if (!source) return { file, signatories: undefined };
  const data = validateYaml(source, signatoriesSchema, file, "signatory-schema", "letterpress:data");
  if (!data) return { file, signatories: undefined };
  const organisations: Organisation[] = data.organisations.map((o) => ({ ...o, name: normaliseName(o.name) }));
  const individuals: Individual[] = data.individuals.map((i) => ({
    ...i,
    name: normaliseName(i.name),
    family: familyName(i),
  }));
  reportDuplicates(source, file, "organisations", organisations);
  reportDuplicates(source, file, "individuals", individuals);
  if (file.messages.some((m) => m.fatal)) return { file, signatories: undefined };
  return { file, signatories: sortSignatories({ organisations, individuals }) };
}

function reportDuplicates(source: YamlSource, file: VFile, key: string, list: Array<{ name: string }>) {
  const seen = new Map<string, number>();
  list.forEach((entry, index) => {
    const k = dedupeKey(entry.name);
    const first = seen.get(k);
    if (first === undefined) {
      seen.set(k, index);
      return;
    }
    const firstPlace = placeOf(source, [key, first, "name"]);
    const firstLine = "start" in firstPlace ? firstPlace.start.line : firstPlace.line;
    file.message(
      `Duplicate signatory \`${entry.name}\`: same as \`${list[first]?.name}\` at line ${firstLine} (case, accents, punctuation and a trailing acronym are ignored)`,
      { place: placeOf(source, [key, index, "name"]), ruleId: "signatory-duplicate", source: "letterpress:data" },
    ).fatal = true;
  });
}
