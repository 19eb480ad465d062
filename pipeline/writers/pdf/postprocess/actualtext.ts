/**
 * Right-to-left words as whole words in the text layer. Chromium (Skia) writes a right-to-left
 * glyph run in visual order inside `/ReversedChars` marked content, and wraps each glyph whose
 * character is not the one its font's cmap gives it (every contextual form of an Arabic letter) in
 * an `/ActualText` span of its own. Readers then get the run glyph by glyph: pdf.js makes every
 * span a separate text item and so returns the letters in visual order (each word reversed), and
 * poppler places the text of ligatures (lam-alef) at the wrong end of the word.
 *
 * This pass replaces the per-glyph spans of each such run by one span for the run. pdf.js, which
 * ignores ActualText, now sees one uninterrupted run and puts it in logical order with its own bidi
 * pass. The span's `/ActualText` holds the run's characters (each glyph's from its span or,
 * without one, from the font's ToUnicode map) in the run's visual order, as everything inside
 * `/ReversedChars` is: poppler reorders the characters of a right-to-left line itself, including
 * those of an ActualText, and so reads the word in logical order. The glyphs, their positions and
 * the tagged structure's marked content are unchanged.
 */
import { addFontCopies, codeFor, FontCopies, FontWidths, parseToUnicode, type PageFont } from "./fontcopies.ts";
import { joinHyphenatedWords, spanText, type PageText } from "./hyphens.ts";
import { PostprocessReuse, type GlyphCopies } from "./reuse.ts";
import { raw, refsIn, utf16Hex, type Dict, type PdfUpdate, type Ref, type Value } from "./incremental.ts";

const FONT = /^\/(\S+)\s+[\d.]+\s+Tf$/;
const SHOW = /<([0-9a-fA-F]*)>\s*Tj$/;

interface Glyph {
  /** Index of the line that draws it in the object's kept lines, and its place in that line's string. */
  line: number;
  index: number;
  font: string;
  gid: number;
  /** What pdf.js reads for it: the font's ToUnicode text (pdf.js reverses the run's text as a whole). */
  text: string;
}

/** An anchor for pdf.js: a glyph with an advance whose text is a letter, not a mark, space or control. */
function isAnchor(text: string, width: number): boolean {
  return width > 0 && text !== "" && text !== "\0" && !/\p{Mn}/u.test(text) && !/^\s/u.test(text) && !/\p{Cf}$/u.test(text);
}

const GLYPH_LINE = /^(?:(-?[\d.]+) (-?[\d.]+) Td )?<([0-9a-fA-F]+)> Tj$/;
const JOINER = "\u2060";

/**
 * pdf.js (which reads ToUnicode, not ActualText) reads a run glyph by glyph in the order it is
 * drawn, the run's visual order, and then reverses it. It starts a new text item where a glyph
 * does not follow on from the last glyph with an advance and a letter's text, and it gives a glyph
 * whose text holds a combining mark no advance and no place of its own. So a run whose first
 * glyphs are a mark (on the word's last letter) or the advance-less alef of a lam-alef comes out
 * as a fragment, a space, and the rest of the word; and a mark glyph with no ToUnicode text (a
 * ligature of two marks) reads as U+0000 and breaks the word where it is raised.
 *
 * The rewrite draws such a run from copies of its fonts in which each glyph has a code of its own
 * whose ToUnicode text is chosen: a glyph without text reads as its span's text; the leading glyphs
 * read as U+2060 WORD JOINER (which pdf.js skips) and the first letter glyph as the letters before
 * it and its own; what follows from the first mark on is read by one of the leading mark glyphs,
 * now drawn just after that letter. Returns false (nothing changed) when the run has none of
 * these or is in a form this does not handle. The glyphs drawn, and where, do not change.
 */
