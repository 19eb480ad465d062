/**
 * PO files: read (with the line of every entry, for located diagnostics), merge the way msgmerge
 * does, and write. gettext-parser does the PO syntax; this module does the bookkeeping.
 */
import { po, type GetTextTranslation, type GetTextTranslations } from "gettext-parser";
import type { VFile } from "vfile";
import { PLURAL_FORMS } from "./labels.ts";
import { sameLanguage, samePluralForms } from "./lang.ts";
import type { Segment } from "./segments.ts";

export interface PoEntry {
  context: string;
  msgid: string;
  msgidPlural?: string;
  msgstr: string[];
  fuzzy: boolean;
  /** Previous msgid of a fuzzy entry (`#| msgid`). */
  previous?: string;
  /** Previous msgctxt of a fuzzy entry (`#| msgctxt`). */
  previousContext?: string;
  /** Previous msgid_plural of a fuzzy plural entry (`#| msgid_plural`). */
  previousPlural?: string;
  /** Translator comments (`# …`), kept as written. */
  translatorComment?: string;
  obsolete: boolean;
  /** 1-based line of the entry's msgctxt/msgid in the file. */
  line: number;
}

export interface PoFile {
  headers: Record<string, string>;
  /** Translator comments above the header entry. */
  headerComment?: string;
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
    file.message(`Invalid PO syntax: ${message.replace(/ at line \d+/, "")}`, { place: { line, column: 1 }, ruleId: "po-syntax", source: "letterpress:translations" }).fatal = true;
    return undefined;
  }
  const scanned = scanEntries(text);
  reportDuplicates(scanned, file);
  const lines = new Map<string, number>();
  for (const e of scanned) {
    const key = `${e.obsolete ? "~" : ""}${e.context}\u0004${e.msgid}`;
    if (!lines.has(key)) lines.set(key, e.line);
  }
  const entries: PoEntry[] = [];
  const add = (section: GetTextTranslations["translations"] | undefined, obsolete: boolean) => {
    for (const [context, byId] of Object.entries(section ?? {})) {
      for (const entry of Object.values(byId) as GetTextTranslation[]) {
        if (entry.msgid === "" && context === "") continue; // header
        // gettext-parser joins several `#,` lines with a newline; each line is a comma-separated list.
        const flags = (entry.comments?.flag ?? "").split(/[,\n]/).map((f) => f.trim());
        const previous = parsePrevious(entry.comments?.previous ?? "");
        const translatorComment = entry.comments?.translator;
        entries.push({
          context,
          msgid: entry.msgid,
          ...(entry.msgid_plural ? { msgidPlural: entry.msgid_plural } : {}),
          msgstr: entry.msgstr ?? [""],
          fuzzy: flags.includes("fuzzy"),
          ...(previous.msgid !== undefined ? { previous: previous.msgid } : {}),
          ...(previous.msgctxt !== undefined ? { previousContext: previous.msgctxt } : {}),
          ...(previous.msgid_plural !== undefined ? { previousPlural: previous.msgid_plural } : {}),
          ...(translatorComment ? { translatorComment } : {}),
          obsolete,
          line: lines.get(`${obsolete ? "~" : ""}${context}\u0004${entry.msgid}`) ?? 1,
        });
      }
    }
  };
  add(table.translations, false);
  add((table as { obsolete?: GetTextTranslations["translations"] }).obsolete, true);
  const headerComment = table.translations?.[""]?.[""]?.comments?.translator;
  return { headers: table.headers ?? {}, ...(headerComment ? { headerComment } : {}), entries };
}

/** What deciding whether an entry translates a segment needs of it (see `readPlainEntries`). */
export interface PlainEntry {
  msgid: string;
  msgstr: string[];
  fuzzy: boolean;
  /** Has a msgid_plural. */
  plural: boolean;
}

// A keyword line and a continuation line of the plain layout: one space, one string that closes on
// its line, only the escapes \\ \" \n \t \r.
const PLAIN_STRING = String.raw`"([^"\\]*(?:\\[\\"ntr][^"\\]*)*)"`;
const PLAIN_KEYWORD = new RegExp(String.raw`^(#~ )?(msgctxt|msgid_plural|msgid|msgstr(?:\[(\d+)\])?) ${PLAIN_STRING}$`);
const PLAIN_CONTINUATION = new RegExp(String.raw`^(#~ )?${PLAIN_STRING}$`);

