/**
 * The state of one mdast → docx conversion, as `mdast-util-to-hast`'s `lib/state.js`: the
 * publication being written, the dispatch of nodes to their handlers (`block`/`blocks`,
 * `inline`/`inlines`), and what the handlers share: paragraph and run properties (the edition's
 * language and direction), bookmarks and anchors, list numbering, footnote bookkeeping and
 * diagnostics.
 *
 * The handlers are given to the state when it is made (see `handlers/index.ts`): this module
 * imports none of them, so the handlers can import it without a cycle.
 */
import { AlignmentType, Paragraph, TextRun, type FileChild, type IParagraphOptions, type IRunOptions, type ParagraphChild } from "docx";
import type { Definition, FootnoteDefinition, Nodes, PhrasingContent, Root, RootContent } from "mdast";
import { SKIP, visit } from "unist-util-visit";
import type { VFile } from "vfile";
import type { Footnote, Publication } from "../../model.ts";
import { bookmarkName, noteReferenceBookmark } from "./bookmarks.ts";
import { Locale } from "./locale.ts";
import { listIndent, QUOTE_INDENT, STYLE, textWidth } from "./styles.ts";

/** Where blocks are being written. */
export interface BlockContext {
  /** Paragraph style of ordinary paragraphs: Normal (undefined) in the body, Footnote Text in notes. */
  readonly style: string | undefined;
  readonly inNote: boolean;
  readonly quoteDepth: number;
  /** The list item being written: its first paragraph carries the number. */
  readonly item?: ListSlot;
}

/** A list item's place in Word's numbering. */
export interface ListSlot {
  readonly reference: string;
  readonly level: number;
  readonly instance: number;
  /** Set once the item's first paragraph (the one with the number) is written. */
  numbered: boolean;
}

/** Character formatting inherited by nested inline nodes. */
export interface RunFormat {
  readonly bold?: boolean;
  readonly italics?: boolean;
  readonly strike?: boolean;
  readonly code?: boolean;
  readonly link?: boolean;
  readonly superScript?: boolean;
  /** Language of text left untranslated (`data.fallbackLang`). */
  readonly lang?: string | undefined;
}

/** The document body. */
export const BODY: BlockContext = { style: undefined, inNote: false, quoteDepth: 0 };
/** A footnote's text. */
export const NOTE: BlockContext = { style: STYLE.footnoteText, inNote: true, quoteDepth: 0 };

/** Nodes written as blocks: the root, and any content (phrasing content at block level too). */
export type BlockNode = Root | RootContent;

export type BlockHandler<N extends BlockNode = BlockNode> = (state: State, node: N, ctx: BlockContext) => FileChild[];
export type InlineHandler<N extends PhrasingContent = PhrasingContent> = (
  state: State,
  node: N,
  format: RunFormat,
  ctx: BlockContext,
) => ParagraphChild[];

/** One handler per node type; a type without one gets the state's fallback (its text is kept). */
export interface Handlers {
  /** Block-level nodes → paragraphs and tables. */
  readonly block: { readonly [T in BlockNode["type"]]?: BlockHandler<Extract<BlockNode, { type: T }>> };
  /** Phrasing content → runs, hyperlinks, footnote references. */
  readonly inline: { readonly [T in PhrasingContent["type"]]?: InlineHandler<Extract<PhrasingContent, { type: T }>> };
}

const XML_INVALID = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g;

const PHRASING = new Set<string>([
  "text",
  "emphasis",
  "strong",
  "delete",
  "inlineCode",
  "break",
  "link",
  "linkReference",
  "image",
  "imageReference",
  "footnoteReference",
  "html",
]);

export class State {
  readonly pub: Publication;
  readonly file: VFile;
  readonly locale: Locale;
  readonly notes: NoteBook;
  /** First numbers of the ordered lists used (each needs a numbering definition). */
  readonly orderedStarts = new Set<number>();
  /** Anchor ids that some link points to. */
  readonly linked = new Set<string>();
  /** Content (bookmarks, a note's leading space) that opens the next paragraph written. */
  readonly pendingStart: ParagraphChild[] = [];
  private readonly handlers: Handlers;
  /** Anchor ids this document can hold a bookmark for. */
  private readonly placeable = new Set<string>();
  /** Link reference definitions, first by identifier. */
  private readonly linkDefinitions = new Map<string, Definition>();
  private lists = 0;
  private readonly warned = new Set<string>();