function anchorRun(kept: string[], glyphs: Glyph[], spanTexts: string[], spans: number[], copies: GlyphCopies): boolean {
  // A glyph without text (a ligature of two marks) reads as its span's text, or as the span's marks
  // where the span's other glyphs read as its letters.
  const missing = (g: Glyph) => g.text === "\0" || g.text === "";
  const texts = glyphs.map((g, i) => {
    const span = spanTexts[i];
    if (!missing(g) || !span) return g.text;
    const others = glyphs.filter((o, j) => j !== i && spans[j] === spans[i]);
    const own = others.length && others.every((o) => !missing(o)) ? span.replace(/\P{M}/gu, "") : span;
    return [...own].reverse().join("");
  });
  let changed = texts.some((t, i) => t !== glyphs[i]!.text);
  const widths = glyphs.map((g) => copies.width(g.font, g.gid));
  const k = texts.findIndex((t, i) => isAnchor(t, widths[i]!));
  let move: { carrier: number; anchor: number } | undefined;
  if (k > 0 && !texts.slice(0, k).some((t) => /^\s/u.test(t))) {
    const all = texts.slice(0, k + 1).join("").replace(/\p{Cf}/gu, "");
    const prefix = /^[^\p{Mn}]*/u.exec(all)![0];
    const rest = all.slice(prefix.length);
    let ok = prefix !== "";
    if (ok && rest !== "") {
      // A leading glyph drawn alone (a mark, preferably) reads the rest, drawn after the letter.
      const alone = (i: number) => GLYPH_LINE.exec(kept[glyphs[i]!.line]!)?.[1] !== undefined && glyphs.filter((g) => g.line === glyphs[i]!.line).length === 1;
      const candidates = [...Array(k).keys()].filter(alone);
      const carrier = candidates.find((i) => /\p{Mn}/u.test(texts[i]!)) ?? candidates[0];
      const after = glyphs[k + 1];
      const between = kept.slice(glyphs[carrier ?? 0]!.line, (after ?? glyphs[k]!).line + 1);
      const positioned = glyphs.slice(carrier ?? 0, k + 2).every((g, i, list) => (i > 0 && list[i - 1]!.line === g.line) || GLYPH_LINE.exec(kept[g.line]!)?.[1] !== undefined);
      ok =
        carrier !== undefined &&
        positioned &&
        alone(k) &&
        (glyphs[carrier + 1]!.line === glyphs[k]!.line || alone(carrier + 1)) &&
        (!after || GLYPH_LINE.exec(kept[after.line]!)?.[1] !== undefined) &&
        !between.some((l) => / Tm$/.test(l));
      if (ok) move = { carrier: carrier!, anchor: k };
    }
    if (ok) {
      for (let i = 0; i < k; i++) texts[i] = JOINER;
      texts[k] = prefix;
      if (move) texts[move.carrier] = rest;
      changed = true;
    }
  }
  if (!changed) return false;

  // Codes from the copies, line by line.
  const codes = new Map<number, string[]>();
  glyphs.forEach((g, i) => {
    const code = copies.code(g.font, g.gid, texts[i]!);
    const list = codes.get(g.line) ?? [];
    list[g.index] = code.toString(16).toUpperCase().padStart(4, "0");
    codes.set(g.line, list);
  });
  for (const [line, list] of codes) kept[line] = kept[line]!.replace(/<[0-9a-fA-F]+> Tj$/, `<${list.join("")}> Tj`);
  for (const [i, line] of kept.entries()) {
    const tf = /^\/(\S+)(\s+[\d.]+\s+Tf)$/.exec(line.trim());
    if (tf && glyphs.some((g) => g.font === tf[1])) kept[i] = `/${copies.name(tf[1]!)}${tf[2]}`;
  }
  if (move) {
    // Td is relative to the line start, which the previous Td set: the offsets are recomputed
    // around the moved line so that every glyph stays where it was.
    const td = (line: number) => {
      const m = GLYPH_LINE.exec(kept[line]!)!;
      return { x: Number(m[1]), y: Number(m[2]), show: kept[line]!.replace(/^.* Td /, "") };
    };
    const set = (line: number, x: number, y: number, show: string) => (kept[line] = `${number(x)} ${number(y)} Td ${show}`);
    const { carrier, anchor } = move;
    const c = td(glyphs[carrier]!.line);
    let dx = 0;
    let dy = 0;
    for (let i = carrier + 1; i <= anchor; i++) {
      if (glyphs[i]!.line === glyphs[i - 1]!.line) continue;
      const t = td(glyphs[i]!.line);
      dx += t.x;
      dy += t.y;
    }
    const next = td(glyphs[carrier + 1]!.line);
    set(glyphs[carrier + 1]!.line, next.x + c.x, next.y + c.y, next.show);
    const after = glyphs[anchor + 1];
    if (after) {
      const a = td(after.line);
      set(after.line, a.x + dx, a.y + dy, a.show);
    }
    const carrierLine = `${number(-dx)} ${number(-dy)} Td ${c.show}`;
    kept.splice(glyphs[anchor]!.line + 1, 0, carrierLine);
    kept.splice(glyphs[carrier]!.line, 1);
  }
  return true;
}

