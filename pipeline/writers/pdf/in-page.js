/*
 * Runs inside the print page, after Paged.js (window.Paged) and before preview(). Plain browser
 * JavaScript, evaluated through the DevTools protocol (the page's own CSP forbids scripts).
 *
 * 1. KeepLines: Paged.js 0.4.3 ignores `orphans`/`widows`. When a page break falls inside a
 *    paragraph or list item, move it so that at least two lines stay on each side (or move the
 *    whole block, with a heading that must stay with it, to the next page).
 * 2. finish(): after layout, make the result deterministic and linkable: notes get the model's ids
 *    (`fn-N`) instead of Paged.js's random `note-<uuid>`, calls get the model's reference ids and
 *    numbers, margin boxes become artifacts for assistive technology.
 */
(() => {
  const MIN_LINES = 2;
  const SPLITTABLE = "p, li, dd, blockquote";

  /** Positions (text node, offset) where each line of `block` starts, in logical order. */
  function lineStarts(block) {
    const style = getComputedStyle(block);
    const lineHeight = parseFloat(style.lineHeight) || parseFloat(style.fontSize) * 1.4;
    const walker = document.createTreeWalker(block, NodeFilter.SHOW_TEXT, {
      acceptNode(node) {
        const parent = node.parentElement;
        if (parent && parent.closest("[data-note='footnote'], sup")) return NodeFilter.FILTER_REJECT;
        return NodeFilter.FILTER_ACCEPT;
      },
    });
    const starts = [];
    const range = document.createRange();
    let lineTop = -Infinity;
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const text = node.data;
      for (let i = 0; i < text.length; i++) {
        if (/\s/.test(text[i])) continue;
        range.setStart(node, i);
        range.setEnd(node, i + 1);
        const rect = range.getClientRects()[0];
        if (!rect || rect.height === 0) continue;
        // A new line starts lower down, or at the top of the next column: Paged.js lays the
        // overflowing part of a page out in a column to the right.
        if (Math.abs(rect.top - lineTop) > lineHeight * 0.6) {
          starts.push({ node, offset: i, top: rect.top });
          lineTop = rect.top;
        }
      }
    }
    return starts;
  }

  /** Whether a break before `element` would leave the page without content. */
  function firstOnPage(element, rendered) {
    let node = element;
    while (node && node !== rendered) {
      if (node.previousElementSibling) return false;
      node = node.parentElement;
    }
    return true;
  }

  /** The element to break before when `block` must move: a heading kept with it moves too. */
  function moveTarget(block, rendered) {
    let target = block;
    for (;;) {
      const previous = target.previousElementSibling;
      if (!previous || !/^H[1-6]$/.test(previous.tagName)) break;
      target = previous;
    }
    // A first item of a list moves with the list's heading, if any.
    if (target === block && block.tagName === "LI" && !block.previousElementSibling && block.parentElement !== rendered) {
      const list = block.parentElement;
      const previous = list.previousElementSibling;
      if (previous && /^H[1-6]$/.test(previous.tagName)) target = previous;
    }
    return firstOnPage(target, rendered) ? undefined : target;
  }

  function rangeFrom(setStart, rendered) {
    const range = document.createRange();
    setStart(range);
    range.setEndAfter(rendered.lastChild);
    return range;
  }

  class KeepLines extends window.Paged.Handler {
    onOverflow(overflow, rendered) {
      if (!overflow) return undefined;
      const container = overflow.startContainer;
      if (container.nodeType !== Node.TEXT_NODE) return undefined;
      const block = container.parentElement && container.parentElement.closest(SPLITTABLE);
      if (!block || !rendered.contains(block) || block.closest("[data-note='footnote']")) return undefined;

      const starts = lineStarts(block);
      const breakRange = document.createRange();
      breakRange.setStart(container, overflow.startOffset);
      const before = starts.filter((s) => breakRange.comparePoint(s.node, s.offset) < 0).length;
      const after = starts.length - before;
      if (before === 0 || after === 0) return undefined;

      let keep = before;
      if (after < MIN_LINES) keep = before - (MIN_LINES - after);
      if (keep >= MIN_LINES && keep === before) return undefined;
      if (keep >= MIN_LINES) {
        const start = starts[keep];
        return rangeFrom((r) => r.setStart(start.node, start.offset), rendered);
      }
      const target = moveTarget(block, rendered);
      if (!target) return undefined;
      return rangeFrom((r) => r.setStartBefore(target), rendered);
    }
  }

  window.Paged.registerHandlers(KeepLines);

  window.__letterpressFinish = () => {
    const notes = [...document.querySelectorAll(".pagedjs_footnote_area [data-note-id]")];
    const byRef = new Map();
    for (const note of notes) {
      if (note.dataset.splitFrom) {
        note.removeAttribute("id");
        continue;
      }
      byRef.set(note.dataset.ref, note);
      note.id = note.dataset.noteId;
    }
    let calls = 0;
    for (const call of document.querySelectorAll("[data-footnote-call]")) {
      const note = byRef.get(call.dataset.footnoteCall) ||
        document.querySelector(`[data-note-id][data-ref="${CSS.escape(call.dataset.footnoteCall)}"]`);
      if (!note) continue;
      call.dataset.number = note.dataset.number;
      call.setAttribute("href", `#${note.dataset.noteId}`);
      if (!call.classList.contains("fn-nested")) {
        call.id = note.dataset.refId;
        call.setAttribute("role", "doc-noteref");
        call.setAttribute("aria-label", note.dataset.label);
        calls++;
      } else {
        call.setAttribute("aria-hidden", "true");
      }
    }
    // Any other id Paged.js invented would become a random link destination.
    for (const el of document.querySelectorAll("[id^='note-'][data-ref]")) {
      if (el.id === `note-${el.dataset.ref}`) el.removeAttribute("id");
    }
    for (const box of document.querySelectorAll(".pagedjs_margin")) box.setAttribute("aria-hidden", "true");
    // Paragraph pieces at page breaks, with their line counts (for the writer's widow/orphan check).
    const splits = [];
    for (const piece of document.querySelectorAll(".pagedjs_page_content [data-split-to], .pagedjs_page_content [data-split-from]")) {
      if (!piece.matches(SPLITTABLE) || piece.closest("[data-note='footnote']")) continue;
      const page = piece.closest(".pagedjs_page");
      splits.push({
        page: page ? Number(page.dataset.pageNumber) : 0,
        lines: lineStarts(piece).length,
        first: !piece.dataset.splitFrom,
        last: !piece.dataset.splitTo,
        text: piece.textContent.trim().slice(0, 40),
      });
    }
    return {
      splits,
      pages: document.querySelectorAll(".pagedjs_page").length,
      notes: notes.filter((n) => !n.dataset.splitFrom).map((n) => n.dataset.noteId),
      calls,
      // Which page each note and each call ended on, for the writer's own sanity check.
      placement: notes
        .filter((n) => !n.dataset.splitFrom)
        .map((n) => {
          const call = document.getElementById(n.dataset.refId);
          const pageOf = (el) => {
            const page = el && el.closest(".pagedjs_page");
            return page ? Number(page.dataset.pageNumber) : 0;
          };
          return { id: n.dataset.noteId, notePage: pageOf(n), callPage: pageOf(call) };
        }),
    };
  };
})();
