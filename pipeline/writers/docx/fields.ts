/**
 * Word fields written as complex fields (`w:fldChar` begin/separate/end), so the cached result
 * can carry run formatting: a `NOTEREF` shows its note number superscript before Word updates it.
 * And the page footer, "Page X of Y" in the edition's words with PAGE and NUMPAGES fields.
 */
import { BuilderElement, Footer, ImportedXmlComponent, Paragraph, PageNumber, TextRun, type IRunOptions, type ParagraphChild } from "docx";
import type { Publication } from "../../model.ts";
import type { Locale } from "./locale.ts";
import { STYLE } from "./styles.ts";

function fieldChar(type: "begin" | "separate" | "end"): BuilderElement<{ type: string }> {
  return new BuilderElement<{ type: string }>({ name: "w:fldChar", attributes: { type: { key: "w:fldCharType", value: type } } });
}

function instruction(code: string): ImportedXmlComponent {
  const element = new ImportedXmlComponent("w:instrText", { "xml:space": "preserve" });
  element.push(` ${code} `);
  return element;
}

/** A complex field with a cached result in the given run formatting. */
export function complexField(code: string, result: string, run: IRunOptions): TextRun[] {
  return [
    new TextRun({ ...run, children: [fieldChar("begin")] }),
    new TextRun({ ...run, children: [instruction(code)] }),
    new TextRun({ ...run, children: [fieldChar("separate")] }),
    new TextRun({ ...run, text: result }),
    new TextRun({ ...run, children: [fieldChar("end")] }),
  ];
}

/**
 * A later reference to a note that already has its footnote: Word's cross-reference to the
 * footnote mark (`\f` formats it as a note reference, `\h` makes it a link), so no footnote is
 * duplicated (dolanmiu/docx#1554) and the number follows the note if Word renumbers.
 */
export function noteReferenceField(bookmark: string, number: number, run: IRunOptions): TextRun[] {
  return complexField(`NOTEREF ${bookmark} \\f \\h`, String(number), { ...run, style: STYLE.footnoteReference });
}

/** "Page {page} of {pages}" in the edition's language, with live page fields. */
export function pageFooter(pub: Publication, locale: Locale): Footer {
  const template = pub.labels.get("page-of");
  const foreign = pub.labels.isFallback("page-of") ? "en" : undefined;
  const run = (text: string): IRunOptions => ({
    language: locale.languageOf(foreign),
    ...(locale.isRtlRun(text, foreign !== undefined) ? { rightToLeft: true } : {}),
  });
  const children: ParagraphChild[] = [];
  for (const part of template.split(/(\{page\}|\{pages\})/)) {
    if (part === "") continue;
    if (part === "{page}") children.push(new TextRun({ ...run("1"), children: [PageNumber.CURRENT] }));
    else if (part === "{pages}") children.push(new TextRun({ ...run("1"), children: [PageNumber.TOTAL_PAGES] }));
    else children.push(new TextRun({ ...run(part), text: part }));
  }
  return new Footer({
    children: [new Paragraph({ style: STYLE.footer, ...(locale.rtl ? { bidirectional: true } : {}), children })],
  });
}
