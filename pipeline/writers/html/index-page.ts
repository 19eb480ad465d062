/**
 * `dist/index.html`: every letter in the output folder, each with its editions and their files,
 * each language in its own name. It lists what is on disk (with each letter's record for titles),
 * so building one letter, or one language of it, keeps the others listed.
 */
import { readdir, stat } from "node:fs/promises";
import path from "node:path";
import { toHtml } from "hast-util-to-html";
import type { ElementContent } from "hast";
import { h } from "hastscript";
import { autonym, directionOf, Labels } from "../../i18n/labels.ts";
import { isEditionOf, LANGUAGE_DIR } from "../../build/output.ts";
import { readManifests, type Manifest } from "../../build/manifest.ts";
import { FONT_STACK, htmlWithInlineFonts, textByStyle } from "../shared/fonts.ts";

const KIND: Record<string, string> = { html: "HTML", pdf: "PDF", docx: "Word (DOCX)", epub: "EPUB" };

interface Letter {
  manifest: Manifest;
  /** Language → the letter's files in that language's folder. */
  editions: Array<{ lang: string; files: Array<{ name: string; bytes: number }> }>;
}

/** The index of the folder `dir` (the staged output folder, with every letter's record in it). */
export async function renderIndexPage(dir: string): Promise<Uint8Array> {
  const manifests = await readManifests(dir);
  const langDirs = (await readdir(dir, { withFileTypes: true })).filter((d) => d.isDirectory() && LANGUAGE_DIR.test(d.name)).map((d) => d.name);
  const listing = new Map(await Promise.all(langDirs.map(async (lang) => [lang, (await readdir(path.join(dir, lang))).sort()] as const)));
  const letters: Letter[] = [];
  for (const manifest of manifests) {
    const source = manifest.lang ?? "en";
    const langs = langDirs
      .filter((lang) => listing.get(lang)!.some((name) => isEditionOf(`${lang}/${name}`, manifest.document)))
      .sort((a, b) => (a === source ? -1 : b === source ? 1 : a.localeCompare(b)));
    const editions = await Promise.all(
      langs.map(async (lang) => ({
        lang,
        files: await Promise.all(
          listing
            .get(lang)!
            .filter((name) => isEditionOf(`${lang}/${name}`, manifest.document))
            .map(async (name) => ({ name, bytes: (await stat(path.join(dir, lang, name))).size })),
        ),
      })),
    );
    if (editions.length) letters.push({ manifest, editions });
  }
  const labels = new Labels("en");
  const single = letters.length === 1 ? letters[0] : undefined;
  const title = single ? single.manifest.title : labels.get("editions");
  const editionSection = (letter: Letter, lang: string, files: Letter["editions"][number]["files"], level: "h2" | "h3"): ElementContent => {
    const id = single ? `edition-${lang}` : `edition-${letter.manifest.document}-${lang}`;
    const translatedTitle = letter.manifest.titles?.[lang];
    const partial = letter.manifest.partial?.includes(lang);
    return h("section", { ariaLabelledBy: id }, [
      h(level, { id }, [h("span", { lang, dir: directionOf(lang) }, autonym(lang)), ` (${lang})${partial ? ", partial translation" : ""}`]),
      ...(translatedTitle ? [h("p", { lang, dir: directionOf(lang) }, translatedTitle)] : []),
      h(
        "ul",
        files.map((file) => {
          const ext = path.extname(file.name).slice(1);
          return h("li", [
            h("a", { href: `${lang}/${file.name}`, hreflang: lang, type: mime(ext) }, `${KIND[ext] ?? ext.toUpperCase()}`),
            ` — ${file.name}, ${formatSize(file.bytes)}`,
          ]);
        }),
      ),
    ]) as ElementContent;
  };
  const body: ElementContent[] = single
    ? [
        h("h1", title) as ElementContent,
        h("p", `${labels.get("editions")}: ${single.editions.length}`) as ElementContent,
        ...single.editions.map((e) => editionSection(single, e.lang, e.files, "h2")),
      ]
    : [
        h("h1", title) as ElementContent,
        ...letters.map((letter) => {
          const id = `letter-${letter.manifest.document}`;
          const source = letter.manifest.lang ?? "en";
          return h("section", { ariaLabelledBy: id }, [
            h("h2", { id, lang: source, dir: directionOf(source) }, letter.manifest.title),
            h("p", `${labels.get("editions")}: ${letter.editions.length}`),
            ...letter.editions.map((e) => editionSection(letter, e.lang, e.files, "h3")),
          ]) as ElementContent;
        }),
      ];
  const css = `
html{font-family:${FONT_STACK};line-height:1.6;color:#1a1a1a;background:#fff}
body{margin:0}main{max-width:42rem;margin-inline:auto;padding:1rem 1.25rem 2rem}
h1{font-size:1.6rem;line-height:1.25}h2{font-size:1.2rem;margin-block:1.5rem .25rem}h3{font-size:1.05rem;margin-block:1rem .25rem}
a{color:#0b4f8a}ul{padding-inline-start:1.25rem}`;
  const tree = (fontRules: string) =>
    h("html", { lang: "en", dir: "ltr" }, [
      h("head", [
        h("meta", { charSet: "utf-8" }),
        h("meta", { name: "viewport", content: "width=device-width, initial-scale=1" }),
        h("title", single ? `${labels.get("editions")}: ${title}` : title),
        h("style", fontRules + css),
      ]),
      h("body", [h("main", body)]),
    ]);
  return htmlWithInlineFonts(textByStyle(body), (fontRules) => `<!DOCTYPE html>\n${toHtml(tree(fontRules))}\n`);
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
