/**
 * XLIFF 2.0 export and import of the same segments as the PO files, for CAT tools (Trados,
 * memoQ, OmegaT, Okapi). One `<unit>` per segment; plural labels are one unit per gettext plural
 * form. Inline structure travels as Markdown inline text, exactly as in the PO files, and is
 * checked the same way when the PO is used. What a CAT tool adds on import is mapped back to that
 * text: inline codes with equivalent text or a bold/italic subtype, `<cp>` characters, annotations'
 * content, several segments joined with their `<ignorable>` whitespace. Nothing is dropped: what
 * cannot be mapped is a located error and the unit is not imported.
 */
import { XMLBuilder } from "fast-xml-parser";
import { XmlBufferInputProvider, XmlCData, XmlDocument, XmlElement, XmlLibError, XmlText, XsdValidator, xmlRegisterInputProvider, type XmlTreeNode } from "libxml2-wasm";
import type { VFile } from "vfile";
import type { PoEntry } from "./po.ts";
import type { Segment } from "./segments.ts";
import { checkXliffRules, XLIFF_NS } from "./xliff-rules.ts";
import { XLIFF_CORE_XSD, XML_XSD, XML_XSD_LOCATION } from "./xliff-schema.ts";

export { XLIFF_NS };

/**
 * Unit id for a msgctxt. XLIFF ids are NMTOKENs: `/` becomes `:`, letters, digits and `-` stay,
 * any other character is `_` + its code point in hex + `_`. The mapping is one-to-one; `.` is left
 * free for the plural-form suffix.
 */
export function contextToId(context: string): string {
  return [...context].map((c) => (c === "/" ? ":" : /[A-Za-z0-9-]/.test(c) ? c : `_${c.codePointAt(0)!.toString(16)}_`)).join("");
}

/** The msgctxt of a unit id made by `contextToId`, or undefined if it is not one. */
export function idToContext(id: string): string | undefined {
  if (!/^(?:[A-Za-z0-9:-]|_[0-9a-f]{1,6}_)+$/.test(id)) return undefined;
  const context = id.replace(/:/g, "/").replace(/_([0-9a-f]{1,6})_/g, (_, hex: string) => String.fromCodePoint(parseInt(hex, 16)));
  return contextToId(context) === id ? context : undefined;
}

/** Unit id of a segment (and plural form). */
function unitId(segment: Segment, form?: number): string {
  return form === undefined ? contextToId(segment.context) : `${contextToId(segment.context)}.${form}`;
}

