/**
 * Document facts computed once from the canonical tree: footnote numbers (by first reference,
 * as GitHub and pandoc do), reference and note ids, heading slugs (GitHub-compatible) and the set
 * of anchors. The same facts drive every language and every format.
 */
import GithubSlugger from "github-slugger";
import type { FootnoteDefinition, FootnoteReference, Heading as MdHeading, Root } from "mdast";
import { toString } from "mdast-util-to-string";
import { SKIP, visit } from "unist-util-visit";
import type { Footnote, Heading } from "../model.ts";
import { SIGNATORIES_MARKER } from "./nodes.ts";

/** Ids Letterpress uses itself; a heading slug that collides gets a suffix, as on GitHub. */
export const RESERVED_IDS = ["content", "notes", "notes-label", "signatories", "signatories-label", "individuals-label", "organisations-label"];

export interface Facts {
  footnotes: Footnote[];
  footnoteByIdentifier: Map<string, Footnote>;
  /** First definition of each identifier. */
  definitions: Map<string, FootnoteDefinition>;
  headings: Heading[];
  anchors: Set<string>;
  hasSignatoriesMarker: boolean;
}

/**
 * Annotate the tree in place (ids on headings and footnote references, the signatories marker
 * replaced by a `signatories` node) and return the facts.
 */
export function computeFacts(tree: Root): Facts {
  const definitions = new Map<string, FootnoteDefinition>();
  visit(tree, "footnoteDefinition", (node) => {
    if (!definitions.has(node.identifier)) definitions.set(node.identifier, node);
  });

  const footnotes: Footnote[] = [];
  const byIdentifier = new Map<string, Footnote>();
  const number = (ref: FootnoteReference) => {
    if (!definitions.has(ref.identifier)) return; // reported by check/
    let note = byIdentifier.get(ref.identifier);
    if (!note) {
      const n = footnotes.length + 1;
      note = { number: n, label: ref.label ?? ref.identifier, identifier: ref.identifier, id: `fn-${n}`, refIds: [] };
      footnotes.push(note);
      byIdentifier.set(ref.identifier, note);
    }
    const refId = note.refIds.length === 0 ? `fnref-${note.number}` : `fnref-${note.number}-${note.refIds.length + 1}`;
    note.refIds.push(refId);
    ref.data = { ...ref.data, footnote: { number: note.number, refId, noteId: note.id } };
  };

  // Body first (definitions are skipped), then notes in number order: a reference inside a note
  // is numbered after every reference in the body, as GitHub does.
  visit(tree, (node) => {
    if (node.type === "footnoteDefinition") return SKIP;
    if (node.type === "footnoteReference") number(node);
    return undefined;
  });
  for (let i = 0; i < footnotes.length; i++) {
    const definition = definitions.get(footnotes[i]!.identifier);
    if (definition) visit(definition, "footnoteReference", number);
  }

  const slugger = new GithubSlugger();
  for (const id of RESERVED_IDS) slugger.slug(id);
  const headings: Heading[] = [];
  visit(tree, "heading", (node: MdHeading) => {
    const text = toString(node).trim();
    const id = slugger.slug(text);
    node.data = { ...node.data, id, hProperties: { ...node.data?.hProperties, id } };
    headings.push({ depth: node.depth, text, id });
  });

  let hasSignatoriesMarker = false;
  visit(tree, "html", (node, index, parent) => {
    if (parent && index !== undefined && SIGNATORIES_MARKER.test(node.value.trim())) {
      parent.children.splice(index, 1, { type: "signatories", position: node.position } as never);
      hasSignatoriesMarker = true;
    }
  });

  const anchors = new Set<string>(["content", "notes"]);
  if (hasSignatoriesMarker) anchors.add("signatories");
  for (const h of headings) anchors.add(h.id);
  for (const f of footnotes) {
    anchors.add(f.id);
    for (const r of f.refIds) anchors.add(r);
  }
  return { footnotes, footnoteByIdentifier: byIdentifier, definitions, headings, anchors, hasSignatoriesMarker };
}
