/*
 * The paginator. Runs inside the print page (plain browser JavaScript, evaluated through the
 * DevTools protocol: the page's own CSP forbids scripts), after the fonts are loaded and with the
 * print media type emulated, so what it measures is what Chromium prints.
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
 * `window.__letterpressPaginate()` returns the facts the writer checks: page count, the note ids
 * in page order, which page each note and its first call ended on, the divided paragraphs.
 */
(() => {
  const MIN_LINES = 2;
  /** Blocks divided between lines. */
  const LINE_SPLIT = "p, li, dd, dt, blockquote, td, th, figcaption, pre";
  /** Blocks never divided. */
  const KEEP_WHOLE = "h1, h2, h3, h4, h5, h6, img, figure, hr, tr, .signatories li, address";
  const HEADING = /^H[1-6]$/;
  /** Tolerance in CSS pixels for rounding in measurements. */
  const EPSILON = 0.5;

  const article = document.querySelector("article.letter");
  const store = document.querySelector(".note-store");
  /** Note id → note element (still in the store until placed). */
  const noteById = new Map();
  if (store) for (const note of store.querySelectorAll(":scope > .fn")) noteById.set(note.id, note);
  /** Each note as the paginator first had it, to put it back whole when pages are laid out again. */
  let noteHtml = new Map();
  /** The article's top-level block each top-level piece comes from (its index in the article). */
  const originOf = new WeakMap();

  // ------------------------------------------------------------------ lines

  /** Text nodes of `block` that belong to its own lines (not to note calls). */
  function textNodes(block) {
    const walker = document.createTreeWalker(block, NodeFilter.SHOW_TEXT, {
      acceptNode(node) {
        const parent = node.parentElement;
        if (parent && parent.closest(".fn-call, .fn-number")) return NodeFilter.FILTER_REJECT;
        return /\S/.test(node.data) ? NodeFilter.FILTER_ACCEPT : NodeFilter.FILTER_REJECT;
      },
    });
    const nodes = [];
    for (let node = walker.nextNode(); node; node = walker.nextNode()) nodes.push(node);
    return nodes;
  }

  /**
   * Where each line of `block` starts: `{ node, offset, top }` in logical order. A text node on
   * one line costs two measurements; a longer one a binary search per line, not one measurement
   * per character.
   */
  function lineStarts(block) {
    const style = getComputedStyle(block);
    const lineHeight = parseFloat(style.lineHeight) || parseFloat(style.fontSize) * 1.4;
    const gap = lineHeight * 0.6;
    const range = document.createRange();
    const topAt = (node, i) => {
      range.setStart(node, i);
      range.setEnd(node, i + 1);
      const rects = range.getClientRects();
      for (const rect of rects) if (rect.height > 0) return rect.top;
      return undefined;
    };
    const starts = [];
    let lineTop = -Infinity;
    const sameLine = (top) => Math.abs(top - lineTop) <= gap;
    for (const node of textNodes(block)) {
      const text = node.data;
      // Offsets of visible characters (a surrogate pair is measured by its first half).
      const chars = [];
      for (let i = 0; i < text.length; i++) {
        const code = text.charCodeAt(i);
        if (code >= 0xdc00 && code <= 0xdfff) continue;
        if (!/\s/.test(text[i])) chars.push(i);
      }
      let from = 0;
      while (from < chars.length) {
        const top = topAt(node, chars[from]);
        if (top === undefined) {
          from++;
          continue;
        }
        if (!sameLine(top)) {
          starts.push({ node, offset: chars[from], top });
          lineTop = top;
        }
        // The last character still on this line: binary search (lines never come back).
        const lastTop = topAt(node, chars[chars.length - 1]);
        if (lastTop !== undefined && sameLine(lastTop)) break;
        let lo = from;
        let hi = chars.length - 1;
        while (hi - lo > 1) {
          const mid = (lo + hi) >> 1;
          const t = topAt(node, chars[mid]);
          if (t !== undefined && sameLine(t)) lo = mid;
          else hi = mid;
        }
        from = hi;
      }
    }
    return starts;
  }

  /** The bottom of line `k` of `block`: where the next line starts, or the block's own bottom. */
  function lineBottom(block, starts, k) {
    return k + 1 < starts.length ? starts[k + 1].top : block.getBoundingClientRect().bottom;
  }

  /** Index of the line (in `starts`) that holds the point before `node`. */
  function lineOf(starts, node) {
    const range = document.createRange();
    let line = 0;
    for (let i = 1; i < starts.length; i++) {
      range.setStart(starts[i].node, starts[i].offset);
      if (range.comparePoint(node, 0) >= 0) line = i;
      else break;
    }
    return line;
  }

  // ------------------------------------------------------------------ pages

  const pages = [];

  function newPage() {
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
    const entry = { page, body, notes, head, foot, number: pages.length + 1 };
    pages.push(entry);
    return entry;
  }

  /** The bottom of the space the body may fill: the top of the notes, or of the bottom margin. */
  function limitOf(p) {
    return p.body.getBoundingClientRect().bottom;
  }

  /** The bottom of the type area. */
  function areaBottom(p) {
    return p.page.getBoundingClientRect().bottom - parseFloat(getComputedStyle(p.page).paddingBottom);
  }

  function fits(p, element) {
    return element.getBoundingClientRect().bottom <= limitOf(p) + EPSILON;
  }

  // ------------------------------------------------------------------ notes

  const placedOn = new Map(); // note id → page number
  /** Parts of notes that did not fit on their page, placed first on the next. */
  let carried = [];

  /** First calls inside `root` whose notes are not placed yet, in order. */
  function pendingCalls(root) {
    return [...root.querySelectorAll("a[data-notes]")].filter((a) => a.dataset.notes.split(" ").some((id) => noteById.has(id) && !placedOn.has(id)));
  }

  /** Place the notes of `call` (and notes first cited inside them) on page `p`; returns them. */
  function placeNotes(p, call) {
    const placed = [];
    const place = (id) => {
      const note = noteById.get(id);
      if (!note || placedOn.has(id)) return;
      p.notes.append(note);
      placedOn.set(id, p.number);
      placed.push(note);
      for (const inner of pendingCalls(note)) for (const innerId of inner.dataset.notes.split(" ")) place(innerId);
    };
    for (const id of call.dataset.notes.split(" ")) place(id);
    return placed;
  }

  function unplace(notes) {
    for (const note of notes) {
      placedOn.delete(note.id);
      store.append(note);
    }
  }

  /** Place the notes of every pending call inside `element`; returns an undo function. */
  function placeAll(p, element) {
    const notes = [];
    for (const call of pendingCalls(element)) notes.push(...placeNotes(p, call));
    return () => unplace(notes);
  }

  // ------------------------------------------------------------------ dividing blocks

  function isMulticol(element) {
    const style = getComputedStyle(element);
    return style.columnCount !== "auto" || style.columnWidth !== "auto";
  }

  /** An empty copy of `element` to hold what follows a break (ids stay with the first piece). */
  function continuation(element) {
    const copy = element.cloneNode(false);
    if (originOf.has(element)) originOf.set(copy, originOf.get(element));
    copy.removeAttribute("id");
    element.dataset.splitTo = "";
    copy.dataset.splitFrom = "";
    delete copy.dataset.splitTo;
    return copy;
  }

  /** Ordered lists get explicit item numbers first, so dividing a list never renumbers it. */
  function numberLists(root) {
    for (const list of root.querySelectorAll("ol")) {
      const items = [...list.children].filter((c) => c.tagName === "LI");
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
  function dropIds(fragment) {
    if (fragment.nodeType === Node.ELEMENT_NODE) fragment.removeAttribute("id");
    for (const el of fragment.querySelectorAll("[id]")) el.removeAttribute("id");
  }

  /**
   * Divide `block`, already on page `p`, so that its first part fits. Returns the rest (to go on
   * the next page), `null` if all of it fits, or `undefined` if it cannot be divided here (it must
   * move as a whole). Notes of the part that stays are placed. With `force` (the block is alone on
   * its page, so moving it would not help), a paragraph keeps its first lines even if their notes
   * do not fit: the notes are then continued on the next page.
   */
  function divide(p, block, force = false) {
    if (block.matches(KEEP_WHOLE)) return undefined;
    if (block.tagName === "TABLE") return divideTable(p, block);
    const blockChildren = [...block.children].filter((c) => getComputedStyle(c).display !== "inline" && !c.matches(".fn-call, br"));
    if (blockChildren.length > 0 && !block.matches("p")) {
      return isMulticol(block) ? divideColumns(p, block) : divideChildren(p, block, blockChildren, force);
    }
    if (block.matches(LINE_SPLIT) || blockChildren.length === 0) return divideLines(p, block, force);
    return undefined;
  }

  function divideChildren(p, block, children, force) {
    for (let i = 0; i < children.length; i++) {
      const child = children[i];
      const undo = placeAll(p, child);
      if (fits(p, child)) continue;
      undo();
      const rest = divide(p, child, force && i === 0);
      if (rest === null) continue;
      let from = i;
      if (rest === undefined) {
        // The child moves whole (with any notes it placed trying), with the headings before it.
        undoNotesOf(child);
        while (from > 0 && HEADING.test(children[from - 1].tagName)) from--;
        if (from === 0) return undefined;
        for (let k = from; k < i; k++) undoNotesOf(children[k]);
      } else from = i + 1;
      const copy = continuation(block);
      if (rest) copy.append(rest);
      for (const c of [...block.childNodes]) {
        if (children.indexOf(c) >= from) copy.append(c);
      }
      // Text and inline nodes after the break go with the blocks they follow.
      return copy;
    }
    return null;
  }

  /** Remove the notes placed for `element` (it moved to the next page before being kept). */
  function undoNotesOf(element) {
    for (const call of element.querySelectorAll("a[data-notes]")) {
      for (const id of call.dataset.notes.split(" ")) {
        const note = noteById.get(id);
        if (note && placedOn.has(id) && note.parentElement !== store) unplace([note]);
      }
    }
  }

  /** A multi-column list: keep as many children as fit (the columns balance, so measure). */
  function divideColumns(p, block) {
    const children = [...block.children];
    const keep = (n) => {
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

  function divideTable(p, table) {
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
    const tbody = body.cloneNode(false);
    tbody.append(...rows.slice(kept));
    copy.append(tbody);
    return copy;
  }

  /** Divide between lines, keeping the notes of the lines that stay. */
  function divideLines(p, block, force) {
    const starts = lineStarts(block);
    if (starts.length < 2 * MIN_LINES && !force) return undefined;
    const calls = pendingCalls(block).map((call) => ({ call, line: lineOf(starts, call) }));
    const undos = [];
    let keep = 0;
    for (let k = 0; k < starts.length; k++) {
      const mine = calls.filter((c) => c.line === k);
      const undo = mine.map((c) => placeAll(p, c.call.parentElement));
      if (lineBottom(block, starts, k) > limitOf(p) + EPSILON) {
        for (const u of undo) u();
        break;
      }
      undos.push(undo);
      keep = k + 1;
    }
    if (keep === starts.length) return null;
    if (starts.length - keep < MIN_LINES && starts.length >= 2 * MIN_LINES) {
      while (undos.length > starts.length - MIN_LINES) for (const u of undos.pop()) u();
      keep = starts.length - MIN_LINES;
    }
    if (keep < MIN_LINES && force) {
      // Alone on the page: keep the first lines and all their notes (continued if need be).
      keep = Math.min(starts.length, MIN_LINES);
      for (const c of calls.filter((c) => c.line < keep)) placeAll(p, c.call.parentElement);
      if (keep === starts.length) return null;
    } else if (keep < MIN_LINES) {
      while (undos.length) for (const u of undos.pop()) u();
      return undefined;
    }
    return splitAt(block, starts[keep]);
  }

  /** Move what follows a line start out of `block` into its continuation, and return that. */
  function splitAt(block, start) {
    const range = document.createRange();
    range.setStart(start.node, start.offset);
    range.setEndAfter(block.lastChild);
    const fragment = range.extractContents();
    dropIds(fragment);
    const copy = continuation(block);
    copy.append(fragment);
    return copy;
  }

  // ------------------------------------------------------------------ notes too long for a page

  /**
   * If the notes of `p` do not fit between the body and the foot of the type area, the note that
   * crosses the line where they must end is divided there, and its end (with any note after it) is
   * carried to the foot of the next page.
   */
  function carryOverflowingNotes(p) {
    if (!p.notes.firstElementChild) return;
    const style = getComputedStyle(p.notes);
    const box = p.notes.getBoundingClientRect();
    const last = p.body.lastElementChild;
    const bodyBottom = last ? last.getBoundingClientRect().bottom : p.body.getBoundingClientRect().top;
    const bottom = areaBottom(p);
    const px = (v) => parseFloat(v) || 0;
    const chrome = px(style.marginTop) + px(style.paddingTop) + px(style.paddingBottom) + px(style.borderTopWidth) + px(style.borderBottomWidth);
    if (box.top - px(style.marginTop) >= bodyBottom - EPSILON && box.bottom <= bottom + EPSILON) return;
    // Where the notes' content must end, in today's coordinates.
    const contentTop = box.top + px(style.borderTopWidth) + px(style.paddingTop);
    const cut = contentTop + Math.max(0, bottom - bodyBottom - chrome);
    const notes = [...p.notes.children];
    const at = notes.findIndex((note) => note.getBoundingClientRect().bottom > cut + EPSILON);
    if (at < 0) return;
    const note = notes[at];
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

  function divideNote(note, bottom) {
    const blocks = [...note.children].filter((c) => !c.matches(".fn-number"));
    for (let i = 0; i < blocks.length; i++) {
      const block = blocks[i];
      if (block.getBoundingClientRect().bottom <= bottom + EPSILON) continue;
      const starts = lineStarts(block);
      const keep = starts.findIndex((_, k) => lineBottom(block, starts, k) > bottom + EPSILON);
      if (keep <= 0 && i === 0) return undefined;
      const copy = continuation(note);
      if (keep > 0) copy.append(splitAt(block, starts[keep]));
      for (const b of blocks.slice(keep > 0 ? i + 1 : i)) copy.append(b);
      return copy;
    }
    return undefined;
  }

  // ------------------------------------------------------------------ the flow

  /** Typical height of a block so far (CSS px), for guessing how many more fit. */
  let typical = 0;

  /**
   * Every measurement forces a layout (about 1 ms each on a long document), so the blocks that
   * likely fill the rest of the page are placed together, with their notes, and measured after
   * one layout. Those that end above the limit stay (they fit with all the batch's notes placed,
   * so with fewer); the rest are taken back, to be placed and divided one at a time.
   */
  function placeBatch(p, queue) {
    if (typical === 0 || full === p) return false;
    const last = p.body.lastElementChild;
    const top = last ? last.getBoundingClientRect().bottom : p.body.getBoundingClientRect().top;
    let room = limitOf(p) - top;
    const batch = [];
    while (batch.length < queue.length && room > typical && batch.length < 16) {
      batch.push(queue[batch.length]);
      room -= typical;
    }
    if (batch.length < 2) return false;
    const undos = batch.map((block) => {
      p.body.append(block);
      return placeAll(p, block);
    });
    const limit = limitOf(p) + EPSILON;
    let kept = 0;
    while (kept < batch.length && batch[kept].getBoundingClientRect().bottom <= limit) kept++;
    if (kept > 0) learn((batch[kept - 1].getBoundingClientRect().bottom - top) / kept);
    if (kept < batch.length) full = p; // the rest goes one block at a time
    for (const undo of undos.slice(kept).reverse()) undo();
    for (const block of batch.slice(kept)) block.remove();
    queue.splice(0, kept);
    return kept > 0;
  }

  /** The page where a batch did not fit whole. */
  let full = null;

  function learn(height) {
    typical = typical === 0 ? height : 0.8 * typical + 0.2 * height;
  }

  function paginate() {
    numberLists(article);
    if (store) numberLists(store);
    noteHtml = new Map([...noteById].map(([id, note]) => [id, note.outerHTML]));
    const queue = [...article.children];
    queue.forEach((block, i) => originOf.set(block, i));
    for (const block of queue) block.remove();
    flow(queue);
  }

  /**
   * Place the blocks of `queue` on pages, starting a new page (with the note pieces `carried`
   * over to it). Each page records how it began, the piece of a divided block at the head of the
   * queue and the note pieces carried over, so that a later layout can start again there.
   */
  function flow(queue) {
    let p;
    const startPage = () => {
      const head = queue[0];
      const waiting = carried;
      p = newPage();
      p.startHead = head && head.dataset.splitFrom !== undefined ? head.outerHTML : null;
      p.startCarried = waiting.map((note) => note.outerHTML);
      carried = [];
      p.notes.append(...waiting);
      carryOverflowingNotes(p);
    };
    startPage();
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
      const block = queue.shift();
      p.body.append(block);
      const undo = placeAll(p, block);
      if (fits(p, block)) {
        learn(block.getBoundingClientRect().height);
        continue;
      }
      undo();
      // The block and the headings just before it, which must not stay behind at the foot.
      const moving = [block];
      while (p.body.firstElementChild !== moving[0] && HEADING.test(moving[0].previousElementSibling?.tagName ?? "")) {
        moving.unshift(moving[0].previousElementSibling);
      }
      const alone = moving[0] === p.body.firstElementChild;
      const rest = divide(p, block, alone);
      if (rest !== undefined) {
        if (rest !== null) queue.unshift(rest);
        if (alone) carryOverflowingNotes(p);
        if (rest !== null) startPage();
        continue;
      }
      if (!alone) {
        // Move the block, and the headings just before it, to the next page.
        for (const m of moving) {
          undoNotesOf(m);
          m.remove();
        }
        queue.unshift(...moving);
        startPage();
        continue;
      }
      // Alone on its page and indivisible: it stays, with its notes (continued if need be); what
      // is still taller than the page is cut at the foot.
      placeAll(p, block);
      carryOverflowingNotes(p);
      if (!fits(p, block)) problems.push({ page: p.number, text: `a ${block.tagName.toLowerCase()} taller than a page is cut on page ${p.number}` });
      startPage();
    }
    while (carried.length > 0) startPage();
  }

  const problems = [];

  /** "Page X of Y" and the running head (not on the first page). */
  function folios() {
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
  function relayout(blocks, same) {
    const firstPageOf = new Map();
    for (const page of pages) {
      for (const el of page.body.children) {
        const origin = originOf.get(el);
        if (origin !== undefined && !firstPageOf.has(origin)) firstPageOf.set(origin, page.number);
      }
    }
    const changedPages = [...firstPageOf].filter(([origin]) => origin >= same).map(([, page]) => page);
    let from = changedPages.length > 0 ? Math.min(...changedPages) : pages.length;
    const starts = (page) => page.body.firstElementChild;
    if (from > 1 && !(originOf.get(starts(pages[from - 1])) < same)) from--;
    // A page whose body is empty (notes only) is laid out again with the one before.
    while (from > 1 && !starts(pages[from - 1])) from--;
    if (from <= 1) return false;
    const restart = pages[from - 1];
    const first = originOf.get(starts(restart));
    if (first === undefined || first >= same || restart.startHead === undefined) return false;

    keptPages = from - 1;
    // Take the pages back: their notes return to the store as the document gave them.
    for (const page of pages.splice(from - 1)) page.page.remove();
    for (const [id, page] of [...placedOn]) {
      if (page < from) continue;
      placedOn.delete(id);
      const fresh = parse(noteHtml.get(id));
      noteById.get(id)?.remove();
      noteById.set(id, fresh);
      store.append(fresh);
    }
    for (let i = problems.length - 1; i >= 0; i--) if (problems[i].page >= from) problems.splice(i, 1);
    carried = restart.startCarried.map(parse);
    full = null;

    // The queue as it was when the page began: the rest of a divided block, then whole blocks.
    const holder = document.createElement("div");
    holder.innerHTML = blocks.slice(restart.startHead ? first + 1 : first).join("");
    numberLists(holder);
    const queue = [...holder.children];
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
  function parse(html) {
    return document.createRange().createContextualFragment(html).firstElementChild;
  }

  /** Pages the last layout kept from the one before (0 for a fresh layout). */
  let keptPages = 0;

  window.__letterpressPaginate = () => {
    if (!article) return { pages: 0, notes: [], unplaced: [], placement: [], splits: [], problems: ["no article"] };
    paginate();
    return report();
  };

  window.__letterpressRelayout = (blocks, same) => {
    if (!article || pages.length === 0 || !relayout(blocks, same)) return null;
    return report();
  };

  function report() {
    folios();
    // The store is empty unless a note was never cited (the model does not allow that).
    const unplaced = [...noteById.keys()].filter((id) => !placedOn.has(id));
    const notes = [...document.querySelectorAll(".page-notes > .fn[id]")].map((n) => n.id);
    const splits = [];
    for (const piece of article.querySelectorAll(".page-body [data-split-to], .page-body [data-split-from]")) {
      if (!piece.matches("p, li, dd, blockquote") || piece.closest(".fn")) continue;
      const page = pages.find((entry) => entry.page.contains(piece));
      splits.push({
        page: page ? page.number : 0,
        lines: lineStarts(piece).length,
        first: piece.dataset.splitFrom === undefined,
        last: piece.dataset.splitTo === undefined,
        text: piece.textContent.trim().slice(0, 40),
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
})();
