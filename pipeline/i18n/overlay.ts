/**
 * Overlay: an edition's tree is the canonical tree with translated segments swapped in. Structure
 * (footnote numbers and ids, anchors, link targets, signatories) always comes from the canonical
 * tree; a translation that drops, adds or changes a footnote reference, link target or UN symbol
 * is an error located at its PO line, and that segment falls back to English. Untranslated and
 * fuzzy entries fall back to English too, marked with the source language so screen readers
 * switch voice.
 */
import type { FootnoteReference, Image, Nodes, Paragraph, PhrasingContent, Root } from "mdast";
import { toString } from "mdast-util-to-string";
import { visit } from "unist-util-visit";
import type { VFile } from "vfile";
import { CANDIDATE } from "../policy.ts";
import type { LoadedDocument } from "../load.ts";
import { parseFragment } from "../parse/markdown.ts";
import { hasBuiltinLabel, LABELS, languageName, PLURAL_LABELS, type LabelCatalog, type LabelKey, type PluralLabelKey } from "./labels.ts";
import type { PoEntry, PoFile } from "./po.ts";
import type { Segment } from "./segments.ts";

export interface OverlayOptions {
  /** Fallbacks (untranslated, fuzzy) are errors instead of warnings. */
  strict?: boolean;
  /** An edition with passages left untranslated is published anyway, marked as partial (`--partial`). */
  partial?: boolean;
}

export interface Overlay {
  tree: Root;
  meta: { title?: string; shortTitle?: string; subject?: string; addressee?: string };
  catalog: LabelCatalog;
  /** Segment counts, for status reports. */
  stats: TranslationStats;
  /** Passages of the letter (not labels) left in English: untranslated or fuzzy. */
  incomplete: number;
}

export interface TranslationStats {
  total: number;
  translated: number;
  fuzzy: number;
  untranslated: number;
  obsolete: number;
}

/**
 * Count entries of a PO file against the current segments. With `lang`, a label Letterpress
 * ships in that language counts as translated when the PO file leaves it empty.
 */
export function statsOf(segments: readonly Segment[], po: PoFile, lang?: string): TranslationStats {
  const entries = new Map(po.entries.filter((e) => !e.obsolete).map((e) => [e.context, e]));
  const stats: TranslationStats = { total: segments.length, translated: 0, fuzzy: 0, untranslated: 0, obsolete: po.entries.filter((e) => e.obsolete).length };
  for (const s of segments) {
    const e = entries.get(s.context);
    const empty = !e || e.msgid !== s.source || e.msgstr.every((m) => m === "");
    if (empty && lang && shipped(s, lang)) stats.translated++;
    else if (empty) stats.untranslated++;
    else if (e.fuzzy) stats.fuzzy++;
    else stats.translated++;
  }
  return stats;
}

