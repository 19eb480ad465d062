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
import type { FootnoteDefinition, Nodes, Parent, Root, RootContent } from "mdast";
import { toString } from "mdast-util-to-string";
import { autonym, directionOf, type LabelCatalog, type LabelKey, Labels } from "../i18n/labels.ts";
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
  if (translated) placeNotice(tree, labels);
  const footnotes = doc.facts.footnotes;
  return {
    slug: doc.slug,
    lang,
    dir: directionOf(lang),
    translated,
    meta: { ...doc.meta, ...options.meta, lang },
    tree,
    footnotes,
    notes: notesOf(footnotes, definitions),
    outline: outlineOf(tree, labels, doc.signatories, footnotes.length > 0),
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
