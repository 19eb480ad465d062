/**
 * EPUB 3 writer: one content document (the letter, its signatories and its notes), a navigation
 * document built from the outline, the fonts the text needs, and accessibility metadata. Built
 * with epub-gen-memory using Letterpress's own templates (`templates.ts`), then made
 * reproducible: identifier derived from the content and the edition, every date from
 * `pub.epoch`, `mimetype` stored first, fixed entry order and entry times.
 *
 * Footnotes follow the DAISY Knowledge Base pattern so reading systems show them as pop-ups:
 * `<a epub:type="noteref" role="doc-noteref">` (inside, never around, a `<sup>`) pointing to
 * `<aside epub:type="footnote" role="doc-footnote">`, the note's number and back-link after its
 * text.
 */
import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import { EPub, type Chapter, type Options } from "epub-gen-memory";
import { strToU8 } from "fflate";
import type { Element, ElementContent } from "hast";
import { toHtml } from "hast-util-to-html";
import { h } from "hastscript";
import type { VFile } from "vfile";
import type { Footnote, ImageResource, OutlineEntry, Publication, Writer } from "../../model.ts";
import { dataUrl } from "../../transform/images.ts";
import { embeddedFonts, FONT_STACK, fontFaceRule, mergeText, textByStyle } from "../shared/fonts.ts";
import { appendToLastParagraph, backLinks, renderBody, type NoteStrategy } from "../shared/hast.ts";
import { COMPRESSED, zipEntries, type ZipEntry } from "../shared/zip.ts";
import { chapterXHTML, contentOPF, tocXHTML, type EpubTemplateData, type NavEntry } from "./templates.ts";

const stylesheet = readFile(new URL("./style.css", import.meta.url), "utf8");

/** The one content document. */
const CHAPTER_ID = "content-doc";
const CHAPTER_FILE = "content.xhtml";

/** Back-link arrow in text presentation (never an emoji). */
const ARROW = "\u21A9\uFE0E";

/** Notes as EPUB 3 footnotes (pop-ups in Apple Books, Thorium, Kobo) with labelled back-links. */
export const epubNotes: NoteStrategy = {
  reference(note, ref, pub) {
    return h("sup", [
      h(
        "a",
        {
          href: `#${note.id}`,
          id: ref.refId,
          className: ["noteref"],
          "epub:type": "noteref",
          role: "doc-noteref",
          ariaLabel: pub.labels.get("note-reference", { n: note.number }),
        },
        String(note.number),
      ),
    ]);
  },
  notes(pub, rendered) {
    if (rendered.length === 0) return [];
    const fallback = pub.labels.isFallback("notes") ? { lang: "en" } : {};
    return [
      h("section", { id: "notes", className: ["footnotes"], "epub:type": "footnotes", ariaLabelledBy: "notes-label" }, [
        h("h2", { id: "notes-label", ...fallback }, pub.labels.get("notes")),
        ...rendered.map(({ note, content }) =>
          h(
            "aside",
            { id: note.id, className: ["footnote"], "epub:type": "footnote", role: "doc-footnote" },
            appendToLastParagraph(content, noteBackLinks(pub, note)),
          ),
        ),
      ]),
    ];
  },
};

/**
 * The note's number and the way back, after the note text: "↩ 3", one link per reference
 * ("↩ 3²" for the second reference to the same note), each labelled for screen readers.
 */
export function noteBackLinks(pub: Publication, note: Footnote): ElementContent[] {
  return backLinks(pub, note, (i) => [h("span", { className: ["arrow"] }, ARROW), { type: "text", value: ` ${note.number}` }, ...(i === 0 ? [] : [h("sup", String(i + 1))])]);
}

/** Everything that goes into the EPUB: the options and templates data, the one chapter. */
export interface EpubParts {
  options: Options & EpubTemplateData;
  chapter: Chapter & { id: string; dir: string };
  identifier: string;
  /** The image of each placeholder in the chapter, in order (see `ReproducibleEPub`). */
  pictures: ImageResource[];
  /** How many attributes travel through the library as classes (see `ReproducibleEPub`). */
  keptAttributes: number;
  /** The subset fonts by their entry in the package (listed by our package template, packed by `ReproducibleEPub`). */
  fonts: Map<string, Uint8Array>;
}

