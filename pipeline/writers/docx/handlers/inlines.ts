/**
 * Inline handlers: text and its formatting, code, breaks, links and images. Formatting is carried
 * down in a `RunFormat`; every piece of text ends as a run from `state.run`, which sets its
 * language and direction.
 */
import { ExternalHyperlink, InternalHyperlink, TextRun, type ParagraphChild } from "docx";
import type { Delete, Emphasis, Image, ImageReference, InlineCode, Link, LinkReference, PhrasingContent, Strong, Text } from "mdast";
import { fragmentOf, type BlockContext, type Handlers, type RunFormat, type State } from "../state.ts";

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

/** Images are not embedded yet: the alt text stands in, with a warning. */
function image(state: State, node: Image | ImageReference, format: RunFormat): ParagraphChild[] {
  state.warnOnce("image", `Images are not written to DOCX yet; \`${node.alt ?? ""}\` is written as text instead`, node, "docx-image");
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
  imageReference: image,
  html: nothing,
} satisfies Handlers["inline"];
