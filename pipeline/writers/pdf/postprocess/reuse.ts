/**
 * What post-processing may reuse between PDFs of one edition: the copies of a delivery (which
 * differ from each other in the address block only) and the rebuilds of a watch (which differ
 * from the build before in the pages a change reaches). Each content stream is inflated,
 * rewritten and deflated once, and each ToUnicode map parsed once, for as long as the PDFs keep
 * it; an entry no PDF asked for in the last `postprocess` is dropped, so the store holds about one
 * document's streams.
 *
 * Every entry is a pure function of its key (zlib's output of its input, a rewrite of its
 * stream), except that a rewrite also asks the document's font copies for codes: its calls are
 * kept with their answers and made again on reuse, and the entry is used only if every answer is
 * the same (see `rewrite`). The output is the bytes a fresh run writes.
 */
import { createHash } from "node:crypto";
import { deflateSync, inflateSync } from "node:zlib";
import type { Dict, PdfUpdate, Ref } from "./incremental.ts";

/**
 * Font copies for the glyphs of reversed runs (see actualtext.ts `anchorRun`): the copy of a page font that
 * draws `gid` and reads as `text` with pdf.js, as a resource name and code. A rewrite's calls to
 * it are what the store records and replays (`rewrite`).
 */
export interface GlyphCopies {
  /** The glyph's advance in the font's /W, in thousandths of an em. */
  width(font: string, gid: number): number;
  code(font: string, gid: number, text: string): number;
  /** The copy's resource name. */
  name(font: string): string;
}

interface Entry<T> {
  value: T;
  used: number;
}

/** One kind of entry: a map that forgets what the last sweep saw unused. */
class Store<K, T> {
  private readonly entries = new Map<K, Entry<T>>();

  constructor(private readonly owner: PostprocessReuse) {}

  get(key: K, make: () => T): T {
    let entry = this.entries.get(key);
    if (!entry) {
      entry = { value: make(), used: 0 };
      this.entries.set(key, entry);
    }
    entry.used = this.owner.generation;
    return entry.value;
  }

  sweep(generation: number): void {
    for (const [key, entry] of this.entries) if (entry.used < generation) this.entries.delete(key);
  }
}

/** A call a stream's rewrite made to the font copies, with its answer. */
type CopyCall =
  | { op: "width"; font: string; gid: number; answer: number }
  | { op: "code"; font: string; gid: number; text: string; answer: number }
  | { op: "name"; font: string; answer: string };

function replay(call: CopyCall, copies: GlyphCopies): number | string {
  if (call.op === "width") return copies.width(call.font, call.gid);
  if (call.op === "code") return copies.code(call.font, call.gid, call.text);
  return copies.name(call.font);
}

export class PostprocessReuse {
  generation = 1;
  private readonly inflated = new Store<string, string>(this);
  private readonly deflated = new Store<string, Buffer>(this);
  private readonly parsed = new Store<string, unknown>(this);
  private readonly rewrites = new Store<string, Array<{ text: string; calls: CopyCall[] }>>(this);

  /** `data` inflated, as latin1 text, and a name for the data (its digest). */
  inflate(data: Uint8Array): { text: string; id: string } {
    const id = digest(data);
    // Output chunks about the size of the text (content streams inflate to a few times their
    // size), rather than zlib's default 16 KiB chunks concatenated in a copy at the end. The
    // chunk is dropped once read as text.
    const chunkSize = Math.min(8 << 20, Math.max(16 << 10, data.length * 8));
    return { text: this.inflated.get(id, () => inflateSync(data, { chunkSize }).toString("latin1")), id };
  }

  /** `text` (latin1) deflated at level 6 (zlib's default). */
  deflate(text: string): Buffer {
    return this.deflated.get(text, () => deflateSync(Buffer.from(text, "latin1"), { level: 6 }));
  }

  /**
   * A stream object's dictionary and text (inflated, if FlateDecode), with a name for its bytes;
   * undefined for a filter this does not read.
   */
  decoded(file: PdfUpdate, ref: Ref): { dict: Dict; text: string; id: string } | undefined {
    const { dict, data } = file.stream(ref);
    const filter = dict.get("Filter")?.raw.trim();
    if (filter === undefined) return { dict, text: data.toString("latin1"), id: `raw:${data.toString("latin1")}` };
    if (filter !== "/FlateDecode" || dict.has("DecodeParms")) return undefined;
    return { dict, ...this.inflate(data) };
  }

  /** `parse()` of the stream named `id` (see `inflate`), once. */
  parse<T>(id: string, parse: () => T): T {
    return this.parsed.get(id, parse) as T;
  }

  /**
   * The rewrite of a stream (`key` names its text and fonts): `make` run on `copies` through a
   * recorder, or a stored result whose font-copy calls, made again on `copies`, get the same
   * answers. The calls are idempotent (a code once given is found again), so a replay that
   * diverges leaves the copies as the fresh run that then follows leaves them.
   */
  rewrite(key: string, copies: GlyphCopies, make: (copies: GlyphCopies) => string): string {
    const tried = this.rewrites.get(key, () => []);
    for (const stored of tried) {
      if (stored.calls.every((c) => replay(c, copies) === c.answer)) return stored.text;
    }
    const calls: CopyCall[] = [];
    const text = make({
      width: (font, gid) => {
        const answer = copies.width(font, gid);
        calls.push({ op: "width", font, gid, answer });
        return answer;
      },
      code: (font, gid, text) => {
        const answer = copies.code(font, gid, text);
        calls.push({ op: "code", font, gid, text, answer });
        return answer;
      },
      name: (font) => {
        const answer = copies.name(font);
        calls.push({ op: "name", font, answer });
        return answer;
      },
    });
    // A few variants per stream at most (the same page in documents whose copies differ).
    if (tried.length < 4) tried.push({ text, calls });
    return text;
  }

  /** Ends one PDF's post-processing: what it did not use is dropped. */
  sweep(): void {
    for (const store of [this.inflated, this.deflated, this.parsed, this.rewrites]) store.sweep(this.generation);
    this.generation++;
  }
}

function digest(data: Uint8Array): string {
  return createHash("sha1").update(data).digest("base64");
}
