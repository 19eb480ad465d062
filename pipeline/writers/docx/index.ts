/**
 * DOCX writer: a Word document per edition that users open in Word or LibreOffice, restyle and
 * re-issue. Word-native footnotes numbered as everywhere else, built-in styles, bookmarks for
 * every linked anchor, A4 with "Page X of Y", the edition's language and direction on styles,
 * paragraphs and runs, and byte-identical rebuilds.
 *
 * The tree is converted by handlers, one per node type (`handlers/`), sharing a `State`
 * (`state.ts`); the document is then assembled here and packed (`package.ts`).
 */
import { Document } from "docx";
import type { Publication, Writer, WriterContext } from "../../model.ts";
import { pageFooter } from "./fields.ts";
import { handlers } from "./handlers/index.ts";
import { Locale } from "./locale.ts";
import { packDocument } from "./package.ts";
import { BODY, State } from "./state.ts";
import { documentStyles, LOOK, numbering, pageSize } from "./styles.ts";

export async function renderDocx(pub: Publication, ctx: Pick<WriterContext, "file">): Promise<Uint8Array> {
  return packDocument(
    () => {
      const state = new State(pub, ctx.file, handlers);
      // Converted before the document is assembled: the numbering and footnotes are what the body used.
      const children = state.block(pub.tree, BODY);
      return new Document({
        title: pub.meta.title,
        subject: pub.meta.shortTitle,
        creator: pub.meta.author,
        ...(pub.meta.subject ? { description: pub.meta.subject } : {}),
        ...(pub.meta.keywords.length > 0 ? { keywords: pub.meta.keywords.join(", ") } : {}),
        lastModifiedBy: pub.meta.author,
        revision: 1,
        // Word hyphenates each paragraph in its own language (`w:lang`).
        hyphenation: { autoHyphenation: true },
        styles: documentStyles(state.locale),
        numbering: numbering(state.orderedStarts),
        footnotes: state.notes.footnotes,
        sections: [
          {
            properties: {
              page: {
                size: pageSize(pub.meta.paper),
                margin: LOOK.page.margin,
              },
            },
            footers: { default: pageFooter(pub, state.locale) },
            children,
          },
        ],
      });
    },
    { epoch: pub.epoch, language: new Locale(pub).tag },
  );
}

export const docxWriter: Writer = {
  extension: "docx",
  name: "DOCX",
  async write(pub, ctx) {
    return { path: `${pub.slug}.docx`, data: await renderDocx(pub, ctx) };
  },
};
