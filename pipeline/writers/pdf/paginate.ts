/**
 * Pagination: the print document is cut into pages by our paginator (in-page.ts) inside the
 * build's shared Chromium, with the print media type emulated, and printed with Chromium's own PDF
 * backend (tagged, with an outline). Print pages are kept for the next PDF of the build; in a
 * watch, each edition keeps its laid-out page, and the next build of that edition lays out again
 * only from the first page its change reaches (the bytes are those of a fresh layout; tested).
 *
 * Sandbox: the page is created from a string (`setContent`, origin about:blank, so it can address
 * no file), its font requests are answered from the font files, every other request that is not a
 * data: URL is blocked by `sandboxPage` and reported, and
 * the document's CSP forbids scripts; the paginator is evaluated through the DevTools protocol,
 * which the CSP does not govern.
 */
import type { Browser, CDPSession, Page } from "puppeteer-core";
import { type BlockedRequest, sandboxPage } from "../../browser/chromium.ts";
import { collectGarbageNow } from "../../collect.ts";
import { fontFile } from "../shared/fonts.ts";
import { installPaginator, type PaginationReport, type PaginatorWindow, type SplitPiece } from "./in-page.ts";

/**
 * The paginator and its call, evaluated as one expression: each evaluation is a round trip to the
 * page, which waits whenever this process is busy with another output. The paginator's source is
 * that of the compiled function (see in-page.ts). Compiled by tsx (LETTERPRESS_NO_BUNDLE=1), that
 * source calls esbuild's `__name` helper to keep function names, which the page does not have: the
 * script brings a stand-in that keeps nothing.
 */
const paginateScript = `var __name = (fn) => fn;\n(${installPaginator.toString()})();\n;Promise.all([...document.fonts].map((face) => face.load())).then(() => window.__letterpressPaginate());`;

export type { SplitPiece } from "./in-page.ts";

/** The print source's length (characters) from which a layout takes seconds: some forty pages. */
const LONG_DOCUMENT = 256 * 1024;

export interface Layout {
  pages: number;
  /** Pages kept as they were from the edition's previous layout (see `paginate`'s `keep`). */
  keptPages: number;
  splits: SplitPiece[];
  /** Note ids in the footnote areas, in order. */
  notes: string[];
  /** Notes whose call ended on another page than the note (only a note carried over a page). */
  misplaced: string[];
  /** Notes the paginator could not place. */
  unplaced: string[];
  /** What the paginator had to give up on (content taller than a page). */
  problems: string[];
}

export interface Printed {
  pdf: Uint8Array;
  layout: Layout;
  blocked: BlockedRequest[];
  /** Uncaught errors in the page (the paginator). */
  errors: string[];
}

/** Another addressee for the same layout (see `paginate`'s `copies`). */
export interface CopyAddress {
  name: string;
  lines: string[];
}

/** A sandboxed print page, kept for the next PDF of the build (opening a new tab is slow). */
interface PrintPage {
  page: Page;
  /** A DevTools session of the page's own: its requests, printing, garbage collection. */
  session: CDPSession;
  blocked: BlockedRequest[];
  errors: string[];
  /** The page's renderer, known once asked (see `collectGarbage`). */
  isolate?: string | undefined;
  /** Settles when the garbage its last document left is collected (see `release`). */
  collected?: Promise<unknown>;
}

const idle = new WeakMap<Browser, PrintPage[]>();

/**
 * A tab for printing, opened in the background. A tab in front draws frames for a screen nobody
 * sees after every change the paginator makes: a background one does not, so its PDF costs less
 * CPU.
 */
async function openTab(browser: Browser): Promise<Page> {
  return browser.newPage({ background: true });
}

/** A print page being opened ahead of its first document (see `openPrintPage`). */
const opening = new WeakMap<Browser, Promise<PrintPage>>();

/**
 * Open a print page for the build's first PDF while the build still reads and parses its
 * sources: a new tab starts a renderer, which then comes up on another core. Taken by the next
 * `paginate` (which opens a page of its own if this one failed).
 */
export function openPrintPage(browser: Browser): Promise<void> {
  // Only a browser with no print page yet: a watch's later builds use the pages it keeps.
  if (opening.has(browser) || idle.get(browser)?.length || kept.get(browser)?.size) return Promise.resolve();
  const page = newPrintPage(browser);
  opening.set(browser, page);
  return page.then(
    () => undefined,
    () => void opening.delete(browser),
  );
}

