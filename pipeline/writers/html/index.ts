/**
 * Accessible HTML writer: one self-contained page per edition (CSS and the fonts it needs
 * inlined, no network), with `lang`/`dir`, landmarks, a skip link, one `h1`, numbered notes with
 * labelled back-links, the signatory list, a language switcher and a print stylesheet.
 */
import { readFile } from "node:fs/promises";
import type { Element, ElementContent } from "hast";
import { toHtml } from "hast-util-to-html";
import { h } from "hastscript";
import type { VFile } from "vfile";
import type { Publication, Writer } from "../../model.ts";
import { FONT_STACK, htmlWithInlineFonts, textByStyle } from "../shared/fonts.ts";
import { appendToLastParagraph, backLinks, renderBody, type NoteStrategy } from "../shared/hast.ts";
import { formatDate } from "../../i18n/labels.ts";

const stylesheet = readFile(new URL("./style.css", import.meta.url), "utf8");

/** Notes as an endnote section with numbered back-links (DPUB-ARIA roles). */
export const htmlNotes: NoteStrategy = {
  reference(note, ref, pub) {
    return h("sup", [
      h(
        "a",
        {
          href: `#${note.id}`,
          id: ref.refId,
          className: ["fnref"],
          role: "doc-noteref",
          ariaLabel: pub.labels.get("note-reference", { n: note.number }),
        },
        String(note.number),
      ),
    ]);
  },
  notes(pub, rendered) {
    if (rendered.length === 0) return [];
    return [
      h("section", { id: "notes", className: ["footnotes"], role: "doc-endnotes", ariaLabelledBy: "notes-label" }, [
        h("h2", { id: "notes-label", ...(pub.labels.isFallback("notes") ? { lang: "en" } : {}) }, pub.labels.get("notes")),
        h(
          "ol",
          rendered.map(({ note, content }) =>
            h("li", { id: note.id, value: note.number }, appendToLastParagraph(content, backLinks(pub, note))),
          ),
        ),
      ]),
    ];
  },
};

/** Relative link from one edition's page to another's. */
export function editionHref(pub: Publication, lang: string, extension = "html"): string {
  return `../${lang}/${pub.slug}.${extension}`;
}

export async function renderHtmlPage(pub: Publication, options: { extraCss?: string; file?: VFile } = {}): Promise<Uint8Array> {
  const { body, notes, missingImages } = renderBody(pub, htmlNotes);
  for (const src of missingImages) {
    options.file?.message(`Image \`${src}\` is not in the ${pub.lang} edition; its alternative text is shown`, { ruleId: "image-missing", source: "letterpress:html" });
  }
  const labels = pub.labels;
  const others = pub.editions.filter((e) => e.lang !== pub.lang);
  const header: ElementContent[] = [];
  if (pub.editions.length > 1) {
    header.push(
      h("nav", { ariaLabel: labels.get("other-languages") }, [
        h(
          "ul",
          pub.editions.map((e) =>
            h("li", [
              h(
                "a",
                {
                  href: editionHref(pub, e.lang),
                  hreflang: e.lang,
                  lang: e.lang,
                  dir: e.dir,
                  ...(e.lang === pub.lang ? { ariaCurrent: "page" } : {}),
                },
                e.name,
              ),
            ]),
          ),
        ),
      ]),
    );
  }

  const main = h("main", { id: "content", tabIndex: -1 }, [h("article", [...body, ...notes])]);
  const footer = h("footer", [
    h("p", [
      pub.meta.shortTitle,
      pub.meta.date ? ` · ${formatDate(pub.meta.date, pub.lang)}` : "",
      " · ",
      h("a", { href: "../index.html" }, labels.get("all-editions")),
    ]),
  ]);
  const bodyChildren: ElementContent[] = [
    h("a", { className: ["skip-link"], href: "#content" }, labels.get("skip-to-content")),
    ...(header.length ? [h("header", header)] : []),
    main,
    footer,
  ];

  const text = textByStyle(bodyChildren);
  const css = `\n:root{--font-stack:${FONT_STACK}}\n${await stylesheet}${options.extraCss ?? ""}`;
  const head = (fontRules: string): Element[] => [
    h("meta", { charSet: "utf-8" }),
    h("meta", { name: "viewport", content: "width=device-width, initial-scale=1" }),
    h("title", pub.meta.title),
    h("meta", { name: "author", content: pub.meta.author }),
    ...(pub.meta.subject ? [h("meta", { name: "description", content: pub.meta.subject })] : []),
    ...(pub.meta.keywords.length ? [h("meta", { name: "keywords", content: pub.meta.keywords.join(", ") })] : []),
    h("meta", { name: "generator", content: "Letterpress" }),
    ...others.map((e) => h("link", { rel: "alternate", hreflang: e.lang, href: editionHref(pub, e.lang) })),
    h("style", fontRules + css),
  ];
  return htmlWithInlineFonts(text, (fontRules) => `<!DOCTYPE html>\n${toHtml(h("html", { lang: pub.lang, dir: pub.dir }, [h("head", head(fontRules)), h("body", bodyChildren)]))}\n`);
}

export const htmlWriter: Writer = {
  extension: "html",
  name: "HTML",
  async write(pub, ctx) {
    return { path: `${pub.slug}.html`, data: await renderHtmlPage(pub, { file: ctx.file }) };
  },
};
