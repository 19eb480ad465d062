/**
 * A PDF incremental update (ISO 32000-1 §7.5.6): Chromium's bytes are kept as they are, and the
 * changed objects, a cross-reference section for just those and a trailer pointing back at
 * Chromium's (`/Prev`) are appended. Loading and saving the whole document (as pdf-lib does)
 * would parse every object and write them all again, which grows with the page count; this reads
 * only the trailer and the few dictionaries it changes. The
 * one change to the original bytes is `overwrite`, a value replaced in place by one no longer, so
 * that no offset moves: Chromium's clock-time dates, which would make every build differ.
 *
 * The reader is deliberately small and knows what Chromium (Skia) writes: a classic `xref` table,
 * plain `N G obj` objects, no object or cross-reference streams, no encryption. Whatever else it
 * meets throws `UnsupportedPdf`, and the caller reports it. Values are kept as the
 * bytes they were written with (latin1: one char per byte), so an object is copied unchanged
 * except for the entries set on it; equal input gives equal output.
 */

export class UnsupportedPdf extends Error {}

function fail(reason: string): never {
  throw new UnsupportedPdf(`Cannot update this PDF incrementally: ${reason}`);
}

export interface Ref {
  num: number;
  gen: number;
}

/** A value as written, with the reference or dictionary it is parsed out. */
export interface Value {
  raw: string;
  /** Where `raw` starts in the file, for a value read from it. */
  at?: number;
  ref?: Ref;
  dict?: Dict;
}

/** Dictionary entries by key (the name without its slash), in the order written. */
export type Dict = Map<string, Value>;

// ------------------------------------------------------------------------------ values

const SPACE = "\0\t\n\f\r ";
const DELIMITER = "()<>[]{}/%";
const regular = (c: string | undefined) => c !== undefined && !SPACE.includes(c) && !DELIMITER.includes(c);
/** The rest of `N G R` after the N. */
const REF_TAIL = /[\0\t\n\f\r ]+(\d+)[\0\t\n\f\r ]+R(?![^\0\t\n\f\r ()<>[\]{}/%])/y;

