/**
 * The page template: the HTML document Chromium paginates. `<html>`/`<body>` stay LTR (Paged.js
 * renders a single page under `<html dir="rtl">`, pagedjs#308); the edition's direction is set on
 * an inner wrapper and on every note. Fonts are inlined as data: URLs (only the npm TrueType
 * faces the text needs, see fonts.ts), in a style element Paged.js
 * leaves alone. The `@page` rules are generated per edition: localised "Page X of Y" and the
 * running head.
 */
import { readFile } from "node:fs/promises";
import type { Element, ElementContent, Nodes } from "hast";
import { toHtml } from "hast-util-to-html";
import { toString } from "hast-util-to-string";
import { h } from "hastscript";
import type { Publication } from "../../model.ts";
import { renderBody } from "../shared/hast.ts";
import { visibleText } from "../shared/text.ts";
import { editionFonts, isArabicScript } from "./fonts.ts";
import { pdfNotes } from "./notes.ts";

const stylesheet = readFile(new URL("./print.css", import.meta.url), "utf8");

/** Characters the page adds itself (counters, note markers) that the fonts must cover. */
const GENERATED_TEXT = "0123456789.()\u00a0 ";

export interface PrintDocument {
  html: string;
  /** Titles of the headings in document order: what the PDF outline must say. */
  outline: Array<{ depth: number; title: string; id: string }>;
  /** Sources of images the page cannot show (the writer reads no files besides fonts). */
  images: string[];
}

export async function printDocument(pub: Publication): Promise<PrintDocument> {
  const { body } = renderBody(pub, pdfNotes());
  const front: ElementContent[] = pub.translated
    ? [h("p", { className: ["notice"], ...(pub.labels.isFallback("unofficial-translation") ? { lang: "en", dir: "ltr" } : {}) }, pub.labels.get("unofficial-translation"))]
    : [];
  const article = h("article", { className: ["letter"], lang: pub.lang, dir: pub.dir }, insertAfterTitle(body, front));

  const pageOf = pub.labels.get("page-of");
  const text = [visibleText([article]), pub.meta.title, pub.meta.shortTitle, pageOf, GENERATED_TEXT].join(" ");
  const fonts = await editionFonts(text, pub.lang);
  const css = `:root{--font-stack:${fonts.stack}}\n${await stylesheet}\n${pageRules(pub, fonts.folioStack)}`;

  const head: Element[] = [
    h("meta", { charSet: "utf-8" }),
    // The document never runs a script of its own: only Paged.js, injected through the DevTools protocol.
    h("meta", { httpEquiv: "Content-Security-Policy", content: "script-src 'none'; object-src 'none'; base-uri 'none'; form-action 'none'" }),
    h("title", pub.meta.title),
    h("meta", { name: "author", content: pub.meta.author }),
    h("style", { dataPagedjsIgnore: "" }, fonts.css),
    h("style", css),
  ];
  const tree = h("html", { lang: pub.lang }, [
    h("head", head),
    h("body", { className: [pub.dir === "rtl" ? "edition-rtl" : "edition-ltr", ...(isArabicScript(pub.lang) ? ["script-arab"] : [])] }, [article]),
  ]);
  return { html: `<!DOCTYPE html>\n${toHtml(tree)}\n`, outline: outlineOf(pub, article), images: imagesOf(article) };
}

/** The translation notice goes right after the title. */
function insertAfterTitle(body: ElementContent[], extra: ElementContent[]): ElementContent[] {
  if (extra.length === 0) return body;
  const at = body.findIndex((n) => n.type === "element" && n.tagName === "h1");
  return at < 0 ? [...extra, ...body] : [...body.slice(0, at + 1), ...extra, ...body.slice(at + 1)];
}

/** `@page` rules of the edition: A4, running head from page 2, "Page X of Y" in its language. */
export function pageRules(pub: Publication, folioStack: string): string {
  const pageOf = counterContent(pub.labels.get("page-of"));
  const head = cssString(pub.meta.shortTitle);
  const direction = `direction:${pub.dir};`;
  return [
    `@page{@top-center{content:${head};${direction}}@bottom-center{content:${pageOf};${direction}font-family:${folioStack}}}`,
    `@page:first{@top-center{content:none}}`,
  ].join("\n");
}

/** "Page {page} of {pages}" → `"Page " counter(page) " of " counter(pages)`. */
export function counterContent(label: string): string {
  const parts = label.split(/(\{pages?\})/).filter((p) => p !== "");
  return parts.map((p) => (p === "{page}" ? "counter(page)" : p === "{pages}" ? "counter(pages)" : cssString(p))).join(" ");
}

export function cssString(value: string): string {
  return `"${value.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/[\n\r\f]/g, "\\a ")}"`;
}

/** Headings in document order, with the model's exact text where the model has it. */
function outlineOf(pub: Publication, root: Element): PrintDocument["outline"] {
  const byId = new Map(pub.headings.map((heading) => [heading.id, heading]));
  const out: PrintDocument["outline"] = [];
  const walk = (node: Nodes) => {
    if (node.type === "element") {
      if (/^h[1-6]$/.test(node.tagName)) {
        const id = String(node.properties.id ?? "");
        const known = byId.get(id);
        out.push({ depth: Number(node.tagName[1]), id, title: known?.text ?? toString(node).replace(/\s+/g, " ").trim() });
        return;
      }
      // Notes are not part of the outline.
      const classes = node.properties.className;
      if (Array.isArray(classes) && classes.includes("fn")) return;
    }
    if ("children" in node) for (const child of node.children) walk(child as Nodes);
  };
  walk(root);
  return out;
}

function imagesOf(root: Element): string[] {
  const sources: string[] = [];
  const walk = (node: Nodes) => {
    if (node.type === "element" && node.tagName === "img") {
      const src = String(node.properties.src ?? "");
      if (!src.startsWith("data:")) sources.push(src);
    }
    if ("children" in node) for (const child of node.children) walk(child as Nodes);
  };
  walk(root);
  return sources;
}