/**
 * One text object (between BT and ET) rewritten, or undefined when it is not a reversed run in the
 * form Chromium writes (then it stays as it is). With `copies`, the run is also drawn from font
 * copies where pdf.js would read it in pieces (see `anchorRun`).
 */
export function rewriteRun(body: string, fonts: ReadonlyMap<string, Map<number, string>>, copies?: GlyphCopies): string | undefined {
  if (!body.includes("/ReversedChars BMC")) return undefined;
  const lines = body.split("\n");
  const kept: string[] = [];
  const stack: Array<{ text: string | undefined; used: boolean; id?: number }> = [];
  const glyphs: string[] = [];
  const records: Glyph[] = [];
  /** Each glyph's span text (on a span's first glyph) and span (-1 for none). */
  const spanTexts: string[] = [];
  const spanIds: number[] = [];
  let font: Map<number, string> | undefined;
  let fontName = "";
  let reversed = 0;
  let spans = 0;
  for (const line of lines) {
    const trimmed = line.trim();
    const span = spanText(trimmed);
    if (span !== undefined) {
      stack.push({ text: span, used: false, id: spans++ });
      continue;
    }
    if (/^\/\S+\s*(<<.*>>\s*)?BDC$|^\/\S+\s+BMC$/.test(trimmed)) {
      if (trimmed === "/ReversedChars BMC") reversed++;
      stack.push({ text: undefined, used: false });
      kept.push(line);
      continue;
    }
    if (trimmed === "EMC") {
      const mark = stack.pop();
      if (!mark) return undefined;
      if (mark.text === undefined) kept.push(line);
      continue;
    }
    const tf = FONT.exec(trimmed);
    if (tf) {
      font = fonts.get(tf[1]!);
      fontName = tf[1]!;
    }
    if (/\bTJ$|'$|"$/.test(trimmed)) return undefined;
    const show = SHOW.exec(trimmed);
    if (show) {
      if (!font || !stack.some((m) => m.text === undefined)) return undefined;
      const span = stack.findLast((m) => m.text !== undefined);
      for (let i = 0; i + 4 <= show[1]!.length; i += 4) {
        const gid = parseInt(show[1]!.slice(i, i + 4), 16);
        const own = span ? (span.used ? "" : span.text!) : "";
        if (span) {
          glyphs.push(own);
          span.used = true;
        } else glyphs.push(font.get(gid) ?? "");
        records.push({ line: kept.length, index: i / 4, font: fontName, gid, text: font.get(gid) ?? "" });
        spanTexts.push(own);
        spanIds.push(span?.id ?? -1);
      }
    }
    kept.push(line);
  }
  if (stack.length !== 0 || reversed !== 1 || glyphs.length === 0) return undefined;
  const anchored = copies !== undefined && records.every((r) => GLYPH_LINE.test(kept[r.line]!.trim())) && anchorRun(kept, records, spanTexts, spanIds, copies);
  if (!spans && !anchored) return undefined;
  // Logical order is the glyphs' texts from the last glyph to the first; the span is written in
  // visual order, character by character (see the module comment).
  const text = [...glyphs.reverse().join("")].reverse().join("");
  return `\n/Span<</ActualText <${utf16Hex(text)}>>> BDC${kept.join("\n")}\nEMC\n`;
}

/**
 * Chromium draws each soft hyphen inside a word as an invisible glyph with no advance, in a span
 * whose ActualText is U+00AD: readers then cut the word there ("Ex", "cel", "len", "cies"). The
 * span and its glyph go; the glyph's offset moves into the next glyph's (Td is relative). The
 * hyphen Chromium draws at a line end is a glyph of its own, not in such a span, and stays.
 */
const SOFT_HYPHEN = /\/Span\s*<<\s*\/ActualText\s*<feff00ad>\s*>>\s*BDC\n(-?[\d.]+) (-?[\d.]+) Td <[0-9a-fA-F]{4}> Tj\nEMC\n(?:(-?[\d.]+) (-?[\d.]+) Td )?/gi;

function number(n: number): string {
  return String(Math.round(n * 1e5) / 1e5);
}

/**
 * A soft hyphen set in another face than its word's (a Cyrillic word's soft hyphens come from
 * the Latin face) is a text object of its own, positioned absolutely: the whole object goes.
 */
const SOFT_HYPHEN_OBJECT = /(^|\n)BT\n\/Span\s*<<\s*\/ActualText\s*<feff00ad>\s*>>\s*BDC\n\/\S+ [\d.]+ Tf\n[-\d. ]+ Tm\n(?:-?[\d.]+ -?[\d.]+ Td )?<[0-9a-fA-F]{4}> Tj\nEMC\nET(?=\n|$)/gi;

/**
 * A ligature across a soft hyphen (`f­fi`): one span for the ligature's glyph and the soft
 * hyphen's invisible glyph after it. That glyph goes (its offset moves into the next glyph's), and
 * the span's text loses the soft hyphen.
 */
const LIGATURE_SOFT_HYPHEN =
  /(\/Span\s*<<\s*\/ActualText\s*<feff(?:[0-9a-f]{4})*00ad(?:[0-9a-f]{4})*>\s*>>\s*BDC\n(?:-?[\d.]+ -?[\d.]+ Td )?<[0-9a-fA-F]{4}> Tj\n)(-?[\d.]+) (-?[\d.]+) Td <[0-9a-fA-F]{4}> Tj\nEMC\n(?:(-?[\d.]+) (-?[\d.]+) Td )?/gi;

export function dropSoftHyphens(content: string): string {
  return content
    .replace(SOFT_HYPHEN_OBJECT, "")
    .replace(LIGATURE_SOFT_HYPHEN, (_, span: string, x: string, y: string, nx?: string, ny?: string) =>
      `${span}EMC\n${nx === undefined ? "" : `${number(Number(x) + Number(nx))} ${number(Number(y) + Number(ny))} Td `}`,
    )
    // A ligature across a soft hyphen (f-fi): its span's text without the soft hyphen.
    .replace(/(\/ActualText\s*<feff)((?:[0-9a-f]{4})+)>/gi, (whole, head: string, body: string) =>
      body.length === 4 ? whole : `${head}${body.match(/.{4}/g)!.filter((c) => c.toLowerCase() !== "00ad").join("")}>`,
    ).replace(SOFT_HYPHEN, (_, x: string, y: string, nx?: string, ny?: string) =>
    nx === undefined ? "" : `${number(Number(x) + Number(nx))} ${number(Number(y) + Number(ny))} Td `,
  );
}

/** A content stream with every reversed run rewritten and soft-hyphen glyphs removed. */
export function rewriteContent(content: string, fonts: ReadonlyMap<string, Map<number, string>>, copies?: GlyphCopies): string {
  if (/<feff(?:[0-9a-f]{4})*00ad/i.test(content)) content = dropSoftHyphens(content);
  return content.replace(/(^|\n)BT(\n[\s\S]*?\n)ET(?=\n|$)/g, (whole, before: string, body: string) => {
    const run = rewriteRun(body, fonts, copies);
    return run === undefined ? whole : `${before}BT${run}ET`;
  });
}

/**
 * Rewrites the content streams of every page (reversed runs, soft hyphens, hyphenated words: see
 * hyphens.ts); returns how many streams were rewritten.
 */
export function updateActualText(file: PdfUpdate, reuse = new PostprocessReuse()): number {
  const catalog = file.dict(file.root);
  /** Each font's glyph → text map, and a name for its ToUnicode stream. */
  const toUnicode = new Map<number, { map: Map<number, string>; id: string }>();
  interface Page {
    ref: Ref;
    resources: Value | undefined;
    contents: Array<{ ref: Ref; dict: Dict; text: string; id: string } | undefined>;
  }
  const pages: Page[] = [];
  const texts: PageText[] = [];
  const fontCopies = new FontCopies();
  const widths = new FontWidths(file);
  const visit = (ref: Ref, inherited: Value | undefined, seen: Set<number>) => {
    if (seen.has(ref.num)) return;
    seen.add(ref.num);
    const node = file.dict(ref);
    const resources = node.get("Resources") ?? inherited;
    if (node.get("Type")?.raw === "/Pages") {
      for (const kid of refsIn(node.get("Kids"))) visit(kid, resources, seen);
      return;
    }
    const fonts = new Map<string, PageFont>();
    /** The fonts as the rewrite sees them: resource names and ToUnicode streams. */
    const fontKey: string[] = [];
    const fontDict = resources ? file.resolve(file.resolve(resources).get("Font") ?? raw("<<>>")) : new Map<string, Value>();
    for (const [key, value] of fontDict) {
      if (!value.ref) continue;
      let found = toUnicode.get(value.ref.num);
      if (!found) {
        const cmap = file.dict(value.ref).get("ToUnicode")?.ref;
        const stream = cmap ? reuse.decoded(file, cmap) : undefined;
        found = stream ? { map: reuse.parse(stream.id, () => parseToUnicode(stream.text)), id: stream.id } : { map: new Map(), id: "" };
        toUnicode.set(value.ref.num, found);
      }
      fonts.set(key, { ref: value.ref, toUnicode: found.map });
      fontKey.push(`${key}=${found.id}`);
    }
    const contents = refsIn(node.get("Contents")).map((content) => {
      const stream = reuse.decoded(file, content);
      return stream && { ref: content, dict: stream.dict, text: stream.text, id: stream.id };
    });
    const byName = new Map([...fonts].map(([key, font]) => [key, font.toUnicode]));
    const page = pages.length;
    const copyOf = (name: string) => fontCopies.copyOf("glyphs", fonts.get(name)!.ref, page);
    const copies: GlyphCopies = {
      width: (name, gid) => {
        const ref = fonts.get(name)?.ref;
        return ref ? widths.of(ref, gid) : 0;
      },
      name: (name) => copyOf(name).name,
      code: (name, gid, text) => codeFor(copyOf(name), gid, text),
    };
    const streams = contents.map((c) => {
      if (!c) return "";
      if (!/\/ReversedChars|<feff(?:[0-9a-f]{4})*00ad/i.test(c.text)) return c.text;
      return reuse.rewrite(`${c.id}\0${fontKey.join("\0")}`, copies, (recorded) => rewriteContent(c.text, byName, recorded));
    });
    pages.push({ ref, resources, contents });
    texts.push({ fonts, streams });
  };
  const root = catalog.get("Pages")?.ref;
  if (root) visit(root, undefined, new Set());

  joinHyphenatedWords(texts, fontCopies);
  addFontCopies(file, fontCopies.list(), pages, widths, reuse);

  let rewritten = 0;
  for (const [i, page] of pages.entries()) {
    for (const [j, content] of page.contents.entries()) {
      const text = texts[i]!.streams[j]!;
      if (!content || text === content.text) continue;
      rewritten++;
      const dict = new Map(content.dict);
      dict.set("Filter", raw("/FlateDecode"));
      dict.delete("DecodeParms");
      file.set(content.ref, dict, reuse.deflate(text));
    }
  }
  return rewritten;
}
