/**
 * Bookmarks: Chromium builds the outline from the h1–h6 boxes but drops the spaces at line wraps
 * ("longheading"), so every title is rewritten from the model. Entries are visited depth-first,
 * which is document order, and matched one to one with the document's headings.
 */
import { PDFDict, PDFHexString, PDFName, type PDFDocument, type PDFRef } from "pdf-lib";

export interface OutlineTitle {
  depth: number;
  title: string;
}

/** The outline items in document order. */
export function outlineItems(doc: PDFDocument): PDFDict[] {
  const root = doc.catalog.lookupMaybe(PDFName.of("Outlines"), PDFDict);
  const items: PDFDict[] = [];
  const walk = (parent: PDFDict) => {
    let ref = parent.get(PDFName.of("First")) as PDFRef | undefined;
    while (ref) {
      const item = doc.context.lookup(ref, PDFDict);
      items.push(item);
      walk(item);
      ref = item.get(PDFName.of("Next")) as PDFRef | undefined;
    }
  };
  if (root) walk(root);
  return items;
}

/**
 * Replace the titles. Returns false (and changes nothing) when the outline does not have one
 * entry per heading, so the caller can report it.
 */
export function rewriteOutline(doc: PDFDocument, headings: readonly OutlineTitle[]): boolean {
  const items = outlineItems(doc);
  if (items.length !== headings.length) return false;
  items.forEach((item, i) => item.set(PDFName.of("Title"), PDFHexString.fromText(headings[i]!.title)));
  return true;
}