async function acquire(browser: Browser): Promise<PrintPage> {
  const early = opening.get(browser);
  if (early) {
    opening.delete(browser);
    const entry = await early.catch(() => undefined);
    if (entry) return entry;
  }
  const reused = idle.get(browser)?.pop();
  if (reused) {
    await reused.collected;
    return reused;
  }
  return newPrintPage(browser);
}

async function newPrintPage(browser: Browser): Promise<PrintPage> {
  const page = await openTab(browser);
  const session = await page.createCDPSession();
  // The only requests answered: the fonts the document's rules name (see ../shared/fonts.ts).
  const blocked = await sandboxPage(page, () => false, (url) => fontFile(url)?.then((body) => ({ contentType: "font/woff2", body })), session);
  const errors: string[] = [];
  page.on("pageerror", (error) => errors.push(error instanceof Error ? error.message : String(error)));
  await page.emulateMediaType("print");
  return { page, session, blocked, errors };
}

/**
 * Laid-out pages kept for the next build of the same edition (`watch`), with the document they
 * hold: when only later blocks change (a signatory edit), the pages before them are not laid out
 * again (see `relayout` in in-page.ts).
 */
interface KeptLayout {
  entry: PrintPage;
  shell: string;
  blocks: readonly string[];
}

const kept = new WeakMap<Browser, Map<string, KeptLayout>>();

/**
 * Put a page whose document is printed back for the next one, its renderer's garbage collected
 * at once, while this process post-processes the PDF: what laying out and printing a long
 * document (or a delivery's dozens of copies) leaves behind would otherwise stay until the end of
 * the run, since Chromium is in no hurry to collect it.
 */
function release(browser: Browser, entry: PrintPage): void {
  entry.collected = collect(entry).catch(() => undefined);
  const list = idle.get(browser) ?? [];
  list.push(entry);
  idle.set(browser, list);
}

/** What `paginate` lays out: the print document, and its parts (see template.ts). */
export interface PrintSource {
  html: string;
  blocks: readonly string[];
  shell: string;
}

/**
 * Lay out and print a document. With `copies`, the same pagination is printed again for each other
 * addressee, its first page only (where the address block is, the only text that changes): each
 * such print is given to `onCopy`, with the document's own print, while the next one prints. A
 * copy whose block would change height (a longer name that wraps) is not printed, and the caller
 * lays it out on its own. With `keep` (a name for the edition), the laid-out page is kept for the
 * next document of that name.
 */