export function applyOverlay(
  doc: LoadedDocument,
  segments: readonly Segment[],
  po: PoFile,
  lang: string,
  file: VFile,
  options: OverlayOptions = {},
): Overlay {
  const tree = structuredClone(doc.tree);
  // Segment nodes of the clone, found by walking the clone in the same order as the original.
  const cloneOf = mapClone(doc.tree, tree);
  const entries = new Map(po.entries.filter((e) => !e.obsolete).map((e) => [e.context, e]));
  const sourceLang = doc.meta.lang;
  const fallback = options.strict ? "error" : "warning";
  const say = (entry: PoEntry | undefined, severity: "error" | "warning", reason: string, ruleId: string) => {
    const m = file.message(reason, { place: { line: entry?.line || 1, column: 1 }, ruleId, source: "letterpress:translations" });
    m.fatal = severity === "error";
  };

  // Images of translated paragraphs by their canonical counterpart: an image's alt-text segment
  // applies to the image where the translated paragraph puts it.
  const imageTwin = new Map<Image, Image>();
  const meta: Overlay["meta"] = {};
  const catalog: LabelCatalog = { lang, text: {}, plural: {} };
  // Translated paragraphs are parsed together: one parse of a document costs a fraction of one
  // parse per segment, since each parse sets up the Markdown parser again.
  const blockSegments = segments.filter((s) => s.kind === "block" && translates(entries.get(s.context), s));
  const parsedBlocks = new Map(
    parseInlineAll(blockSegments.map((s) => entries.get(s.context)!.msgstr[0]!.trim()), doc).map((parsed, i) => [blockSegments[i]!.context, parsed]),
  );
  // Passages left in English are summed up in one message per kind (below); each is listed as
  // an info message, which the command line shows with `--verbose`.
  const missing: Array<{ entry: PoEntry | undefined; fuzzy: boolean; label: boolean }> = [];
  for (const segment of segments) {
    const entry = entries.get(segment.context);
    const translated = hasTranslation(entry, segment);
    if (!translated || entry.fuzzy) {
      const label = segment.kind === "label" || segment.kind === "plural";
      // Letterpress's own wording for the language stands in for an empty label entry.
      if (label && !translated && shipped(segment, lang)) continue;
      const fuzzy = !!translated;
      missing.push({ entry, fuzzy, label });
      const info = file.message(`\`${segment.context}\` ${fuzzy ? "is fuzzy (the English changed)" : "is not translated"}: “${firstWords(segment.source)}”`, {
        place: { line: entry?.line || 1, column: 1 },
        ruleId: fuzzy ? "translation-fuzzy" : "translation-untranslated",
        source: "letterpress:translations",
      });
      info.fatal = undefined;
      if (segment.node) markFallback(cloneOf.get(segment.node), sourceLang);
      continue;
    }
    const msgstr = entry.msgstr.map((m) => m.trim());
    switch (segment.kind) {
      case "label":
        if (!sameSet(placeholders(segment.source), placeholders(msgstr[0]!))) {
          say(entry, "error", `Translation of \`${segment.context}\` must keep the placeholders ${placeholders(segment.source).join(", ") || "(none)"}`, "translation-placeholder");
        } else catalog.text[segment.context.slice("label/".length) as LabelKey] = msgstr[0]!;
        break;
      case "plural":
        if (msgstr.some((m) => !m.includes("{n}"))) {
          say(entry, "error", `Every plural form of \`${segment.context}\` must keep {n}`, "translation-placeholder");
        } else catalog.plural[segment.context.slice("label/".length) as PluralLabelKey] = msgstr;
        break;
      case "meta": {
        const key = segment.context.slice("meta/".length);
        if (key === "short-title") meta.shortTitle = msgstr[0]!;
        else if (key === "subject") meta.subject = msgstr[0]!;
        else if (key === "addressee") meta.addressee = msgstr[0]!;
        break;
      }
      case "alt": {
        const image = imageTwin.get(segment.node as Image) ?? (cloneOf.get(segment.node!) as Image | undefined);
        if (image) image.alt = msgstr[0]!;
        break;
      }
      case "block": {
        const target = cloneOf.get(segment.node!) as { children: PhrasingContent[] } | undefined;
        if (!target) break;
        const parsed = parsedBlocks.get(segment.context);
        const children = parsed?.children;
        const problem = children ? compareStructure(target.children, children) : "is not inline Markdown (it must stay a single paragraph)";
        if (problem || !children) {
          say(entry, "error", `Translation of \`${segment.context}\` ${problem}; the English text is used`, "translation-structure");
          markFallback(target as Nodes, sourceLang);
          break;
        }
        if (parsed.html.length > 0) {
          say(entry, "warning", `Translation of \`${segment.context}\` contains raw HTML (${parsed.html.map((h) => `\`${h.length > 30 ? `${h.slice(0, 29)}…` : h}\``).join(", ")}), which is removed`, "raw-html");
        }
        transferReferences(target.children, children);
        pairImages(segment.node!, children, imageTwin);
        target.children = children;
        break;
      }
    }
  }
  const passages = missing.filter((m) => !m.label);
  if (passages.length > 0) {
    const fuzzy = passages.filter((m) => m.fuzzy).length;
    const untranslated = passages.length - fuzzy;
    const count = (n: number, state: string) => `${n} ${n === 1 ? "passage is" : "passages are"} ${state}`;
    const what = [untranslated ? count(untranslated, "not translated") : "", fuzzy ? count(fuzzy, "fuzzy (the English changed)") : ""].filter(Boolean).join(" and ");
    const name = languageName(lang, "en");
    const reason = options.strict
      ? `${what}; --strict publishes complete translations only (--verbose lists them)`
      : options.partial
        ? `${what}: the ${name} edition is published as a partial translation, those passages in English (--verbose lists them)`
        : `${what}, so the ${name} edition is not published (--partial publishes it, marked as partial, those passages in English; --verbose lists them)`;
    say(passages[0]!.entry, fallback, reason, untranslated ? "translation-untranslated" : "translation-fuzzy");
  }
  const labels = missing.filter((m) => m.label);
  if (labels.length > 0) {
    say(labels[0]!.entry, fallback, `${labels.length} of Letterpress's own labels (\`label/…\` entries) ${labels.length === 1 ? "is" : "are"} not translated into ${languageName(lang, "en")}; English is used (--verbose lists them)`, "translation-untranslated");
  }
  for (const entry of po.entries.filter((e) => e.obsolete)) {
    say(entry, "warning", `Obsolete entry \`${entry.context}\` (no longer in the source); remove it or run \`letterpress translations update\``, "translation-obsolete");
  }
  for (const entry of po.entries.filter((e) => !e.obsolete && !segments.some((s) => s.context === e.context))) {
    say(entry, "warning", `Entry \`${entry.context}\` matches nothing in the source; run \`letterpress translations update\``, "translation-obsolete");
  }
  const h1 = tree.children.find((n) => n.type === "heading" && n.depth === 1);
  if (h1) meta.title = toString(h1).trim();
  placeInPo(tree, segments, entries);
  return { tree, meta, catalog, stats: statsOf(segments, po, lang), incomplete: passages.length };
}

/** Whether `entry` has a translation of the segment's current English (fuzzy or not). */
function hasTranslation<E extends TranslationState>(entry: E | undefined, segment: Segment): entry is E {
  return !!entry && entry.msgid === segment.source && entry.msgstr.some((m) => m.trim() !== "");
}

/** What says whether an entry translates a segment. */
type TranslationState = Pick<PoEntry, "msgid" | "msgstr" | "fuzzy">;

/** Whether `entry` translates the segment: the translation of its current English, not fuzzy. An edition uses only these. */
export function translates<E extends TranslationState>(entry: E | undefined, segment: Segment): entry is E {
  return hasTranslation(entry, segment) && !entry.fuzzy;
}

/**
 * The edition's messages belong to its PO file: a node of a translatable block (and everything in
 * it) is placed at the block's PO entry; any other node loses its place, which was a line of the
 * Markdown. A writer's message about the edition then points at the entry a translator edits.
 */
function placeInPo(tree: Root, segments: readonly Segment[], entries: ReadonlyMap<string, PoEntry>): void {
  const entryLine = new Map<number, number>();
  for (const segment of segments) {
    const line = entries.get(segment.context)?.line;
    if (segment.kind === "block" && segment.line !== undefined && line) entryLine.set(segment.line, line);
  }
  const walk = (node: Nodes, inherited: number | undefined) => {
    const line = (node.position && entryLine.get(node.position.start.line)) || inherited;
    if (line) node.position = { start: { line, column: 1 }, end: { line, column: 1 } };
    else delete node.position;
    if ("children" in node) for (const child of node.children) walk(child as Nodes, line);
  };
  walk(tree, undefined);
}

/** Whether Letterpress's own wording covers a label segment in `lang`. */
function shipped(segment: Segment, lang: string): boolean {
  return (segment.kind === "label" || segment.kind === "plural") && hasBuiltinLabel(lang, segment.context.slice("label/".length));
}

/** The first words of a segment, to recognise it in a message. */
function firstWords(source: string, count = 8): string {
  const text = source.replace(/\]\([^)]*\)/g, "]").replace(/[*_`[\]]|\^[\w-]+/g, "").replace(/\s+/g, " ").trim();
  const words = text.split(" ");
  return words.length > count ? `${words.slice(0, count).join(" ")}…` : text;
}

/** Map every node of the original tree to its counterpart in the clone. */
function mapClone(original: Root, clone: Root): Map<unknown, Nodes> {
  const map = new Map<unknown, Nodes>();
  const walk = (a: Nodes, b: Nodes) => {
    map.set(a, b);
    if ("children" in a && "children" in b) a.children.forEach((child, i) => walk(child as Nodes, b.children[i] as Nodes));
  };
  walk(original, clone);
  return map;
}

/** A translated segment parsed as inline Markdown (sanitised; the raw HTML removed, to report). */
export interface ParsedInline {
  children: PhrasingContent[];
  html: string[];
}

/**
 * Parse a translated segment as inline Markdown, sanitised like the source (raw HTML removed and
 * returned, so it can be reported); undefined unless it is exactly one paragraph.
 */
export function parseInline(markdown: string, doc: LoadedDocument): ParsedInline | undefined {
  const tree = parseFragment(`X ${markdown}\n\n${definitionsFor([markdown], doc)}\n`);
  const blocks = tree.children.filter((n) => n.type !== "footnoteDefinition");
  if (blocks.length !== 1 || blocks[0]!.type !== "paragraph") return undefined;
  return inlineOf(blocks[0]);
}

/**
 * `markdowns.map((m) => parseInline(m, doc))`, in one parse: the segments are parsed as one
 * document, a blank line apart, each starting on a known line. A segment's result is taken from
 * that parse only if it came out as one paragraph spanning exactly its own lines; any other (a
 * segment with a blank line, a code fence or an HTML comment that runs on) is parsed on its own.
 */
export function parseInlineAll(markdowns: readonly string[], doc: LoadedDocument): Array<ParsedInline | undefined> {
  if (markdowns.length < 2) return markdowns.map((m) => parseInline(m, doc));
  // The definitions go first: a segment that runs on (an unclosed fence) would swallow them.
  const definitions = definitionsFor(markdowns, doc);
  const lines: Array<[number, number]> = [];
  let line = definitions ? definitions.split("\n").length + 2 : 1;
  const texts = markdowns.map((m) => {
    const text = `X ${m}`;
    const count = text.split("\n").length;
    lines.push([line, line + count - 1]);
    line += count + 1;
    return text;
  });
  const tree = parseFragment(`${definitions ? `${definitions}\n\n` : ""}${texts.join("\n\n")}\n`);
  const byStart = new Map<number, Root["children"][number]>();
  for (const block of tree.children) if (block.type !== "footnoteDefinition" && block.position) byStart.set(block.position.start.line, block);
  return markdowns.map((m, i) => {
    const [first, last] = lines[i]!;
    const block = byStart.get(first);
    const whole = block?.type === "paragraph" && block.position!.end.line === last && ![...byStart.keys()].some((l) => l > first && l <= last);
    return whole ? inlineOf(block) : parseInline(m, doc);
  });
}

/**
 * Definitions make `[^label]` parse as footnote references (only the labels the segments cite and
 * the document defines: a long document has hundreds).
 */
function definitionsFor(markdowns: readonly string[], doc: LoadedDocument): string {
  const cited = new Set(markdowns.flatMap((m) => [...m.matchAll(/\[\^([^\]\s]+)\]/g)].map((x) => x[1]!)));
  return [...cited]
    .filter((label) => doc.facts.definitions.has(label.toLowerCase()))
    .map((label) => `[^${label}]: x`)
    .join("\n");
}

/** The inline content of a parsed segment (the "X " prefix, which keeps a leading "1." or "#" from making a list or heading, removed). */
function inlineOf(paragraph: Paragraph): ParsedInline | undefined {
  const first = paragraph.children[0];
  if (first?.type !== "text" || !first.value.startsWith("X ")) return undefined;
  first.value = first.value.slice(2);
  if (first.value === "") paragraph.children.shift();
  // Raw HTML is removed (and reported by the caller). Links and images need no sanitising here:
  // the canonical text has only safe ones, so a translation that changes one is a structure error.
  const html: string[] = [];
  visit(paragraph, "html", (node, index, parent) => {
    html.push(node.value);
    if (parent && index !== undefined) {
      parent.children.splice(index, 1);
      return index;
    }
    return undefined;
  });
  visit(paragraph, (node) => {
    delete node.position;
  });
  return { children: paragraph.children, html };
}

/** What a translation broke, or undefined: footnotes, link targets and UN symbols must match. */
function compareStructure(source: PhrasingContent[], translated: PhrasingContent[]): string | undefined {
  const a = structureOf(source);
  const b = structureOf(translated);
  for (const [kind, label] of [["notes", "footnote references"], ["links", "link targets"], ["images", "images"], ["symbols", "UN document symbols"]] as const) {
    if (!sameSet(a[kind], b[kind])) {
      const missing = difference(a[kind], b[kind]);
      const extra = difference(b[kind], a[kind]);
      return `changes the ${label}${missing.length ? `: drops ${missing.map((x) => `\`${x}\``).join(", ")}` : ""}${extra.length ? `${missing.length ? ";" : ":"} adds ${extra.map((x) => `\`${x}\``).join(", ")}` : ""}`;
    }
  }
  return undefined;
}

