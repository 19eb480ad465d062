/**
 * The DOCX look in one place: page, fonts, sizes and spacing (`LOOK`), turned into Word's
 * built-in styles (Normal, Title, Heading 1–6, List Paragraph, Quote, Hyperlink, Footnote Text …)
 * so a reader can restyle the document from Word's Styles pane. Paragraphs only name styles;
 * they never carry their own fonts or sizes.
 */
import {
  AlignmentType,
  BorderStyle,
  LevelFormat,
  LineRuleType,
  type ILevelsOptions,
  type INumberingOptions,
  type IStylesOptions,
} from "docx";
import type { Locale } from "./locale.ts";

/** Twips per millimetre (1 in = 1440 tw = 25.4 mm). */
const MM = 1440 / 25.4;
const mm = (value: number) => Math.round(value * MM);

export const LOOK = {
  page: {
    /** Paper sizes, portrait, in twips. */
    sizes: { a4: { width: 11906, height: 16838 }, letter: { width: 12240, height: 15840 } },
    margin: { top: mm(25), bottom: mm(25), left: mm(22), right: mm(22), header: mm(12.5), footer: mm(12.5), gutter: 0 },
  },
  fonts: {
    /** Latin, Greek, Cyrillic. */
    text: "Noto Serif",
    /** Complex scripts (Arabic): Word uses it for runs marked `w:rtl`. */
    complex: "Noto Naskh Arabic",
    /** Han, Kana, Hangul. The Noto CJK name that Linux systems ship; Word substitutes its own CJK font elsewhere. */
    eastAsian: "Noto Serif CJK SC",
    code: "Courier New",
  },
  /** Sizes in points. */
  size: {
    body: 11,
    title: 20,
    headings: [15, 13, 12, 11, 11, 11],
    footnote: 9,
    footer: 9,
    code: 9.5,
  },
  /** Naskh reads small next to Latin at the same size: complex-script sizes get this many points more. */
  complexScriptBoost: 1,
  /** Spacing in points; line heights as multiples. */
  spacing: { after: 8, line: 1.15, noteAfter: 2, headingBefore: [18, 12, 10, 10, 10, 10], headingAfter: 6, titleAfter: 12 },
  indent: {
    /** Per list level (mm) and the hanging part where the number sits. */
    list: 7,
    hanging: 5,
    quote: 10,
  },
  color: { link: "0563C1", muted: "595959", rule: "A6A6A6", codeShade: "F2F2F2" },
} as const;

/** Half-points, as `w:sz` wants them. */
const hp = (pt: number) => Math.round(pt * 2);
/** Twentieths of a point, as `w:spacing` wants them. */
const tw = (pt: number) => Math.round(pt * 20);
/** `w:spacing/@w:line` for an "auto" multiple of single spacing. */
const line = (multiple: number) => Math.round(multiple * 240);

/** Run size options: the size and its complex-script twin. */
export function sized(pt: number): { size: number; sizeComplexScript: number } {
  return { size: hp(pt), sizeComplexScript: hp(pt + LOOK.complexScriptBoost) };
}

/** Width of the text block in twips (for tables). */
/** The page of an edition's paper (A4 unless the front matter says `paper: letter`). */
export function pageSize(paper: "a4" | "letter" | undefined): { width: number; height: number } {
  return LOOK.page.sizes[paper ?? "a4"];
}

/** Width of the text on the page, in twips. */
export function textWidth(paper: "a4" | "letter" | undefined): number {
  return pageSize(paper).width - LOOK.page.margin.left - LOOK.page.margin.right;
}

/** The tallest a letterhead image is drawn, in pixels at 96 to the inch (about 17 mm). */
export const LETTERHEAD_HEIGHT = 64;

/** Style ids used by the converters. Ids are Word's own for its built-in styles. */
export const STYLE = {
  title: "Title",
  heading: (level: number) => `Heading${Math.min(Math.max(level, 1), 6)}`,
  listParagraph: "ListParagraph",
  quote: "Quote",
  code: "HTMLPreformatted",
  inlineCode: "HTMLCode",
  footnoteText: "FootnoteText",
  footnoteReference: "FootnoteReference",
  hyperlink: "Hyperlink",
  footer: "Footer",
  notice: "Subtitle",
  dateline: "Date",
  addressee: "InsideAddress",
} as const;