export function exportXliff(
  segments: readonly Segment[],
  entries: readonly PoEntry[],
  sourceLang: string,
  lang: string,
  original: string,
  pluralCategories: readonly string[] = ["one", "other"],
): string {
  const byContext = new Map(entries.filter((e) => !e.obsolete).map((e) => [e.context, e]));
  const units = segments.flatMap((segment) => {
    const entry = byContext.get(segment.context);
    const current = entry && entry.msgid === segment.source ? entry : undefined;
    const plural = segment.sourcePlural !== undefined;
    const forms = plural ? pluralCategories.length : 1;
    return Array.from({ length: forms }, (_, i) => {
      // Gettext's plural forms: index 0 is the English singular's slot, every other the plural's.
      const source = plural && i > 0 ? segment.sourcePlural! : segment.source;
      const target = current?.msgstr[i] ?? "";
      // A fuzzy translation travels as a suggestion (state initial); a reviewed one as final.
      const state = !target || current?.fuzzy ? "initial" : "final";
      const notes = [
        ...(segment.comment ? [{ "#text": segment.comment, "@_category": "instruction" }] : []),
        ...(plural ? [{ "#text": `Plural form ${i + 1} of ${forms}: ${lang} category “${pluralCategories[i]}”`, "@_category": "plural" }] : []),
      ];
      return {
        "@_id": unitId(segment, plural ? i : undefined),
        "@_name": segment.context,
        ...(notes.length ? { notes: { note: notes } } : {}),
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

export type XliffState = "initial" | "translated" | "reviewed" | "final";

export interface XliffUnit {
  /** The unit's id as written. */
  id: string;
  line: number;
  /** Source text of all segments and ignorables, in order, mapped to Markdown. */
  source: string;
  /** Target text in target order, or undefined when no segment has a target. */
  target: string | undefined;
  /** Some segments have a target and others none. */
  partial: boolean;
  /** The unit counts as translated only if every segment is translated, reviewed or final. */
  final: boolean;
  /** An inline element could not be mapped (already reported). */
  unmappable: boolean;
}

export interface ParsedXliff {
  srcLang: string | undefined;
  trgLang: string | undefined;
  units: XliffUnit[];
}

let validator: XsdValidator | undefined;

/** The core-schema validator, made once (the schema's xml.xsd import is served from memory). */
function coreValidator(): XsdValidator {
  if (validator) return validator;
  xmlRegisterInputProvider(new XmlBufferInputProvider({ [`xliff-core/${XML_XSD_LOCATION}`]: new TextEncoder().encode(XML_XSD) }));
  const schema = XmlDocument.fromString(XLIFF_CORE_XSD, { url: "xliff-core/xliff_core_2.0.xsd" });
  validator = XsdValidator.fromDoc(schema);
  return validator;
}

/**
 * Read an XLIFF 2.x file: well-formedness, the OASIS core schema, the core processing rules the
 * schema cannot express (xliff-rules.ts), then every unit of every file and group. Problems are
 * messages on `file`; undefined when the file cannot be used at all.
 */
export function readXliff(xml: string, file: VFile): ParsedXliff | undefined {
  const fail = (reason: string, line: number, column: number, ruleId: string) => {
    file.message(reason, { place: { line: Math.max(line, 1), column: Math.max(column, 1) }, ruleId, source: "letterpress:xliff" }).fatal = true;
  };
  // No DTDs: entities could pull in files or expand without bound, and XLIFF has no use for them.
  const doctype = /<!DOCTYPE/i.exec(xml);
  if (doctype) {
    fail("A DOCTYPE is not accepted in an XLIFF file (entities are not expanded); remove it", xml.slice(0, doctype.index).split("\n").length, 1, "xliff-xml");
    return undefined;
  }
  let doc: XmlDocument;
  try {
    doc = XmlDocument.fromString(xml);
  } catch (error) {
    const details = error instanceof XmlLibError ? error.details : [];
    if (details.length === 0) fail(`Invalid XML: ${(error as Error).message.trim()}`, 1, 1, "xliff-xml");
    for (const d of details.slice(0, 5)) fail(`Invalid XML: ${d.message.trim()}`, d.line, d.col, "xliff-xml");
    return undefined;
  }
  try {
    const root = doc.root;
    if (root.name === "xliff" && /^urn:oasis:names:tc:xliff:document:2\.[2-9]$/.test(root.namespaceUri)) {
      fail(`XLIFF ${root.attr("version")?.value ?? root.namespaceUri.slice(-3)} (namespace \`${root.namespaceUri}\`) is not read yet: save the file as XLIFF 2.0 or 2.1`, root.line, 1, "xliff-version");
      return undefined;
    }
    if (root.namespaceUri !== XLIFF_NS || root.name !== "xliff" || !/^2\.[01]$/.test(root.attr("version")?.value ?? "")) {
      fail(`Not an XLIFF 2.x document (root \`${root.name}\` in namespace \`${root.namespaceUri || "none"}\`, version \`${root.attr("version")?.value ?? "none"}\`)`, root.line, 1, "xliff-version");
      return undefined;
    }
    try {
      coreValidator().validate(doc);
    } catch (error) {
      const details = error instanceof XmlLibError ? error.details : [];
      for (const d of details) fail(`Not valid XLIFF 2 (core schema): ${d.message.trim()}`, d.line, d.col, "xliff-schema");
      if (details.length === 0) fail(`Not valid XLIFF 2 (core schema): ${(error as Error).message}`, 1, 1, "xliff-schema");
      return undefined;
    }
    const before = file.messages.length;
    checkXliffRules(root, (reason, element) => fail(`Not valid XLIFF 2: ${reason}`, element.line, 1, "xliff-rule"));
    if (file.messages.slice(before).some((m) => m.fatal)) return undefined;
    const units: XliffUnit[] = [];
    for (const unit of elements(root, "file").flatMap((f) => unitsOf(f))) units.push(readUnit(unit, file));
    return { srcLang: root.attr("srcLang")?.value, trgLang: root.attr("trgLang")?.value, units };
  } finally {
    doc.dispose();
  }
}

/** Child elements in the XLIFF namespace, optionally of one name. */
export function elements(parent: XmlElement, name?: string): XmlElement[] {
  const out: XmlElement[] = [];
  for (let n: XmlTreeNode | null = parent.firstChild; n; n = n.next) {
    if (n instanceof XmlElement && n.namespaceUri === XLIFF_NS && (!name || n.name === name)) out.push(n);
  }
  return out;
}

/** Units of a file or group, groups walked in document order. */
function unitsOf(parent: XmlElement): XmlElement[] {
  return elements(parent).flatMap((e) => (e.name === "unit" ? [e] : e.name === "group" ? unitsOf(e) : []));
}

function readUnit(unit: XmlElement, file: VFile): XliffUnit {
  let unmappable = false;
  const say = (reason: string, node: XmlElement, fatal: boolean) => {
    file.message(reason, { place: { line: node.line, column: 1 }, ruleId: fatal ? "xliff-inline" : "xliff-inline-code", source: "letterpress:xliff" }).fatal = fatal;
    if (fatal) unmappable = true;
  };
  const id = unit.attr("id")?.value ?? "";
  const parts = elements(unit).filter((e) => e.name === "segment" || e.name === "ignorable");
  const sources: string[] = [];
  const targets: Array<{ order: number; text: string }> = [];
  let withTarget = 0;
  let segments = 0;
  let final = true;
  parts.forEach((part, i) => {
    const source = elements(part, "source")[0]!;
    const target = elements(part, "target")[0];
    const sourceText = inline(source, id, say);
    sources.push(sourceText);
    const order = Number(target?.attr("order")?.value ?? i + 1);
    if (part.name === "ignorable") {
      // An ignorable without a target keeps its source text (whitespace, usually) in the target.
      targets.push({ order, text: target ? inline(target, id, say) : sourceText });
      return;
    }
    segments++;
    if (!target) {
      final = false;
      return;
    }
    withTarget++;
    const text = inline(target, id, say);
    targets.push({ order, text });
    // Tools that write no state mean the target they wrote: translated (the schema's default, initial, would make every such unit fuzzy).
    const state = (part.attr("state")?.value ?? (text.trim() ? "translated" : "initial")) as XliffState;
    if (state === "initial") final = false;
  });
  const target = withTarget === 0 ? undefined : targets.sort((a, b) => a.order - b.order).map((t) => t.text).join("");
  return { id, line: unit.line, source: sources.join(""), target, partial: withTarget > 0 && withTarget < segments, final, unmappable };
}

/** Markdown equivalents of the XLIFF formatting subtypes. */
const MARKDOWN_OF_SUBTYPE: Record<string, string> = { "xlf:b": "**", "xlf:i": "*" };

/**
 * Text of a source or target with its inline elements mapped to Markdown: `<cp>` is its character;
 * `<mrk>`/`<sm>`/`<em>` annotate and keep their content; `<pc>`/`<sc>`/`<ec>`/`<ph>` become their
 * equivalent text (`equiv`, `equivStart`, `equivEnd`), or `**`/`*` for subtypes xlf:b/xlf:i. A
 * `<ph>` with neither cannot be placed: an error. A paired code with neither keeps its content
 * and a warning says the formatting is not carried.
 */
function inline(element: XmlElement, unit: string, say: (reason: string, node: XmlElement, fatal: boolean) => void): string {
  let out = "";
  const walk = (parent: XmlElement) => {
    for (let n: XmlTreeNode | null = parent.firstChild; n; n = n.next) {
      if (n instanceof XmlText || n instanceof XmlCData) {
        out += n.content;
        continue;
      }
      if (!(n instanceof XmlElement)) continue;
      const attr = (name: string) => n.attr(name)?.value;
      const marker = MARKDOWN_OF_SUBTYPE[attr("subType") ?? ""];
      switch (n.name) {
        case "cp":
          out += String.fromCodePoint(parseInt(attr("hex") ?? "0", 16));
          break;
        case "mrk":
          walk(n);
          break;
        case "sm":
        case "em":
          break;
        case "ph": {
          const equiv = attr("equiv") ?? attr("disp");
          if (equiv !== undefined) out += equiv;
          else say(`Unit \`${unit}\`: placeholder <ph id="${attr("id") ?? ""}"> has no equiv text, so Letterpress cannot put it in the Markdown; the unit is not imported`, n, true);
          break;
        }
        case "pc": {
          const start = attr("equivStart") ?? marker;
          const end = attr("equivEnd") ?? marker;
          if (start === undefined && end === undefined) say(`Unit \`${unit}\`: formatting code <pc id="${attr("id") ?? ""}"> carries no Markdown (no equivStart/equivEnd, subType not xlf:b or xlf:i); its text is kept without it`, n, false);
          out += start ?? "";
          walk(n);
          out += end ?? "";
          break;
        }
        case "sc":
        case "ec": {
          const equiv = attr("equiv") ?? marker;
          if (equiv === undefined) say(`Unit \`${unit}\`: formatting code <${n.name}> carries no Markdown (no equiv, subType not xlf:b or xlf:i); the text around it is kept without it`, n, false);
          out += equiv ?? "";
          break;
        }
        default:
          say(`Unit \`${unit}\`: unknown inline element <${n.name}>; the unit is not imported`, n, true);
      }
    }
  };
  walk(element);
  return out;
}

export interface ImportSummary {
  translated: number;
  fuzzy: number;
  unchanged: number;
  rejected: number;
}

/**
 * Apply imported units to PO entries. A unit is applied only if its source is the current English
 * of its segment (or, the paragraphs having been renumbered since the export, of exactly one other
 * segment that no unit of its own translates); a unit whose English changed since the export is
 * rejected with an error at its line: its target translates a text that is no longer there.
 * Final units (every segment translated, reviewed or final) are translations; others are fuzzy.
 */
export function importUnits(entries: readonly PoEntry[], units: readonly XliffUnit[], segments: readonly Segment[], file: VFile): { entries: PoEntry[]; summary: ImportSummary } {
  const out = entries.map((e) => ({ ...e, msgstr: [...e.msgstr] }));
  const byContext = new Map(out.filter((e) => !e.obsolete).map((e) => [e.context, e]));
  const bySegmentContext = new Map(segments.map((s) => [s.context, s]));
  const summary: ImportSummary = { translated: 0, fuzzy: 0, unchanged: 0, rejected: 0 };
  const reject = (unit: XliffUnit, reason: string) => {
    summary.rejected++;
    file.message(reason, { place: { line: unit.line, column: 1 }, ruleId: "xliff-unit", source: "letterpress:xliff" }).fatal = true;
  };
  const englishOf = (segment: Segment, form: number | undefined) => (form !== undefined && form > 0 ? segment.sourcePlural! : segment.source);
  const normal = (s: string) => s.replace(/\s+/g, " ").trim();

  // Where each unit goes: its own segment, or the one segment whose English its source is.
  const keyOf = (segment: Segment, form: number | undefined) => `${segment.context}#${form ?? ""}`;
  const parsed = units.map((unit) => {
    const [base, suffix] = unit.id.split(".");
    const context = idToContext(base ?? "");
    const form = suffix === undefined ? undefined : /^\d+$/.test(suffix) ? Number(suffix) : NaN;
    const segment = context === undefined ? undefined : bySegmentContext.get(context);
    const valid = segment && !Number.isNaN(form) && (form === undefined) === (segment.sourcePlural === undefined);
    return { unit, segment: valid ? segment : undefined, form };
  });
  const ownMatch = new Set(parsed.filter((p) => p.segment && normal(p.unit.source) === normal(englishOf(p.segment, p.form))).map((p) => keyOf(p.segment!, p.form)));
  const bySource = new Map<string, Segment[]>();
  for (const s of segments) if (s.sourcePlural === undefined) bySource.set(normal(s.source), [...(bySource.get(normal(s.source)) ?? []), s]);
  const touched = new Set<PoEntry>();

  for (const { unit, segment: own, form } of parsed) {
    if (unit.target === undefined) continue; // nothing translated in this unit
    if (unit.unmappable) {
      summary.rejected++;
      continue;
    }
    let segment = own;
    if (!segment || normal(unit.source) !== normal(englishOf(segment, form))) {
      const candidates = form === undefined ? (bySource.get(normal(unit.source)) ?? []).filter((s) => !ownMatch.has(keyOf(s, undefined))) : [];
      if (candidates.length === 1) {
        segment = candidates[0]!;
        ownMatch.add(keyOf(segment, undefined));
        file.message(`Unit \`${unit.id}\`'s English is now \`${segment.context}\` (the paragraphs were renumbered); imported there`, { place: { line: unit.line, column: 1 }, ruleId: "xliff-moved", source: "letterpress:xliff" });
      } else if (!own) {
        reject(unit, `Unit \`${unit.id}\` matches no segment of the current document; not imported`);
        continue;
      } else {
        reject(unit, `Unit \`${unit.id}\`: its source is not the current English of \`${own.context}\` (the English changed since the export); not imported: export again and translate the new text`);
        continue;
      }
    }
    if (unit.partial) {
      reject(unit, `Unit \`${unit.id}\` is only partly translated (some segments have no target); not imported`);
      continue;
    }
    const entry = byContext.get(segment.context);
    if (!entry || entry.msgid !== segment.source) {
      reject(unit, `Unit \`${unit.id}\`: the PO file has no current entry for \`${segment.context}\`; run \`letterpress translations update\` first`);
      continue;
    }
    const target = unit.target.trim();
    if (target === "") continue;
    const index = form ?? 0;
    const fuzzy = !unit.final || (touched.has(entry) && entry.fuzzy);
    if (entry.msgstr[index] === target && entry.fuzzy === fuzzy) {
      summary.unchanged++;
      continue;
    }
    while (entry.msgstr.length <= index) entry.msgstr.push("");
    entry.msgstr[index] = target;
    entry.fuzzy = fuzzy;
    touched.add(entry);
    if (!fuzzy) {
      delete entry.previous;
      delete entry.previousContext;
      delete entry.previousPlural;
    }
    if (fuzzy) summary.fuzzy++;
    else summary.translated++;
  }
  return { entries: out, summary };
}
