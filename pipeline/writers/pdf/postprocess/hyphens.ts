/**
 * Hyphenated words read whole. Where Chromium breaks a line at a soft hyphen it draws the hyphen
 * as a text object of its own after the line's text (so does print.css for a page's last line), and the rest of the word starts the next line
 * (on the next page, for a page's last line). Readers would get two pieces, `commu-` and
 * `nications`. This pass makes every reader get the word once, where it starts:
 *
 * - the hyphen is drawn from a copy of its font in which its glyph has a character code of its own
 *   per rest of word (the copy's CIDToGIDMap sends the code to the hyphen's glyph), whose ToUnicode
 *   text is that rest, and it is wrapped in a span whose `/ActualText` is the rest as well;
 * - the rest of the word on the next line is drawn from a copy of its font whose ToUnicode maps its
 *   codes to a space, in a span whose `/ActualText` is empty.
 *
 * poppler reads ActualText, pdf.js reads ToUnicode (it ignores ActualText): both then read
 * `communications` on the first line and nothing before the next line's first space. What is
 * drawn, and where, does not change.
 */
import { codeFor, type FontCopies, type PageFont } from "./fontcopies.ts";
import { fromUtf16Hex, utf16Hex } from "./incremental.ts";

export interface PageText {
  fonts: Map<string, PageFont>;
  /** The page's decoded content streams, rewritten in place. */
  streams: string[];
}

interface TextObject {
  stream: number;
  /** Offsets of the object's body (between `BT\n` and `\nET`) in its stream. */
  start: number;
  end: number;
  body: string;
  font?: string;
  size?: number;
  y?: number;
}

/**
 * The hyphen Chromium draws at a break at a soft hyphen: hyphen-minus (the faces have no U+2010),
 * in a text object of its own placed by its own text matrix. A word's own hyphen is drawn inside
 * its run, or (a Cyrillic word's, from the Latin face) in an object placed from the line's start.
 */
const HYPHENS = new Set(["-", "\u2010"]);
const LETTER = /[\p{L}\p{M}]$/u;
const SHOW = /^(?:(-?[\d.]+ -?[\d.]+ Td) )?<([0-9a-fA-F]{4})> Tj$/;
/**
 * A span with its ActualText, as Chromium opens one in a content stream: a hex string (UTF-16BE),
 * or a literal string for ASCII text (a mirrored bracket in a right-to-left run: `(\\()`).
 */
const SPAN = /^\/Span\s*<<\s*\/ActualText\s*(?:<([0-9a-fA-F]*)>|\(((?:[^()\\]|\\.)*)\))\s*>>\s*BDC$/;

const ESCAPES: Record<string, string> = { n: "\n", r: "\r", t: "\t", b: "\b", f: "\f" };

/** The ActualText of a line that opens a span, or undefined for any other line. */
export function spanText(line: string): string | undefined {
  const span = SPAN.exec(line);
  if (!span) return undefined;
  if (span[1] !== undefined) return fromUtf16Hex(span[1]);
  return span[2]!.replace(/\\([0-7]{1,3}|.)/g, (_, c: string) => (/^[0-7]/.test(c) ? String.fromCharCode(parseInt(c, 8)) : (ESCAPES[c] ?? c)));
}

function textObjects(page: PageText): TextObject[] {
  const out: TextObject[] = [];
  page.streams.forEach((content, stream) => {
    for (const m of content.matchAll(/(?:^|\n)BT\n([\s\S]*?)\nET(?=\n|$)/g)) {
      const body = m[1]!;
      const start = m.index + m[0].indexOf("BT\n") + 3;
      const tf = /^\/(\S+) ([\d.]+) Tf$/m.exec(body);
      const tm = /^-?[\d.]+ -?[\d.]+ -?[\d.]+ -?[\d.]+ -?[\d.]+ (-?[\d.]+) Tm$/m.exec(body);
      out.push({
        stream,
        start,
        end: start + body.length,
        body,
        ...(tf ? { font: tf[1]!, size: Number(tf[2]) } : {}),
        ...(tm ? { y: Number(tm[1]) } : {}),
      });
    }
  });
  return out;
}

/**
 * The text of an object's last glyph: that of the last line that shows glyphs in a font the page
 * has, in the font the last `Tf` before it sets. Read from the end: the object (a whole line of
 * text) is not split into lines for the one glyph at its end.
 */