export function documentStyles(locale: Locale): IStylesOptions {
  const headingSizes = LOOK.size.headings;
  const heading = (i: number) => ({
    name: `heading ${i + 1}`,
    basedOn: "Normal",
    next: "Normal",
    quickFormat: true,
    run: { bold: true, ...sized(headingSizes[i]!), ...(i >= 3 && i !== 4 ? { italics: true } : {}) },
    paragraph: {
      keepNext: true,
      keepLines: true,
      outlineLevel: i,
      spacing: { before: tw(LOOK.spacing.headingBefore[i]!), after: tw(LOOK.spacing.headingAfter) },
    },
  });
  return {
    default: {
      document: {
        run: {
          font: {
            ascii: LOOK.fonts.text,
            hAnsi: LOOK.fonts.text,
            cs: LOOK.fonts.complex,
            eastAsia: LOOK.fonts.eastAsian,
            ...(locale.eastAsian ? { hint: "eastAsia" } : {}),
          },
          ...sized(LOOK.size.body),
          language: locale.language,
        },
        paragraph: {
          spacing: { after: tw(LOOK.spacing.after), line: line(LOOK.spacing.line), lineRule: LineRuleType.AUTO },
        },
      },
      title: {
        name: "Title",
        basedOn: "Normal",
        next: "Normal",
        quickFormat: true,
        run: { bold: true, ...sized(LOOK.size.title) },
        paragraph: { keepNext: true, keepLines: true, spacing: { after: tw(LOOK.spacing.titleAfter), line: line(1), lineRule: LineRuleType.AUTO } },
      },
      heading1: heading(0),
      heading2: heading(1),
      heading3: heading(2),
      heading4: heading(3),
      heading5: heading(4),
      heading6: heading(5),
      listParagraph: {
        name: "List Paragraph",
        basedOn: "Normal",
        quickFormat: true,
        paragraph: { contextualSpacing: true, spacing: { after: tw(LOOK.spacing.after / 2) } },
      },
      hyperlink: {
        name: "Hyperlink",
        basedOn: "DefaultParagraphFont",
        run: { color: LOOK.color.link, underline: { type: "single" } },
      },
      footnoteReference: {
        name: "footnote reference",
        basedOn: "DefaultParagraphFont",
        run: { superScript: true },
      },
      footnoteText: {
        name: "footnote text",
        basedOn: "Normal",
        link: "FootnoteTextChar",
        run: sized(LOOK.size.footnote),
        paragraph: { spacing: { after: tw(LOOK.spacing.noteAfter), line: line(1), lineRule: LineRuleType.AUTO } },
      },
    },
    paragraphStyles: [
      {
        id: STYLE.quote,
        name: "Quote",
        basedOn: "Normal",
        next: "Normal",
        quickFormat: true,
        run: { color: LOOK.color.muted },
        paragraph: { indent: { start: mm(LOOK.indent.quote), end: mm(LOOK.indent.quote) } },
      },
      {
        id: STYLE.code,
        name: "HTML Preformatted",
        basedOn: "Normal",
        run: { font: LOOK.fonts.code, ...sized(LOOK.size.code) },
        paragraph: {
          spacing: { line: line(1), lineRule: LineRuleType.AUTO },
          shading: { type: "clear", color: "auto", fill: LOOK.color.codeShade },
        },
      },
      {
        id: STYLE.footer,
        name: "footer",
        basedOn: "Normal",
        run: sized(LOOK.size.footer),
        paragraph: { alignment: AlignmentType.CENTER, spacing: { after: 0 } },
      },
      {
        id: STYLE.notice,
        name: "Subtitle",
        basedOn: "Normal",
        next: "Normal",
        quickFormat: true,
        // Han text has no italics: Word and LibreOffice would slant it synthetically.
        run: { italics: !locale.eastAsian, color: LOOK.color.muted },
      },
      {
        // Word's own names for a letter's date and inside address.
        id: STYLE.dateline,
        name: "Date",
        basedOn: "Normal",
        next: "Normal",
        quickFormat: true,
        paragraph: { alignment: AlignmentType.END },
      },
      {
        id: STYLE.addressee,
        name: "Inside Address",
        basedOn: "Normal",
        next: "Normal",
        quickFormat: true,
      },
    ],
    characterStyles: [
      {
        id: STYLE.inlineCode,
        name: "HTML Code",
        basedOn: "DefaultParagraphFont",
        run: { font: LOOK.fonts.code, ...sized(LOOK.size.code) },
      },
    ],
  };
}

/** The paragraph border Markdown's thematic break (`---`) becomes. */
export const RULE = {
  bottom: { style: BorderStyle.SINGLE, size: 6, space: 1, color: LOOK.color.rule },
} as const;

/** Table borders: thin grey lines around and between cells. */
export const TABLE_BORDER = { style: BorderStyle.SINGLE, size: 4, color: LOOK.color.rule } as const;

/** Start indent of list level `level` (0-based): where its text begins. */
export function listIndent(level: number): number {
  return mm(LOOK.indent.list * (level + 1));
}

export const QUOTE_INDENT = mm(LOOK.indent.quote);

const BULLETS = ["•", "◦", "▪"];
const ORDERED = [LevelFormat.DECIMAL, LevelFormat.LOWER_LETTER, LevelFormat.LOWER_ROMAN] as const;

/** Numbering reference of bullet lists. */
export const BULLET_LIST = "bullets";
/** Numbering reference of ordered lists starting at `start`. */
export const orderedList = (start: number) => `ordered-${start}`;

/** The list definitions the document uses: bullets, and ordered lists by their first number. */
export function numbering(orderedStarts: Iterable<number>): INumberingOptions {
  const levels = (level: (i: number) => Pick<ILevelsOptions, "format" | "text" | "start">): ILevelsOptions[] =>
    Array.from({ length: 9 }, (_, i) => ({
      level: i,
      ...level(i),
      alignment: AlignmentType.START,
      style: { paragraph: { indent: { start: listIndent(i), hanging: mm(LOOK.indent.hanging) } } },
    }));
  return {
    config: [
      { reference: BULLET_LIST, levels: levels((i) => ({ format: LevelFormat.BULLET, text: BULLETS[i % BULLETS.length]! })) },
      ...[...new Set(orderedStarts)].sort((a, b) => a - b).map((start) => ({
        reference: orderedList(start),
        levels: levels((i) => ({ format: ORDERED[i % ORDERED.length]!, text: `%${i + 1}.`, start })),
      })),
    ],
  };
}
