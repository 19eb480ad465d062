/**
 * The document and the blocks the edition model places in it: the root's blocks in order, and
 * the translation notice where the model put it (under the title).
 */
import { Bookmark, type FileChild } from "docx";
import type { Root } from "mdast";
import type { MastheadNode, NoticeNode } from "../../../transform/nodes.ts";
import { bookmarkName } from "../bookmarks.ts";
import { BODY, type BlockContext, type Handlers, type State } from "../state.ts";
import { STYLE } from "../styles.ts";

export function root(state: State, node: Root): FileChild[] {
  const out: FileChild[] = [];
  if (state.linked.has("content")) state.pendingStart.push(new Bookmark({ id: bookmarkName("content"), children: [] }));
  for (const child of node.children) out.push(...state.block(child, BODY));
  return out;
}

/** "Unofficial translation …", marked English when the edition has no words of its own for it. */
function notice(state: State, node: NoticeNode, ctx: BlockContext): FileChild[] {
  return [state.paragraph([state.run(node.value, { lang: node.lang })], ctx, { style: STYLE.notice })];
}

/** The letter's date and addressee under its title. */
function masthead(state: State, node: MastheadNode, ctx: BlockContext): FileChild[] {
  const { date, addressee } = node;
  return [
    ...(date ? [state.paragraph([state.run(date.text, {})], ctx, { style: STYLE.dateline })] : []),
    ...(addressee ? [state.paragraph([state.run(addressee.label, {}), state.run(addressee.text, { lang: addressee.lang })], ctx, { style: STYLE.addressee })] : []),
  ];
}

export const editionHandlers = { notice, masthead } satisfies Handlers["block"];
