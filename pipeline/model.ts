/**
 * The document model every writer reads.
 *
 * A `Publication` is computed once per edition (language) by `transform/`: the transformed mdast
 * tree plus the typed facts that writers must agree on (metadata, footnote numbering, anchor ids,
 * headings, signatories, labels). Writers never re-derive any of these from the Markdown.
 */
import type { FootnoteDefinition, Root } from "mdast";
import type { VFile } from "vfile";
import type { Labels } from "./i18n/labels.ts";
import type { Direction } from "./i18n/wording.ts";

export type { Labels };

/** The output formats Letterpress knows. Adding one means adding a writer to the registry. */
export const FORMATS = ["html", "docx", "epub", "pdf"] as const;
export type Format = (typeof FORMATS)[number];

/** Front matter of a Letterpress document, validated. */
export interface Metadata {
  /** Document title: the text of the single level-1 heading. */
  title: string;
  /** Short title for running heads and window titles. */
  shortTitle: string;
  /** BCP 47 language tag of the canonical source. */
  lang: string;
  subject?: string;
  keywords: string[];
  author: string;
  addressee?: string;
  /** As written in the front matter (`2019-11`, `2019-11-05`). */
  date?: string;
  /** Path of the signatories file relative to the document, if any. */
  signatories?: string;
  /** Path of the missions file (`letterpress deliver`) relative to the document, if any. */
  missions?: string;
  /** Delivery by email: sender, reply address, and the duty station of the missions. */
  from?: string;
  replyTo?: string;
  dutyStation?: "New York" | "Geneva" | "Vienna" | "Nairobi";
  /** Paper of the PDF and DOCX editions (default A4). */
  paper?: "a4" | "letter";
  /** An image shown at the head of every edition (top of the first page in print). */
  letterhead?: { src: string; alt: string };
}

/** A local image of the document, read once at load (see `transform/images.ts`). */
export interface ImageResource {
  /** The URL as written in the Markdown (`logo.png`): the key image nodes are looked up by. */
  url: string;
  mediaType: string;
  extension: "png" | "jpg" | "gif" | "webp";
  data: Uint8Array;
  /** Intrinsic size in pixels. */
  width: number;
  height: number;
  /** A file name from the content (`image-<hash>.png`), for formats that package files. */
  name: string;
}

/** One footnote, numbered by the order of its first reference. */
export interface Footnote {
  /** 1-based number shown to readers in every format. */
  number: number;
  /** The label as written (`foaa-report`). */
  label: string;
  /** Normalised identifier (remark's, lower-case). */
  identifier: string;
  /** Anchor id of the note itself (`fn-1`). */
  id: string;
  /** Anchor ids of the references, in document order (`fnref-1`, `fnref-1-2`, …). */
  refIds: string[];
}

/** A heading of the outline with its GitHub-compatible slug. */
export interface Heading {
  depth: number;
  text: string;
  id: string;
}

/** Optional fields may be present and undefined: the signatory list is validated data (zod). */
export interface Organisation {
  name: string;
  country?: string | undefined;
  website?: string | undefined;
}

export interface Individual {
  name: string;
  /** Sort key (family name). */
  family: string;
  affiliation?: string | undefined;
  country?: string | undefined;
}

export interface Signatories {
  organisations: Organisation[];
  individuals: Individual[];
}

/**
 * One entry of an edition's outline: a heading of the text, or a section Letterpress adds (the
 * signatory list and its parts, the notes), with its text in the edition's language.
 */
export interface OutlineEntry {
  depth: number;
  text: string;
  /** Anchor id of the entry's heading or section. */
  id: string;
  /** Set when the text is not in the edition's language (a label that fell back to English). */
  lang?: string;
  /**
   * What the entry stands for: formats without a notes section (PDF, DOCX: notes at the foot of
   * the page) leave out the `notes` entry.
   */
  kind: "heading" | "signatories" | "notes";
}

/** A note of an edition: its number and ids, and its text in the edition's language. */
export interface EditionNote {
  footnote: Footnote;
  /** The definition in the edition's tree (translated where the translation has it). */
  definition: FootnoteDefinition;
}

export type { Direction } from "./i18n/wording.ts";

