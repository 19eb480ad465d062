/**
 * PDF writer: a typeset, tagged A4 PDF per edition.
 *
 *   template.ts   the print document (body from the model, calls and a store of notes, fonts)
 *   notes.ts      how notes and their calls are written for print
 *   print.css     the print stylesheet
 *   paginate.ts   layout and printing in the build's shared Chromium, sandboxed
 *   in-page.ts    the paginator that runs in the page: page boxes, notes at the foot, widows/orphans
 *   postprocess/  document properties and XMP, bookmark titles (an incremental update)
 */
import type { Browser } from "puppeteer-core";
import { launchChromium, stopChromium } from "../../browser/chromium.ts";
import type { Publication, Recipient, SharedResources, Writer, WriterContext } from "../../model.ts";
import { collectGarbage, openPrintPage, paginate } from "./paginate.ts";
import { swapFirstPage } from "./postprocess/firstpage.ts";
import { postprocess, PostprocessReuse } from "./postprocess/index.ts";
import { printDocument } from "./template.ts";

const SOURCE = "letterpress:pdf";

/**
 * The build's one browser, started on first use. A build's print pages share one renderer: the
 * build's other writers and the post-processing keep the other core busy, and a second renderer
 * only adds memory (and CPU, as the two contend). A delivery only prints, on a page per core,
 * each with a renderer of its own.
 */
function browserOf(resources: SharedResources): Promise<Browser> {
  return resources.get<Browser>("chromium", () => launchChromium(process.env, resources.printOnly ? {} : { renderers: 1 }), {
    dispose: stopChromium,
    trim: collectGarbage,
    // A watch runs for hours: a browser that crashed or was killed is replaced at the next build.
    alive: (browser) => browser.connected,
  });
}

export async function renderPdf(pub: Publication, ctx: WriterContext): Promise<Uint8Array> {
  return (await renderPdfCopies(pub, [], ctx))[0]!;
}

/**
 * The edition for `pub.recipient`, then the same edition for each further recipient. Pagination
 * is done once; each copy only changes the address block's text (a copy whose block would change
 * size is laid out on its own).
 */
export async function renderPdfCopies(pub: Publication, others: readonly Recipient[], ctx: WriterContext): Promise<Uint8Array[]> {
  const document = await printDocument(pub);
  const browser = await browserOf(ctx.resources);
  // Between builds of a watch, each edition keeps its laid-out page (see paginate.ts).
  const keep = ctx.resources.lasting && others.length === 0 ? `${pub.slug}\0${pub.lang}\0${pub.recipient?.name ?? ""}` : undefined;
  // The copies differ in their address block only, and a watch's rebuild of an edition from the
  // build before in the pages its change reaches: what they share is post-processed once. A copy
  // is the edition's print with the copy's own first page swapped in (or, where the two first
  // pages differ in more than text, laid out on its own below), post-processed while the next
  // copy prints.
  const reuse = keep ? await ctx.resources.get(`pdf-postprocess\0${keep}`, async () => new PostprocessReuse()) : new PostprocessReuse();
  const finished: Array<Uint8Array | undefined> = [];
  const printed = await paginate(browser, document, others.map((r) => ({ name: r.name, lines: r.lines })), keep, (i, firstPage, edition) => {
    const copy = swapFirstPage(edition, firstPage, reuse);
    finished[i] = copy && postprocess(copy, { ...pub, recipient: others[i]! }, document.outline, reuse).pdf;
  });

  for (const src of document.images) {
    ctx.file.message(`Image \`${src}\` is not embedded in the ${pub.lang} PDF: the edition has no such image, its alternative text is shown`, {
      ruleId: "pdf-image-not-embedded",
      source: SOURCE,
    });
  }
  for (const request of printed.blocked) {
    ctx.file.message(`Blocked a ${request.type} request to \`${request.url}\` while printing the ${pub.lang} PDF: builds never reach the network`, {
      ruleId: "pdf-blocked-request",
      source: SOURCE,
    });
  }
  for (const error of printed.errors) {
    ctx.file.message(`Error in the page while printing the ${pub.lang} PDF: ${error.split("\n")[0]}`, { ruleId: "pdf-render-error", source: SOURCE });
  }
  const expected = pub.footnotes.map((n) => n.id);
  const missing = expected.filter((id) => !printed.layout.notes.includes(id) || printed.layout.unplaced.includes(id));
  if (missing.length > 0) {
    ctx.file.message(`The ${pub.lang} PDF lost note(s) ${missing.join(", ")} during pagination`, { ruleId: "pdf-footnote-lost", source: SOURCE });
  }
  if (printed.layout.misplaced.length > 0) {
    ctx.file.message(`In the ${pub.lang} PDF, note(s) ${printed.layout.misplaced.join(", ")} are not on the page of their reference`, {
      ruleId: "pdf-footnote-page",
      source: SOURCE,
    });
  }

  for (const problem of printed.layout.problems) {
    ctx.file.message(`In the ${pub.lang} PDF, ${problem}`, { ruleId: "pdf-overflow", source: SOURCE });
  }

  for (const piece of printed.layout.splits.filter((s) => s.lines < 2 && s.first !== s.last)) {
    ctx.file.message(`In the ${pub.lang} PDF, page ${piece.page} has a single line (${piece.first ? "orphan" : "widow"}) of the paragraph “${piece.text}…”`, {
      ruleId: "pdf-widow-orphan",
      source: SOURCE,
    });
  }

  const result = postprocess(printed.pdf, pub, document.outline, reuse);
  if (result.unsupported) {
    ctx.file.message(`The ${pub.lang} PDF keeps Chromium's own properties and bookmarks: ${result.unsupported}`, {
      ruleId: "pdf-postprocess",
      source: SOURCE,
    });
  } else if (!result.outlineRewritten) {
    ctx.file.message(`The ${pub.lang} PDF's bookmarks do not match its headings; their titles may lack spaces`, {
      ruleId: "pdf-outline",
      source: SOURCE,
    });
  }
  const copies: Uint8Array[] = [result.pdf];
  for (const [i, recipient] of others.entries()) copies.push(finished[i] ?? (await renderPdf({ ...pub, recipient }, ctx)));
  return copies;
}

export const pdfWriter: Writer = {
  extension: "pdf",
  name: "PDF",
  offloaded: true,
  async prepare(resources) {
    // Started, not awaited: Chromium is spawned before launchChromium first yields, and comes up
    // while the build reads the sources. A launch failure surfaces in write().
    // Its first print page is opened the same way (see openPrintPage).
    browserOf(resources)
      .then(openPrintPage)
      .catch(() => undefined);
    await new Promise((resolve) => setImmediate(resolve));
  },
  async write(pub, ctx) {
    return { path: `${pub.slug}.pdf`, data: await renderPdf(pub, ctx) };
  },
  async writeCopies(pub, recipients, ctx) {
    const [first, ...others] = recipients;
    const pdfs = await renderPdfCopies({ ...pub, ...(first ? { recipient: first } : {}) }, others, ctx);
    return pdfs.map((data) => ({ path: `${pub.slug}.pdf`, data }));
  },
};