export async function epubParts(pub: Publication, file?: VFile): Promise<EpubParts> {
  const { body, notes, missingImages } = renderBody(pub, epubNotes);
  for (const src of missingImages) {
    file?.message(`EPUB: image \`${src}\` is not in the ${pub.lang} edition; its alternative text is shown`, { ruleId: "epub-image", source: "letterpress:epub" });
  }
  const labels = pub.labels;
  const main: ElementContent[] = [...body, ...notes];
  const pictures: ImageResource[] = [];
  const kept = { attributes: 0 };
  const article = fitForEpub(h("main", { id: "content" }, main), pub, pictures, kept);
  const content = toHtml(article);

  // A package, a content document and a nav link all need a non-empty title.
  const title = pub.meta.title.trim() || pub.meta.shortTitle.trim() || pub.slug;
  const entries = pub.outline;
  const toc = navTree(entries.length > 0 ? entries : [{ depth: 1, text: title, id: "content" }]);
  const tocTitle = labels.get("contents");
  const fonts = await embeddedFonts(mergeText(textByStyle([article]), new Map([["400 normal", flattenNav(toc)], ["700 normal", tocTitle]])));

  const identifier = `urn:uuid:${uuidFrom(pub, content)}`;
  const modified = new Date(pub.epoch * 1000).toISOString().replace(/\.\d{3}Z$/, "Z");
  const css = [
    ...fonts.map((font) => fontFaceRule(font.face, `fonts/${font.name}`, font.ranges)),
    `body{font-family:${FONT_STACK}}`,
    await stylesheet,
  ].join("\n");
  const english = pub.lang.split("-")[0]!.toLowerCase() === "en";
  const options: Options & EpubTemplateData = {
    title,
    author: [pub.meta.author],
    ...(pub.meta.subject ? { description: pub.meta.subject } : {}),
    lang: pub.lang,
    date: modified,
    tocTitle,
    prependChapterTitles: false,
    css,
    contentOPF,
    chapterXHTML,
    tocXHTML,
    version: 3,
    verbose: (type, ...args) => {
      if (type === "warn") {
        file?.message(`EPUB: ${args.map(String).join(" ").replace(/^Warning \(content\[\d+\]\): /, "")}`, {
          ruleId: "epub-content",
          source: "letterpress:epub",
        });
      }
    },
    identifier,
    dir: pub.dir,
    pubDate: publicationDate(pub),
    modified,
    subjects: pub.meta.keywords,
    accessibilitySummary:
      "This publication meets WCAG 2.2 Level AA. It is a single text document with a navigable table of contents, " +
      "headings in a logical order, the language of the text declared, and numbered notes that link to and from " +
      (pictures.length > 0
        ? "their references. Every image has a text alternative; it has no audio or video, and no hazards."
        : "their references. It has no images, audio or video, and no hazards."),
    summaryLang: english ? "" : "en",
    toc,
    tocTitleLang: labels.isFallback("contents") ? "en" : "",
    chapterHref: CHAPTER_FILE,
    startFragment: pub.outline.find((e) => e.kind === "heading")?.id || "content",
    embeddedFonts: fonts.map((font) => ({ filename: font.name, mediaType: "font/woff2" })),
    pictures: [...new Set(pictures)].map((image) => ({ href: `${IMAGES}/${image.name}`, mediaType: image.mediaType })),
  };
  const chapter = { id: CHAPTER_ID, title, content, filename: CHAPTER_FILE, dir: pub.dir };
  return { options, chapter, identifier, pictures, keptAttributes: kept.attributes, fonts: new Map(fonts.map((font) => [`OEBPS/fonts/${font.name}`, font.data])) };
}

/**
 * epub-gen-memory's book, with what the library cannot do done in this one place: a reproducible
 * identifier and zip, images, and the HTML5 list attributes. The library downloads every
 * `<img src>` itself and names the files at random; the writer has the bytes already and reads
 * nothing from disk, so each image reaches the library as a placeholder element it keeps as it
 * is, and is put back here, after the library has written the chapter, with its file under
 * `images/` (listed in the package document by our own template). The library also drops every
 * attribute outside its XHTML 1.1 list, among them `start` (an ordered list that does not start
 * at 1); such attributes travel as class names and are put back here. Either step throws if the
 * library stops keeping what it is given (test/epub.test.ts builds both).
 */
class ReproducibleEPub extends EPub {
  private readonly pictures: readonly ImageResource[];
  private readonly keptAttributes: number;
  private readonly fonts: ReadonlyMap<string, Uint8Array>;

  constructor(options: Options, content: readonly Chapter[], identifier: string, parts: { pictures?: readonly ImageResource[]; keptAttributes?: number; fonts?: ReadonlyMap<string, Uint8Array> } = {}) {
    super(options, content);
    this.uuid = identifier;
    this.pictures = parts.pictures ?? [];
    this.keptAttributes = parts.keptAttributes ?? 0;
    this.fonts = parts.fonts ?? new Map();
  }