function structureOf(nodes: PhrasingContent[]) {
  const out = { notes: [] as string[], links: [] as string[], images: [] as string[], symbols: [] as string[] };
  const root = { type: "paragraph", children: nodes } as Paragraph;
  visit(root, (node) => {
    if (node.type === "footnoteReference") out.notes.push(`[^${node.label ?? node.identifier}]`);
    if (node.type === "link") out.links.push(node.url);
    if (node.type === "image") out.images.push(node.url);
    if (node.type === "text") {
      for (const m of node.value.matchAll(CANDIDATE)) out.symbols.push(m[0]);
      // `[^x]` that did not parse as a reference names a note the document does not have.
      for (const m of node.value.matchAll(/\[\^([^\]\s]+)\]/g)) out.notes.push(m[0]);
    }
  });
  return out;
}

/** Give translated footnote references the canonical numbers and ids (order may differ). */
function transferReferences(source: PhrasingContent[], translated: PhrasingContent[]) {
  const byIdentifier = new Map<string, FootnoteReference[]>();
  visit({ type: "paragraph", children: source } as Paragraph, "footnoteReference", (ref) => {
    byIdentifier.set(ref.identifier, [...(byIdentifier.get(ref.identifier) ?? []), ref]);
  });
  visit({ type: "paragraph", children: translated } as Paragraph, "footnoteReference", (ref) => {
    const original = byIdentifier.get(ref.identifier)?.shift();
    if (original?.data) ref.data = { ...original.data };
  });
}

/** Pair the canonical block's images with the translation's, by URL in order of appearance. */
function pairImages(canonical: Nodes, translated: PhrasingContent[], twins: Map<Image, Image>) {
  const pending: Image[] = [];
  visit({ type: "paragraph", children: translated } as Paragraph, "image", (image) => {
    pending.push(image);
  });
  visit(canonical, "image", (image) => {
    const at = pending.findIndex((other) => other.url === image.url);
    if (at >= 0) twins.set(image, pending.splice(at, 1)[0]!);
  });
}

function markFallback(node: Nodes | undefined, lang: string) {
  if (!node) return;
  visit(node, "text", (text) => {
    text.data = { ...text.data, fallbackLang: lang };
  });
}

function placeholders(s: string): string[] {
  return [...s.matchAll(/\{(\w+)\}/g)].map((m) => `{${m[1]}}`).sort();
}

function sameSet(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && [...a].sort().every((x, i) => x === [...b].sort()[i]);
}

function difference(a: readonly string[], b: readonly string[]): string[] {
  const rest = [...b];
  return a.filter((x) => {
    const i = rest.indexOf(x);
    if (i >= 0) rest.splice(i, 1);
    return i < 0;
  });
}

export { LABELS, PLURAL_LABELS };
