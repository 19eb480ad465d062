/**
 * Word-native footnotes, numbered as in every other format.
 *
 * Word numbers footnotes by the position of their reference, and Letterpress numbers notes by
 * their first reference in the body, so writing each note's footnote at its first body reference
 * gives the same numbers. A later reference to the same note is a `NOTEREF` field to a hidden
 * bookmark around the first (`_fnref_1`), never a second footnote (dolanmiu/docx#1554); so is a
 * reference from inside another note. Each note is rendered from its own definition.
 *
 * Word cannot nest footnotes: a note referenced only from inside other notes has no place of its
 * own, so its text follows the note that first refers to it, after its number (with a warning).
 */
import { Bookmark, FootnoteReferenceRun, Paragraph, type ParagraphChild } from "docx";
import type { FootnoteDefinition, FootnoteReference } from "mdast";
import { SKIP, visit } from "unist-util-visit";
import type { Footnote } from "../../model.ts";
import { bookmarkName, noteReferenceBookmark } from "./bookmarks.ts";
import type { BlockContext, Converter, RunFormat } from "./convert.ts";
import { noteReferenceField } from "./fields.ts";
import { STYLE } from "./styles.ts";

const NOTE: BlockContext = { style: STYLE.footnoteText, inNote: true, quoteDepth: 0 };

export class Notes {
  private readonly conv: Converter;
  private readonly definitions: Map<string, FootnoteDefinition>;
  /** Numbers of the notes referenced from the body: each becomes one Word footnote. */
  private readonly inBody = new Set<number>();
  /** The footnotes written so far, by `w:id` (= the note's number). */
  readonly footnotes: Record<number, { children: Paragraph[] }> = {};
  /** Notes without a body reference met while rendering the current footnote. */
  private nested: Footnote[] | undefined;
  private readonly nestedDone = new Set<number>();

  constructor(conv: Converter) {
    this.conv = conv;
    this.definitions = new Map(conv.pub.notes.map(({ footnote, definition }) => [footnote.identifier, definition]));
    visit(conv.pub.tree, (node) => {
      if (node.type === "footnoteDefinition") return SKIP;
      if (node.type === "footnoteReference" && node.data?.footnote) this.inBody.add(node.data.footnote.number);
      return undefined;
    });
  }

  /** Anchor ids the notes can hold bookmarks for. */
  anchors(): string[] {
    const notes = this.conv.pub.footnotes.filter((n) => this.inBody.has(n.number));
    return [...(notes.length > 0 ? ["notes"] : []), ...notes.flatMap((n) => [n.id, ...n.refIds])];
  }

  /** The bookmark of a note's first reference, for links to `#fnref-N`. */
  bookmarkFor(id: string): string | undefined {
    const note = this.conv.pub.footnotes.find((n) => n.refIds[0] === id && this.inBody.has(n.number));
    return note ? noteReferenceBookmark(note.number) : undefined;
  }

  /** What stands at a footnote reference. */
  reference(node: FootnoteReference, format: RunFormat, ctx: BlockContext): ParagraphChild[] {
    const ref = node.data?.footnote;
    const note = ref ? this.conv.pub.footnotes[ref.number - 1] : undefined;
    if (!ref || !note) return []; // an undefined note: reported by check/
    if (this.inBody.has(note.number)) {
      if (!ctx.inNote && ref.refId === note.refIds[0]) {
        this.render(note);
        return [new Bookmark({ id: noteReferenceBookmark(note.number), children: [new FootnoteReferenceRun(note.number)] })];
      }
      const field = noteReferenceField(noteReferenceBookmark(note.number), note.number, {
        language: this.conv.locale.languageOf(undefined),
      });
      return this.conv.linked.has(ref.refId) ? [new Bookmark({ id: bookmarkName(ref.refId), children: field })] : field;
    }
    this.conv.warnOnce(
      `nested-note:${note.number}`,
      `Note ${note.number} ([^${note.label}]) is referenced only from inside other notes; Word cannot nest footnotes, so the DOCX edition prints it inside the note that refers to it`,
      node,
      "docx-nested-note",
    );
    if (this.nested && !this.nestedDone.has(note.number)) {
      this.nestedDone.add(note.number);
      this.nested.push(note);
    }
    return [this.conv.run(String(note.number), { ...format, superScript: true })];
  }

  /** Write the footnote of a note (w:id = its number) from its definition. */
  private render(note: Footnote): void {
    const conv = this.conv;
    const saved = conv.pendingStart.splice(0);
    const outer = this.nested;
    this.nested = [];
    const marks = [
      ...(conv.linked.has("notes") && note.number === Math.min(...this.inBody) ? ["notes"] : []),
      ...(conv.linked.has(note.id) ? [note.id] : []),
    ];
    // docx puts the footnote mark first in the first paragraph; a space separates it from the text.
    conv.pendingStart.push(...marks.map((id) => new Bookmark({ id: bookmarkName(id), children: [] })), conv.run(" ", {}));
    const children = this.body(note);
    for (let i = 0; i < this.nested.length; i++) {
      const nested = this.nested[i]!;
      conv.pendingStart.push(conv.run(String(nested.number), { superScript: true }), conv.run(" ", {}));
      children.push(...this.body(nested));
    }
    conv.pendingStart.splice(0);
    conv.pendingStart.push(...saved);
    this.nested = outer;
    this.footnotes[note.number] = { children };
  }

  private body(note: Footnote): Paragraph[] {
    const definition = this.definitions.get(note.identifier);
    const blocks = definition ? this.conv.blocks(definition.children, NOTE) : [];
    // A footnote must open with a paragraph (the mark goes there). Tables are fine in Word
    // footnotes although docx types footnote content as paragraphs only.
    if (!(blocks[0] instanceof Paragraph)) blocks.unshift(this.conv.paragraph([], NOTE));
    return blocks as Paragraph[];
  }
}
