/**
 * Word-native footnotes, numbered as in every other format.
 *
 * Word numbers footnotes by the position of their reference, and Letterpress numbers notes by
 * their first reference in the body, so writing each note's footnote at its first body reference
 * gives the same numbers. A later reference to the same note is a `NOTEREF` field to a hidden
 * bookmark around the first (`_fnref_1`), never a second footnote (dolanmiu/docx#1554); so is a
 * reference from inside another note. Each note is written from its definition in the
 * publication (`pub.notes`).
 *
 * Word cannot nest footnotes: a note referenced only from inside other notes has no place of its
 * own, so its text follows the note that first refers to it, after its number (with a warning).
 */
import { Bookmark, FootnoteReferenceRun, Paragraph, type ParagraphChild } from "docx";
import type { FootnoteReference } from "mdast";
import type { Footnote } from "../../../model.ts";
import { bookmarkName, noteReferenceBookmark } from "../bookmarks.ts";
import { noteReferenceField } from "../fields.ts";
import { NOTE, type BlockContext, type Handlers, type RunFormat, type State } from "../state.ts";

/** What stands at a footnote reference: the footnote itself, a NOTEREF field, or a number. */
function footnoteReference(state: State, node: FootnoteReference, format: RunFormat, ctx: BlockContext): ParagraphChild[] {
  const notes = state.notes;
  const ref = node.data?.footnote;
  const note = ref ? notes.noteOf(ref.number) : undefined;
  if (!ref || !note) return []; // an undefined note: reported by check/
  if (notes.isFootnote(note)) {
    if (!ctx.inNote && ref.refId === note.refIds[0]) {
      writeFootnote(state, note);
      return [new Bookmark({ id: noteReferenceBookmark(note.number), children: [new FootnoteReferenceRun(note.number)] })];
    }
    const field = noteReferenceField(noteReferenceBookmark(note.number), note.number, {
      language: state.locale.languageOf(undefined),
    });
    return state.linked.has(ref.refId) ? [new Bookmark({ id: bookmarkName(ref.refId), children: field })] : field;
  }
  state.warnOnce(
    `nested-note:${note.number}`,
    `Note ${note.number} ([^${note.label}]) is referenced only from inside other notes; Word cannot nest footnotes, so the DOCX edition prints it inside the note that refers to it`,
    node,
    "docx-nested-note",
  );
  if (notes.followers && !notes.followed.has(note.number)) {
    notes.followed.add(note.number);
    notes.followers.push(note);
  }
  return [state.run(String(note.number), { ...format, superScript: true })];
}

/**
 * Write the footnote of a note (w:id = its number), followed by the notes referenced only from
 * inside it. The body's pending paragraph start is set aside meanwhile: it belongs to the body
 * paragraph the reference stands in.
 */
function writeFootnote(state: State, note: Footnote): void {
  const notes = state.notes;
  const saved = state.pendingStart.splice(0);
  const outer = notes.followers;
  notes.followers = [];
  const marks = [
    ...(state.linked.has("notes") && notes.isFirstFootnote(note) ? ["notes"] : []),
    ...(state.linked.has(note.id) ? [note.id] : []),
  ];
  // docx puts the footnote mark first in the first paragraph; a space separates it from the text.
  state.pendingStart.push(...marks.map((id) => new Bookmark({ id: bookmarkName(id), children: [] })), state.run(" ", {}));
  const children = noteBlocks(state, note);
  for (let i = 0; i < notes.followers.length; i++) {
    const follower = notes.followers[i]!;
    state.pendingStart.push(state.run(String(follower.number), { superScript: true }), state.run(" ", {}));
    children.push(...noteBlocks(state, follower));
  }
  state.pendingStart.splice(0);
  state.pendingStart.push(...saved);
  notes.followers = outer;
  notes.footnotes[note.number] = { children };
}

/** The blocks of a note's definition. */
function noteBlocks(state: State, note: Footnote): Paragraph[] {
  const definition = state.notes.definitionOf(note);
  const blocks = definition ? state.blocks(definition.children, NOTE) : [];
  // A footnote must open with a paragraph (the mark goes there). Tables are fine in Word
  // footnotes although docx types footnote content as paragraphs only.
  if (!(blocks[0] instanceof Paragraph)) blocks.unshift(state.paragraph([], NOTE));
  return blocks as Paragraph[];
}

export const noteHandlers = { footnoteReference } satisfies Handlers["inline"];