  /** The book as a zip (see `shared/zip.ts`), every entry dated `epoch`. */
  async pack(epoch: number): Promise<Uint8Array> {
    await this.render();
    const chapters = new Set(this.content.map((chapter) => `OEBPS/${chapter.filename}`));
    const entries: ZipEntry[] = [];
    for (const entry of Object.values(this.zip.files)) {
      // EPUB 3 needs no NCX; the library always writes one (and its playOrder/spine rules fail).
      if (entry.dir || entry.name === "OEBPS/toc.ncx") continue;
      // The library re-serialises chapters with every non-ASCII character as a numeric reference (`&#x642;`):
      // valid, but three to eight times the size for Arabic or Chinese; they go back to UTF-8 text.
      const data = chapters.has(entry.name)
        ? strToU8(this.withAttributes(this.withPictures(decodeNonAsciiReferences(await entry.async("string")))))
        : await entry.async("uint8array");
      // The `mimetype` entry comes first and is stored (OCF); fonts are compressed already.
      const store = entry.name === "mimetype" || COMPRESSED.test(entry.name);
      if (entry.name === "mimetype") entries.unshift({ name: entry.name, data, store });
      else entries.push({ name: entry.name, data, store });
    }
    // Fonts and images are compressed already.
    for (const [name, data] of this.fonts) entries.push({ name, data, store: true });
    for (const image of new Set(this.pictures)) {
      entries.push({ name: `OEBPS/${IMAGES}/${image.name}`, data: image.data, store: true });
    }
    // Zipped by fflate (shared/zip.ts) rather than the library's own JSZip and pako: much faster,
    // with the entry order and dates that make the EPUB reproducible.
    return zipEntries(entries, epoch);
  }

  /** The chapter with each image placeholder replaced by its image. */
  private withPictures(xhtml: string): string {
    let found = 0;
    const out = xhtml.replace(PLACEHOLDER, (_whole, index: string, alt: string) => {
      const image = this.pictures[Number(index)];
      if (!image) return _whole;
      found++;
      return `<img src="${IMAGES}/${image.name}" alt="${alt}" width="${image.width}" height="${image.height}"/>`;
    });
    if (found !== this.pictures.length) {
      throw new Error(`epub-gen-memory changed the image placeholders (${found} of ${this.pictures.length} found): see ReproducibleEPub`);
    }
    return out;
  }

  /** The chapter with the attributes that travelled as class names put back. */
  private withAttributes(xhtml: string): string {
    let found = 0;
    const out = xhtml.replace(/ class="([^"]*)"/g, (whole, value: string) => {
      const attributes: string[] = [];
      const classes = value.split(" ").filter((token) => {
        const match = KEPT_ATTRIBUTE.exec(token);
        if (match) attributes.push(match[2] === undefined ? ` ${match[1]}="${match[1]}"` : ` ${match[1]}="${match[2]}"`);
        return !match;
      });
      if (attributes.length === 0) return whole;
      found += attributes.length;
      return `${classes.length ? ` class="${classes.join(" ")}"` : ""}${attributes.join("")}`;
    });
    if (found !== this.keptAttributes) {
      throw new Error(`epub-gen-memory changed the class names that carry attributes (${found} of ${this.keptAttributes} found): see ReproducibleEPub`);
    }
    return out;
  }
}

/** HTML5 list attributes the library would drop, carried as class names (`letterpress-start-5`). */
const KEPT_ATTRIBUTES = ["start", "reversed", "value"] as const;
const KEPT_ATTRIBUTE = /^letterpress-(start|reversed|value)(?:-(\d+))?$/;

/** Folder of the images in the package. */
const IMAGES = "images";
const PLACEHOLDER_CLASS = "letterpress-image";
/** A placeholder as the library writes it back: `<span class="…" id="…-N" title="alt"></span>`. */
const PLACEHOLDER = new RegExp(`<span class="${PLACEHOLDER_CLASS}" id="${PLACEHOLDER_CLASS}-(\\d+)" title="([^"]*)"(?:/>|></span>)`, "g");

/** `&#x201C;` → `“` for characters outside ASCII that XML allows as text; markup stays escaped. */
export function decodeNonAsciiReferences(xml: string): string {
  return xml.replace(/&#(x[0-9a-fA-F]+|[0-9]+);/g, (whole, ref: string) => {
    const cp = ref[0] === "x" || ref[0] === "X" ? parseInt(ref.slice(1), 16) : parseInt(ref, 10);
    const allowed = (cp >= 0xa0 && cp <= 0xd7ff) || (cp >= 0xe000 && cp <= 0xfffd) || (cp >= 0x10000 && cp <= 0x10ffff);
    return allowed ? String.fromCodePoint(cp) : whole;
  });
}