function lastText(object: TextObject, fonts: Map<string, PageFont>): string {
  const { body } = object;
  /** The last glyph code of the latest show line not yet known to be in a missing font. */
  let shown: string | undefined;
  for (let end = body.length; end >= 0; ) {
    const start = end > 0 ? body.lastIndexOf("\n", end - 1) + 1 : 0;
    const line = body.slice(start, end);
    end = start - 1;
    const tf = /^\/(\S+) [\d.]+ Tf$/.exec(line);
    if (tf) {
      if (shown === undefined) continue;
      const font = fonts.get(tf[1]!);
      // Every show line between this Tf and the next is in its font: without it, none counts.
      if (font) return font.toUnicode.get(parseInt(shown, 16)) ?? "";
      shown = undefined;
      continue;
    }
    const show = shown === undefined ? /<([0-9a-fA-F]+)> Tj$/.exec(line) : null;
    if (show) shown = show[1]!.slice(-4);
  }
  return "";
}

/** The hyphen object's font and glyph, if the object is a lone hyphen. */
function loneHyphen(object: TextObject, fonts: Map<string, PageFont>): { font: string; gid: number } | undefined {
  const m = /^\/(\S+) [\d.]+ Tf\n[-\d. ]+ Tm\n<([0-9a-fA-F]{4})> Tj$/.exec(object.body);
  if (!m) return undefined;
  const gid = parseInt(m[2]!, 16);
  return HYPHENS.has(fonts.get(m[1]!)?.toUnicode.get(gid) ?? "") ? { font: m[1]!, gid } : undefined;
}

interface Piece {
  object: TextObject;
  /** Lines of the object's body that draw part of the rest of the word (from index `from` to `to`, exclusive). */
  from: number;
  to: number;
}

/**
 * The part of the rest of the word in one text object: its lines up to the first space, the text
 * they draw, and whether the word ends in this object. Undefined when the object is not in the form
 * Chromium writes.
 */
function partOfWord(object: TextObject, fonts: Map<string, PageFont>): { piece: Piece; text: string; ended: boolean } | undefined {
  const lines = object.body.split("\n");
  const tm = lines.findIndex((l) => / Tm$/.test(l));
  if (tm < 0 || !/^\/\S+ [\d.]+ Tf$/.test(lines[0] ?? "")) return undefined;
  let font = /^\/(\S+)/.exec(lines[0]!)![1]!;
  let span: string | undefined;
  let text = "";
  let ended = false;
  let i = tm + 1;
  for (; i < lines.length && !ended; i++) {
    const line = lines[i]!;
    const tf = /^\/(\S+) [\d.]+ Tf$/.exec(line);
    if (tf) {
      font = tf[1]!;
      continue;
    }
    const open = spanText(line);
    if (open !== undefined) {
      if (span !== undefined) return undefined;
      span = open;
      continue;
    }
    if (line === "EMC") {
      if (span === undefined) return undefined;
      text += span;
      span = undefined;
      continue;
    }
    const show = SHOW.exec(line);
    if (!show) return undefined;
    const glyph = fonts.get(font)?.toUnicode.get(parseInt(show[2]!, 16));
    if (glyph === undefined) return undefined;
    if (span === undefined && /^\s+$/.test(glyph)) {
      ended = true;
      break;
    }
    if (span === undefined) text += glyph;
  }
  if (span !== undefined) return undefined;
  return { piece: { object, from: tm + 1, to: i }, text: text.replace(/\u00ad/g, ""), ended: ended || i < lines.length };
}

/**
 * The rest of the word at the start of a line: the glyphs before the line's first space, in one
 * text object or in several on the same line (a Cyrillic word's syllables are objects of their own).
 */
function restOfWord(objects: TextObject[], first: number, fonts: Map<string, PageFont>): { pieces: Piece[]; text: string } | undefined {
  const pieces: Piece[] = [];
  let text = "";
  const y = objects[first]!.y;
  for (let i = first; i < objects.length && objects[i]!.y === y; i++) {
    const part = partOfWord(objects[i]!, fonts);
    if (!part) return undefined;
    if (part.piece.to > part.piece.from) pieces.push(part.piece);
    text += part.text;
    if (part.ended) break;
  }
  if (!pieces.length || !/^[\p{L}\p{M}]/u.test(text)) return undefined;
  return { pieces, text };
}

/**
 * Joins the hyphenated words of a document's pages (in page order): rewrites the streams, asking
 * `copies` for the font copies they draw from.
 */
