/**
 * Footnotes for print: the first reference to a note becomes a Paged.js `float: footnote`
 * element holding the note's content, so the note lands at the foot of the page where it is
 * referenced. Later references (and references made from inside a note) are plain superscript
 * numbers linking to the note. Numbers always come from `pub.footnotes`, never from a counter.
 */
import type { Element, ElementContent } from "hast";
import { h } from "hastscript";
import type { Footnote, Publication } from "../../model.ts";
import type { NoteStrategy } from "../shared/hast.ts";

/** Class of the floated note element (the stylesheet gives it `float: footnote`). */
export const NOTE_CLASS = "fn";
/** Class of a note whose call Paged.js must not print (the note was referenced from another note). */
export const NESTED_NOTE_CLASS = "fn-nested";
/** Class of a later reference to a note (a plain superscript). */
export const REPEAT_CLASS = "fnref-again";

/**
 * A fresh strategy per rendering (it tracks whether a note's content is being rendered, so that
 * references inside notes do not float inside the footnote area).
 */
export function pdfNotes(): NoteStrategy {
  let depth = 0;
  /** Notes first referenced from inside another note: floated right after that note. */
  let pending: Array<{ note: Footnote; content: () => ElementContent[] }> = [];

  const floated = (note: Footnote, pub: Publication, content: () => ElementContent[], nested: boolean): Element => {
    depth++;
    try {
      return h(
        "span",
        {
          className: nested ? [NOTE_CLASS, NESTED_NOTE_CLASS] : [NOTE_CLASS],
          role: "doc-footnote",
          dataNoteId: note.id,
          dataRefId: note.refIds[0],
          dataNumber: String(note.number),
          dataLabel: pub.labels.get("note-reference", { n: note.number }),
          ...(pub.dir === "rtl" ? { dir: "rtl" } : {}),
        },
        inlineNote(content()),
      );
    } finally {
      depth--;
    }
  };

  return {
    reference(note, ref, pub, content) {
      const first = ref.refId === note.refIds[0];
      if (depth > 0 || !first) {
        if (depth > 0 && first) pending.push({ note, content });
        return superscript(note, ref.refId, pub);
      }
      const main = floated(note, pub, content, false);
      const group: Element[] = [main];
      // Notes referenced for the first time inside this note follow it into the same footnote area.
      while (pending.length > 0) {
        const queue = pending;
        pending = [];
        for (const nested of queue) group.push(floated(nested.note, pub, nested.content, true));
      }
      return group.length === 1 ? main : h("span", { className: ["fn-group"] }, group);
    },
  };
}

function superscript(note: Footnote, refId: string, pub: Publication): Element {
  return h("sup", { className: [REPEAT_CLASS] }, [
    h(
      "a",
      {
        href: `#${note.id}`,
        id: refId,
        role: "doc-noteref",
        ariaLabel: pub.labels.get("note-reference", { n: note.number }),
      },
      String(note.number),
    ),
  ]);
}

const BLOCK_TAGS = new Set([
  "p", "div", "ul", "ol", "li", "blockquote", "pre", "table", "thead", "tbody", "tr", "td", "th",
  "h1", "h2", "h3", "h4", "h5", "h6", "hr", "section", "figure", "figcaption", "dl", "dt", "dd",
]);

/**
 * Paged.js cannot float block content (pagedjs#68): the note becomes inline content, its first
 * paragraph unwrapped, every further block a `span` shown as a block by the stylesheet.
 */
export function inlineNote(content: ElementContent[]): ElementContent[] {
  const out: ElementContent[] = [];
  let first = true;
  for (const node of content) {
    if (node.type === "text" && node.value.trim() === "") continue;
    if (node.type === "element" && node.tagName === "p" && first) {
      out.push(...inlineChildren(node.children));
    } else if (node.type === "element" && BLOCK_TAGS.has(node.tagName)) {
      out.push(asSpan(node));
    } else {
      out.push(node);
    }
    first = false;
  }
  return out;
}

function inlineChildren(children: ElementContent[]): ElementContent[] {
  return children.map((child) => (child.type === "element" && BLOCK_TAGS.has(child.tagName) ? asSpan(child) : child));
}

function asSpan(node: Element): Element {
  const { className, ...rest } = node.properties;
  const classes = Array.isArray(className) ? className.map(String) : className ? [String(className)] : [];
  return {
    type: "element",
    tagName: "span",
    properties: { ...rest, className: [`fn-${node.tagName}`, ...classes] },
    children: inlineChildren(node.children.filter((c) => !(c.type === "text" && c.value.trim() === "" && node.tagName !== "pre"))),
  };
}
