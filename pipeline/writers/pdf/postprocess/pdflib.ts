/**
 * The fallback: load the whole document with pdf-lib, change it and save it again. Slow (~1.2 s
 * for a 160-page letter), but it reads any PDF; `index.ts` uses it only when the incremental
 * update cannot (see `incremental.ts`), and imports it only then. The structure tree is kept; the
 * save writes no /ID and no clock-dependent value, so equal input gives equal bytes.
 */
import { PDFDict, PDFHexString, PDFName, PDFDocument, type PDFRef } from "pdf-lib";
import type { Publication } from "../../../model.ts";
import { CREATOR, PRODUCER, xmpPacket } from "./metadata.ts";
import type { OutlineTitle } from "./outline.ts";
import type { PostprocessResult } from "./index.ts";

export async function postprocessWithPdfLib(pdf: Uint8Array, pub: Publication, outline: readonly OutlineTitle[]): Promise<PostprocessResult> {
  const doc = await PDFDocument.load(pdf, { updateMetadata: false });
  applyMetadata(doc, pub);
  const outlineRewritten = rewriteOutline(doc, outline);
  const bytes = await doc.save({ useObjectStreams: false, addDefaultPage: false, updateFieldAppearances: false });
  return { pdf: bytes, outlineRewritten };
}

/** What `metadata.ts` writes, with pdf-lib. */
function applyMetadata(doc: PDFDocument, pub: Publication): void {
  const date = new Date(pub.epoch * 1000);
  const { meta } = pub;
  doc.setTitle(meta.title, { showInWindowTitleBar: true });
  doc.setAuthor(meta.author);
  if (meta.subject) doc.setSubject(meta.subject);
  // pdf-lib joins keywords with spaces, which merges multi-word keywords: join them ourselves.
  if (meta.keywords.length > 0) doc.setKeywords([meta.keywords.join(", ")]);
  doc.setCreator(CREATOR);
  doc.setProducer(PRODUCER);
  doc.setCreationDate(date);
  doc.setModificationDate(date);
  doc.setLanguage(pub.lang);

  // The packet as UTF-8 bytes: given a string, pdf-lib keeps only the low byte of each character.
  const xmp = doc.context.stream(new TextEncoder().encode(xmpPacket(pub, date)), { Type: "Metadata", Subtype: "XML" });
  doc.catalog.set(PDFName.of("Metadata"), doc.context.register(xmp));
}

/** What `outline.ts` does, with pdf-lib: the same walk, the same rule. */
function rewriteOutline(doc: PDFDocument, headings: readonly OutlineTitle[]): boolean {
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
  if (items.length !== headings.length) return false;
  items.forEach((item, i) => item.set(PDFName.of("Title"), PDFHexString.fromText(headings[i]!.title)));
  return true;
}
