/**
 * The document: the root's blocks, the "unofficial translation" notice under the title of a
 * translated edition, and the signatory list at the end when the document has no marker for it.
 */
import { Bookmark, type FileChild, type Paragraph } from "docx";
import type { Root } from "mdast";
import { bookmarkName } from "../bookmarks.ts";
import { BODY, type State } from "../state.ts";
import { STYLE } from "../styles.ts";

export function root(state: State, node: Root): FileChild[] {
  const out: FileChild[] = [];
  if (state.linked.has("content")) state.pendingStart.push(new Bookmark({ id: bookmarkName("content"), children: [] }));
  let noticeDone = !state.pub.translated;
  let signatoriesDone = !state.pub.signatories;
  for (const child of node.children) {
    if (child.type === "signatories") signatoriesDone = true;
    out.push(...state.block(child, BODY));
    if (!noticeDone && child.type === "heading" && child.depth === 1) {
      out.push(notice(state));
      noticeDone = true;
    }
  }
  if (!noticeDone) out.unshift(notice(state));
  // A document with a signatories file but no marker gets the list at the end (as in HTML).
  if (!signatoriesDone) out.push(...state.block({ type: "signatories" }, BODY));
  return out;
}

/** "Unofficial translation …", marked English when the edition has no words of its own for it. */
function notice(state: State): Paragraph {
  const labels = state.pub.labels;
  const foreign = labels.isFallback("unofficial-translation") ? "en" : undefined;
  return state.paragraph([state.run(labels.get("unofficial-translation"), { lang: foreign })], BODY, { style: STYLE.notice });
}
