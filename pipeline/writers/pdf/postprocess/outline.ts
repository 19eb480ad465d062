/**
 * Bookmarks: Chromium builds the outline from the h1–h6 boxes but drops the spaces at line wraps
 * ("longheading"), so every title is rewritten from the model. Entries are visited depth-first,
 * which is document order, and matched one to one with the document's headings.
 */
import { text, UnsupportedPdf, type Dict, type PdfUpdate, type Ref } from "./incremental.ts";

export interface OutlineTitle {
  depth: number;
  title: string;
}

/** The outline items in document order. */
export function outlineItems(file: PdfUpdate): Array<{ ref: Ref; item: Dict }> {
  const root = file.dict(file.root).get("Outlines");
  const items: Array<{ ref: Ref; item: Dict }> = [];
  const seen = new Set<number>();
  const walk = (parent: Dict) => {
    for (let ref = parent.get("First")?.ref; ref; ) {
      if (seen.has(ref.num)) throw new UnsupportedPdf(`Outline item ${ref.num} is reached twice`);
      seen.add(ref.num);
      const item = file.dict(ref);
      items.push({ ref, item });
      walk(item);
      ref = item.get("Next")?.ref;
    }
  };
  if (root) walk(file.resolve(root));
  return items;
}

/**
 * Replace the titles. Returns false (and changes nothing) when the outline does not have one
 * entry per heading, so the caller can report it.
 */
export function updateOutline(file: PdfUpdate, headings: readonly OutlineTitle[]): boolean {
  const items = outlineItems(file);
  if (items.length !== headings.length) return false;
  items.forEach(({ ref, item }, i) => file.set(ref, item.set("Title", text(headings[i]!.title))));
  return true;
}