/**
 * The active entries of a PO file by msgctxt, read line by line, as `readPo` would give them
 * (msgid, msgstr, fuzzy flag), when the file is in the plain layout gettext tools and Letterpress
 * write: entries of comment lines, `msgctxt`, `msgid`, `msgid_plural`, `msgstr` or `msgstr[n]`
 * in that order, each keyword and continuation string on a line of its own, blank lines between.
 * For any other text, and for a msgctxt used twice, undefined: such a file is read by `readPo`
 * (gettext-parser), which decides what it means. Reading a translation whose edition is not
 * made this way costs a fraction of parsing it: for the completeness of the languages a build
 * does not make.
 */
export function readPlainEntries(text: string): Map<string, PlainEntry> | undefined {
  const out = new Map<string, PlainEntry>();
  type Open = { obsolete: boolean; context: string; msgid: string; msgstr: string[]; flags: string[]; plural: boolean };
  // The entry being read, the keyword its last string belongs to, and the flag lines above it.
  let entry: Open | undefined;
  let last: "msgctxt" | "msgid" | "msgid_plural" | "msgstr" | undefined;
  let flags: string[] = [];
  const close = (): boolean => {
    if (!entry) return true;
    if (last !== "msgstr") return false;
    if (!entry.obsolete && !(entry.context === "" && entry.msgid === "")) {
      // gettext-parser keeps entries in objects keyed by msgctxt and msgid, where `__proto__` is no key.
      if (out.has(entry.context) || entry.context === "__proto__" || entry.msgid === "__proto__") return false;
      const fuzzy = entry.flags.flatMap((line) => line.split(",")).map((f) => f.trim()).includes("fuzzy");
      out.set(entry.context, { msgid: entry.msgid, msgstr: entry.msgstr, fuzzy, plural: entry.plural });
    }
    entry = undefined;
    return true;
  };
  let start = 0;
  while (start <= text.length) {
    let end = text.indexOf("\n", start);
    if (end < 0) end = text.length;
    const line = text.slice(start, end);
    start = end + 1;
    if (line === "") continue;
    if (line.startsWith("#") && !line.startsWith("#~")) {
      // A comment belongs to the next entry: none may come inside one.
      if (entry && last !== "msgstr") return undefined;
      if (!close()) return undefined;
      if (line.startsWith("#,")) flags.push(line.slice(2).replace(/^\s+/, ""));
      continue;
    }
    const keyword = PLAIN_KEYWORD.exec(line);
    if (keyword) {
      const obsolete = keyword[1] !== undefined;
      const name = keyword[2]!;
      const value = unescapePo(keyword[4]!);
      if (name === "msgctxt" || (name === "msgid" && last !== "msgctxt")) {
        if (!close()) return undefined;
        entry = { obsolete, context: "", msgid: "", msgstr: [], flags, plural: false };
        flags = [];
      } else if (!entry || entry.obsolete !== obsolete) return undefined;
      if (name === "msgctxt") entry.context = value;
      else if (name === "msgid") entry.msgid = value;
      else if (name === "msgid_plural") {
        if (last !== "msgid") return undefined;
        entry.plural = true;
      } else {
        // `msgstr` after a msgid, `msgstr[0]`, `msgstr[1]`… in order after a msgid_plural.
        const index = keyword[3] === undefined ? undefined : Number(keyword[3]);
        if (entry.plural ? index !== entry.msgstr.length : index !== undefined || last !== "msgid") return undefined;
        if (entry.plural && index === 0 && last !== "msgid_plural") return undefined;
        entry.msgstr.push(value);
      }
      last = name === "msgctxt" || name === "msgid" || name === "msgid_plural" ? name : "msgstr";
      continue;
    }
    const continuation = PLAIN_CONTINUATION.exec(line);
    if (!continuation || !entry || entry.obsolete !== (continuation[1] !== undefined)) return undefined;
    const value = unescapePo(continuation[2]!);
    if (last === "msgctxt") entry.context += value;
    else if (last === "msgid") entry.msgid += value;
    else if (last === "msgstr") entry.msgstr[entry.msgstr.length - 1] += value;
    continue;
  }
  return close() ? out : undefined;
}

interface ScannedEntry {
  obsolete: boolean;
  context: string;
  msgid: string;
  line: number;
}

/**
 * The msgctxt, msgid and first line of every entry, read from the text itself: gettext-parser
 * keeps only the last of two entries with the same key, and knows no lines.
 */
