/**
 * Post-processing of Chromium's PDF, one concern per module: document properties (`metadata.ts`),
 * the text layer of the pages' content streams (`actualtext.ts`, with `hyphens.ts`, drawing from
 * font copies made in `fontcopies.ts`) and bookmarks (`outline.ts`), written as an incremental
 * update (`incremental.ts`): Chromium's
 * bytes stay as they are and only the changed objects are appended, rather than loading and
 * saving the whole document. No /ID and no clock-dependent value is written
 * (Chromium's own dates are overwritten with the epoch), so equal input gives equal bytes.
 *
 * The reader knows what Chromium writes. A PDF it cannot update (a future Chromium writing
 * cross-reference streams, say) is returned as Chromium wrote it, with the reason, for the writer
 * to report: one implementation, no second, untested path through another library.
 *
 * A delivery's copies are made before this, by the same incremental updates: the edition's print
 * with the copy's own first page swapped in (`firstpage.ts`).
 */
import type { Publication } from "../../../model.ts";
import { updateActualText } from "./actualtext.ts";
import { PdfUpdate, UnsupportedPdf } from "./incremental.ts";
import { PostprocessReuse } from "./reuse.ts";
import { updateMetadata } from "./metadata.ts";
import { updateOutline, type OutlineTitle } from "./outline.ts";

export { PostprocessReuse } from "./reuse.ts";

export interface PostprocessResult {
  pdf: Uint8Array;
  /** False when the outline could not be matched with the headings. */
  outlineRewritten: boolean;
  /** Why nothing could be changed (the PDF is Chromium's own), if so. */
  unsupported?: string;
}

/**
 * With `reuse`, shared by the PDFs of one edition (a delivery's copies, a watch's rebuilds), what
 * they have in common is worked out once (see reuse.ts); the bytes are the same either way.
 */
export function postprocess(pdf: Uint8Array, pub: Publication, outline: readonly OutlineTitle[], reuse = new PostprocessReuse()): PostprocessResult {
  try {
    const file = new PdfUpdate(pdf);
    updateMetadata(file, pub);
    updateActualText(file, reuse);
    const outlineRewritten = updateOutline(file, outline);
    return { pdf: file.save(), outlineRewritten };
  } catch (error) {
    if (!(error instanceof UnsupportedPdf)) throw error;
    return { pdf, outlineRewritten: false, unsupported: error.message };
  } finally {
    reuse.sweep();
  }
}
