/**
 * PO files: read (with the line of every entry, for located diagnostics), merge the way msgmerge
 * does, and write. gettext-parser does the PO syntax; this module does the bookkeeping.
 */
import { po, type GetTextTranslation, type GetTextTranslations } from "gettext-parser";
import type { VFile } from "vfile";
import { PLURAL_FORMS } from "./labels.ts";
import type { Segment } from "./segments.ts";

export interface PoEntry {
  context: string;
  msgid: string;
  msgidPlural?: string;
  msgstr: string[];
  fuzzy: boolean;
  /** Previous msgid of a fuzzy entry (`#| msgid`). */
  previous?: string;
  obsolete: boolean;
  /** 1-based line of the entry's msgctxt/msgid in the file. */
  line: number;
}

export interface PoFile {
  headers: Record<string, string>;
  entries: PoEntry[];
}

/** Parse PO text; syntax errors become a `po-syntax` error on `file` and give undefined. */
export function readPo(text: string, file: VFile): PoFile | undefined {
  let table: GetTextTranslations;
  try {
    table = po.parse(text, { validation: false });
  } catch (error) {
    const message = (error as Error).message.replace(/^Error parsing PO data: /, "");
    const line = Number(/at line (\d+)/.exec(message)?.[1] ?? 1);
    file.message(`Invalid PO syntax: ${message.replace(/ at line \d+/, "")}`, { place: { line, column: 1 }, ruleId: "po-syntax", source: "translations" }).fatal = true;
    return undefined;
  }
  const lines = entryLines(text);
  const entries: PoEntry[] = [];
  const add = (section: GetTextTranslations["translations"] | undefined, obsolete: boolean) => {
    for (const [context, byId] of Object.entries(section ?? {})) {
      for (const entry of Object.values(byId) as GetTextTranslation[]) {
        if (entry.msgid === "" && context === "") continue; // header
        const flags = (entry.comments?.flag ?? "").split(",").map((f) => f.trim());
        const previous = /^msgid "(.*)"$/s.exec(entry.comments?.previous?.split("\n")[0] ?? "")?.[1];
        entries.push({
          context,
          msgid: entry.msgid,
          ...(entry.msgid_plural ? { msgidPlural: entry.msgid_plural } : {}),
          msgstr: entry.msgstr ?? [""],
          fuzzy: flags.includes("fuzzy"),
          ...(previous !== undefined ? { previous: unescapePo(previous) } : {}),
          obsolete,
          line: lines.get(`${obsolete ? "~" : ""}${context}`) ?? 1,
        });
      }
    }
  };
  add(table.translations, false);
  add((table as { obsolete?: GetTextTranslations["translations"] }).obsolete, true);
  return { headers: table.headers ?? {}, entries };
}