/** One language edition of a document: everything a writer needs, nothing it must compute. */
export interface Publication {
  /** Base name of the source file (`open-letter`), used for output file names. */
  slug: string;
  /** Language of this edition. */
  lang: string;
  dir: Direction;
  /** Whether this edition is a translation of the canonical source. */
  translated: boolean;
  meta: Metadata;
  /**
   * The edition's mdast tree, ready to render: footnote references carry `data.footnote`,
   * headings `data.id`; the signatory list is a `signatories` node (where the author put its
   * marker, else at the end) and a translation's notice a `notice` node after the title. Footnote
   * definitions are not in it: they are in `notes`.
   */
  tree: Root;
  footnotes: Footnote[];
  /** The notes in number order, with their definitions. */
  notes: EditionNote[];
  /** Headings and the sections Letterpress adds, in reading order (navigation, bookmarks). */
  outline: OutlineEntry[];
  /** The document's local images by the URL image nodes carry. */
  images: ReadonlyMap<string, ImageResource>;
  /** Every anchor id that exists in the document (headings, notes, references, sections). */
  anchors: Set<string>;
  signatories?: Signatories;
  labels: Labels;
  /** Other editions of the same document, for language switchers. */
  editions: EditionRef[];
  /** Seconds since the epoch used for every date in the outputs (SOURCE_DATE_EPOCH). */
  epoch: number;
  /** For addressed copies (`letterpress deliver`): who this copy is for. */
  recipient?: Recipient;
}

/** The addressee of one delivered copy, already in the edition's language. */
export interface Recipient {
  /** ISO 3166-1 code of the member state. */
  code: string;
  /** The state's name in the edition's language. */
  name: string;
  /** Further address lines ("Permanent Mission to the United Nations, New York"). */
  lines: string[];
}

export interface EditionRef {
  lang: string;
  /** The language's own name for itself ("Français"). */
  name: string;
  dir: Direction;
}

/** Context shared by all writers of one build (the warm browser lives here). */
export interface WriterContext {
  /** Project root: writers may read assets from node_modules below it, nothing else. */
  root: string;
  /** Lazily started resources shared between writers and editions (one browser per build). */
  resources: SharedResources;
  /** Where diagnostics of this edition go. */
  file: VFile;
}

export interface SharedResources {
  /**
   * The resources outlive this build (`watch`): a writer may keep what makes the next build of
   * the same edition cheaper (the PDF writer keeps each edition's laid-out page).
   */
  readonly lasting?: boolean;
  /**
   * The run does nothing but print (a delivery): the PDF writer may give each page it prints on
   * at once a core of its own. In a build the other writers need the other core.
   */
  readonly printOnly?: boolean;
  /**
   * Resolve and cache a resource by key; disposed at the end of the build (see
   * `ResourceHandling`). One whose making failed is made again at the next call.
   */
  get<T>(key: string, create: () => Promise<T>, handling?: ResourceHandling<T>): Promise<T>;
}

/** What `SharedResources.get` does with a resource besides keeping it. */
export interface ResourceHandling<T> {
  /** Release it: at the end of the build (of the watch), or once it is found gone. */
  dispose?: (value: T) => Promise<void>;
  /**
   * Give back memory it holds without need: a watch calls this when a build is done and nothing
   * waits (the garbage a build leaves in the browser's renderers).
   */
  trim?: (value: T) => Promise<void>;
  /**
   * Whether it still works. One that does not (a browser that crashed or was killed during a
   * watch) is disposed of and made again, once, for whoever asks first.
   */
  alive?: (value: T) => boolean;
}

/** A written output file, relative to the edition folder. */
export interface Output {
  path: string;
  data: Uint8Array | string;
}

/** A writer turns a publication into one output file. */
export interface Writer {
  /** File extension of the output, without the dot. */
  extension: string;
  /** Human name for summaries. */
  name: string;
  write(pub: Publication, ctx: WriterContext): Promise<Output>;
  /**
   * Optional: one output per recipient of the same edition (`letterpress deliver`), for writers
   * that can do better than calling `write` for each (the PDF writer paginates once).
   */
  writeCopies?(pub: Publication, recipients: readonly Recipient[], ctx: WriterContext): Promise<Output[]>;
  /**
   * Optional: start what the writer will need (the PDF writer's browser) before the build reads
   * the sources; resolves once it is under way, not done. A failure surfaces again in `write`.
   */
  prepare?(resources: SharedResources): Promise<void>;
  /**
   * The work happens mostly in another process (Chromium): several outputs can be in flight at
   * once while this process writes the other formats.
   */
  offloaded?: boolean;
}
