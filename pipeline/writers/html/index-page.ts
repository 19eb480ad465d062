/**
 * `dist/index.html`: every edition in the output folder and its files, in each language's own
 * name. It lists what is on disk, so a partial rebuild (`--lang fr`) keeps the others listed.
 */
import { readdir, stat } from "node:fs/promises";
import path from "node:path";
import { toHtml } from "hast-util-to-html";
import { h } from "hastscript";
import { autonym, directionOf, Labels } from "../../i18n/labels.ts";
import type { Format, Publication } from "../../model.ts";
import { FONT_STACK, htmlWithInlineFonts } from "../shared/fonts.ts";

export interface IndexEntry {
  pub: Publication;
  files: Array<{ path: string; bytes: number; format: Format }>;
}

const KIND: Record<string, string> = { html: "HTML", pdf: "PDF", docx: "Word (DOCX)", epub: "EPUB" };

export async function renderIndexPage(entries: readonly IndexEntry[], dir: string): Promise<Uint8Array> {
  const byLang = new Map(entries.map((e) => [e.pub.lang, e.pub]));
  const langs = (await readdir(dir, { withFileTypes: true }))
    .filter((d) => d.isDirectory() && /^[a-z]{2,3}(-[A-Za-z0-9]+)*$/.test(d.name))
    .map((d) => d.name)
    .sort((a, b) => (a === "en" ? -1 : b === "en" ? 1 : a.localeCompare(b)));
  const source = entries[0]?.pub;
  const labels = new Labels("en");
  const title = source ? source.meta.title : "Editions";
  const sections = await Promise.all(
    langs.map(async (lang) => {
      const files = (await readdir(path.join(dir, lang))).sort();
      const pub = byLang.get(lang);
      const items = await Promise.all(
        files.map(async (name) => {
          const size = (await stat(path.join(dir, lang, name))).size;
          const ext = path.extname(name).slice(1);
          return h("li", [
            h("a", { href: `${lang}/${name}`, hreflang: lang, type: mime(ext) }, `${KIND[ext] ?? ext.toUpperCase()}`),
            ` — ${name}, ${formatSize(size)}`,
          ]);
        }),
      );
      return h("section", { ariaLabelledBy: `edition-${lang}` }, [
        h("h2", { id: `edition-${lang}` }, [h("span", { lang, dir: directionOf(lang) }, autonym(lang)), ` (${lang})`]),
        ...(pub ? [h("p", { lang, dir: pub.dir }, pub.meta.title)] : []),
        h("ul", items),
      ]);
    }),
  );
  const text = JSON.stringify(langs.map(autonym)) + title + entries.map((e) => e.pub.meta.title).join("");
  const css = `
html{font-family:${FONT_STACK};line-height:1.6;color:#1a1a1a;background:#fff}
body{margin:0}main{max-width:42rem;margin-inline:auto;padding:1rem 1.25rem 2rem}
h1{font-size:1.6rem;line-height:1.25}h2{font-size:1.2rem;margin-block:1.5rem .25rem}
a{color:#0b4f8a}ul{padding-inline-start:1.25rem}`;
  const tree = (fontRules: string) => h("html", { lang: "en", dir: "ltr" }, [
    h("head", [
      h("meta", { charSet: "utf-8" }),
      h("meta", { name: "viewport", content: "width=device-width, initial-scale=1" }),
      h("title", `${labels.get("editions")}: ${title}`),
      h("style", fontRules + css),
    ]),
    h("body", [
      h("main", [h("h1", title), h("p", `${labels.get("editions")}: ${langs.length}`), ...sections]),
    ]),
  ]);
  return htmlWithInlineFonts(text, (fontRules) => `<!DOCTYPE html>\n${toHtml(tree(fontRules))}\n`);
}

function mime(ext: string): string {
  return (
    {
      html: "text/html",
      pdf: "application/pdf",
      docx: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
      epub: "application/epub+zip",
    }[ext] ?? "application/octet-stream"
  );
}

export function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / 1024 / 1024).toFixed(2)} MiB`;
}
