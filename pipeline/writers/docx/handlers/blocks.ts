/**
 * Block handlers: paragraphs, headings, quotes, lists, code and rules. Nodes that leave nothing
 * in the document (definitions, raw HTML, front matter) are written as nothing.
 */
import { Bookmark, Paragraph, TextRun, type FileChild } from "docx";
import type { Blockquote, Code, Heading, List, ListItem, Paragraph as MdParagraph, PhrasingContent, ThematicBreak } from "mdast";
import { bookmarkName } from "../bookmarks.ts";
import type { BlockContext, Handlers, State } from "../state.ts";
import { BULLET_LIST, orderedList, RULE, STYLE } from "../styles.ts";

function paragraph(state: State, node: MdParagraph, ctx: BlockContext): FileChild[] {
  return [state.paragraph(state.inlines(node.children, {}, ctx), ctx)];
}

function heading(state: State, node: Heading, ctx: BlockContext): FileChild[] {
  const id = node.data?.id;
  // In a note or a list item a heading cannot be a Word heading: it is a bold paragraph there.
  const inline = ctx.inNote || ctx.item !== undefined;
  const runs = state.inlines(node.children, inline ? { bold: true } : {}, ctx);
  const children = id ? [new Bookmark({ id: bookmarkName(id), children: runs })] : runs;
  if (inline) return [state.paragraph(children, ctx)];
  return [state.paragraph(children, ctx, { style: node.depth === 1 ? STYLE.title : STYLE.heading(node.depth - 1) })];
}

function blockquote(state: State, node: Blockquote, ctx: BlockContext): FileChild[] {
  return state.blocks(node.children, { ...ctx, quoteDepth: ctx.quoteDepth + 1 });
}

/** A list: one numbering instance, its items one level below the enclosing item's. */
function list(state: State, node: List, ctx: BlockContext): FileChild[] {
  const level = ctx.item ? Math.min(ctx.item.level + 1, 8) : 0;
  let reference: string = BULLET_LIST;
  if (node.ordered) {
    const start = node.start ?? 1;
    state.orderedStarts.add(start);
    reference = orderedList(start);
  }
  const instance = state.newList();
  return node.children.flatMap((item) => state.block(item, { ...ctx, item: { reference, level, instance, numbered: false } }));
}

/** A list item; a task item's box (GFM `[ ]`, `[x]`) opens its first paragraph. */
function listItem(state: State, node: ListItem, ctx: BlockContext): FileChild[] {
  const children = [...node.children];
  if (typeof node.checked === "boolean") {
    const box: PhrasingContent = { type: "text", value: node.checked ? "☒ " : "☐ " };
    const first = children[0];
    if (first?.type === "paragraph") children[0] = { ...first, children: [box, ...first.children] } satisfies MdParagraph;
    else children.unshift({ type: "paragraph", children: [box] });
  }
  if (children.length === 0) return [state.paragraph([], ctx)];
  return state.blocks(children, ctx);
}

/** A code block: one paragraph, a line break per line, left to right in every edition. */
function code(state: State, node: Code, ctx: BlockContext): FileChild[] {
  const lines = node.value.replace(/\t/g, "    ").split(/\r?\n/);
  const runs = lines.map((text, i) => {
    // The paragraph style sets the code font: no character style on top.
    const { style: _characterStyle, ...options } = state.runOptions(text, { code: true });
    return new TextRun({ ...options, ...(i > 0 ? { break: 1 } : {}) });
  });
  return [
    new Paragraph({
      children: runs,
      style: ctx.inNote ? STYLE.footnoteText : STYLE.code,
      ...(state.locale.rtl ? { bidirectional: false } : {}),
      ...state.indentation(ctx),
    }),
  ];
}

/** `---`: an empty paragraph with a bottom border. */
function thematicBreak(state: State, _node: ThematicBreak, ctx: BlockContext): FileChild[] {
  return [state.paragraph([], ctx, { border: RULE })];
}

function nothing(): FileChild[] {
  return [];
}

export const blockHandlers = {
  paragraph,
  heading,
  blockquote,
  list,
  listItem,
  code,
  thematicBreak,
  // Footnote definitions are written where they are referenced (see notes.ts); link definitions
  // where their references are.
  footnoteDefinition: nothing,
  definition: nothing,
  html: nothing,
  yaml: nothing,
} satisfies Handlers["block"];