  constructor(pub: Publication, file: VFile, handlers: Handlers) {
    this.pub = pub;
    this.file = file;
    this.handlers = handlers;
    this.locale = new Locale(pub);
    this.notes = new NoteBook(pub);
    visit(pub.tree, (node) => {
      if (node.type === "definition" && !this.linkDefinitions.has(node.identifier)) this.linkDefinitions.set(node.identifier, node);
      if (node.type === "link") {
        const id = fragmentOf(node.url);
        if (id !== undefined) this.linked.add(id);
      }
    });
    for (const entry of pub.outline) if (entry.kind === "heading") this.placeable.add(entry.id);
    this.placeable.add("content");
    for (const id of this.notes.anchors()) this.placeable.add(id);
    const list = pub.signatories;
    if (list) {
      for (const id of ["signatories", "signatories-label"]) this.placeable.add(id);
      if (list.organisations.length > 0) this.placeable.add("organisations-label");
      if (list.individuals.length > 0) this.placeable.add("individuals-label");
    }
  }

  // Dispatch.

  /** A block-level node (or the root) → paragraphs and tables. */
  block(node: BlockNode, ctx: BlockContext): FileChild[] {
    const handler = this.handlers.block[node.type] as BlockHandler | undefined;
    return handler ? handler(this, node, ctx) : this.unknownBlock(node, ctx);
  }

  blocks(nodes: readonly RootContent[], ctx: BlockContext): FileChild[] {
    return nodes.flatMap((node) => this.block(node, ctx));
  }

  /** Inline content → runs, hyperlinks, footnote references. */
  inline(node: PhrasingContent, format: RunFormat, ctx: BlockContext): ParagraphChild[] {
    const handler = this.handlers.inline[node.type] as InlineHandler | undefined;
    return handler ? handler(this, node, format, ctx) : this.unknownInline(node, format, ctx);
  }

  inlines(nodes: readonly PhrasingContent[], format: RunFormat, ctx: BlockContext): ParagraphChild[] {
    return nodes.flatMap((node) => this.inline(node, format, ctx));
  }

  /** Inline content where a block is expected, or an unknown node: keep its text. */
  private unknownBlock(node: BlockNode, ctx: BlockContext): FileChild[] {
    const children = "children" in node ? (node.children as RootContent[]) : [];
    if ("value" in node && typeof node.value === "string") return [this.paragraph([this.run(node.value, {})], ctx)];
    const inline = children.length > 0 && children.every((c) => PHRASING.has(c.type));
    return inline ? [this.paragraph(this.inlines(children as PhrasingContent[], {}, ctx), ctx)] : this.blocks(children, ctx);
  }

  /** An unknown inline node: its children, or its text. */
  private unknownInline(node: PhrasingContent, format: RunFormat, ctx: BlockContext): ParagraphChild[] {
    const unknown = node as Nodes;
    if ("children" in unknown) return this.inlines(unknown.children as PhrasingContent[], format, ctx);
    if ("value" in unknown && typeof unknown.value === "string") return [this.run(unknown.value, format)];
    return [];
  }

  // Paragraphs.

  /** A paragraph in the edition's direction, numbered if it opens a list item. */
  paragraph(children: ParagraphChild[], ctx: BlockContext, extra: IParagraphOptions = {}): Paragraph {
    const options: IParagraphOptions = {
      children: [...this.pendingStart.splice(0), ...children],
      ...(ctx.style ? { style: ctx.style } : ctx.quoteDepth > 0 ? { style: STYLE.quote } : {}),
      ...(this.locale.rtl ? { bidirectional: true, alignment: AlignmentType.START } : {}),
      ...this.indentation(ctx),
      ...extra,
    };
    return new Paragraph(options);
  }

  /**
   * Indentation of a paragraph in lists and quotes. The first paragraph of a list item takes the
   * item's number (and marks the item numbered); later ones are indented to its text.
   */
  indentation(ctx: BlockContext): IParagraphOptions {
    const item = ctx.item;
    const quote = ctx.quoteDepth > 0 && (ctx.inNote || ctx.quoteDepth > 1 || item) ? QUOTE_INDENT * ctx.quoteDepth : 0;
    if (item && !item.numbered) {
      item.numbered = true;
      return {
        numbering: { reference: item.reference, level: item.level, instance: item.instance },
        ...(quote ? { indent: { start: listIndent(item.level) + quote } } : {}),
      };
    }
    const start = (item ? listIndent(item.level) : 0) + quote;
    return start > 0 ? { indent: { start } } : {};
  }

  /** A new list instance: its numbers start again. */
  newList(): number {
    return ++this.lists;
  }

  // Runs: the edition's language and direction.

  run(text: string, format: RunFormat): TextRun {
    return new TextRun(this.runOptions(text, format));
  }

