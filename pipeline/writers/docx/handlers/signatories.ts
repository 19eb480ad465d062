/**
 * The signatory list as Word lists: heading, count, organisations as a bulleted list, then the
 * individuals with the identification note, each name with its affiliation (or country) on a
 * line of its own beneath it. Words come from the edition's labels; English stand-ins are marked
 * as English. A list inside a note is left out.
 */
import { Bookmark, TextRun, type FileChild, type ParagraphChild } from "docx";
import type { LabelKey } from "../../../i18n/labels.ts";
import type { SignatoriesNode } from "../../../transform/nodes.ts";
import { bookmarkName } from "../bookmarks.ts";
import { BODY, type BlockContext, type Handlers, type State } from "../state.ts";
import { BULLET_LIST, STYLE } from "../styles.ts";

function signatories(state: State, _node: SignatoriesNode, ctx: BlockContext): FileChild[] {
  const list = state.pub.signatories;
  if (ctx.inNote || !list) return [];
  const labels = state.pub.labels;
  const label = (key: LabelKey, text = labels.get(key)) => state.run(text, { lang: labels.isFallback(key) ? "en" : undefined });
  const marked = (ids: string[], children: ParagraphChild[]): ParagraphChild[] =>
    ids.reduceRight<ParagraphChild[]>((inner, id) => [new Bookmark({ id: bookmarkName(id), children: inner })], children);
  const heading = (level: number, ids: string[], key: LabelKey) =>
    state.paragraph(marked(ids, [label(key)]), BODY, { style: STYLE.heading(level) });
  let instance = 0;
  const item = (children: ParagraphChild[]) => state.paragraph(children, BODY, { numbering: { reference: BULLET_LIST, level: 0, instance } });

  const out: FileChild[] = [
    heading(1, ["signatories", "signatories-label"], "signatories"),
    state.paragraph([state.run(labels.count(list.organisations.length, list.individuals.length), {})], BODY),
  ];
  if (list.organisations.length > 0) {
    instance = state.newList();
    out.push(heading(2, ["organisations-label"], "organisations"));
    out.push(...list.organisations.map((o) => item([state.run(o.name, {})])));
  }
  if (list.individuals.length > 0) {
    instance = state.newList();
    out.push(heading(2, ["individuals-label"], "individuals"));
    out.push(state.paragraph([label("affiliations-note", `(${labels.get("affiliations-note")})`)], BODY, { style: STYLE.notice }));
    out.push(
      ...list.individuals.map((person) => {
        const line = person.affiliation ?? person.country;
        return item([
          state.run(person.name, { bold: true }),
          ...(line ? [new TextRun({ ...state.runOptions(line, {}), break: 1 })] : []),
        ]);
      }),
    );
  }
  return out;
}

export const signatoryHandlers = { signatories } satisfies Handlers["block"];
