/**
 * Load a document once: read → parse (Markdown, front matter) → data (signatories) → facts →
 * check. The result is the canonical document every edition is made from, plus every file's
 * diagnostics. Nothing is thrown for problems in the document; configuration mistakes throw.
 */
import path from "node:path";
import type { Root } from "mdast";
import { unified } from "unified";
import type { VFile } from "vfile";
import { check } from "./check/index.ts";
import { loadSignatories } from "./data/signatories.ts";
import { keyOf, type Memo } from "./memo.ts";
import type { ImageResource, Metadata, Signatories } from "./model.ts";
import { markdownSyntax, readFrontMatter, type FrontMatter } from "./parse/markdown.ts";
import { readText } from "./parse/read.ts";
import { computeFacts, type Facts } from "./transform/facts.ts";
import { loadImages } from "./transform/images.ts";
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
  /** Local images by the URL the tree's image nodes carry. */
  images: Map<string, ImageResource>;
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

/**
 * The canonical document's processor: remark-parse with front matter and GFM, then Letterpress's
 * plugins in stage order. Each plugin reads what the earlier ones left in `file.data` and adds its
 * own; the check reports and changes nothing, the sanitiser and the images come after it.
 */
const canonical = unified()
  .use(markdownSyntax)
  .use(function frontMatter() {
    return (tree: Root, file: VFile) => {
      file.data.frontMatter = readFrontMatter(tree, file);
    };
  })
  .use(function data() {
    return async (_tree: Root, file: VFile) => {
      const named = file.data.frontMatter?.signatories;
      if (!named) return;
      const loaded = await loadSignatories(file.path, named);
      file.data.dataFiles = [loaded.file];
      file.data.signatories = loaded.signatories;
    };
  })
  .use(function references() {
    return (tree: Root) => resolveReferences(tree);
  })
  .use(function facts() {
    return (tree: Root, file: VFile) => {
      file.data.facts = computeFacts(tree);
      file.data.meta = metadataOf(file.data.frontMatter, file.data.facts);
    };
  })
  .use(function checks() {
    return (tree: Root, file: VFile) => {
      check({ tree, file, facts: file.data.facts!, meta: file.data.meta, signatories: file.data.signatories });
    };
  })
  .use(function sanitise() {
    return (tree: Root) => sanitize(tree);
  })
  .use(function images() {
    return async (tree: Root, file: VFile) => {
      // The letterhead is read like the text's images, and reported at its front-matter line.
      const letterhead = file.data.meta?.letterhead;
      file.data.images = await loadImages(tree, file, file.path, letterhead ? [{ url: letterhead.src, line: lineOf(String(file.value), /^letterhead:/m) }] : []);
    };
  })
  .freeze();

declare module "vfile" {
  interface DataMap {
    frontMatter: FrontMatter | undefined;
    /** Files of the document's data (the signatories file), with their own diagnostics. */
    dataFiles: VFile[];
    signatories: Signatories | undefined;
    facts: Facts;
    meta: Metadata | undefined;
    images: globalThis.Map<string, ImageResource>;
  }
}

/** A letter's id: its file name without the Markdown extension. It names the letter's outputs, translations and send ledger. */
export function letterSlug(documentPath: string): string {
  return path.basename(documentPath).replace(/\.(md|markdown)$/i, "");
}

/** With `memo` (watch), the Markdown is parsed again only when its text changed. */
export async function loadDocument(documentPath: string, memo?: Memo): Promise<LoadResult> {
  const absolute = path.resolve(documentPath);
  const file = await readText(absolute);
  if (hasErrors([file])) return { doc: undefined, files: [file] };

  // The plugins change the tree (references, sanitising): a kept parse is copied.
  const parse = () => canonical.parse(file) as Root;
  const parsed = memo ? memo.run("parse", keyOf(absolute, String(file.value)), file, parse, (tree) => structuredClone(tree)) : parse();
  const tree = (await canonical.run(parsed, file)) as Root;
  const { meta, facts, signatories, images } = file.data;
  const files = [file, ...(file.data.dataFiles ?? [])];
  if (!meta || !facts || !images) return { doc: undefined, files };
  return {
    doc: { path: absolute, slug: letterSlug(absolute), file, meta, tree, facts, signatories, images },
    files,
  };
}

/** The 1-based line where `pattern` first matches, else 1. */
function lineOf(text: string, pattern: RegExp): number {
  const match = pattern.exec(text);
  return match ? text.slice(0, match.index).split("\n").length : 1;
}

/** The document's metadata from its front matter; the title defaults to the level-1 heading. */
function metadataOf(frontMatter: FrontMatter | undefined, facts: Facts): Metadata | undefined {
  if (!frontMatter) return undefined;
  const title = frontMatter.title ?? facts.headings.find((h) => h.depth === 1)?.text ?? "";
  return {
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
    ...(frontMatter.paper ? { paper: frontMatter.paper } : {}),
    ...(frontMatter.letterhead
      ? { letterhead: typeof frontMatter.letterhead === "string" ? { src: frontMatter.letterhead, alt: frontMatter.author ?? "Letterhead" } : frontMatter.letterhead }
      : {}),
  };
}
