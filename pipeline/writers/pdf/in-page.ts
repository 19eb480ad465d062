/*
 * The paginator. Runs inside the print page, after the fonts are loaded and with the print media
 * type emulated, so what it measures is what Chromium prints. `installPaginator` is sent to the
 * page as its source text (`paginate.ts`, through the DevTools protocol: the page's own CSP forbids
 * scripts): it must be self-contained, referring to nothing outside its own body but the page's
 * globals. The types below are erased when the pipeline is compiled (esbuild, or tsx/vite in
 * tests), so what reaches the page is plain JavaScript.
 *
 * It moves the article's blocks, in order, into page boxes (`.page` > `.page-body` +
 * `.page-notes`, the size of the type area; print.css). A block that does not fit is divided:
 * a container (list, quotation, section, table) between its children, a paragraph between two
 * lines, never leaving fewer than two lines on either side (orphans, widows) and never leaving a
 * heading at the foot of a page. A note goes to the foot of the page where its first reference
 * lands; the lines whose notes do not fit move on. A note too long for any page continues at the
 * foot of the next one. Each page gets its running head (from page 2) and "Page X of Y"; Chromium
 * then prints one sheet per page box.
 *
 * `__letterpressPaginate()` returns the facts the writer checks (`PaginationReport`): page count,
 * the note ids in page order, which page each note and its first call ended on, the divided
 * paragraphs.
 */

/** A piece of a paragraph that a page break divides. */
export interface SplitPiece {
  page: number;
  lines: number;
  /** The piece is the paragraph's beginning (an orphan if it has one line). */
  first: boolean;
  /** The piece is the paragraph's end (a widow if it has one line). */
  last: boolean;
  text: string;
}

/** What a layout returns to the writer. */
export interface PaginationReport {
  splits: SplitPiece[];
  pages: number;
  /** Pages kept as they were from the previous layout (0 for a fresh layout). */
  kept: number;
  /** Note ids in the footnote areas, in order. */
  notes: string[];
  /** Notes the paginator could not place. */
  unplaced: string[];
  /** Which page each note and its first call ended on. */
  placement: Array<{ id: string; notePage: number; callPage: number }>;
  /** What the paginator had to give up on (content taller than a page). */
  problems: string[];
}

/** The functions the paginator defines on the page's window. */
export interface PaginatorWindow {
  /** Lay out the document from scratch. */
  __letterpressPaginate(): PaginationReport;
  /**
   * Lay out again from the first page a change reaches: `blocks` are the article's new top-level
   * blocks as HTML, the first `same` of them unchanged; null when nothing can be kept.
   */
  __letterpressRelayout(blocks: string[], same: number): PaginationReport | null;
}

/** Where a line of a block starts. */
interface LineStart {
  node: Text;
  offset: number;
  top: number;
}

/** A page box and how it began (see `flow`). */
interface PageBox {
  page: HTMLDivElement;
  body: HTMLDivElement;
  notes: HTMLDivElement;
  head: HTMLDivElement;
  foot: HTMLDivElement;
  number: number;
  /** The rest of a divided block the page began with, as HTML. */
  startHead: string | null;
  /** The note pieces carried over to the page, as HTML. */
  startCarried: string[];
}