  runOptions(text: string, format: RunFormat): IRunOptions {
    const clean = text.replace(XML_INVALID, "");
    const foreign = format.lang !== undefined && format.lang !== this.pub.lang;
    const style = format.code ? STYLE.inlineCode : format.link ? STYLE.hyperlink : undefined;
    const rtl = this.locale.isRtlRun(clean, foreign || format.code === true);
    return {
      // Code is copied and pasted: no invisible marks in it.
      text: format.code ? clean : this.locale.directed(clean, rtl),
      ...(style ? { style } : {}),
      ...(format.bold ? { bold: true } : {}),
      ...(format.italics ? { italics: true } : {}),
      ...(format.strike ? { strike: true } : {}),
      ...(format.superScript ? { superScript: true } : {}),
      ...(rtl ? { rightToLeft: true } : {}),
      language: this.locale.languageOf(foreign ? format.lang : undefined),
    };
  }

  // Anchors and links.

  /** Whether this document has a place (a bookmark) for anchor `id`. */
  canPlace(id: string): boolean {
    return this.placeable.has(id);
  }

  /** The bookmark a link to `#id` goes to. */
  anchorBookmark(id: string): string {
    return this.notes.bookmarkFor(id) ?? bookmarkName(id);
  }

  /** The definition of a link reference. */
  linkDefinition(identifier: string): Definition | undefined {
    return this.linkDefinitions.get(identifier);
  }

  // Diagnostics.

  /** Report a lossy conversion once per kind (vfile message on the edition's file). */
  /** Width of the text on the edition's paper, in twips. */
  textWidth(): number {
    return textWidth(this.pub.meta.paper);
  }

  /** A document-unique id for the next drawing (image). */
  nextDrawingId(): number {
    return ++this.drawings;
  }

  private drawings = 0;

  warnOnce(key: string, reason: string, node: { position?: Nodes["position"] } | undefined, ruleId: string): void {
    if (this.warned.has(key)) return;
    this.warned.add(key);
    this.file.message(reason, { ...(node?.position ? { place: node.position } : {}), ruleId, source: "letterpress:docx" });
  }
}

/**
 * Footnote bookkeeping. Word numbers footnotes by the position of their reference; a note
 * referenced from the body becomes one Word footnote at its first body reference. A note
 * referenced only from inside other notes cannot be a footnote of its own (Word does not nest
 * them): it follows the note that first refers to it.
 */
export class NoteBook {
  /** The footnotes written so far, by `w:id` (= the note's number). */
  readonly footnotes: Record<number, { children: Paragraph[] }> = {};
  /**
   * Notes without a body reference met while writing the current footnote, to be written after
   * it; undefined outside a footnote.
   */
  followers: Footnote[] | undefined;
  /** Notes already queued to follow a footnote. */
  readonly followed = new Set<number>();
  private readonly pub: Publication;
  /** Numbers of the notes referenced from the body. */
  private readonly inBody = new Set<number>();
  private readonly definitions: Map<number, FootnoteDefinition>;

  constructor(pub: Publication) {
    this.pub = pub;
    this.definitions = new Map(pub.notes.map((n) => [n.footnote.number, n.definition]));
    visit(pub.tree, (node) => {
      if (node.type === "footnoteDefinition") return SKIP;
      if (node.type === "footnoteReference" && node.data?.footnote) this.inBody.add(node.data.footnote.number);
      return undefined;
    });
  }

  /** The note a reference stands for. */
  noteOf(number: number): Footnote | undefined {
    return this.pub.footnotes[number - 1];
  }

  /** Whether a note is referenced from the body (and so is a Word footnote). */
  isFootnote(note: Footnote): boolean {
    return this.inBody.has(note.number);
  }

  /** Whether a note is the first footnote (the notes section's anchor goes there). */
  isFirstFootnote(note: Footnote): boolean {
    return note.number === Math.min(...this.inBody);
  }

  definitionOf(note: Footnote): FootnoteDefinition | undefined {
    return this.definitions.get(note.number);
  }

  /** Anchor ids the notes can hold bookmarks for. */
  anchors(): string[] {
    const notes = this.pub.footnotes.filter((n) => this.inBody.has(n.number));
    return [...(notes.length > 0 ? ["notes"] : []), ...notes.flatMap((n) => [n.id, ...n.refIds])];
  }

  /** The bookmark of a note's first reference, for links to `#fnref-N`. */
  bookmarkFor(id: string): string | undefined {
    const note = this.pub.footnotes.find((n) => n.refIds[0] === id && this.inBody.has(n.number));
    return note ? noteReferenceBookmark(note.number) : undefined;
  }
}

/** The anchor id a same-document link (`#id`) points to, percent-decoded where it can be. */
export function fragmentOf(url: string): string | undefined {
  if (!url.startsWith("#")) return undefined;
  const value = url.slice(1);
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}