export async function renderEpub(pub: Publication, file?: VFile): Promise<Uint8Array> {
  const { options, chapter, identifier, pictures, keptAttributes, fonts } = await epubParts(pub, file);
  return new ReproducibleEPub(options, [chapter], identifier, { pictures, keptAttributes, fonts }).pack(pub.epoch);
}

export const epubWriter: Writer = {
  extension: "epub",
  name: "EPUB",
  async write(pub, ctx) {
    return { path: `${pub.slug}.epub`, data: await renderEpub(pub, ctx.file) };
  },
};

// ---------------------------------------------------------------------------------------------
// Content

/**
 * Make the rendered body fit for epub-gen-memory, which downloads every `<img src>` and drops
 * attributes outside its list (a `<time>` becomes its text): each image becomes a placeholder (`ReproducibleEPub` puts the
 * image back and packages its bytes; `pictures` receives them in placeholder order), table cell
 * `align` becomes a style, task-list checkboxes become ☐/☑ characters.
 */
function fitForEpub(node: Element, pub: Publication, pictures: ImageResource[], kept: { attributes: number }): Element {
  const bySource = new Map([...pub.images.values()].map((image) => [dataUrl(image), image]));
  const visit = (el: Element): ElementContent[] => {
    if (el.tagName === "img") {
      const image = bySource.get(String(el.properties.src ?? ""));
      const alt = String(el.properties.alt ?? "");
      if (!image) return alt ? [{ type: "text", value: alt }] : [];
      pictures.push(image);
      return [h("span", { className: [PLACEHOLDER_CLASS], id: `${PLACEHOLDER_CLASS}-${pictures.length - 1}`, title: alt })];
    }
    // The library's XHTML 1.1 list has no `datetime`; the package's dc:date carries the date.
    if (el.tagName === "time") return el.children.flatMap((child) => (child.type === "element" ? visit(child) : [child]));
    if (el.tagName === "input" && el.properties.type === "checkbox") {
      return [{ type: "text", value: el.properties.checked ? "\u2611" : "\u2610" }];
    }
    const properties = { ...el.properties };
    for (const name of KEPT_ATTRIBUTES) {
      const value = properties[name];
      if (value === undefined || value === null || value === false) continue;
      const token = value === true ? `letterpress-${name}` : `letterpress-${name}-${String(value)}`;
      properties.className = [...(Array.isArray(properties.className) ? properties.className : []), token];
      delete properties[name];
      kept.attributes++;
    }
    if (typeof properties.align === "string") {
      properties.style = `text-align:${properties.align}`;
      delete properties.align;
    }
    const children = el.children.flatMap((child) => (child.type === "element" ? visit(child) : [child]));
    return [{ ...el, properties, children }];
  };
  return visit(node)[0] as Element;
}

/** The identifier of this edition of this text: a UUID (version 8) from a SHA-256. */
function uuidFrom(pub: Publication, content: string): string {
  const hex = createHash("sha256")
    .update([pub.slug, pub.lang, pub.meta.title, pub.meta.author, pub.meta.date ?? "", content].join("\n"))
    .digest("hex");
  const variant = ((parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-8${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** `dc:date`: the front matter's date when it is a W3CDTF date, else the day of the epoch. */
function publicationDate(pub: Publication): string {
  const date = pub.meta.date;
  if (date && /^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$/.test(date)) return date;
  return new Date(pub.epoch * 1000).toISOString().slice(0, 10);
}

// ---------------------------------------------------------------------------------------------
// Navigation

/** Nest entries by depth: each entry goes under the nearest earlier entry of lower depth. */
function navTree(entries: ReadonlyArray<Pick<OutlineEntry, "depth" | "text" | "id" | "lang">>): NavEntry[] {
  const roots: NavEntry[] = [];
  const stack: Array<{ depth: number; entry: NavEntry }> = [];
  for (const e of entries) {
    const entry: NavEntry = { href: `${CHAPTER_FILE}#${e.id}`, text: e.text, ...(e.lang ? { lang: e.lang } : {}), children: [] };
    while (stack.length > 0 && stack[stack.length - 1]!.depth >= e.depth) stack.pop();
    (stack.length > 0 ? stack[stack.length - 1]!.entry.children : roots).push(entry);
    stack.push({ depth: e.depth, entry });
  }
  return roots;
}

function flattenNav(entries: NavEntry[]): string {
  return entries.map((e) => `${e.text}\n${flattenNav(e.children)}`).join("\n");
}
