/**
 * The signatory list as Word lists: heading, count, organisations as a bulleted list, then the
 * individuals with the identification note, each name with its affiliation (or country) on a
 * line of its own beneath it. Words come from the edition's labels; English stand-ins are marked
 * as English.
 */
import { Bookmark, TextRun, type FileChild, type ParagraphChild } from "docx";
import type { LabelKey } from "../../i18n/labels.ts";
import { bookmarkName } from "./bookmarks.ts";
import { BODY, type Converter } from "./convert.ts";
import { BULLET_LIST, STYLE } from "./styles.ts";

export function signatoriesBlocks(conv: Converter): FileChild[] {
  const list = conv.pub.signatories;
  if (!list) return [];
  const labels = conv.pub.labels;
  const label = (key: LabelKey, text = labels.get(key)) => conv.run(text, { lang: labels.isFallback(key) ? "en" : undefined });
  const marked = (ids: string[], children: ParagraphChild[]): ParagraphChild[] =>
    ids.reduceRight<ParagraphChild[]>((inner, id) => [new Bookmark({ id: bookmarkName(id), children: inner })], children);
  const heading = (level: number, ids: string[], key: LabelKey) =>
    conv.paragraph(marked(ids, [label(key)]), BODY, { style: STYLE.heading(level) });
  let instance = 0;
  const item = (children: ParagraphChild[]) => conv.paragraph(children, BODY, { numbering: { reference: BULLET_LIST, level: 0, instance } });

  const out: FileChild[] = [
    heading(1, ["signatories", "signatories-label"], "signatories"),
    conv.paragraph([conv.run(labels.count(list.organisations.length, list.individuals.length), {})], BODY),
  ];
  if (list.organisations.length > 0) {
    instance = conv.newList();
    out.push(heading(2, ["organisations-label"], "organisations"));
    out.push(...list.organisations.map((o) => item([conv.run(o.name, {})])));
  }
  if (list.individuals.length > 0) {
    instance = conv.newList();
    out.push(heading(2, ["individuals-label"], "individuals"));
    out.push(conv.paragraph([label("affiliations-note", `(${labels.get("affiliations-note")})`)], BODY, { style: STYLE.notice }));
    out.push(
      ...list.individuals.map((person) => {
        const line = person.affiliation ?? person.country;
        return item([
          conv.run(person.name, { bold: true }),
          ...(line ? [new TextRun({ ...conv.runOptions(line, {}), break: 1 })] : []),
        ]);
      }),
    );
  }
  return out;
}
