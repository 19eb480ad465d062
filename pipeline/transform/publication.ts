/**
 * Transform stage: make the `Publication` of one edition from the loaded canonical document.
 * Structure (footnote numbers, ids, links, signatories) always comes from the canonical tree; a
 * translation only swaps segment text in (see `i18n/overlay.ts`).
 *
 * Everything the formats must agree on is decided here, once per edition, and writers only
 * render it: where the signatory list and the translation notice stand in the tree, the notes in
 * number order with their (translated) definitions, and the outline with the sections Letterpress
 * adds in their translated wording.
 */
import type { FootnoteDefinition, Nodes, Parent, Root, RootContent, Text } from "mdast";
import { toString } from "mdast-util-to-string";
import { autonym, directionOf, formatDate, type LabelCatalog, type LabelKey, Labels } from "../i18n/labels.ts";
import { CANDIDATE, checkSymbol, RESOLVER } from "../policy.ts";
import type { LoadedDocument } from "../load.ts";
import type { EditionNote, EditionRef, Footnote, OutlineEntry, Publication, Signatories } from "../model.ts";

export interface EditionOptions {
  lang: string;
  /** The edition's tree (canonical, or canonical with a translation overlaid). */
  tree?: Root;
  /** Translated metadata strings (title, short title, subject). */
  meta?: Partial<Pick<Publication["meta"], "title" | "shortTitle" | "subject" | "addressee">>;
  catalog?: LabelCatalog;
  /** All languages being published, for language switchers. */
  languages: readonly string[];
  /** Seconds since the epoch for every date in the outputs. */
  epoch: number;
}

export function editionRef(lang: string): EditionRef {
  return { lang, name: autonym(lang), dir: directionOf(lang) };
}

export function createPublication(doc: LoadedDocument, options: EditionOptions): Publication {
  const { lang } = options;
  const translated = lang !== doc.meta.lang;
  const labels = new Labels(lang, options.catalog);
  const { tree, definitions } = withoutDefinitions(options.tree ?? doc.tree);
  placeSignatories(tree, doc.signatories);
  const meta = { ...doc.meta, ...options.meta, lang };
  // Translated wording stands in for English only where the translation has it.
  placeMasthead(tree, meta, labels, translated && options.meta?.addressee === undefined ? doc.meta.lang : undefined);
  if (translated) placeNotice(tree, labels);
  if (meta.letterhead) placeLetterhead(tree, meta.letterhead);
  const linked = linkSymbols(tree);
  const footnotes = doc.facts.footnotes;
  return {
    slug: doc.slug,
    lang,
    dir: directionOf(lang),
    translated,
    meta,
    tree: linked,
    footnotes,
    notes: notesOf(footnotes, definitions).map((note) => ({ ...note, definition: linkSymbols(note.definition) })),
    outline: outlineOf(linked, labels, doc.signatories, footnotes.length > 0),
    images: doc.images,
    anchors: doc.facts.anchors,
    ...(doc.signatories ? { signatories: doc.signatories } : {}),
    labels,
    editions: options.languages.map(editionRef),
    epoch: options.epoch,
  };
}

/**
 * The tree without its footnote definitions (the first definition of each identifier is kept for
 * `notes`). Parents on the way to a definition are copied; the rest of the tree is shared with
 * the canonical document, which stays as it is.
 */
function withoutDefinitions(root: Root): { tree: Root; definitions: Map<string, FootnoteDefinition> } {
  const definitions = new Map<string, FootnoteDefinition>();
  const strip = <T extends Parent>(parent: T): T => {
    let changed = false;
    const children: RootContent[] = [];
    for (const child of parent.children as RootContent[]) {
      if (child.type === "footnoteDefinition") {
        if (!definitions.has(child.identifier)) definitions.set(child.identifier, child);
        changed = true;
        continue;
      }
      const copy = "children" in child ? strip(child as Parent) : child;
      if (copy !== child) changed = true;
      children.push(copy as RootContent);
    }
    return changed ? { ...parent, children } : parent;
  };
  const tree = strip(root);
  // The edition's root is its own (nodes are placed in it below), even when nothing was removed.
  return { tree: tree === root ? { ...root, children: [...root.children] } : tree, definitions };
}

/** A document with a signatories file but no marker gets the list at the end. */
function placeSignatories(tree: Root, signatories: Signatories | undefined): void {
  if (!signatories || tree.children.some((n) => n.type === "signatories")) return;
  tree.children.push({ type: "signatories" });
}

/**
 * The notice of a translated edition stands right after the title: the document still opens
 * with its title (first bookmark, first heading for a screen reader), and the notice qualifies
 * the text that follows before any of it is read.
 */
function placeNotice(tree: Root, labels: Labels): void {
  const key: LabelKey = "unofficial-translation";
  const notice = { type: "notice" as const, value: labels.get(key), ...(labels.isFallback(key) ? { lang: "en" } : {}) };
  const title = tree.children.findIndex((n) => n.type === "heading" && n.depth === 1);
  tree.children.splice(title + 1, 0, notice);
}