/** The line of each entry, keyed by msgctxt (`~ctx` for obsolete ones). */
function entryLines(text: string): Map<string, number> {
  const map = new Map<string, number>();
  text.split("\n").forEach((line, i) => {
    const match = /^(#~ )?msgctxt "(.*)"$/.exec(line);
    if (match) {
      const key = `${match[1] ? "~" : ""}${unescapePo(match[2]!)}`;
      if (!map.has(key)) map.set(key, i + 1);
    }
  });
  return map;
}

function unescapePo(s: string): string {
  return s.replace(/\\(["\\nt])/g, (_, c: string) => (c === "n" ? "\n" : c === "t" ? "\t" : c));
}

/** Standard headers of a Letterpress PO file (no dates: files stay reproducible). */
export function poHeaders(slug: string, lang: string | undefined, existing: Record<string, string> = {}, epoch = 0): Record<string, string> {
  const base = lang?.split("-")[0];
  const date = new Date(epoch * 1000).toISOString().replace(/T(\d\d:\d\d).*/, " $1+0000");
  return {
    "Project-Id-Version": slug,
    "Report-Msgid-Bugs-To": "",
    "POT-Creation-Date": date,
    "PO-Revision-Date": existing["PO-Revision-Date"] || date,
    "Last-Translator": existing["Last-Translator"] || "Letterpress translators",
    "Language-Team": existing["Language-Team"] || (lang ? `${lang}` : ""),
    Language: lang ?? "",
    "MIME-Version": "1.0",
    "Content-Type": "text/plain; charset=UTF-8",
    "Content-Transfer-Encoding": "8bit",
    "Plural-Forms": (base && PLURAL_FORMS[base]?.header) || existing["Plural-Forms"] || "nplurals=2; plural=(n != 1);",
    "X-Generator": "Letterpress",
  };
}

/**
 * Merge a language's entries with the current segments, as msgmerge does: unchanged entries are
 * kept; a segment whose English changed becomes fuzzy with the previous msgid kept; an entry
 * whose English moved (same text, new context) keeps its translation; entries no longer used
 * become obsolete; new segments are empty.
 */
export function mergeEntries(segments: readonly Segment[], old: readonly PoEntry[], nplurals: number): PoEntry[] {
  const active = old.filter((e) => !e.obsolete);
  const byKey = new Map(active.map((e) => [`${e.context}\u0004${e.msgid}`, e]));
  const byContext = new Map(active.map((e) => [e.context, e]));
  const byMsgid = new Map<string, PoEntry>();
  for (const e of [...old].reverse()) if (e.msgstr.some((s) => s !== "")) byMsgid.set(e.msgid, e);
  const used = new Set<PoEntry>();
  const empty = (plural: boolean) => (plural ? Array.from({ length: nplurals }, () => "") : [""]);

  const merged: PoEntry[] = segments.map((segment) => {
    const plural = segment.sourcePlural !== undefined;
    const base = { context: segment.context, msgid: segment.source, ...(plural ? { msgidPlural: segment.sourcePlural! } : {}), obsolete: false, line: 0 };
    const exact = byKey.get(`${segment.context}\u0004${segment.source}`);
    if (exact) {
      used.add(exact);
      return { ...base, msgstr: exact.msgstr, fuzzy: exact.fuzzy, ...(exact.previous !== undefined ? { previous: exact.previous } : {}) };
    }
    const moved = byMsgid.get(segment.source);
    if (moved && !used.has(moved)) {
      used.add(moved);
      return { ...base, msgstr: moved.msgstr, fuzzy: moved.fuzzy };
    }
    const changed = byContext.get(segment.context);
    if (changed && changed.msgstr.some((s) => s !== "")) {
      used.add(changed);
      return { ...base, msgstr: changed.msgstr, fuzzy: true, previous: changed.fuzzy && changed.previous !== undefined ? changed.previous : changed.msgid };
    }
    if (changed) used.add(changed);
    return { ...base, msgstr: empty(plural), fuzzy: false };
  });
  const obsolete = old
    .filter((e) => !used.has(e) && (e.obsolete || e.msgstr.some((s) => s !== "")))
    .map((e) => ({ ...e, obsolete: true, fuzzy: e.fuzzy }));
  return [...merged, ...obsolete];
}

/** Serialise entries (in order) with headers, extracted comments and references. */
export function writePo(headers: Record<string, string>, entries: readonly PoEntry[], segments: ReadonlyMap<string, Segment>, sourcePath: string): string {
  const translations: GetTextTranslations["translations"] = { "": { "": { msgid: "", msgstr: [""] } } };
  const obsolete: GetTextTranslations["translations"] = {};
  for (const entry of entries) {
    const segment = segments.get(entry.context);
    const comments: Record<string, string> = {};
    if (!entry.obsolete && segment?.comment) comments.extracted = segment.comment;
    if (!entry.obsolete && segment?.line) comments.reference = `${sourcePath}:${segment.line}`;
    if (entry.fuzzy) comments.flag = "fuzzy";
    if (entry.fuzzy && entry.previous !== undefined) comments.previous = `msgid ${JSON.stringify(entry.previous)}`;
    const target = entry.obsolete ? obsolete : translations;
    target[entry.context] ??= {};
    target[entry.context]![entry.msgid] = {
      msgctxt: entry.context,
      msgid: entry.msgid,
      ...(entry.msgidPlural ? { msgid_plural: entry.msgidPlural } : {}),
      msgstr: entry.msgstr,
      comments: comments as GetTextTranslation["comments"],
    };
  }
  const table = { charset: "utf-8", headers, translations, obsolete } as GetTextTranslations;
  return `${po.compile(table, { foldLength: 0, sort: false } as never).toString("utf8")}\n`;
}
