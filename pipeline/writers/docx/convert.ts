/**
 * mdast → docx. One method per node type, walking `pub.tree`; the facts the tree carries
 * (heading ids, footnote numbers, fallback languages) decide bookmarks, notes and languages.
 * Footnotes are rendered by `notes.ts`, the signatory list by `signatories.ts`.
 */
import {
  AlignmentType,
  Bookmark,
  ExternalHyperlink,
  ImageRun,
  InternalHyperlink,
  Paragraph,
  Table,
  TableCell,
  TableRow,
  TextRun,
  WidthType,
  type FileChild,
  type IParagraphOptions,
  type IRunOptions,
  type ParagraphChild,
} from "docx";
import type {
  Blockquote,
  Code,
  Definition,
  Heading,
  Image,
  List,
  ListItem,
  Nodes,
  Paragraph as MdParagraph,
  PhrasingContent,
  RootContent,
  Table as MdTable,
} from "mdast";
import { visit } from "unist-util-visit";
import type { VFile } from "vfile";
import type { Publication } from "../../model.ts";
import { bookmarkName } from "./bookmarks.ts";
import { Locale } from "./locale.ts";
import { Notes } from "./notes.ts";
import { signatoriesBlocks } from "./signatories.ts";
import { BULLET_LIST, listIndent, orderedList, QUOTE_INDENT, RULE, STYLE, TABLE_BORDER, TEXT_WIDTH } from "./styles.ts";

/** Where blocks are being written. */
export interface BlockContext {
  /** Paragraph style of ordinary paragraphs: Normal (undefined) in the body, Footnote Text in notes. */
  readonly style: string | undefined;
  readonly inNote: boolean;
  readonly quoteDepth: number;
  /** The list item being written: its first paragraph carries the number. */
  readonly item?: ListSlot;
}

interface ListSlot {
  readonly reference: string;
  readonly level: number;
  readonly instance: number;
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

export const BODY: BlockContext = { style: undefined, inNote: false, quoteDepth: 0 };

const XML_INVALID = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g;

export class Converter {
  readonly pub: Publication;
  readonly file: VFile;
  readonly locale: Locale;
  readonly notes: Notes;
  /** First numbers of the ordered lists used (each needs a numbering definition). */
  readonly orderedStarts = new Set<number>();
  /** Anchor ids that some link points to. */
  readonly linked = new Set<string>();
  /** Anchor ids this document can hold a bookmark for. */
  private readonly placeable = new Set<string>();
  private readonly definitions = new Map<string, Definition>();
  private instances = 0;
  /** Content (bookmarks, a note's leading space) that opens the next paragraph written. */
  readonly pendingStart: ParagraphChild[] = [];
  private readonly warned = new Set<string>();