const decodeName = (name: string) => name.replace(/#([0-9a-fA-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
const encodeName = (name: string) => name.replace(/[^!-~]|[#()<>[\]{}/%]/g, (c) => `#${c.charCodeAt(0).toString(16).padStart(2, "0")}`);

export const raw = (text: string): Value => ({ raw: text });
export const name = (n: string): Value => raw(`/${encodeName(n)}`);
export const reference = (ref: Ref): Value => ({ raw: `${ref.num} ${ref.gen} R`, ref });
export const dictionary = (dict: Dict): Value => ({ raw: serialize(dict), dict });
/** A literal string of ASCII text (dates, language tags). */
export const literal = (text: string): Value => raw(`(${text.replace(/[\\()]/g, "\\$&")})`);
/** `text`'s UTF-16BE code units as hex digits, after a byte order mark unless `bom` is false. */
export function utf16Hex(text: string, bom = true): string {
  let out = bom ? "FEFF" : "";
  for (let i = 0; i < text.length; i++) out += text.charCodeAt(i).toString(16).toUpperCase().padStart(4, "0");
  return out;
}

/** The text of UTF-16BE hex digits (a leading byte order mark dropped). */
export function fromUtf16Hex(hex: string): string {
  const body = /^feff/i.test(hex) ? hex.slice(4) : hex;
  let out = "";
  for (let i = 0; i + 4 <= body.length; i += 4) out += String.fromCharCode(parseInt(body.slice(i, i + 4), 16));
  return out;
}

/** A text string as UTF-16BE with a byte order mark, hex-encoded (as pdf-lib's `PDFHexString.fromText`). */
export const text = (value: string): Value => raw(`<${utf16Hex(value)}>`);

/** An indirect reference in a value's text (`12 0 R`). */
const REFERENCE = /\b(\d+)\s+(\d+)\s+R\b/g;

/** The references in a value: itself, or those of an array such as /Kids. */
export function refsIn(value: Value | undefined): Ref[] {
  if (!value) return [];
  if (value.ref) return [value.ref];
  return [...value.raw.matchAll(REFERENCE)].map((m) => ({ num: Number(m[1]), gen: Number(m[2]) }));
}

/** A value's text with every reference in it replaced by `to`'s answer (objects copied between files). */
export function replaceRefs(value: Value, to: (ref: Ref) => Ref): Value {
  return raw(value.raw.replace(REFERENCE, (_, num: string, gen: string) => {
    const ref = to({ num: Number(num), gen: Number(gen) });
    return `${ref.num} ${ref.gen} R`;
  }));
}
/** A date string, UTC, as pdf-lib writes it. */
export const date = (d: Date): Value => literal(`D:${d.toISOString().replace(/\.\d{3}Z$/, "Z").replace(/[-T:]/g, "")}`);

function serialize(dict: Dict): string {
  return `<<${[...dict].map(([key, value]) => `/${encodeName(key)} ${value.raw}`).join("\n")}>>`;
}

/** Reads one value at a time from latin1 text, which starts at byte `base` of the file. */
class Lexer {
  pos = 0;

  constructor(
    readonly s: string,
    readonly base: number,
  ) {}

  /** Skip white space and comments. */
  skip(): void {
    for (;;) {
      const c = this.s[this.pos];
      if (c === "%") while (this.pos < this.s.length && !"\r\n".includes(this.s[this.pos]!)) this.pos++;
      else if (c !== undefined && SPACE.includes(c)) this.pos++;
      else return;
    }
  }

  /** A run of regular characters: a number, a keyword or a name after its slash. */
  token(): string {
    const start = this.pos;
    while (regular(this.s[this.pos])) this.pos++;
    return this.s.slice(start, this.pos);
  }

  value(): Value {
    this.skip();
    const { s } = this;
    const start = this.pos;
    const value: Value = { raw: "", at: this.base + start };
    if (s.startsWith("<<", start)) {
      const dict: Dict = new Map();
      this.pos += 2;
      for (this.skip(); !s.startsWith(">>", this.pos); this.skip()) {
        if (s[this.pos] !== "/") fail(`dictionary key expected at ${this.pos}`);
        this.pos++;
        dict.set(decodeName(this.token()), this.value());
      }
      this.pos += 2;
      value.dict = dict;
    } else if (s[start] === "[") {
      this.pos++;
      for (this.skip(); s[this.pos] !== "]"; this.skip()) this.value();
      this.pos++;
    } else if (s[start] === "<") {
      const end = s.indexOf(">", start);
      if (end < 0) fail("unterminated hex string");
      this.pos = end + 1;
    } else if (s[start] === "(") {
      // Balanced parentheses; a backslash escapes the next character.
      for (let depth = 0; ; this.pos++) {
        const c = s[this.pos] ?? fail("unterminated string");
        if (c === "\\") this.pos++;
        else if (c === "(") depth++;
        else if (c === ")" && --depth === 0) break;
      }
      this.pos++;
    } else if (s[start] === "/") {
      this.pos++;
      this.token();
    } else {
      const word = this.token();
      if (!word) fail(`unexpected ${JSON.stringify(s[start] ?? "end")} at ${start}`);
      REF_TAIL.lastIndex = this.pos;
      const tail = /^\d+$/.test(word) ? REF_TAIL.exec(s) : null;
      if (tail) {
        value.ref = { num: Number(word), gen: Number(tail[1]) };
        this.pos = REF_TAIL.lastIndex;
      }
    }
    value.raw = s.slice(start, this.pos);
    return value;
  }
}

// ------------------------------------------------------------------------------ the update

/** One cross-reference subsection: objects `first`… at 20-byte entries from `at` in `text`. */
interface Subsection {
  text: string;
  first: number;
  count: number;
  at: number;
}

export class PdfUpdate {
  /** The newest trailer; the update's trailer is a copy with `/Size` and `/Prev` set. */
  readonly trailer: Dict;
  /** The catalog. */
  readonly root: Ref;
  private readonly bytes: Buffer;
  private readonly startxref: number;
  /** Newest section first, so the first entry found for an object is its current one. */
  private readonly subsections: Subsection[] = [];
  private size: number;
  private readonly changed = new Map<number, { gen: number; bytes: Uint8Array }>();
  private readonly patches: Array<{ at: number; bytes: Buffer }> = [];

  constructor(pdf: Uint8Array) {
    this.bytes = Buffer.from(pdf.buffer, pdf.byteOffset, pdf.byteLength);
    const tail = this.bytes.toString("latin1", Math.max(0, pdf.length - 1024));
    const found = /startxref\s+(\d+)\s+%%EOF/y;
    found.lastIndex = tail.lastIndexOf("startxref");
    const startxref = found.lastIndex >= 0 ? found.exec(tail)?.[1] : undefined;
    this.startxref = startxref ? Number(startxref) : fail("no startxref at the end");

    let trailer: Dict | undefined;
    const seen = new Set<number>();
    for (let at: number | undefined = this.startxref; at !== undefined; ) {
      if (seen.has(at)) fail("the /Prev chain loops");
      seen.add(at);
      const section = this.readSection(at);
      trailer ??= section;
      const prev = section.get("Prev");
      at = prev ? Number(prev.raw) : undefined;
      if (at !== undefined && !Number.isSafeInteger(at)) fail("bad /Prev");
    }
    this.trailer = trailer!;
    this.root = this.trailer.get("Root")?.ref ?? fail("no /Root in the trailer");
    this.size = Number(this.trailer.get("Size")?.raw);
    if (!Number.isSafeInteger(this.size)) fail("no /Size in the trailer");
  }

  /** Reads the `xref` table at `offset` and returns its trailer. */
  private readSection(offset: number): Dict {
    const end = this.bytes.indexOf("startxref", offset);
    const lexer = new Lexer(this.bytes.toString("latin1", offset, end < 0 ? offset : end), offset);
    if (!lexer.s.startsWith("xref")) fail(`no xref table at ${offset} (a cross-reference stream?)`);
    lexer.pos = 4;
    const header = /(\d+)[ \t]+(\d+)/y;
    for (lexer.skip(); !lexer.s.startsWith("trailer", lexer.pos); lexer.skip()) {
      header.lastIndex = lexer.pos;
      const [, first, count] = header.exec(lexer.s) ?? fail(`bad xref subsection at ${offset + lexer.pos}`);
      lexer.pos = header.lastIndex;
      lexer.skip();
      this.subsections.push({ text: lexer.s, first: Number(first), count: Number(count), at: lexer.pos });
      lexer.pos += Number(count) * 20;
    }
    lexer.pos += "trailer".length;
    const trailer = lexer.value().dict ?? fail("no trailer dictionary");
    if (trailer.has("Encrypt")) fail("encrypted");
    if (trailer.has("XRefStm")) fail("hybrid cross-reference (XRefStm)");
    return trailer;
  }

  /** Where object `num` is, or undefined when it is free or absent. */
  private entry(num: number): { offset: number; gen: number } | undefined {
    for (const { text, first, count, at } of this.subsections) {
      if (num < first || num >= first + count) continue;
      const start = at + (num - first) * 20;
      const entry = /^(\d{10}) (\d{5}) ([fn])[\r\n ]{2}$/.exec(text.slice(start, start + 20)) ?? fail(`bad xref entry for object ${num}`);
      return entry[3] === "n" ? { offset: Number(entry[1]), gen: Number(entry[2]) } : undefined;
    }
    return undefined;
  }

  /** The dictionary object `ref` as Chromium wrote it (a fresh copy, free to change). */
  dict(ref: Ref): Dict {
    const entry = this.entry(ref.num);
    if (!entry || entry.gen !== ref.gen) fail(`object ${ref.num} ${ref.gen} is not in use`);
    const end = this.bytes.indexOf("endobj", entry.offset);
    const lexer = new Lexer(this.bytes.toString("latin1", entry.offset, end < 0 ? entry.offset : end), entry.offset);
    const header = /(\d+)\s+(\d+)\s+obj/y;
    const [, num, gen] = header.exec(lexer.s) ?? fail(`no object at offset ${entry.offset}`);
    if (Number(num) !== ref.num || Number(gen) !== ref.gen) fail(`object ${ref.num} is not at its offset`);
    lexer.pos = header.lastIndex;
    const dict = lexer.value().dict;
    lexer.skip();
    if (!dict || lexer.pos !== lexer.s.length) fail(`object ${ref.num} is not a plain dictionary`);
    return dict;
  }

  /**
   * A stream object: its dictionary and its raw (still encoded) bytes. The length may be an
   * indirect number, as Chromium writes it.
   */
  stream(ref: Ref): { dict: Dict; data: Buffer } {
    const entry = this.entry(ref.num);
    if (!entry || entry.gen !== ref.gen) fail(`object ${ref.num} ${ref.gen} is not in use`);
    const head = this.bytes.indexOf("stream", entry.offset);
    if (head < 0) fail(`object ${ref.num} is not a stream`);
    const lexer = new Lexer(this.bytes.toString("latin1", entry.offset, head), entry.offset);
    const header = /(\d+)\s+(\d+)\s+obj/y;
    if (!header.exec(lexer.s)) fail(`no object at offset ${entry.offset}`);
    lexer.pos = header.lastIndex;
    const dict = lexer.value().dict ?? fail(`object ${ref.num} is not a stream`);
    lexer.skip();
    if (lexer.pos !== lexer.s.length) fail(`object ${ref.num} is not a stream`);
    const length = dict.get("Length") ?? fail(`stream ${ref.num} has no /Length`);
    const size = Number(length.ref ? this.number(length.ref) : length.raw);
    let start = head + "stream".length;
    if (this.bytes[start] === 0x0d) start++;
    if (this.bytes[start] === 0x0a) start++;
    if (!Number.isSafeInteger(size) || start + size > this.bytes.length) fail(`stream ${ref.num} has a bad /Length`);
    return { dict, data: this.bytes.subarray(start, start + size) };
  }

  /** A number object (such as a stream's indirect /Length). */
  private number(ref: Ref): string {
    const entry = this.entry(ref.num) ?? fail(`object ${ref.num} is not in use`);
    const end = this.bytes.indexOf("endobj", entry.offset);
    const found = /^\s*\d+\s+\d+\s+obj\s+(\d+)\s*$/.exec(this.bytes.toString("latin1", entry.offset, end < 0 ? entry.offset : end));
    return found ? found[1]! : fail(`object ${ref.num} is not a number`);
  }

  /** A dictionary written in place or referred to. */
  resolve(value: Value): Dict {
    return value.dict ?? (value.ref ? this.dict(value.ref) : fail(`${value.raw} is not a dictionary`));
  }

  /** A new object number. */
  add(): Ref {
    return { num: this.size++, gen: 0 };
  }

  /** Writes `dict` (with `stream` as its contents, if given) as the new version of object `ref`. */
  set(ref: Ref, dict: Dict, stream?: Uint8Array): void {
    if (stream) dict.set("Length", raw(String(stream.length)));
    const head = Buffer.from(`${ref.num} ${ref.gen} obj\n${serialize(dict)}\n${stream ? "stream\n" : ""}`, "latin1");
    const bytes = Buffer.concat(stream ? [head, stream, Buffer.from("\nendstream\nendobj\n")] : [head, Buffer.from("endobj\n")]);
    this.changed.set(ref.num, { gen: ref.gen, bytes });
  }

  /**
   * Overwrites a value read from the file, in place, with `replacement` padded with spaces to the
   * same length, for what must not survive in the earlier revision either. Offsets do not move.
   */
  overwrite(value: Value, replacement: string): void {
    if (value.at === undefined || replacement.length > value.raw.length) fail(`cannot overwrite ${value.raw} with ${replacement}`);
    this.patches.push({ at: value.at, bytes: Buffer.from(replacement.padEnd(value.raw.length, " "), "latin1") });
  }

  /** The original bytes (with any overwritten values) followed by the update. */
  save(): Uint8Array {
    const parts: Uint8Array[] = [this.bytes];
    let offset = this.bytes.length;
    const last = this.bytes[offset - 1];
    if (last !== 0x0a && last !== 0x0d) {
      parts.push(Buffer.from("\n"));
      offset++;
    }
    // Objects in number order; a run of consecutive numbers is one xref subsection.
    const nums = [...this.changed.keys()].sort((a, b) => a - b);
    let xref = "xref\n";
    for (let i = 0, j = 1; i < nums.length; i = j++) {
      while (j < nums.length && nums[j] === nums[j - 1]! + 1) j++;
      xref += `${nums[i]} ${j - i}\n`;
      for (const num of nums.slice(i, j)) {
        const { gen, bytes } = this.changed.get(num)!;
        xref += `${String(offset).padStart(10, "0")} ${String(gen).padStart(5, "0")} n \n`;
        parts.push(bytes);
        offset += bytes.length;
      }
    }
    const trailer = new Map(this.trailer).set("Size", raw(String(this.size))).set("Prev", raw(String(this.startxref)));
    parts.push(Buffer.from(`${xref}trailer\n${serialize(trailer)}\nstartxref\n${offset}\n%%EOF\n`, "latin1"));

    const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
    let at = 0;
    for (const p of parts) {
      out.set(p, at);
      at += p.length;
    }
    for (const patch of this.patches) out.set(patch.bytes, patch.at);
    return out;
  }
}
