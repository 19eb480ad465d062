/**
 * Segments: every translatable unit of the canonical tree (headings, paragraphs, table cells,
 * footnote texts, alt texts), the translatable front-matter fields, and every word the writers
 * add (labels). Each has a stable msgctxt, so identical sentences in two places stay separate.
 *
 * Inline structure reaches translators as Markdown inline syntax: `**strong**`, `[text](url)`,
 * `[^note]` for footnote references. They can move it, but must keep it (see overlay checks).
 */
import type { Heading, Image, Nodes, Paragraph, Parent, PhrasingContent, Root, TableCell } from "mdast";
import { gfmToMarkdown } from "mdast-util-gfm";
import { toMarkdown } from "mdast-util-to-markdown";
import type { LoadedDocument } from "../load.ts";
import { LABELS, PLURAL_LABELS } from "./labels.ts";

export type SegmentKind = "block" | "alt" | "meta" | "label" | "plural";

export interface Segment {
  /** Stable key: `body/p3`, `note/foaa-report/p1`, `meta/short-title`, `label/notes`. */
  context: string;
  /** English source text (Markdown inline syntax for blocks). */
  source: string;
  /** English plural form, for plural labels. */
  sourcePlural?: string;
  kind: SegmentKind;
  /** Comment for translators (`#.`). */
  comment?: string;
  /** Source line of the block, for `#:` references. */
  line?: number;
  /** The canonical node whose content the translation replaces (blocks and alt texts). */
  node?: Heading | Paragraph | TableCell | Image;
}

const BLOCK_TYPES = new Set(["heading", "paragraph", "tableCell"]);

/** Serialise inline content as Markdown (one line). */
export function inlineMarkdown(children: PhrasingContent[]): string {
  return toMarkdown({ type: "paragraph", children }, { extensions: [gfmToMarkdown()] }).trim();
}

/** Every segment of a document, in document order. */
export function extractSegments(doc: LoadedDocument): readonly Segment[] {
  // A document's segments are cut once: a build asks for them for every language (overlay, and
  // whether a language it does not make is complete).
  let segments = cut.get(doc);
  if (!segments) cut.set(doc, (segments = cutSegments(doc)));
  return segments;
}

/** Segments by document (a loaded document is never changed after loading). */
const cut = new WeakMap<LoadedDocument, readonly Segment[]>();

function cutSegments(doc: LoadedDocument): Segment[] {
  const segments: Segment[] = [];
  const collect = (root: Parent, scope: string) => {
    const counters = new Map<string, number>();
    const next = (prefix: string) => {
      const n = (counters.get(prefix) ?? 0) + 1;
      counters.set(prefix, n);
      return `${scope}/${prefix}${n}`;
    };
    const walk = (node: Nodes) => {
      if (node.type === "footnoteDefinition" || node.type === "signatories" || node.type === "code" || node.type === "html") return;
      if (BLOCK_TYPES.has(node.type)) {
        const block = node as Heading | Paragraph | TableCell;
        const source = inlineMarkdown(block.children);
        if (source !== "") {
          const prefix = node.type === "heading" ? "h" : node.type === "tableCell" ? "cell" : "p";
          segments.push({
            context: next(prefix),
            source,
            kind: "block",
            node: block,
            ...(block.position ? { line: block.position.start.line } : {}),
            ...(node.type === "heading" ? { comment: `Heading, level ${(node as Heading).depth}` } : {}),
          });
        }
      }
      if (node.type === "image" && node.alt) {
        segments.push({ context: next("img"), source: node.alt, kind: "alt", node, comment: "Alternative text of an image", ...(node.position ? { line: node.position.start.line } : {}) });
      }
      if ("children" in node) for (const child of node.children) walk(child as Nodes);
    };
    for (const child of root.children) walk(child as Nodes);
  };

  collect(doc.tree, "body");
  for (const note of doc.facts.footnotes) {
    const definition = doc.facts.definitions.get(note.identifier);
    if (definition) {
      const before = segments.length;
      collect(definition, `note/${note.identifier}`);
      for (const s of segments.slice(before)) s.comment = `Footnote ${note.number}${s.comment ? `; ${s.comment}` : ""}`;
    }
  }

  const meta: Array<[string, string | undefined, string]> = [
    ["short-title", doc.meta.shortTitle, "Short title: running heads and window titles"],
    ["subject", doc.meta.subject, "Document subject: PDF, DOCX and EPUB metadata"],
    ["addressee", doc.meta.addressee, "Addressee of the letter"],
  ];
  for (const [key, value, comment] of meta) {
    if (value) segments.push({ context: `meta/${key}`, source: value, kind: "meta", comment });
  }
  for (const [key, value] of Object.entries(LABELS)) {
    segments.push({ context: `label/${key}`, source: value, kind: "label", comment: labelComment(value) });
  }
  for (const [key, [one, other]] of Object.entries(PLURAL_LABELS)) {
    segments.push({ context: `label/${key}`, source: one, sourcePlural: other, kind: "plural", comment: labelComment(other) });
  }
  return segments;
}

function labelComment(value: string): string {
  const placeholders = [...value.matchAll(/\{(\w+)\}/g)].map((m) => `{${m[1]}}`);
  return `Added by Letterpress, which has its own wording in the UN languages: leave it empty to use that, translate it to replace it${placeholders.length ? `; keep ${placeholders.join(", ")}` : ""}`;
}

/** Nodes of a root's segment scope, for tests and overlays. */
export function segmentMap(segments: readonly Segment[]): Map<string, Segment> {
  return new Map(segments.map((s) => [s.context, s]));
}

export type { Root };
