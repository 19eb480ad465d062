/**
 * Load a document once: read → parse (Markdown, front matter) → data (signatories) → facts →
 * check. The result is the canonical document every edition is made from, plus every file's
 * diagnostics. Nothing is thrown for problems in the document; configuration mistakes throw.
 */
import path from "node:path";
import type { Root } from "mdast";
import type { VFile } from "vfile";
import { check } from "./check/index.ts";
import { loadSignatories } from "./data/signatories.ts";
import { keyOf, type Memo } from "./memo.ts";
import type { Metadata, Signatories } from "./model.ts";
import { parseMarkdown } from "./parse/markdown.ts";
import { readText } from "./parse/read.ts";
import { computeFacts, type Facts } from "./transform/facts.ts";
import { embedImages } from "./transform/images.ts";
import { resolveReferences } from "./transform/references.ts";
import { sanitize } from "./transform/sanitize.ts";

export interface LoadedDocument {
  /** Absolute path of the Markdown source. */
  path: string;
  /** Base name without extension: names the outputs. */
  slug: string;
  file: VFile;
  meta: Metadata;
  tree: Root;
  facts: Facts;
  signatories: Signatories | undefined;
}

export interface LoadResult {
  /** Undefined when the document could not be read or parsed at all. */
  doc: LoadedDocument | undefined;
  /** Every file with messages (the document, its data files). */
  files: VFile[];
}

/** True when any file has an error (a fatal message). */
export function hasErrors(files: readonly VFile[]): boolean {
  return files.some((f) => f.messages.some((m) => m.fatal === true));
}

/** With `memo` (watch), the Markdown is parsed again only when its text changed. */
export async function loadDocument(documentPath: string, memo?: Memo): Promise<LoadResult> {
  const absolute = path.resolve(documentPath);
  const file = await readText(absolute);
  const files: VFile[] = [file];
  if (hasErrors(files)) return { doc: undefined, files };

  // The tree is changed below (references, sanitising, images): a kept parse is copied.
  const { tree, frontMatter } = memo ? memo.run("parse", keyOf(absolute, String(file.value)), file, () => parseMarkdown(file), (parsed) => structuredClone(parsed)) : parseMarkdown(file);
  let signatories: Signatories | undefined;
  if (frontMatter?.signatories) {
    const loaded = await loadSignatories(absolute, frontMatter.signatories);
    files.push(loaded.file);
    signatories = loaded.signatories;
  }
  resolveReferences(tree);
  const facts = computeFacts(tree);
  const title = frontMatter?.title ?? facts.headings.find((h) => h.depth === 1)?.text ?? "";
  const meta: Metadata | undefined = frontMatter
    ? {
        title,
        shortTitle: frontMatter["short-title"] ?? title,
        lang: frontMatter.lang,
        keywords: frontMatter.keywords ?? [],
        author: frontMatter.author ?? "Letterpress",
        ...(frontMatter.subject ? { subject: frontMatter.subject } : {}),
        ...(frontMatter.addressee ? { addressee: frontMatter.addressee } : {}),
        ...(frontMatter.date ? { date: frontMatter.date } : {}),
        ...(frontMatter.signatories ? { signatories: frontMatter.signatories } : {}),
        ...(frontMatter.missions ? { missions: frontMatter.missions } : {}),
        ...(frontMatter.from ? { from: frontMatter.from } : {}),
        ...(frontMatter["reply-to"] ? { replyTo: frontMatter["reply-to"] } : {}),
        ...(frontMatter["duty-station"] ? { dutyStation: frontMatter["duty-station"] } : {}),
      }
    : undefined;
  check({ tree, file, facts, meta, signatories });
  sanitize(tree);
  await embedImages(tree, file, absolute);
  if (!meta) return { doc: undefined, files };
  return {
    doc: { path: absolute, slug: path.basename(absolute).replace(/\.(md|markdown)$/i, ""), file, meta, tree, facts, signatories },
    files,
  };
}
