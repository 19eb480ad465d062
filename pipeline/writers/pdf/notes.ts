/**
 * Footnotes for print. Every reference is a superscript number linking to its note; the first
 * reference of a note also names it in `data-notes`, which tells the paginator (in-page.ts) to
 * put the note at the foot of the page where that reference lands. The notes themselves wait in a
 * store after the article (ordinary block content: paragraphs, lists, quotations), each with its
 * number as text. Numbers always come from `pub.footnotes`, never from a counter.
 */
import type { Element, ElementContent } from "hast";
import { h } from "hastscript";
import type { Footnote, Publication } from "../../model.ts";
import type { NoteStrategy } from "../shared/hast.ts";
import { isArabicScript } from "../shared/fonts.ts";

/** Class of a note in the store and on the page (print.css, in-page.ts). */
const NOTE_CLASS = "fn";
/** Class of the element that holds the notes until the paginator places them. */
const STORE_CLASS = "note-store";

export function pdfNotes(): NoteStrategy {
  return {
    reference(note, ref, pub) {
      const first = ref.refId === note.refIds[0];
      const arabic = isArabicScript(pub.lang);
      return h("sup", { className: ["fn-call"] }, [
        h(
          "a",
          {
            href: `#${note.id}`,
            id: ref.refId,
            role: "doc-noteref",
            ariaLabel: pub.labels.get("note-reference", { n: note.number }),
            ...(first ? { dataNotes: note.id } : {}),
            // Arabic-script editions call notes "(n)" on the line; isolated so the brackets
            // keep their order inside right-to-left text.
            ...(arabic ? { dir: "ltr" } : {}),
          },
          arabic ? `(${note.number})` : String(note.number),
        ),
      ]);
    },
    notes(pub, rendered) {
      return [h("div", { className: [STORE_CLASS] }, rendered.map(({ note, content }) => noteElement(pub, note, content)))];
    },
  };
}

/** A note: its number (text, so every reader sees it) starts its first line, hanging. */
function noteElement(pub: Publication, note: Footnote, content: ElementContent[]): Element {
  const arabic = isArabicScript(pub.lang);
  const number = h("span", { className: ["fn-number"] }, arabic ? `(${note.number})` : `${note.number}.`);
  const blocks = content.filter((n) => !(n.type === "text" && n.value.trim() === ""));
  const first = blocks[0];
  const body =
    first?.type === "element" && first.tagName === "p"
      ? [{ ...first, children: [number, ...first.children] }, ...blocks.slice(1)]
      : [h("p", [number]), ...blocks];
  return h("div", { className: [NOTE_CLASS], id: note.id, role: "doc-footnote", lang: pub.lang, dir: pub.dir, dataNumber: String(note.number) }, body);
}