/**
 * The date and the addressee under the title (and the notice), in the edition's language: the
 * date in the language's regional style, the addressee as translated (`addresseeLang` when it is
 * the English standing in for a missing translation).
 */
function placeMasthead(tree: Root, meta: Publication["meta"], labels: Labels, addresseeLang: string | undefined): void {
  if (!meta.date && !meta.addressee) return;
  const masthead = {
    type: "masthead" as const,
    ...(meta.date ? { date: { text: formatDate(meta.date, meta.lang), iso: meta.date } } : {}),
    ...(meta.addressee
      ? { addressee: { label: withSpace(labels.get("addressee")), text: meta.addressee, ...(addresseeLang ? { lang: addresseeLang } : {}) } }
      : {}),
  };
  const title = tree.children.findIndex((n) => n.type === "heading" && n.depth === 1);
  tree.children.splice(title + 1, 0, masthead);
}

/** The letterhead's image heads the edition: the top of the first page in print. */
function placeLetterhead(tree: Root, letterhead: NonNullable<Publication["meta"]["letterhead"]>): void {
  tree.children.unshift({
    type: "paragraph",
    data: { hProperties: { className: ["letterhead"] } },
    children: [{ type: "image", url: letterhead.src, alt: letterhead.alt, data: { letterhead: true } }],
  });
}

/** A label and the space before what follows it; none after full-width punctuation (`致：`), which has its own. */
function withSpace(label: string): string {
  return /[\u3000-\u303f\uff00-\uffef]$/u.test(label) ? label : `${label} `;
}

/**
 * Bare UN document symbols (`A/HRC/51/17` in running text) become links to the official
 * resolver, as the author's own links to it are. Only symbols that follow the grammar (a
 * malformed one is a warning of the check stage) and never inside a link, code or a URL. The
 * edition's tree is copied where a link is added; the canonical tree stays as it is.
 */
function linkSymbols<T extends Parent>(parent: T): T {
  let changed = false;
  const children: RootContent[] = [];
  for (const child of parent.children as RootContent[]) {
    if (child.type === "text") {
      const pieces = symbolPieces(child);
      if (pieces.length > 1) changed = true;
      children.push(...pieces);
      continue;
    }
    if (child.type === "link" || !("children" in child)) {
      children.push(child);
      continue;
    }
    const copy = linkSymbols(child as Parent);
    if (copy !== child) changed = true;
    children.push(copy as RootContent);
  }
  return changed ? { ...parent, children } : parent;
}

function symbolPieces(node: Text): RootContent[] {
  const out: RootContent[] = [];
  let from = 0;
  for (const match of node.value.matchAll(CANDIDATE)) {
    const symbol = match[0];
    const at = match.index ?? 0;
    if (checkSymbol(symbol) !== undefined) continue;
    if (at > from) out.push({ ...node, value: node.value.slice(from, at) });
    out.push({ type: "link", url: `${RESOLVER}${symbol}`, children: [{ ...node, value: symbol }] });
    from = at + symbol.length;
  }
  if (out.length === 0) return [node];
  if (from < node.value.length) out.push({ ...node, value: node.value.slice(from) });
  return out;
}

function notesOf(footnotes: readonly Footnote[], definitions: Map<string, FootnoteDefinition>): EditionNote[] {
  return footnotes.flatMap((footnote) => {
    const definition = definitions.get(footnote.identifier);
    return definition ? [{ footnote, definition }] : [];
  });
}

/**
 * Headings in reading order (ids from the canonical tree, text in the edition's language), the
 * signatory list with its two parts where it stands, and the notes last.
 */
function outlineOf(tree: Root, labels: Labels, signatories: Signatories | undefined, hasNotes: boolean): OutlineEntry[] {
  const entries: OutlineEntry[] = [];
  const section = (key: LabelKey, depth: number, id: string, kind: OutlineEntry["kind"]): OutlineEntry => ({
    depth,
    text: labels.get(key),
    id,
    kind,
    ...(labels.isFallback(key) ? { lang: "en" } : {}),
  });
  const walk = (node: Nodes) => {
    if (node.type === "heading") {
      const text = toString(node).trim();
      const id = node.data?.id ?? "";
      if (text !== "" && id !== "") entries.push({ depth: node.depth, text, id, kind: "heading" });
      return;
    }
    if (node.type === "signatories") {
      if (!signatories) return;
      entries.push(section("signatories", 2, "signatories", "signatories"));
      if (signatories.organisations.length > 0) entries.push(section("organisations", 3, "organisations-label", "signatories"));
      if (signatories.individuals.length > 0) entries.push(section("individuals", 3, "individuals-label", "signatories"));
      return;
    }
    if ("children" in node) for (const child of node.children) walk(child as Nodes);
  };
  walk(tree);
  if (hasNotes) entries.push(section("notes", 2, "notes", "notes"));
  return entries;
}
