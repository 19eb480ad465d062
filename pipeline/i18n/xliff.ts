/**
 * XLIFF 2.0 export and import of the same segments as the PO files, for CAT tools (Trados,
 * memoQ, OmegaT). One `<unit>` per segment, id = msgctxt; plural labels are one unit per gettext
 * plural form (`label/count-organisations#2`). Inline structure travels as Markdown inline text,
 * exactly as in the PO files, and is checked the same way when the PO is built.
 */
import { XMLBuilder, XMLParser, XMLValidator } from "fast-xml-parser";
import { ConfigError } from "../errors.ts";
import type { PoEntry } from "./po.ts";
import type { Segment } from "./segments.ts";

const XLIFF_NS = "urn:oasis:names:tc:xliff:document:2.0";

export function exportXliff(segments: readonly Segment[], entries: readonly PoEntry[], sourceLang: string, lang: string, original: string): string {
  const byContext = new Map(entries.filter((e) => !e.obsolete).map((e) => [e.context, e]));
  const units = segments.flatMap((segment) => {
    const entry = byContext.get(segment.context);
    const current = entry && entry.msgid === segment.source ? entry : undefined;
    const forms = segment.sourcePlural !== undefined ? (current?.msgstr.length ? current.msgstr.length : 2) : 1;
    return Array.from({ length: forms }, (_, i) => {
      const source = segment.sourcePlural !== undefined && i > 0 ? segment.sourcePlural : segment.source;
      const target = current?.msgstr[i] ?? "";
      // A fuzzy translation travels as a suggestion (state initial); a reviewed one as final.
      const state = !target || current?.fuzzy ? "initial" : "final";
      return {
        "@_id": segment.sourcePlural !== undefined ? `${segment.context}#${i}` : segment.context,
        ...(segment.comment ? { notes: { note: { "#text": segment.comment, "@_category": "instruction" } } } : {}),
        segment: {
          "@_state": state,
          source: { "#text": source },
          ...(target ? { target: { "#text": target } } : {}),
        },
      };
    });
  });
  const builder = new XMLBuilder({ ignoreAttributes: false, attributeNamePrefix: "@_", format: true, indentBy: "  ", suppressEmptyNode: true });
  const body = builder.build({
    xliff: {
      "@_xmlns": XLIFF_NS,
      "@_version": "2.0",
      "@_srcLang": sourceLang,
      "@_trgLang": lang,
      file: { "@_id": "f1", "@_original": original, unit: units },
    },
  });
  return `<?xml version="1.0" encoding="UTF-8"?>\n${body}`;
}

export interface XliffTarget {
  id: string;
  target: string;
  state: string;
}

/** Read the targets of an XLIFF 2.0 file. Malformed XML or another version is a ConfigError. */
export function parseXliff(xml: string, file: string): { trgLang: string | undefined; units: XliffTarget[] } {
  const valid = XMLValidator.validate(xml);
  if (valid !== true) {
    throw new ConfigError(`${file}:${valid.err.line}:${valid.err.col}: invalid XML: ${valid.err.msg}`);
  }
  const parser = new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: "@_",
    removeNSPrefix: true,
    trimValues: false,
    parseTagValue: false,
    isArray: (name) => ["file", "unit", "segment"].includes(name),
  });
  const doc = parser.parse(xml) as { xliff?: { "@_version"?: string; "@_trgLang"?: string; file?: Array<{ unit?: Array<Record<string, unknown>> }> } };
  if (!doc.xliff || !String(doc.xliff["@_version"] ?? "").startsWith("2.")) {
    throw new ConfigError(`${file}: not an XLIFF 2.x document`);
  }
  const units: XliffTarget[] = [];
  for (const f of doc.xliff.file ?? []) {
    for (const unit of f.unit ?? []) {
      const segments = (unit.segment as Array<Record<string, unknown>> | undefined) ?? [];
      const text = (node: unknown) => (typeof node === "string" ? node : node && typeof node === "object" ? String((node as Record<string, unknown>)["#text"] ?? "") : "");
      units.push({
        id: String(unit["@_id"]),
        target: segments.map((s) => text(s.target)).join(""),
        state: String(segments[0]?.["@_state"] ?? "initial"),
      });
    }
  }
  return { trgLang: doc.xliff["@_trgLang"], units };
}

/** Apply imported targets to PO entries: a target in state `initial` stays fuzzy; `translated`, `reviewed` and `final` are translations. */
export function importTargets(entries: readonly PoEntry[], units: readonly XliffTarget[]): { entries: PoEntry[]; updated: number; unknown: string[] } {
  const out = entries.map((e) => ({ ...e, msgstr: [...e.msgstr] }));
  const byContext = new Map(out.filter((e) => !e.obsolete).map((e) => [e.context, e]));
  let updated = 0;
  const unknown: string[] = [];
  for (const unit of units) {
    const [context, form] = unit.id.split("#");
    const entry = byContext.get(context!);
    if (!entry) {
      unknown.push(unit.id);
      continue;
    }
    if (!unit.target) continue;
    const index = form === undefined ? 0 : Number(form);
    if (entry.msgstr[index] !== unit.target) updated++;
    entry.msgstr[index] = unit.target;
    entry.fuzzy = unit.state === "initial";
    if (!entry.fuzzy) delete entry.previous;
  }
  return { entries: out, updated, unknown };
}