function scanEntries(text: string): ScannedEntry[] {
  const out: ScannedEntry[] = [];
  let current: { obsolete: boolean; context: string; msgid: string; line: number } | undefined;
  let field: "msgctxt" | "msgid" | "other" | undefined;
  const finish = () => {
    if (current && !(current.context === "" && current.msgid === "")) out.push(current);
    current = undefined;
  };
  text.split(/\r?\n/).forEach((raw, i) => {
    const obsolete = raw.startsWith("#~");
    const line = obsolete ? raw.replace(/^#~\s?/, "") : raw;
    if (!obsolete && line.startsWith("#")) return;
    const keyword = /^(msgctxt|msgid_plural|msgid|msgstr(?:\[\d+\])?)\s+(".*")\s*$/.exec(line);
    if (keyword) {
      const name = keyword[1]!;
      if (name === "msgctxt" || (name === "msgid" && field !== "msgctxt")) {
        finish();
        current = { obsolete, context: "", msgid: "", line: i + 1 };
      }
      field = name === "msgctxt" ? "msgctxt" : name === "msgid" ? "msgid" : "other";
      if (current && field !== "other") current[field === "msgctxt" ? "context" : "msgid"] += poString(keyword[2]!);
      return;
    }
    const continuation = /^\s*(".*")\s*$/.exec(line);
    if (continuation && current && (field === "msgctxt" || field === "msgid")) current[field === "msgctxt" ? "context" : "msgid"] += poString(continuation[1]!);
  });
  finish();
  return out;
}

/** Two entries with one msgctxt and msgid, or (Letterpress's msgctxt being a segment's key) one msgctxt twice. */
function reportDuplicates(scanned: readonly ScannedEntry[], file: VFile) {
  const seen = new Map<string, ScannedEntry>();
  for (const e of scanned) {
    if (e.obsolete) continue;
    const first = seen.get(e.context);
    if (first) {
      const same = first.msgid === e.msgid;
      file.message(
        same
          ? `Duplicate entry \`${e.context}\` (also at line ${first.line}); gettext tools reject the file and only one of the two would be used`
          : `Two entries for \`${e.context}\` (the other at line ${first.line}) with different msgids; keep the one whose msgid is the current English`,
        { place: { line: e.line, column: 1 }, ruleId: "po-duplicate", source: "letterpress:translations" },
      ).fatal = true;
    } else seen.set(e.context, e);
  }
}

/** Value of a quoted PO string. */
function poString(quoted: string): string {
  return unescapePo(quoted.slice(1, -1));
}

/** A PO string's text between its quotes, its escapes resolved. */
function unescapePo(value: string): string {
  return value.replace(/\\(["\\ntr]|[0-7]{1,3})/g, (_, c: string) => (c === "n" ? "\n" : c === "t" ? "\t" : c === "r" ? "\r" : /^[0-7]/.test(c) ? String.fromCharCode(parseInt(c, 8)) : c));
}

/** Quote a string for a PO file. */
export function poQuote(value: string): string {
  return `"${value.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n").replace(/\t/g, "\\t").replace(/\r/g, "\\r")}"`;
}

/** `#|` lines in any form gettext tools write them: `msgctxt`, `msgid`, `msgid_plural`, strings wrapped over lines. */
export function parsePrevious(text: string): { msgctxt?: string; msgid?: string; msgid_plural?: string } {
  const out: { msgctxt?: string; msgid?: string; msgid_plural?: string } = {};
  let field: keyof typeof out | undefined;
  for (const line of text.split("\n")) {
    const keyword = /^\s*(msgctxt|msgid_plural|msgid)\s+(".*")\s*$/.exec(line);
    if (keyword) {
      field = keyword[1] as keyof typeof out;
      out[field] = poString(keyword[2]!);
    } else if (field && /^\s*".*"\s*$/.test(line)) out[field] += poString(line.trim());
  }
  return out;
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
    // A tag a translator's tool wrote (`fr_FR`, `zh_Hans`) is kept when it names the same language.
    Language: lang && existing.Language && sameLanguage(existing.Language, lang) ? existing.Language : (lang ?? ""),
    "MIME-Version": "1.0",
    "Content-Type": "text/plain; charset=UTF-8",
    "Content-Transfer-Encoding": "8bit",
    "Plural-Forms": pluralHeader(base, existing["Plural-Forms"]),
    "X-Generator": "Letterpress",
  };
}

/** Similarity below which an old translation is not offered as a fuzzy suggestion (msgmerge's threshold). */
const FUZZY_THRESHOLD = 0.6;

/** The language's Plural-Forms; an equivalent one already in the file (Weblate writes `plural=n > 1;`) is kept. */
function pluralHeader(base: string | undefined, existing: string | undefined): string {
  const known = base ? PLURAL_FORMS[base]?.header : undefined;
  if (!known) return existing || "nplurals=2; plural=(n != 1);";
  return existing && samePluralForms(existing, known) ? existing : known;
}

/**
 * Merge a language's entries with the current segments, as msgmerge does, in three passes so a
 * better match is never taken by a worse one:
 * 1. an entry with the same msgctxt and msgid is kept as it is;
 * 2. an entry whose English moved (same msgid, other msgctxt) keeps its translation and state
 *    (msgmerge would make it fuzzy: the text is the same, so the translation still is);
 * 3. each remaining segment is offered the most similar remaining translated entry as fuzzy,
 *    with `#|` previous strings, if it is similar enough; otherwise it stays empty.
 * Entries used by none become obsolete (`#~`). Translator comments travel with their entry.
 */
export function mergeEntries(segments: readonly Segment[], old: readonly PoEntry[], nplurals: number): PoEntry[] {
  const active = old.filter((e) => !e.obsolete);
  const translated = (e: PoEntry) => e.msgstr.some((s) => s !== "");
  const used = new Set<PoEntry>();
  const result = new Map<Segment, PoEntry>();
  const base = (segment: Segment) => ({
    context: segment.context,
    msgid: segment.source,
    ...(segment.sourcePlural !== undefined ? { msgidPlural: segment.sourcePlural } : {}),
    obsolete: false,
    line: 0,
  });
  const fit = (segment: Segment, msgstr: string[]) =>
    segment.sourcePlural !== undefined ? Array.from({ length: nplurals }, (_, i) => msgstr[i] ?? "") : [msgstr[0] ?? ""];
  const comment = (e: PoEntry) => (e.translatorComment ? { translatorComment: e.translatorComment } : {});

  // 1. Exact.
  const byKey = new Map(active.map((e) => [`${e.context}\u0004${e.msgid}`, e]));
  for (const segment of segments) {
    const exact = byKey.get(`${segment.context}\u0004${segment.source}`);
    if (!exact || used.has(exact)) continue;
    used.add(exact);
    const previous = exact.fuzzy
      ? {
          ...(exact.previous !== undefined ? { previous: exact.previous } : {}),
          ...(exact.previousContext !== undefined ? { previousContext: exact.previousContext } : {}),
          ...(exact.previousPlural !== undefined ? { previousPlural: exact.previousPlural } : {}),
        }
      : {};
    result.set(segment, { ...base(segment), msgstr: exact.msgstr, fuzzy: exact.fuzzy, ...previous, ...comment(exact) });
  }
  // 2. Moved: the same English under another msgctxt (active entries first, then obsolete ones).
  const byMsgid = new Map<string, PoEntry[]>();
  for (const e of [...active, ...old.filter((x) => x.obsolete)]) if (translated(e)) byMsgid.set(e.msgid, [...(byMsgid.get(e.msgid) ?? []), e]);
  for (const segment of segments) {
    if (result.has(segment)) continue;
    const moved = byMsgid.get(segment.source)?.find((e) => !used.has(e));
    if (!moved) continue;
    used.add(moved);
    result.set(segment, { ...base(segment), msgstr: fit(segment, moved.msgstr), fuzzy: moved.fuzzy, ...comment(moved) });
  }
  // 3. Fuzzy: the most similar pairs first, each old entry offered once.
  const rest = segments.filter((s) => !result.has(s));
  const candidates = old.filter((e) => !used.has(e) && translated(e));
  const pairs: Array<{ segment: Segment; entry: PoEntry; score: number }> = [];
  const grams = new Map<string, Map<string, number>>();
  const gramsOf = (s: string) => grams.get(s) ?? grams.set(s, bigrams(s)).get(s)!;
  for (const segment of rest) {
    for (const entry of candidates) {
      if ((segment.sourcePlural !== undefined) !== (entry.msgidPlural !== undefined)) continue;
      const score = dice(gramsOf(segment.source), gramsOf(entry.msgid));
      // Same msgctxt breaks ties: the paragraph edited in place.
      if (score >= FUZZY_THRESHOLD) pairs.push({ segment, entry, score: score + (entry.context === segment.context ? 1e-6 : 0) });
    }
  }
  pairs.sort((a, b) => b.score - a.score);
  for (const { segment, entry } of pairs) {
    if (result.has(segment) || used.has(entry)) continue;
    used.add(entry);
    const previousMsgid = entry.fuzzy && entry.previous !== undefined ? entry.previous : entry.msgid;
    const previousContext = entry.fuzzy && entry.previousContext !== undefined ? entry.previousContext : entry.context;
    const previousPlural = entry.fuzzy && entry.previousPlural !== undefined ? entry.previousPlural : entry.msgidPlural;
    result.set(segment, {
      ...base(segment),
      msgstr: fit(segment, entry.msgstr),
      fuzzy: true,
      previous: previousMsgid,
      ...(previousContext !== segment.context ? { previousContext } : {}),
      ...(previousPlural !== undefined ? { previousPlural } : {}),
      ...comment(entry),
    });
  }
  const merged = segments.map((segment) => result.get(segment) ?? { ...base(segment), msgstr: fit(segment, []), fuzzy: false });
  const obsolete = old.filter((e) => !used.has(e) && (e.obsolete || translated(e))).map((e) => ({ ...e, obsolete: true }));
  return [...merged, ...obsolete];
}

/** Character bigram counts of a string (whitespace collapsed). */
function bigrams(s: string): Map<string, number> {
  const text = s.replace(/\s+/g, " ");
  const out = new Map<string, number>();
  for (let i = 0; i < text.length - 1; i++) {
    const g = text.slice(i, i + 2);
    out.set(g, (out.get(g) ?? 0) + 1);
  }
  return out;
}

/** Sørensen–Dice similarity of two bigram multisets, 0…1. */
function dice(a: Map<string, number>, b: Map<string, number>): number {
  let size = 0;
  let common = 0;
  for (const n of a.values()) size += n;
  for (const n of b.values()) size += n;
  if (size === 0) return 1;
  for (const [g, n] of a) common += Math.min(n, b.get(g) ?? 0);
  return (2 * common) / size;
}

/**
 * A msgstr as gettext's `msgfmt -c` accepts it for its msgid: a translation must begin and end
 * with a newline exactly when the msgid does (Markdown ignores the whitespace that is trimmed).
 */
export function fitNewlines(msgid: string, msgstr: string): string {
  if (msgstr === "") return msgstr;
  let out = msgstr.replace(/^\s*\n/, "").replace(/\n\s*$/, "");
  if (msgid.startsWith("\n")) out = `\n${out}`;
  if (msgid.endsWith("\n")) out = `${out}\n`;
  return out;
}

/** Serialise entries (in order) with headers, comments (translator, extracted, references, previous strings). */
export function writePo(headers: Record<string, string>, entries: readonly PoEntry[], segments: ReadonlyMap<string, Segment>, sourcePath: string, headerComment?: string): string {
  const translations: GetTextTranslations["translations"] = { "": { "": { msgid: "", msgstr: [""], ...(headerComment ? { comments: { translator: headerComment } as NonNullable<GetTextTranslation["comments"]> } : {}) } } };
  const obsolete: GetTextTranslations["translations"] = {};
  for (const entry of entries) {
    const segment = segments.get(entry.context);
    const comments: Record<string, string> = {};
    if (entry.translatorComment) comments.translator = entry.translatorComment;
    if (!entry.obsolete && segment?.comment) comments.extracted = segment.comment;
    if (!entry.obsolete && segment?.line) comments.reference = `${sourcePath}:${segment.line}`;
    if (entry.fuzzy) comments.flag = "fuzzy";
    if (entry.fuzzy && (entry.previous !== undefined || entry.previousContext !== undefined)) {
      comments.previous = [
        ...(entry.previousContext !== undefined ? [`msgctxt ${poQuote(entry.previousContext)}`] : []),
        ...(entry.previous !== undefined ? [`msgid ${poQuote(entry.previous)}`] : []),
        ...(entry.previousPlural !== undefined ? [`msgid_plural ${poQuote(entry.previousPlural)}`] : []),
      ].join("\n");
    }
    const target = entry.obsolete ? obsolete : translations;
    target[entry.context] ??= {};
    target[entry.context]![entry.msgid] = {
      msgctxt: entry.context,
      msgid: entry.msgid,
      ...(entry.msgidPlural ? { msgid_plural: entry.msgidPlural } : {}),
      msgstr: entry.msgstr.map((m) => fitNewlines(entry.msgid, m)),
      comments: comments as NonNullable<GetTextTranslation["comments"]>,
    };
  }
  const table = { charset: "utf-8", headers, translations, obsolete } as GetTextTranslations;
  return `${po.compile(table, { foldLength: 0, sort: false } as never).toString("utf8")}\n`;
}
