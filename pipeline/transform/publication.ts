/**
 * Transform stage: make the `Publication` of one edition from the loaded canonical document.
 * Structure (footnote numbers, ids, links, signatories) always comes from the canonical tree; a
 * translation only swaps segment text in (see `i18n/overlay.ts`).
 */
import type { FootnoteDefinition, Root } from "mdast";
import { toString } from "mdast-util-to-string";
import { visit } from "unist-util-visit";
import { autonym, directionOf, type LabelCatalog, Labels } from "../i18n/labels.ts";
import type { LoadedDocument } from "../load.ts";
import type { EditionRef, Footnote, Heading, Publication } from "../model.ts";

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
  const tree = options.tree ?? doc.tree;
  return {
    slug: doc.slug,
    lang,
    dir: directionOf(lang),
    translated: lang !== doc.meta.lang,
    meta: { ...doc.meta, ...options.meta, lang },
    tree,
    footnotes: doc.facts.footnotes,
    footnoteByIdentifier: doc.facts.footnoteByIdentifier,
    notes: notesOf(tree, doc.facts.footnotes),
    headings: headingsOf(tree),
    anchors: doc.facts.anchors,
    ...(doc.signatories ? { signatories: doc.signatories } : {}),
    labels: new Labels(lang, options.catalog),
    editions: options.languages.map(editionRef),
    epoch: options.epoch,
  };
}

/** The outline of an edition: ids from the canonical tree, text in the edition's language. */
function headingsOf(tree: Root): Heading[] {
  const headings: Heading[] = [];
  visit(tree, "heading", (node) => {
    headings.push({ depth: node.depth, text: toString(node).trim(), id: node.data?.id ?? "" });
  });
  return headings;
}

/** The notes in number order, each with its first definition in the edition's (translated) tree. */
function notesOf(tree: Root, footnotes: readonly Footnote[]): Publication["notes"] {
  const definitions = new Map<string, FootnoteDefinition>();
  visit(tree, "footnoteDefinition", (node) => {
    if (!definitions.has(node.identifier)) definitions.set(node.identifier, node);
  });
  return footnotes.flatMap((footnote) => {
    const definition = definitions.get(footnote.identifier);
    return definition ? [{ footnote, definition }] : [];
  });
}