/** Defines `PaginatorWindow`'s functions on the page's window. */
export function installPaginator(): void {
  const MIN_LINES = 2;
  /** Blocks divided between lines. */
  const LINE_SPLIT = "p, li, dd, dt, blockquote, td, th, figcaption, pre";
  /** Blocks never divided. */
  const KEEP_WHOLE = "h1, h2, h3, h4, h5, h6, img, figure, hr, tr, .signatories li, address";
  const HEADING = /^H[1-6]$/;
  /** Tolerance in CSS pixels for rounding in measurements. */
  const EPSILON = 0.5;

  const win = window as unknown as PaginatorWindow;
  const found = document.querySelector<HTMLElement>("article.letter");
  if (!found) {
    win.__letterpressPaginate = () => ({ pages: 0, kept: 0, notes: [], unplaced: [], placement: [], splits: [], problems: ["no article"] });
    win.__letterpressRelayout = () => null;
    return;
  }
  const article: HTMLElement = found;
  const store = document.querySelector<HTMLElement>(".note-store");
  /** Note id → note element (still in the store until placed). */
  const noteById = new Map<string, HTMLElement>();
  if (store) for (const note of store.querySelectorAll<HTMLElement>(":scope > .fn")) noteById.set(note.id, note);
  /** Each note as the paginator first had it, to put it back whole when pages are laid out again. */
  let noteHtml = new Map<string, string>();
  /** The article's top-level block each top-level piece comes from (its index in the article). */
  const originOf = new WeakMap<Element, number>();

  // ------------------------------------------------------------------ lines

  /** Text nodes of `block` that belong to its own lines (not to note calls). */
  function textNodes(block: Element): Text[] {
    const walker = document.createTreeWalker(block, NodeFilter.SHOW_TEXT, {
      acceptNode(node: Node) {
        const parent = node.parentElement;
        if (parent && parent.closest(".fn-call, .fn-number")) return NodeFilter.FILTER_REJECT;
        return /\S/.test((node as Text).data) ? NodeFilter.FILTER_ACCEPT : NodeFilter.FILTER_REJECT;
      },
    });
    const nodes: Text[] = [];
    for (let node = walker.nextNode(); node; node = walker.nextNode()) nodes.push(node as Text);
    return nodes;
  }

  /**
   * Where each line of `block` starts: `{ node, offset, top }` in logical order. A text node on
   * one line costs two measurements; a longer one a binary search per line, not one measurement
   * per character.
   */
  function lineStarts(block: Element): LineStart[] {
    const style = getComputedStyle(block);
    const lineHeight = parseFloat(style.lineHeight) || parseFloat(style.fontSize) * 1.4;
    const gap = lineHeight * 0.6;
    const range = document.createRange();
    const topAt = (node: Text, i: number): number | undefined => {
      range.setStart(node, i);
      range.setEnd(node, i + 1);
      // The last box: after a break at a soft hyphen, the first character of the next line also
      // reports the hyphen's box on the line before.
      const rects = [...range.getClientRects()].filter((rect) => rect.height > 0);
      return rects.at(-1)?.top;
    };
    const starts: LineStart[] = [];
    let lineTop = -Infinity;
    const sameLine = (top: number) => Math.abs(top - lineTop) <= gap;
    for (const node of textNodes(block)) {
      const text = node.data;
      // Offsets of visible characters (a surrogate pair is measured by its first half).
      const chars: number[] = [];
      for (let i = 0; i < text.length; i++) {
        const code = text.charCodeAt(i);
        if (code >= 0xdc00 && code <= 0xdfff) continue;
        if (!/[\s\u00ad]/.test(text[i]!)) chars.push(i);
      }
      let from = 0;
      while (from < chars.length) {
        const top = topAt(node, chars[from]!);
        if (top === undefined) {
          from++;
          continue;
        }
        if (!sameLine(top)) {
          starts.push({ node, offset: chars[from]!, top });
          lineTop = top;
        }
        // The last character still on this line: binary search (lines never come back).
        const lastTop = topAt(node, chars[chars.length - 1]!);
        if (lastTop !== undefined && sameLine(lastTop)) break;
        let lo = from;
        let hi = chars.length - 1;
        while (hi - lo > 1) {
          const mid = (lo + hi) >> 1;
          const t = topAt(node, chars[mid]!);
          if (t !== undefined && sameLine(t)) lo = mid;
          else hi = mid;
        }
        from = hi;
      }
    }
    return starts;
  }

  /** The bottom of line `k` of `block`: where the next line starts, or the block's own bottom. */
  function lineBottom(block: Element, starts: LineStart[], k: number): number {
    return k + 1 < starts.length ? starts[k + 1]!.top : block.getBoundingClientRect().bottom;
  }

  /** Index of the line (in `starts`) that holds the point before `node`. */
  function lineOf(starts: LineStart[], node: Node): number {
    const range = document.createRange();
    let line = 0;
    for (let i = 1; i < starts.length; i++) {
      range.setStart(starts[i]!.node, starts[i]!.offset);
      if (range.comparePoint(node, 0) >= 0) line = i;
      else break;
    }
    return line;
  }

  // ------------------------------------------------------------------ fitting justified lines

  /**
   * Word and letter spacing tried for each justified paragraph, in em, least change first: a
   * paragraph is set with the first that leaves the fewest loose lines (mean word gap over `LOOSE`
   * em), then the smallest largest gap. Chromium breaks lines greedily: a slightly narrower space
   * moves a word up to the line before and changes every break after it; a little tracking takes
   * up the slack of a line that a long word (a UN symbol) leaves short.
   */
  const SPACINGS: ReadonlyArray<readonly [word: number, letter: number]> = [
    [0, 0],
    [-0.02, 0],
    [-0.04, 0],
    [0, 0.01],
    [-0.06, 0],
    [0.02, 0],
    [-0.02, 0.01],
    [0, -0.01],
    [-0.04, 0.01],
    [0, 0.02],
    [-0.04, -0.01],
    [-0.02, 0.02],
  ];
  const LOOSE = 0.5;
  /** A space's natural width in em (the editions' faces: Noto Serif 260/1000). */
  const SPACE = 0.26;

  /** The largest word gaps of `block`'s justified lines (in em), as now set. */
  function lineGaps(block: HTMLElement): number[] {
    const style = block.style;
    const before = [style.textAlign, style.textAlignLast];
    style.textAlign = "start";
    style.textAlignLast = "auto";
    const fontSize = parseFloat(getComputedStyle(block).fontSize);
    const wordSpacing = parseFloat(getComputedStyle(block).wordSpacing) || 0;
    // Between two words' boxes: the space with its tracking and the last letter's.
    const letterSpacing = parseFloat(getComputedStyle(block).letterSpacing) || 0;
    const box = block.getBoundingClientRect();
    const padding = parseFloat(getComputedStyle(block).paddingInlineEnd) || 0;
    const rtl = getComputedStyle(block).direction === "rtl";
    const starts = lineStarts(block);
    const range = document.createRange();
    const gaps: number[] = [];
    for (let k = 0; k + 1 < starts.length; k++) {
      range.setStart(starts[k]!.node, starts[k]!.offset);
      range.setEnd(starts[k + 1]!.node, starts[k + 1]!.offset);
      const spaces = range.toString().trim().split(/\s+/).length - 1;
      if (spaces < 1) continue;
      const lineTop = starts[k]!.top;
      let edge = rtl ? Infinity : -Infinity;
      for (const rect of range.getClientRects()) {
        if (rect.width === 0 || Math.abs(rect.top - lineTop) > fontSize) continue;
        edge = rtl ? Math.min(edge, rect.left) : Math.max(edge, rect.right);
      }
      if (!Number.isFinite(edge)) continue;
      const slack = rtl ? edge - box.left : box.right - padding - edge;
      gaps.push(SPACE + (wordSpacing + 2 * letterSpacing) / fontSize + Math.max(0, slack) / spaces / fontSize);
    }
    [style.textAlign, style.textAlignLast] = before as [string, string];
    return gaps;
  }

  /** Sets `block`'s word spacing (see WORD_SPACINGS), once; `block` is in a page body. */
  function fitLines(block: HTMLElement): void {
    if (block.dataset.fitted !== undefined) return;
    block.dataset.fitted = "";
    if (!block.matches(".letter p, .letter li") || getComputedStyle(block).textAlign !== "justify") return;
    let best: { spacing: readonly [number, number]; loose: number; worst: number } | undefined;
    const set = ([word, letter]: readonly [number, number]) => {
      block.style.wordSpacing = word ? `${word}em` : "";
      block.style.letterSpacing = letter ? `${letter}em` : "";
    };
    for (const spacing of SPACINGS) {
      set(spacing);
      const gaps = lineGaps(block);
      const loose = gaps.filter((g) => g > LOOSE).length;
      const worst = Math.max(0, ...gaps);
      if (!best || loose < best.loose || (loose === best.loose && worst < best.worst - 0.02)) best = { spacing, loose, worst };
      if (loose === 0 && worst <= LOOSE) break;
    }
    set(best ? best.spacing : [0, 0]);
    if (!block.getAttribute("style")) block.removeAttribute("style");
  }

  // ------------------------------------------------------------------ pages

  const pages: PageBox[] = [];

  function newPage(): PageBox {
    const page = document.createElement("div");
    page.className = "page";
    const body = document.createElement("div");
    body.className = "page-body";
    const notes = document.createElement("div");
    notes.className = "page-notes";
    // Running head and folio: filled in when the page count is known; not part of the text.
    const head = document.createElement("div");
    head.className = "page-head";
    const foot = document.createElement("div");
    foot.className = "page-foot";
    for (const box of [head, foot]) {
      box.setAttribute("aria-hidden", "true");
      box.dir = article.dir;
    }
    page.append(head, body, notes, foot);
    article.append(page);
    const entry: PageBox = { page, body, notes, head, foot, number: pages.length + 1, startHead: null, startCarried: [] };
    pages.push(entry);
    return entry;
  }

  /** The bottom of the space the body may fill: the top of the notes, or of the bottom margin. */
  function limitOf(p: PageBox): number {
    return p.body.getBoundingClientRect().bottom;
  }

  /** The bottom of the type area. */
  function areaBottom(p: PageBox): number {
    return p.page.getBoundingClientRect().bottom - parseFloat(getComputedStyle(p.page).paddingBottom);
  }

  function fits(p: PageBox, element: Element): boolean {
    return element.getBoundingClientRect().bottom <= limitOf(p) + EPSILON;
  }

  // ------------------------------------------------------------------ notes

  const placedOn = new Map<string, number>(); // note id → page number
  /** Parts of notes that did not fit on their page, placed first on the next. */
  let carried: HTMLElement[] = [];

  /** First calls inside `root` whose notes are not placed yet, in order. */
  function pendingCalls(root: Element): HTMLElement[] {
    return [...root.querySelectorAll<HTMLElement>("a[data-notes]")].filter((a) => a.dataset.notes!.split(" ").some((id) => noteById.has(id) && !placedOn.has(id)));
  }

  /** Place the notes of `call` (and notes first cited inside them) on page `p`; returns them. */
  function placeNotes(p: PageBox, call: HTMLElement): HTMLElement[] {
    const placed: HTMLElement[] = [];
    const place = (id: string) => {
      const note = noteById.get(id);
      if (!note || placedOn.has(id)) return;
      p.notes.append(note);
      placedOn.set(id, p.number);
      placed.push(note);
      for (const inner of pendingCalls(note)) for (const innerId of inner.dataset.notes!.split(" ")) place(innerId);
    };
    for (const id of call.dataset.notes!.split(" ")) place(id);
    return placed;
  }

  function unplace(notes: HTMLElement[]): void {
    for (const note of notes) {
      placedOn.delete(note.id);
      store!.append(note);
    }
  }

  /** Place the notes of every pending call inside `element`; returns an undo function. */
  function placeAll(p: PageBox, element: Element): () => void {
    const notes: HTMLElement[] = [];
    for (const call of pendingCalls(element)) notes.push(...placeNotes(p, call));
    return () => unplace(notes);
  }

  // ------------------------------------------------------------------ dividing blocks

  function isMulticol(element: Element): boolean {
    const style = getComputedStyle(element);
    return style.columnCount !== "auto" || style.columnWidth !== "auto";
  }

  /** An empty copy of `element` to hold what follows a break (ids stay with the first piece). */
  function continuation<T extends HTMLElement>(element: T): T {
    const copy = element.cloneNode(false) as T;
    if (originOf.has(element)) originOf.set(copy, originOf.get(element)!);
    copy.removeAttribute("id");
    element.dataset.splitTo = "";
    copy.dataset.splitFrom = "";
    delete copy.dataset.splitTo;
    return copy;
  }

  /** Ordered lists get explicit item numbers first, so dividing a list never renumbers it. */
  function numberLists(root: ParentNode): void {
    for (const list of root.querySelectorAll("ol")) {
      const items = [...list.children].filter((c): c is HTMLLIElement => c.tagName === "LI");
      const step = list.reversed ? -1 : 1;
      let value = list.hasAttribute("start") ? list.start : list.reversed ? items.length : 1;
      for (const li of items) {
        if (li.hasAttribute("value")) value = li.value;
        li.value = value;
        value += step;
      }
    }
  }

  /** Remove ids from `fragment` that the first piece keeps (a split element exists twice). */
  function dropIds(fragment: DocumentFragment | Element): void {
    if (fragment instanceof Element) fragment.removeAttribute("id");
    for (const el of fragment.querySelectorAll("[id]")) el.removeAttribute("id");
  }

  /**
   * Divide `block`, already on page `p`, so that its first part fits. Returns the rest (to go on
   * the next page), `null` if all of it fits, or `undefined` if it cannot be divided here (it must
   * move as a whole). Notes of the part that stays are placed. With `force` (the block is alone on
   * its page, so moving it would not help), a paragraph keeps its first lines even if their notes
   * do not fit: the notes are then continued on the next page.
   */
  function divide(p: PageBox, block: HTMLElement, force = false): HTMLElement | null | undefined {
    if (block.matches(KEEP_WHOLE)) return undefined;
    if (block instanceof HTMLTableElement) return divideTable(p, block);
    const blockChildren = ([...block.children] as HTMLElement[]).filter((c) => getComputedStyle(c).display !== "inline" && !c.matches(".fn-call, br"));
    if (blockChildren.length > 0 && !block.matches("p")) {
      return isMulticol(block) ? divideColumns(p, block) : divideChildren(p, block, blockChildren, force);
    }
    if (block.matches(LINE_SPLIT) || blockChildren.length === 0) return divideLines(p, block, force);
    return undefined;
  }

  function divideChildren(p: PageBox, block: HTMLElement, children: HTMLElement[], force: boolean): HTMLElement | null | undefined {
    for (let i = 0; i < children.length; i++) {
      const child = children[i]!;
      const undo = placeAll(p, child);
      if (fits(p, child)) continue;
      undo();
      const rest = divide(p, child, force && i === 0);
      if (rest === null) continue;
      let from = i;
      if (rest === undefined) {
        // The child moves whole (with any notes it placed trying), with the headings before it.
        undoNotesOf(child);
        while (from > 0 && HEADING.test(children[from - 1]!.tagName)) from--;
        if (from === 0) return undefined;
        for (let k = from; k < i; k++) undoNotesOf(children[k]!);
      } else from = i + 1;
      const copy = continuation(block);
      if (rest) copy.append(rest);
      for (const c of [...block.childNodes]) {
        if (children.indexOf(c as HTMLElement) >= from) copy.append(c);
      }
      // Text and inline nodes after the break go with the blocks they follow.
      return copy;
    }
    return null;
  }

  /** Remove the notes placed for `element` (it moved to the next page before being kept). */
  function undoNotesOf(element: Element): void {
    for (const call of element.querySelectorAll<HTMLElement>("a[data-notes]")) {
      for (const id of call.dataset.notes!.split(" ")) {
        const note = noteById.get(id);
        if (note && placedOn.has(id) && note.parentElement !== store) unplace([note]);
      }
    }
  }

  /** A multi-column list: keep as many children as fit (the columns balance, so measure). */
  function divideColumns(p: PageBox, block: HTMLElement): HTMLElement | undefined {
    const children = [...block.children];
    const keep = (n: number) => {
      const rest = children.slice(n);
      for (const c of rest) c.remove();
      return () => block.append(...rest);
    };
    let lo = 0;
    let hi = children.length;
    while (hi - lo > 1) {
      const mid = (lo + hi) >> 1;
      const restore = keep(mid);
      const ok = fits(p, block);
      restore();
      if (ok) lo = mid;
      else hi = mid;
    }
    if (lo === 0) return undefined;
    const copy = continuation(block);
    copy.append(...children.slice(lo));
    placeAll(p, block);
    return copy;
  }

  function divideTable(p: PageBox, table: HTMLTableElement): HTMLElement | null | undefined {
    const body = table.tBodies[0];
    if (!body) return undefined;
    const rows = [...body.rows];
    let kept = 0;
    for (const row of rows) {
      const undo = placeAll(p, row);
      if (!fits(p, row)) {
        undo();
        break;
      }
      kept++;
    }
    if (kept === 0 || kept === rows.length) return kept === 0 ? undefined : null;
    const copy = continuation(table);
    if (table.tHead) copy.append(table.tHead.cloneNode(true));
    const tbody = body.cloneNode(false) as HTMLTableSectionElement;
    tbody.append(...rows.slice(kept));
    copy.append(tbody);
    return copy;
  }

  /** Divide between lines, keeping the notes of the lines that stay. */
  function divideLines(p: PageBox, block: HTMLElement, force: boolean): HTMLElement | null | undefined {
    const starts = lineStarts(block);
    if (starts.length < 2 * MIN_LINES && !force) return undefined;
    const calls = pendingCalls(block).map((call) => ({ call, line: lineOf(starts, call) }));
    const undos: Array<Array<() => void>> = [];
    let keep = 0;
    for (let k = 0; k < starts.length; k++) {
      const mine = calls.filter((c) => c.line === k);
      const undo = mine.map((c) => placeAll(p, c.call.parentElement!));
      if (lineBottom(block, starts, k) > limitOf(p) + EPSILON) {
        for (const u of undo) u();
        break;
      }
      undos.push(undo);
      keep = k + 1;
    }
    if (keep === starts.length) return null;
    if (starts.length - keep < MIN_LINES && starts.length >= 2 * MIN_LINES) {
      while (undos.length > starts.length - MIN_LINES) for (const u of undos.pop()!) u();
      keep = starts.length - MIN_LINES;
    }
    if (keep < MIN_LINES && force) {
      // Alone on the page: keep the first lines and all their notes (continued if need be).
      keep = Math.min(starts.length, MIN_LINES);
      for (const c of calls.filter((c) => c.line < keep)) placeAll(p, c.call.parentElement!);
      if (keep === starts.length) return null;
    } else if (keep < MIN_LINES) {
      while (undos.length) for (const u of undos.pop()!) u();
      return undefined;
    }
    return splitAt(block, starts[keep]!);
  }

  /** Move what follows a line start out of `block` into its continuation, and return that. */
  function splitAt<T extends HTMLElement>(block: T, start: LineStart): T {
    const range = document.createRange();
    range.setStart(start.node, start.offset);
    range.setEndAfter(block.lastChild!);
    const fragment = range.extractContents();
    dropIds(fragment);
    // A line that ends at a soft hyphen keeps its hyphen: drawn by the stylesheet (data-hyphen),
    // as a break at a soft hyphen no longer ends the piece.
    const walker = document.createTreeWalker(block, NodeFilter.SHOW_TEXT);
    let last: Text | null = null;
    for (let node = walker.nextNode(); node; node = walker.nextNode()) if ((node as Text).data.trim() !== "") last = node as Text;
    const hyphenated = last !== null && /\u00ad\s*$/.test(last.data);
    if (hyphenated) last!.data = last!.data.replace(/\u00ad\s*$/, "");
    const copy = continuation(block);
    if (hyphenated) block.dataset.hyphen = "";
    delete copy.dataset.hyphen;
    copy.append(fragment);
    return copy;
  }

  // ------------------------------------------------------------------ notes too long for a page

  /**
   * If the notes of `p` do not fit between the body and the foot of the type area, the note that
   * crosses the line where they must end is divided there, and its end (with any note after it) is
   * carried to the foot of the next page.
   */
  function carryOverflowingNotes(p: PageBox): void {
    if (!p.notes.firstElementChild) return;
    const style = getComputedStyle(p.notes);
    const box = p.notes.getBoundingClientRect();
    const last = p.body.lastElementChild;
    const bodyBottom = last ? last.getBoundingClientRect().bottom : p.body.getBoundingClientRect().top;
    const bottom = areaBottom(p);
    const px = (v: string) => parseFloat(v) || 0;
    const chrome = px(style.marginTop) + px(style.paddingTop) + px(style.paddingBottom) + px(style.borderTopWidth) + px(style.borderBottomWidth);
    if (box.top - px(style.marginTop) >= bodyBottom - EPSILON && box.bottom <= bottom + EPSILON) return;
    // Where the notes' content must end, in today's coordinates.
    const contentTop = box.top + px(style.borderTopWidth) + px(style.paddingTop);
    const cut = contentTop + Math.max(0, bottom - bodyBottom - chrome);
    const notes = [...p.notes.children] as HTMLElement[];
    const at = notes.findIndex((note) => note.getBoundingClientRect().bottom > cut + EPSILON);
    if (at < 0) return;
    const note = notes[at]!;
    const after = notes.slice(at + 1);
    for (const n of after) n.remove();
    const piece = divideNote(note, cut);
    if (piece) carried = [piece, ...after, ...carried];
    else if (at === 0 && !last) {
      problems.push({ page: p.number, text: `note ${note.dataset.number} is cut at the foot of page ${p.number}` });
      carried = [...after, ...carried];
    } else {
      note.remove();
      carried = [note, ...after, ...carried];
    }
  }

  function divideNote(note: HTMLElement, bottom: number): HTMLElement | undefined {
    const blocks = ([...note.children] as HTMLElement[]).filter((c) => !c.matches(".fn-number"));
    for (let i = 0; i < blocks.length; i++) {
      const block = blocks[i]!;
      if (block.getBoundingClientRect().bottom <= bottom + EPSILON) continue;
      const starts = lineStarts(block);
      const keep = starts.findIndex((_, k) => lineBottom(block, starts, k) > bottom + EPSILON);
      if (keep <= 0 && i === 0) return undefined;
      const copy = continuation(note);
      if (keep > 0) copy.append(splitAt(block, starts[keep]!));
      for (const b of blocks.slice(keep > 0 ? i + 1 : i)) copy.append(b);
      return copy;
    }
    return undefined;
  }

  // ------------------------------------------------------------------ the flow

  /** Typical height of a block so far (CSS px), for guessing how many more fit. */
  let typical = 0;

  /**
   * Every measurement forces a layout, which is costly on a long document, so the blocks that
   * likely fill the rest of the page are placed together, with their notes, and measured after
   * one layout. Those that end above the limit stay (they fit with all the batch's notes placed,
   * so with fewer); the rest are taken back, to be placed and divided one at a time.
   */
  function placeBatch(p: PageBox, queue: HTMLElement[]): boolean {
    if (typical === 0 || full === p) return false;
    const last = p.body.lastElementChild;
    const top = last ? last.getBoundingClientRect().bottom : p.body.getBoundingClientRect().top;
    let room = limitOf(p) - top;
    const batch: HTMLElement[] = [];
    while (batch.length < queue.length && room > typical && batch.length < 16) {
      batch.push(queue[batch.length]!);
      room -= typical;
    }
    if (batch.length < 2) return false;
    const undos = batch.map((block) => {
      p.body.append(block);
      return placeAll(p, block);
    });
    const limit = limitOf(p) + EPSILON;
    let kept = 0;
    while (kept < batch.length && batch[kept]!.getBoundingClientRect().bottom <= limit) kept++;
    if (kept > 0) learn((batch[kept - 1]!.getBoundingClientRect().bottom - top) / kept);
    if (kept < batch.length) full = p; // the rest goes one block at a time
    for (const undo of undos.slice(kept).reverse()) undo();
    for (const block of batch.slice(kept)) block.remove();
    queue.splice(0, kept);
    return kept > 0;
  }

  /** The page where a batch did not fit whole. */
  let full: PageBox | null = null;

  function learn(height: number): void {
    typical = typical === 0 ? height : 0.8 * typical + 0.2 * height;
  }

  function paginate(): void {
    numberLists(article);
    if (store) numberLists(store);
    noteHtml = new Map([...noteById].map(([id, note]) => [id, note.outerHTML]));
    const queue = [...article.children] as HTMLElement[];
    queue.forEach((block, i) => originOf.set(block, i));
    for (const block of queue) block.remove();
    flow(queue);
  }

  /**
   * Place the blocks of `queue` on pages, starting a new page (with the note pieces `carried`
   * over to it). Each page records how it began, the piece of a divided block at the head of the
   * queue and the note pieces carried over, so that a later layout can start again there.
   */
  function flow(queue: HTMLElement[]): void {
    const startPage = (): PageBox => {
      const head = queue[0];
      const waiting = carried;
      const page = newPage();
      page.startHead = head && head.dataset.splitFrom !== undefined ? head.outerHTML : null;
      page.startCarried = waiting.map((note) => note.outerHTML);
      carried = [];
      page.notes.append(...waiting);
      carryOverflowingNotes(page);
      return page;
    };
    let p = startPage();
    // Each paragraph's word spacing, chosen in a page body's measure before anything is placed.
    for (const block of queue) {
      if (block.dataset.fitted !== undefined) continue;
      p.body.append(block);
      for (const inner of [block, ...block.querySelectorAll<HTMLElement>("p, li")]) fitLines(inner);
      block.remove();
    }
    // A safety net: every step places or divides something, so a document needs a few steps per
    // block; a layout that never settles must not hang the build.
    let steps = 0;
    const limit = 50 * (queue.length + noteById.size) + 1000;
    while (queue.length > 0) {
      if (++steps > limit) {
        problems.push({ page: p.number, text: `pagination did not settle; the rest of the document is cut on page ${p.number}` });
        p.body.append(...queue.splice(0));
        break;
      }
      if (placeBatch(p, queue)) continue;
      const block = queue.shift()!;
      p.body.append(block);
      const undo = placeAll(p, block);
      if (fits(p, block)) {
        learn(block.getBoundingClientRect().height);
        continue;
      }
      undo();
      // The block and the headings just before it, which must not stay behind at the foot.
      const moving = [block];
      while (p.body.firstElementChild !== moving[0] && HEADING.test(moving[0]!.previousElementSibling?.tagName ?? "")) {
        moving.unshift(moving[0]!.previousElementSibling as HTMLElement);
      }
      const alone = moving[0] === p.body.firstElementChild;
      const rest = divide(p, block, alone);
      if (rest !== undefined) {
        if (rest !== null) queue.unshift(rest);
        if (alone) carryOverflowingNotes(p);
        if (rest !== null) p = startPage();
        continue;
      }
      if (!alone) {
        // Move the block, and the headings just before it, to the next page.
        for (const m of moving) {
          undoNotesOf(m);
          m.remove();
        }
        queue.unshift(...moving);
        p = startPage();
        continue;
      }
      // Alone on its page and indivisible: it stays, with its notes (continued if need be); what
      // is still taller than the page is cut at the foot.
      placeAll(p, block);
      carryOverflowingNotes(p);
      if (!fits(p, block)) problems.push({ page: p.number, text: `a ${block.tagName.toLowerCase()} taller than a page is cut on page ${p.number}` });
      p = startPage();
    }
    while (carried.length > 0) p = startPage();
  }

  const problems: Array<{ page: number; text: string }> = [];

  /** "Page X of Y" and the running head (not on the first page). */
  function folios(): void {
    const pageOf = document.body.dataset.pageOf || "{page} / {pages}";
    for (const p of pages) {
      p.foot.textContent = pageOf.replace("{page}", String(p.number)).replace("{pages}", String(pages.length));
      if (p.number > 1) p.head.textContent = document.body.dataset.runningHead || "";
    }
  }

  /**
   * Lay out again from the first page a change can reach, keeping the pages before it as they
   * are: `blocks` are the article's top-level blocks as HTML, of which the first `same` are those
   * of the document being replaced. The pages before the restart are what a fresh layout would
   * make of the same blocks: a page's breaks depend on its own blocks and on the first block of
   * the next page (a heading moves on with it), so when a page's first block changed, the page
   * before it is laid out again too. The restart page begins as it began before: with the rest of
   * a divided block and the note pieces carried over, as recorded. Returns false when nothing
   * can be kept.
   */
  function relayout(blocks: string[], same: number): boolean {
    const firstPageOf = new Map<number, number>();
    for (const page of pages) {
      for (const el of page.body.children) {
        const origin = originOf.get(el);
        if (origin !== undefined && !firstPageOf.has(origin)) firstPageOf.set(origin, page.number);
      }
    }
    const changedPages = [...firstPageOf].filter(([origin]) => origin >= same).map(([, page]) => page);
    let from = changedPages.length > 0 ? Math.min(...changedPages) : pages.length;
    const originOfStart = (page: PageBox) => {
      const start = page.body.firstElementChild;
      return start ? originOf.get(start) : undefined;
    };
    if (from > 1 && !((originOfStart(pages[from - 1]!) ?? Infinity) < same)) from--;
    // A page whose body is empty (notes only) is laid out again with the one before.
    while (from > 1 && !pages[from - 1]!.body.firstElementChild) from--;
    if (from <= 1) return false;
    const restart = pages[from - 1]!;
    const first = originOfStart(restart);
    if (first === undefined || first >= same) return false;

    keptPages = from - 1;
    // Take the pages back: their notes return to the store as the document gave them.
    for (const page of pages.splice(from - 1)) page.page.remove();
    for (const [id, page] of [...placedOn]) {
      if (page < from) continue;
      placedOn.delete(id);
      const fresh = parse(noteHtml.get(id)!);
      noteById.get(id)?.remove();
      noteById.set(id, fresh);
      store!.append(fresh);
    }
    for (let i = problems.length - 1; i >= 0; i--) if (problems[i]!.page >= from) problems.splice(i, 1);
    carried = restart.startCarried.map((html) => parse(html));
    full = null;

    // The queue as it was when the page began: the rest of a divided block, then whole blocks.
    const holder = document.createElement("div");
    holder.innerHTML = blocks.slice(restart.startHead ? first + 1 : first).join("");
    numberLists(holder);
    const queue = [...holder.children] as HTMLElement[];
    queue.forEach((block, i) => originOf.set(block, (restart.startHead ? first + 1 : first) + i));
    for (const block of queue) block.remove();
    if (restart.startHead) {
      const rest = parse(restart.startHead);
      originOf.set(rest, first);
      queue.unshift(rest);
    }
    flow(queue);
    return true;
  }

  /** An element from its HTML. */
  function parse(html: string): HTMLElement {
    return document.createRange().createContextualFragment(html).firstElementChild as HTMLElement;
  }

  /** Pages the last layout kept from the one before (0 for a fresh layout). */
  let keptPages = 0;

  win.__letterpressPaginate = () => {
    paginate();
    return report();
  };

  win.__letterpressRelayout = (blocks, same) => {
    if (pages.length === 0 || !relayout(blocks, same)) return null;
    return report();
  };

  function report(): PaginationReport {
    folios();
    // The store is empty unless a note was never cited (the model does not allow that).
    const unplaced = [...noteById.keys()].filter((id) => !placedOn.has(id));
    const notes = [...document.querySelectorAll(".page-notes > .fn[id]")].map((n) => n.id);
    const splits: SplitPiece[] = [];
    for (const piece of article.querySelectorAll<HTMLElement>(".page-body [data-split-to], .page-body [data-split-from]")) {
      if (!piece.matches("p, li, dd, blockquote") || piece.closest(".fn")) continue;
      const page = pages.find((entry) => entry.page.contains(piece));
      splits.push({
        page: page ? page.number : 0,
        lines: lineStarts(piece).length,
        first: piece.dataset.splitFrom === undefined,
        last: piece.dataset.splitTo === undefined,
        text: (piece.textContent ?? "").trim().slice(0, 40),
      });
    }
    return {
      pages: pages.length,
      kept: keptPages,
      notes,
      unplaced,
      // Which page each note and its first call ended on, for the writer's own check.
      placement: [...placedOn].map(([id, notePage]) => {
        const call = article.querySelector(`a[data-notes~="${CSS.escape(id)}"]`);
        const page = call && pages.find((entry) => entry.page.contains(call));
        return { id, notePage, callPage: page ? page.number : 0 };
      }),
      splits,
      problems: problems.map((problem) => problem.text),
    };
  }
}
