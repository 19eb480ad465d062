/**
 * Inline handlers: text and its formatting, code, breaks, links and images. Formatting is carried
 * down in a `RunFormat`; every piece of text ends as a run from `state.run`, which sets its
 * language and direction.
 */
import { ExternalHyperlink, ImageRun, InternalHyperlink, TextRun, type ParagraphChild } from "docx";
import type { Delete, Emphasis, Image, ImageReference, InlineCode, Link, LinkReference, PhrasingContent, Strong, Text } from "mdast";
import { fragmentOf, type BlockContext, type Handlers, type RunFormat, type State } from "../state.ts";
import { LETTERHEAD_HEIGHT } from "../styles.ts";

function text(state: State, node: Text, format: RunFormat): ParagraphChild[] {
  const lang = node.data?.fallbackLang ?? format.lang;
  // A soft line break in the source is a space in the paragraph.
  return node.value ? [state.run(node.value.replace(/[ \t]*\r?\n[ \t]*/g, " "), { ...format, lang })] : [];
}

function emphasis(state: State, node: Emphasis, format: RunFormat, ctx: BlockContext): ParagraphChild[] {
  return state.inlines(node.children, { ...format, italics: true }, ctx);
}

function strong(state: State, node: Strong, format: RunFormat, ctx: BlockContext): ParagraphChild[] {
  return state.inlines(node.children, { ...format, bold: true }, ctx);
}

function strikethrough(state: State, node: Delete, format: RunFormat, ctx: BlockContext): ParagraphChild[] {
  return state.inlines(node.children, { ...format, strike: true }, ctx);
}

function inlineCode(state: State, node: InlineCode, format: RunFormat): ParagraphChild[] {
  return [state.run(node.value, { ...format, code: true })];
}

function hardBreak(): ParagraphChild[] {
  return [new TextRun({ break: 1 })];
}

function link(state: State, node: Link, format: RunFormat, ctx: BlockContext): ParagraphChild[] {
  return hyperlink(state, node.url, node.children, format, ctx);
}

function linkReference(state: State, node: LinkReference, format: RunFormat, ctx: BlockContext): ParagraphChild[] {
  const definition = state.linkDefinition(node.identifier);
  if (definition) return hyperlink(state, definition.url, node.children, format, ctx);
  return state.inlines(node.children, format, ctx);
}

/** An image inline, at its size up to the text width; WebP (which Word cannot show) as its text. */
function image(state: State, node: Image, format: RunFormat): ParagraphChild[] {
  const image = state.pub.images.get(node.url);
  if (!image || image.extension === "webp") {
    const why = image ? "Word cannot show WebP images" : "the edition has no such image";
    state.warnOnce(`image:${node.url}`, `Image \`${node.url}\` is not in the DOCX (${why}); its alternative text is shown`, node, "docx-image");
    return node.alt ? [state.run(node.alt, format)] : [];
  }
  // Pixels at 96 to the inch; the text width is in twips (1440 to the inch). A letterhead is
  // at most as tall as a line of large type allows it to stay modest (about 17 mm).
  const scale = Math.min(1, state.textWidth() / 15 / image.width, node.data?.letterhead ? LETTERHEAD_HEIGHT / image.height : 1);
  return [
    new ImageRun({
      type: image.extension,
      data: image.data,
      transformation: { width: Math.round(image.width * scale), height: Math.round(image.height * scale) },
      // Drawing ids are numbered per document, not by docx's process-wide counter.
      altText: { id: String(state.nextDrawingId()), name: image.name, description: node.alt ?? "", ...(node.title ? { title: node.title } : {}) },
    }),
  ];
}

/** A reference to an undefined image stays its text (references are resolved at load). */
function imageReference(state: State, node: ImageReference, format: RunFormat): ParagraphChild[] {
  return node.alt ? [state.run(node.alt, format)] : [];
}

function nothing(): ParagraphChild[] {
  return [];
}

/**
 * A link to another document, or to a bookmark in this one. A link to an anchor this document
 * has no place for is written as its text, with a warning.
 */
function hyperlink(state: State, url: string, children: readonly PhrasingContent[], format: RunFormat, ctx: BlockContext): ParagraphChild[] {
  const runs = state.inlines(children, { ...format, link: true }, ctx);
  const id = fragmentOf(url);
  if (id !== undefined) {
    if (!state.canPlace(id)) {
      state.warnOnce(`anchor:${id}`, `The DOCX edition has no place for \`#${id}\`; the link is written as plain text`, undefined, "docx-anchor");
      return state.inlines(children, format, ctx);
    }
    return [new InternalHyperlink({ anchor: state.anchorBookmark(id), children: runs })];
  }
  return [new ExternalHyperlink({ link: url, children: runs })];
}

export const inlineHandlers = {
  text,
  emphasis,
  strong,
  delete: strikethrough,
  inlineCode,
  break: hardBreak,
  link,
  linkReference,
  image,
  imageReference,
  html: nothing,
} satisfies Handlers["inline"];
