/**
 * Post-processing of Chromium's PDF with pdf-lib, one concern per module: document properties
 * (`metadata.ts`) and bookmarks (`outline.ts`). Loading and saving the same document keeps the
 * structure tree; the save writes no /ID and no clock-dependent value, so equal input gives equal
 * bytes.
 */
import { PDFDocument } from "pdf-lib";
import type { Publication } from "../../../model.ts";
import { applyMetadata } from "./metadata.ts";
import { rewriteOutline, type OutlineTitle } from "./outline.ts";

export interface PostprocessResult {
  pdf: Uint8Array;
  /** False when the outline could not be matched with the headings. */
  outlineRewritten: boolean;
}

export async function postprocess(pdf: Uint8Array, pub: Publication, outline: readonly OutlineTitle[]): Promise<PostprocessResult> {
  const doc = await PDFDocument.load(pdf, { updateMetadata: false });
  applyMetadata(doc, pub);
  const outlineRewritten = rewriteOutline(doc, outline);
  const bytes = await doc.save({ useObjectStreams: false, addDefaultPage: false, updateFieldAppearances: false });
  return { pdf: bytes, outlineRewritten };
}