export function joinHyphenatedWords(pages: PageText[], copies: FontCopies): void {
  const copyOf = (kind: "hyphen" | "silent", font: PageFont, page: number) => copies.copyOf(kind, font.ref, page);
  const objects = pages.map(textObjects);
  // Edits by page and stream: [start, end, replacement], applied back to front.
  const edits = pages.map((p) => p.streams.map(() => [] as Array<[number, number, string]>));

  for (const [p, list] of objects.entries()) {
    const fonts = pages[p]!.fonts;
    for (const [i, object] of list.entries()) {
      const hyphen = loneHyphen(object, fonts);
      const before = list[i - 1];
      if (!hyphen || !before || object.y === undefined || before.y === undefined || Math.abs(before.y - object.y) > 0.5) continue;
      if (!LETTER.test(lastText(before, fonts))) continue;
      // The next line: the next object of the same size just below, or the first of that size on the next page.
      const size = object.size!;
      let next: { page: number; object: TextObject } | undefined;
      const after = list[i + 1];
      if (after && after.size === size && after.y !== undefined && after.y > object.y && after.y <= object.y + 2.5 * size) next = { page: p, object: after };
      else if (!list.slice(i + 1).some((o) => o.size === size)) {
        const first = objects[p + 1]?.find((o) => o.size === size);
        if (first) next = { page: p + 1, object: first };
      }
      if (!next) continue;
      const nextFonts = pages[next.page]!.fonts;
      const rest = restOfWord(objects[next.page]!, objects[next.page]!.indexOf(next.object), nextFonts);
      if (!rest) continue;

      // The hyphen: a code of its own in the hyphen copy of its font.
      const hyphenCopy = copyOf("hyphen", fonts.get(hyphen.font)!, p);
      const code = codeFor(hyphenCopy, hyphen.gid, rest.text);
      const body = object.body
        .replace(/^\/\S+ /, `/Span<</ActualText <${utf16Hex(rest.text)}>>> BDC\n/${hyphenCopy.name} `)
        .replace(/<[0-9a-fA-F]{4}> Tj$/, `<${code.toString(16).toUpperCase().padStart(4, "0")}> Tj\nEMC`);
      edits[p]![object.stream]!.push([object.start, object.end, body]);

      // The rest of the word: silent, from the silent copies of its fonts.
      const silentOf = (fontName: string) => copyOf("silent", nextFonts.get(fontName)!, next.page);
      for (const piece of rest.pieces) {
        const lines = piece.object.body.split("\n");
        const font = /^\/(\S+) ([\d.]+) Tf$/.exec(lines[0]!)!;
        let current = { name: font[1]!, size: font[2]! };
        const out: string[] = lines.slice(0, piece.from);
        out.push("/Span<</ActualText <FEFF>>> BDC", `/${silentOf(current.name).name} ${current.size} Tf`);
        for (const line of lines.slice(piece.from, piece.to)) {
          const tf = /^\/(\S+) ([\d.]+) Tf$/.exec(line);
          if (tf) {
            current = { name: tf[1]!, size: tf[2]! };
            out.push(`/${silentOf(current.name).name} ${current.size} Tf`);
            continue;
          }
          if (spanText(line) !== undefined || line === "EMC") continue;
          const gid = parseInt(SHOW.exec(line)![2]!, 16);
          silentOf(current.name).codes.set(gid, { gid, text: " " });
          out.push(line);
        }
        out.push("EMC", `/${current.name} ${current.size} Tf`, ...lines.slice(piece.to));
        edits[next.page]![piece.object.stream]!.push([piece.object.start, piece.object.end, out.join("\n")]);
      }
    }
  }

  for (const [p, page] of pages.entries()) {
    for (const [s, list] of edits[p]!.entries()) {
      const source = page.streams[s]!;
      // An object may be both a hyphen's next line and... never: a lone hyphen is no line. One edit
      // per object. The edits are applied front to back into a list of pieces joined once: cutting
      // the stream again for each edit copies all of it every time.
      const pieces: string[] = [];
      let at = 0;
      for (const [start, end, body] of list.sort((a, b) => a[0] - b[0])) {
        pieces.push(source.slice(at, start), body);
        at = end;
      }
      pieces.push(source.slice(at));
      let text = pieces.join("");
      // A hyphen drawn after its paragraph's marked content closed (print.css's, at a page's last
      // line) joins it, so that the tagged paragraph holds the word too.
      text = text.replace(/\nEMC\nBT\n(\/Span<<\/ActualText <[0-9A-F]+>>> BDC\n\/LPH\d+ [\d.]+ Tf\n[-\d. ]+ Tm\n<[0-9A-F]{4}> Tj\nEMC\n)ET(?=\n)/g, "\nBT\n$1ET\nEMC");
      page.streams[s] = text;
    }
  }
}