  constructor(pub: Publication, file: VFile) {
    this.pub = pub;
    this.file = file;
    this.locale = new Locale(pub);
    this.notes = new Notes(this);
    visit(pub.tree, (node) => {
      if (node.type === "definition" && !this.definitions.has(node.identifier)) this.definitions.set(node.identifier, node);
      if (node.type === "link" && node.url.startsWith("#")) this.linked.add(safeDecode(node.url.slice(1)));
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

  /** The body of the document. */
  body(): FileChild[] {
    const out: FileChild[] = [];
    if (this.linked.has("content")) this.pendingStart.push(new Bookmark({ id: bookmarkName("content"), children: [] }));
    for (const node of this.pub.tree.children) out.push(...this.block(node, BODY));
    return out;
  }

  blocks(nodes: readonly RootContent[], ctx: BlockContext): FileChild[] {
    return nodes.flatMap((node) => this.block(node, ctx));
  }

  block(node: RootContent, ctx: BlockContext): FileChild[] {
    switch (node.type) {
      case "paragraph":
        return [this.paragraph(this.inlines(node.children, {}, ctx), ctx)];
      case "heading":
        return [this.heading(node, ctx)];
      case "blockquote":
        return this.blockquote(node, ctx);
      case "list":
        return this.list(node, ctx);
      case "code":
        return [this.code(node, ctx)];
      case "table":
        return [this.table(node, ctx)];
      case "thematicBreak":
        return [this.paragraph([], ctx, { border: RULE })];
      case "signatories":
        return ctx.inNote ? [] : signatoriesBlocks(this);
      case "notice":
        // "Unofficial translation …", where the edition model put it (under the title).
        return [this.paragraph([this.run(node.value, { lang: node.lang })], ctx, { style: STYLE.notice })];
      case "footnoteDefinition":
      case "definition":
      case "html":
      case "yaml":
        return [];
      default: {
        // Inline content where a block is expected, or an unknown node: keep its text.
        const children = "children" in node ? (node.children as RootContent[]) : [];
        if ("value" in node && typeof node.value === "string") return [this.paragraph([this.run(node.value, {})], ctx)];
        const inline = children.length > 0 && children.every((c) => isPhrasing(c));
        return inline ? [this.paragraph(this.inlines(children as PhrasingContent[], {}, ctx), ctx)] : this.blocks(children, ctx);
      }
    }
  }

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

  private indentation(ctx: BlockContext): IParagraphOptions {
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

  private heading(node: Heading, ctx: BlockContext): Paragraph {
    const id = node.data?.id;
    // In a note or a list item a heading cannot be a Word heading: it is a bold paragraph there.
    const inline = ctx.inNote || ctx.item !== undefined;
    const runs = this.inlines(node.children, inline ? { bold: true } : {}, ctx);
    const children = id ? [new Bookmark({ id: bookmarkName(id), children: runs })] : runs;
    if (inline) return this.paragraph(children, ctx);
    return this.paragraph(children, ctx, { style: node.depth === 1 ? STYLE.title : STYLE.heading(node.depth - 1) });
  }

  private blockquote(node: Blockquote, ctx: BlockContext): FileChild[] {
    return this.blocks(node.children, { ...ctx, quoteDepth: ctx.quoteDepth + 1 });
  }

  private list(node: List, ctx: BlockContext): FileChild[] {
    const level = ctx.item ? Math.min(ctx.item.level + 1, 8) : 0;
    let reference: string = BULLET_LIST;
    if (node.ordered) {
      const start = node.start ?? 1;
      this.orderedStarts.add(start);
      reference = orderedList(start);
    }
    const instance = this.newList();
    return node.children.flatMap((item) => this.listItem(item, { ...ctx, item: { reference, level, instance, numbered: false } }));
  }

  /** A new list instance: its numbers start again. */
  newList(): number {
    return ++this.instances;
  }

  private listItem(node: ListItem, ctx: BlockContext): FileChild[] {
    const children = [...node.children];
    if (typeof node.checked === "boolean") {
      const box: PhrasingContent = { type: "text", value: node.checked ? "☒ " : "☐ " };
      const first = children[0];
      if (first?.type === "paragraph") children[0] = { ...first, children: [box, ...first.children] } satisfies MdParagraph;
      else children.unshift({ type: "paragraph", children: [box] });
    }
    if (children.length === 0) return [this.paragraph([], ctx)];
    return this.blocks(children, ctx);
  }

  private code(node: Code, ctx: BlockContext): Paragraph {
    const lines = node.value.replace(/\t/g, "    ").split(/\r?\n/);
    const runs = lines.map((text, i) => {
      // The paragraph style sets the code font: no character style on top.
      const { style: _characterStyle, ...options } = this.runOptions(text, { code: true });
      return new TextRun({ ...options, ...(i > 0 ? { break: 1 } : {}) });
    });
    // Code reads left to right in every edition.
    return new Paragraph({
      children: runs,
      style: ctx.inNote ? STYLE.footnoteText : STYLE.code,
      ...(this.locale.rtl ? { bidirectional: false } : {}),
      ...this.indentation(ctx),
    });
  }

  private table(node: MdTable, ctx: BlockContext): Table {
    const columns = Math.max(1, ...node.children.map((row) => row.children.length));
    const width = Math.floor(TEXT_WIDTH / columns);
    const align = (i: number) => {
      const a = node.align?.[i];
      return a === "center" ? AlignmentType.CENTER : a === "right" ? AlignmentType.END : a === "left" ? AlignmentType.START : undefined;
    };
    const cellCtx: BlockContext = { style: ctx.inNote ? STYLE.footnoteText : undefined, inNote: ctx.inNote, quoteDepth: 0 };
    const rows = node.children.map(
      (row, r) =>
        new TableRow({
          tableHeader: r === 0,
          cantSplit: true,
          children: Array.from({ length: columns }, (_, c) => {
            const cell = row.children[c];
            const alignment = align(c);
            const runs = cell ? this.inlines(cell.children, r === 0 ? { bold: true } : {}, cellCtx) : [];
            return new TableCell({
              width: { size: width, type: WidthType.DXA },
              children: [this.paragraph(runs, cellCtx, { spacing: { after: 0 }, ...(alignment ? { alignment } : {}) })],
            });
          }),
        }),
    );
    const border = TABLE_BORDER;
    return new Table({
      rows,
      width: { size: TEXT_WIDTH, type: WidthType.DXA },
      columnWidths: Array.from({ length: columns }, () => width),
      borders: { top: border, bottom: border, left: border, right: border, insideHorizontal: border, insideVertical: border },
      ...(this.locale.rtl ? { visuallyRightToLeft: true } : {}),
    });
  }

  /** Inline content → runs, hyperlinks, footnote references. */
  inlines(nodes: readonly PhrasingContent[], format: RunFormat, ctx: BlockContext): ParagraphChild[] {
    return nodes.flatMap((node) => this.inline(node, format, ctx));
  }

  /** Drawings (images) written so far: each needs a document-unique id. */
  private drawings = 0;

  private inline(node: PhrasingContent, format: RunFormat, ctx: BlockContext): ParagraphChild[] {
    switch (node.type) {
      case "text": {
        const lang = node.data?.fallbackLang ?? format.lang;
        return node.value ? [this.run(node.value.replace(/[ \t]*\r?\n[ \t]*/g, " "), { ...format, lang })] : [];
      }
      case "emphasis":
        return this.inlines(node.children, { ...format, italics: true }, ctx);
      case "strong":
        return this.inlines(node.children, { ...format, bold: true }, ctx);
      case "delete":
        return this.inlines(node.children, { ...format, strike: true }, ctx);
      case "inlineCode":
        return [this.run(node.value, { ...format, code: true })];
      case "break":
        return [new TextRun({ break: 1 })];
      case "link":
        return this.link(node.url, node.children, format, ctx);
      case "linkReference": {
        const definition = this.definitions.get(node.identifier);
        if (definition) return this.link(definition.url, node.children, format, ctx);
        return this.inlines(node.children, format, ctx);
      }
      case "image":
        return this.image(node, format);
      case "imageReference":
        return node.alt ? [this.run(node.alt, format)] : [];
      case "footnoteReference":
        return this.notes.reference(node, format, ctx);
      case "html":
        return [];
      default: {
        const unknown = node as Nodes;
        if ("children" in unknown) return this.inlines(unknown.children as PhrasingContent[], format, ctx);
        if ("value" in unknown && typeof unknown.value === "string") return [this.run(unknown.value, format)];
        return [];
      }
    }
  }

  /** An image inline, at its size up to the text width; WebP (which Word cannot show) as its text. */
  private image(node: Image, format: RunFormat): ParagraphChild[] {
    const image = this.pub.images.get(node.url);
    if (!image || image.extension === "webp") {
      const why = image ? "Word cannot show WebP images" : "the edition has no such image";
      this.warnOnce(`image:${node.url}`, `Image \`${node.url}\` is not in the DOCX (${why}); its alternative text is shown`, node, "docx-image");
      return node.alt ? [this.run(node.alt, format)] : [];
    }
    // Pixels at 96 to the inch; the text width is in twips (1440 to the inch).
    const scale = Math.min(1, TEXT_WIDTH / 15 / image.width);
    const alt = node.alt ?? "";
    return [
      new ImageRun({
        type: image.extension,
        data: image.data,
        transformation: { width: Math.round(image.width * scale), height: Math.round(image.height * scale) },
        // Drawing ids are numbered per document, not by docx's process-wide counter.
        altText: { id: String(++this.drawings), name: image.name, description: alt, ...(node.title ? { title: node.title } : {}) },
      }),
    ];
  }

  private link(url: string, children: readonly PhrasingContent[], format: RunFormat, ctx: BlockContext): ParagraphChild[] {
    const runs = this.inlines(children, { ...format, link: true }, ctx);
    if (url.startsWith("#")) {
      const id = safeDecode(url.slice(1));
      if (!this.placeable.has(id)) {
        this.warnOnce(`anchor:${id}`, `The DOCX edition has no place for \`#${id}\`; the link is written as plain text`, undefined, "docx-anchor");
        return this.inlines(children, format, ctx);
      }
      return [new InternalHyperlink({ anchor: this.anchorBookmark(id), children: runs })];
    }
    return [new ExternalHyperlink({ link: url, children: runs })];
  }

  /** The bookmark a link to `#id` goes to. */
  anchorBookmark(id: string): string {
    return this.notes.bookmarkFor(id) ?? bookmarkName(id);
  }

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

  /** Report a lossy conversion once per kind (vfile message on the edition's file). */
  warnOnce(key: string, reason: string, node: { position?: Nodes["position"] } | undefined, ruleId: string): void {
    if (this.warned.has(key)) return;
    this.warned.add(key);
    this.file.message(reason, { ...(node?.position ? { place: node.position } : {}), ruleId, source: "letterpress" });
  }
}

function isPhrasing(node: RootContent): boolean {
  return ["text", "emphasis", "strong", "delete", "inlineCode", "break", "link", "linkReference", "image", "imageReference", "footnoteReference", "html"].includes(node.type);
}

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}
