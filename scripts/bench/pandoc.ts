/**
 * The pandoc baseline: the same editions converted by pandoc, in the same benchmark run.
 *
 * Inputs. Pandoc gets, for each language, the edition's own text: the bundled letter is loaded with
 * the pipeline's public loaders (read-only: `loadDocument`, `loadEditions`), each edition's
 * translated mdast tree is serialised back to GFM Markdown (footnotes as `[^label]`), the
 * signatory list is written as two Markdown lists where the marker is, and `title`/`lang`/`dir`
 * go in YAML front matter. This preparation is not timed. Pandoc then converts each file with
 * `pandoc -s -f gfm+footnotes+yaml_metadata_block`, one process per output, as a script would.
 */
import { spawnSync } from "node:child_process";
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import type { Root } from "mdast";
import { gfmToMarkdown } from "mdast-util-gfm";
import { toMarkdown, type Handle } from "mdast-util-to-markdown";
import { stringify } from "yaml";
import { loadDocument } from "../../pipeline/load.ts";
import { loadEditions, translationLanguages } from "../../pipeline/i18n/translations.ts";
import type { Signatories } from "../../pipeline/model.ts";

export const PANDOC_FROM = "gfm+footnotes+yaml_metadata_block";
export const PANDOC_FORMATS = ["html", "docx", "epub"] as const;
export type PandocFormat = (typeof PANDOC_FORMATS)[number];

/** Engines pandoc 2.x can use for PDF, in order of preference (scripts/bench/setup.sh installs WeasyPrint). */
const PDF_ENGINES = ["weasyprint", "wkhtmltopdf", "prince", "pagedjs-cli", "pdflatex", "xelatex", "lualatex", "tectonic", "context", "pdfroff"];

export function pandocVersion(): string | undefined {
  const r = spawnSync("pandoc", ["--version"], { encoding: "utf8" });
  return r.status === 0 ? r.stdout.split("\n")[0]!.trim() : undefined;
}

export function pdfEngine(): string | undefined {
  for (const engine of PDF_ENGINES) {
    const r = spawnSync("sh", ["-c", `command -v ${engine}`], { encoding: "utf8" });
    if (r.status === 0 && r.stdout.trim()) return engine;
  }
  return undefined;
}

export interface PandocInput {
  lang: string;
  file: string;
}

function signatoriesMarkdown(s: Signatories | undefined): string {
  if (!s) return "";
  const esc = (t: string) => t.replace(/([\\`*_[\]<>#|])/g, "\\$1");
  const orgs = s.organisations.map((o) => `- ${esc(o.name)}${o.country ? ` (${esc(o.country)})` : ""}`);
  const inds = s.individuals.map((i) => `- ${esc(i.name)}${i.affiliation ? `, ${esc(i.affiliation)}` : i.country ? ` (${esc(i.country)})` : ""}`);
  return [orgs.join("\n"), inds.join("\n")].filter(Boolean).join("\n\n<!-- -->\n\n");
}

/** Write one Markdown file per edition of `documentPath` into `dir`; returns them in build order. */
export async function preparePandocInputs(documentPath: string, root: string, dir: string): Promise<PandocInput[]> {
  const { doc } = await loadDocument(documentPath);
  if (!doc) throw new Error(`cannot load ${documentPath}`);
  const langs = await translationLanguages(root, doc.slug);
  const editions = await loadEditions(doc, root, langs.filter((l) => l !== doc.meta.lang));
  const list = signatoriesMarkdown(doc.signatories);
  const handlers = {
    signatories: (() => list) as Handle,
    yaml: (() => "") as Handle,
  };
  await mkdir(dir, { recursive: true });
  const trees: Array<{ lang: string; tree: Root; title: string }> = [
    { lang: doc.meta.lang, tree: doc.tree, title: doc.meta.title },
    ...editions.flatMap((e) => (e.overlay ? [{ lang: e.lang, tree: e.overlay.tree, title: e.overlay.meta.title ?? doc.meta.title }] : [])),
  ];
  const inputs: PandocInput[] = [];
  for (const { lang, tree, title } of trees) {
    const body = toMarkdown(tree, { extensions: [gfmToMarkdown()], handlers: handlers as never });
    const front = stringify({ title, lang, ...(["ar", "fa", "he", "ur"].includes(lang.split("-")[0]!) ? { dir: "rtl" } : {}) });
    const file = path.join(dir, `${doc.slug}.${lang}.md`);
    await writeFile(file, `---\n${front}---\n\n${body}`);
    inputs.push({ lang, file });
  }
  return inputs;
}

/** The pandoc command line for one conversion. */
export function pandocArgs(input: string, output: string, extra: readonly string[] = []): string[] {
  return ["-s", "--quiet", "-f", PANDOC_FROM, ...extra, input, "-o", output];
}
