/**
 * The page template: the HTML document the paginator (in-page.ts) cuts into pages. The article is
 * the flow of blocks; the notes wait in a store after it (see notes.ts). The edition's direction is
 * set on the article and on every note. The fonts are the npm faces the text needs, named by URLs
 * the print page's request handler answers (see ../shared/fonts.ts). The running head and the localised "Page X of Y" are
 * written on each page by the paginator, from the body's data attributes.
 */
import { readFile } from "node:fs/promises";
import type { Element } from "hast";
import { toHtml } from "hast-util-to-html";
import { h } from "hastscript";
import type { Publication } from "../../model.ts";
import { renderBody } from "../shared/hast.ts";
import { splitAtMark, visibleText } from "../shared/text.ts";
import { editionFonts, isArabicScript } from "../shared/fonts.ts";
import { hyphenateTree } from "./hyphenate.ts";
import { pdfNotes } from "./notes.ts";
import { alignNumericColumns } from "./tables.ts";

const stylesheet = readFile(new URL("./print.css", import.meta.url), "utf8");

const BLOCKS_COMMENT = "letterpress-blocks";
const BLOCKS_MARK = `<!--${BLOCKS_COMMENT}-->`;

/** Characters the page adds itself (counters, note markers, the hyphen at a line break) that the fonts must cover. */
const GENERATED_TEXT = "0123456789.()\u00a0 -\u2010";

export interface PrintDocument {
  html: string;
  /** The article's top-level elements as HTML, in order (with the white space between them, `html` is `shell` with these in the article). */
  blocks: string[];
  /** `html` with `BLOCKS_MARK` for the article's content: what must be the same to keep a layout. */
  shell: string;
  /** Titles of the headings in document order: what the PDF outline must say. */
  outline: Array<{ depth: number; title: string; id: string }>;
  /** URLs of images the edition has no bytes for: the page shows their alternative text. */
  images: string[];
}

export async function printDocument(pub: Publication): Promise<PrintDocument> {
  const { body, notes, missingImages } = renderBody(pub, pdfNotes());
  alignNumericColumns(body);
  hyphenateTree(body, pub.lang);
  const article = h("article", { className: ["letter"], lang: pub.lang, dir: pub.dir }, body);

  const pageOf = pub.labels.get("page-of");
  const text = [visibleText([article, ...notes]), pub.meta.title, pub.meta.shortTitle, pageOf, GENERATED_TEXT].join(" ");
  const fonts = await editionFonts(text, pub.lang);
  // Notes hang their numbers in a margin as wide as the widest number needs.
  const digits = String(Math.max(1, pub.footnotes.length)).length;
  // The paper: A4 (the stylesheet's), or US Letter when the front matter says so.
  const paper = pub.meta.paper === "letter" ? { width: "215.9mm", height: "279.4mm", size: "letter" } : undefined;
  const css = `:root{--font-stack:${fonts.stack};--folio-stack:${fonts.folioStack};--fn-digits:${Math.max(2, digits)}${paper ? `;--page-width:${paper.width};--page-height:${paper.height}` : ""}}\n${await stylesheet}${paper ? `\n@page{size:${paper.size}}` : ""}`;

  const head: Element[] = [
    h("meta", { charSet: "utf-8" }),
    // The document never runs a script of its own: only the paginator, injected through the DevTools protocol.
    h("meta", { httpEquiv: "Content-Security-Policy", content: "script-src 'none'; object-src 'none'; base-uri 'none'; form-action 'none'" }),
    h("title", pub.meta.title),
    h("meta", { name: "author", content: pub.meta.author }),
    h("style", fonts.css),
    h("style", css),
  ];
  const pieces = article.children.map((child) => toHtml(child));
  const shellArticle: Element = { ...article, children: [{ type: "comment", value: BLOCKS_COMMENT }] };
  const tree = h("html", { lang: pub.lang }, [
    h("head", head),
    h(
      "body",
      {
        className: [pub.dir === "rtl" ? "edition-rtl" : "edition-ltr", ...(isArabicScript(pub.lang) ? ["script-arab"] : [])],
        // What the paginator writes in each page's head (from page 2) and foot.
        dataRunningHead: pub.meta.shortTitle,
        dataPageOf: pageOf,
      },
      [shellArticle, ...notes],
    ),
  ]);
  const shell = `<!DOCTYPE html>\n${toHtml(tree)}\n`;
  // The article comes before the notes, and the head holds no comment: the first mark is its.
  const [before, after] = splitAtMark(shell, BLOCKS_MARK);
  const html = before + pieces.join("") + after;
  // The blocks as the page numbers them: elements (the text between them is white space).
  const blocks = pieces.filter((_, i) => article.children[i]!.type === "element");
  return { html, blocks, shell, outline: outlineOf(pub), images: missingImages };
}

/** The bookmarks: the edition's outline, but for the notes, which stand at the foot of each page. */
function outlineOf(pub: Publication): PrintDocument["outline"] {
  return pub.outline.filter((entry) => entry.kind !== "notes").map(({ depth, id, text }) => ({ depth, id, title: text }));
}