export async function paginate(
  browser: Browser,
  source: PrintSource,
  copies: readonly CopyAddress[] = [],
  keep?: string,
  onCopy: (index: number, firstPage: Uint8Array, document: Uint8Array) => void = () => undefined,
): Promise<Printed> {
  const previous = keep ? kept.get(browser)?.get(keep) : undefined;
  if (previous) kept.get(browser)!.delete(keep!);
  const entry = previous?.entry ?? (await acquire(browser));
  const { page, blocked, errors } = entry;
  blocked.length = 0;
  errors.length = 0;
  let ok = false;
  try {
    let report: PaginationReport | null = null;
    if (previous && previous.shell === source.shell) {
      let same = 0;
      while (same < source.blocks.length && same < previous.blocks.length && source.blocks[same] === previous.blocks[same]) same++;
      // Lay out again from the first page the change reaches; null (or a failure) means from scratch.
      report = await page
        .evaluate(
          (blocks: string[], same: number) =>
            (window as unknown as PaginatorWindow).__letterpressRelayout(blocks, same),
          [...source.blocks],
          same,
        )
        .catch(() => null);
      // A failed attempt's errors are not the document's: it is laid out from scratch.
      if (!report) errors.length = 0;
    }
    if (!report) {
      const loaded = page.setContent(source.html, { waitUntil: "load", timeout: 60_000 });
      // A long document keeps Chromium busy for seconds: this process collects meanwhile.
      if (source.html.length >= LONG_DOCUMENT) collectGarbageNow();
      await loaded;
      // One round trip: define the paginator, load every face (nothing is laid out before
      // pagination, print.css, and the paginator must measure with the real fonts), paginate.
      report = (await page.evaluate(paginateScript)) as PaginationReport;
    }
    const pdf = await printPdf(entry.session);
    // Each copy is handed over while the next one prints.
    let handOver: (() => void) | undefined;
    for (const [i, copy] of copies.entries()) {
      const same = await page.evaluate((address: CopyAddress) => {
        const blocks = [...document.querySelectorAll<HTMLElement>("address.recipient")];
        if (blocks.length !== 1) return false;
        const block = blocks[0]!;
        const before = block.getBoundingClientRect().height;
        const paragraphs = [...block.querySelectorAll("p")];
        if (paragraphs.length !== address.lines.length + 1) return false;
        [address.name, ...address.lines].forEach((text, i) => (paragraphs[i]!.textContent = text));
        return Math.abs(block.getBoundingClientRect().height - before) < 0.5;
      }, copy as never);
      if (!same) continue;
      const printing = printPdf(entry.session, "1");
      handOver?.();
      const first = await printing;
      handOver = () => onCopy(i, first, pdf);
    }
    handOver?.();
    ok = true;
    return {
      pdf,
      layout: {
        pages: report.pages,
        keptPages: report.kept,
        splits: report.splits,
        notes: report.notes,
        misplaced: report.placement.filter((p) => p.notePage !== p.callPage).map((p) => p.id),
        unplaced: report.unplaced,
        problems: report.problems,
      },
      blocked: dedupe(blocked),
      errors: [...new Set(errors)],
    };
  } finally {
    // A page that failed half-way is not trusted with the next document.
    if (!ok) await page.close().catch(() => undefined);
    else if (keep && copies.length === 0) {
      // A first layout leaves its garbage as any print does; a relayout's is collected between builds.
      if (!previous) entry.collected = collect(entry).catch(() => undefined);
      const byName = kept.get(browser) ?? new Map<string, KeptLayout>();
      byName.set(keep, { entry, shell: source.shell, blocks: source.blocks });
      kept.set(browser, byName);
    } else release(browser, entry);
  }
}

/**
 * Print the page: the PDF comes back in the command's answer, one round trip (puppeteer's
 * `page.pdf` makes four or more: waiting for fonts in a realm of its own, then reading a stream
 * in chunks), each waiting whenever this process is busy with another output. The parameters are
 * those `page.pdf({ preferCSSPageSize, printBackground, tagged, outline })` sends; the paper size
 * gives way to the CSS page size (A4). `pageRanges` as Chromium reads it ("1"), all pages if empty.
 */
async function printPdf(session: CDPSession, pageRanges = ""): Promise<Uint8Array> {
  const { data } = await session.send("Page.printToPDF", {
    transferMode: "ReturnAsBase64",
    landscape: false,
    displayHeaderFooter: false,
    headerTemplate: "",
    footerTemplate: "",
    printBackground: true,
    scale: 1,
    paperWidth: 8.5,
    paperHeight: 11,
    marginTop: 0,
    marginBottom: 0,
    marginLeft: 0,
    marginRight: 0,
    pageRanges,
    preferCSSPageSize: true,
    generateTaggedPDF: true,
    generateDocumentOutline: true,
  });
  return Buffer.from(data, "base64");
}

/** A full garbage collection in the page's renderer (every page of the renderer shares its heap). */
function collect(entry: PrintPage): Promise<unknown> {
  return entry.session.send("HeapProfiler.collectGarbage");
}

/**
 * Collect the garbage in every renderer that holds one of our print pages, once per renderer
 * (its pages share one heap): between builds of a watch; without it the renderers grow with
 * every rebuild.
 */
export async function collectGarbage(browser: Browser): Promise<void> {
  const entries = [...(idle.get(browser) ?? []), ...[...(kept.get(browser)?.values() ?? [])].map((k) => k.entry)];
  const isolates = await Promise.all(
    entries.map(async (entry) => (entry.isolate ??= (await entry.session.send("Runtime.getIsolateId").catch(() => undefined))?.id)),
  );
  const once = entries.filter((entry, i) => isolates[i] === undefined || isolates.indexOf(isolates[i]) === i);
  await Promise.all(once.map((entry) => collect(entry).catch(() => undefined)));
}

function dedupe(blocked: BlockedRequest[]): BlockedRequest[] {
  const seen = new Set<string>();
  return blocked.filter((b) => (seen.has(b.url) ? false : (seen.add(b.url), true)));
}
