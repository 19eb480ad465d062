/**
 * The signatories YAML file as something to add to: found through the document's front matter,
 * validated with `loadSignatories`, edited with the `yaml` Document API so comments, blank lines,
 * order and the existing entries stay as they are; new entries are appended to the
 * `organisations` / `individuals` sequences (the pipeline sorts at render time). Writes are
 * atomic and checked with `loadSignatories` before they replace the file. Nothing prints.
 */
import { existsSync } from "node:fs";
import { readFile, rename, unlink, writeFile } from "node:fs/promises";
import path from "node:path";
import { isDeepStrictEqual } from "node:util";
import { Document, isMap, isScalar, isSeq, parseDocument, type ToStringOptions } from "yaml";
import type { VFile } from "vfile";
import { ConfigError } from "../errors.ts";
import { parseMarkdown } from "../parse/markdown.ts";
import { displayPath, readText } from "../parse/read.ts";
import { parseYaml, placeOf } from "../parse/yaml.ts";
import { dedupeKey, loadSignatories, normaliseName } from "./signatories.ts";

export type Kind = "organisation" | "individual";

/** An entry as it is written to the YAML file (keys in this order, empty ones left out). */
export interface NewEntry {
  name: string;
  family?: string;
  affiliation?: string;
  country?: string;
  website?: string;
}

export interface ExistingEntry {
  name: string;
  /** `dedupeKey` of the normalised name. */
  key: string;
  /** Line of the entry's name in the YAML file. */
  line: number;
  fields: Record<string, string>;
}

export interface SignatoriesTarget {
  /** Absolute path of the YAML file. */
  path: string;
  /** Shown in messages (relative to the working directory when below it). */
  display: string;
  /** False when the front matter names a file that does not exist yet (it will be created). */
  exists: boolean;
  existing: Record<Kind, ExistingEntry[]>;
  /** The file's text (BOM stripped, LF line breaks) and how it was written on disk. */
  text: string;
  bom: boolean;
  crlf: boolean;
}

export interface OpenResult {
  /** Files with messages (the document, the signatories file). */
  files: VFile[];
  /** Undefined when the document or the signatories file has errors. */
  target: SignatoriesTarget | undefined;
}

const LIST: Record<Kind, "organisations" | "individuals"> = { organisation: "organisations", individual: "individuals" };

/**
 * Find the signatories file named in the document's front matter (`signatories:`) and read its
 * entries. The file must be valid for `loadSignatories` (else nothing may be added to it).
 */
export async function openSignatories(documentPath: string): Promise<OpenResult> {
  const docFile = await readText(documentPath);
  if (docFile.messages.some((m) => m.fatal)) return { files: [docFile], target: undefined };
  const { frontMatter } = parseMarkdown(docFile);
  if (!frontMatter) return { files: [docFile], target: undefined };
  if (!frontMatter.signatories) {
    throw new ConfigError(`${displayPath(documentPath)} names no signatories file`, {
      hint: "add `signatories: signatories.yaml` to its front matter",
    });
  }
  const absolute = path.resolve(path.dirname(path.resolve(documentPath)), frontMatter.signatories);
  const display = displayPath(absolute);
  if (!existsSync(absolute)) {
    return {
      files: [],
      target: { path: absolute, display, exists: false, existing: { organisation: [], individual: [] }, text: "", bom: false, crlf: false },
    };
  }
  const loaded = await loadSignatories(path.resolve(documentPath), frontMatter.signatories);
  if (!loaded.signatories) return { files: [loaded.file], target: undefined };
  const file = await readText(absolute);
  const text = String(file.value);
  const source = parseYaml(text, file, "letterpress:data");
  if (!source) return { files: [file], target: undefined }; // cannot happen: loadSignatories parsed it
  const raw = await readFile(absolute);
  const data = (source.doc.toJS() ?? {}) as Partial<Record<string, Array<Record<string, unknown>>>>;
  const existing = { organisation: [], individual: [] } as Record<Kind, ExistingEntry[]>;
  for (const kind of ["organisation", "individual"] as const) {
    (data[LIST[kind]] ?? []).forEach((item, index) => {
      const name = normaliseName(String(item.name));
      const place = placeOf(source, [LIST[kind], index, "name"]);
      const fields = Object.fromEntries(Object.entries(item).map(([k, v]) => [k, normaliseName(String(v))]));
      existing[kind].push({ name, key: dedupeKey(name), line: "start" in place ? place.start.line : place.line, fields });
    });
  }
  return {
    files: [],
    target: { path: absolute, display, exists: true, existing, text, bom: raw[0] === 0xef && raw[1] === 0xbb, crlf: raw.includes("\r\n") },
  };
}

export interface Rendered {
  text: string;
  /**
   * True when the existing text could not be kept byte for byte (a layout the YAML writer does
   * not reproduce, and no non-empty block sequence to append to): comments and order are kept,
   * the layout was normalised.
   */
  reformatted: boolean;
}

/**
 * The file's text with `additions` appended to their sequences. The `yaml` Document API does
 * the edit; when its output would change any existing line (it moves a comment written after
 * `individuals:` to the next line, for instance), the new items it renders are inserted after
 * the last existing item instead, so the existing text stays byte-identical.
 */
export function renderWithAdditions(target: SignatoriesTarget, additions: ReadonlyArray<{ kind: Kind; entry: NewEntry }>): Rendered {
  const doc = parseDocument(target.text);
  // Long lines must not be folded (the existing entries have long affiliations); find the
  // sequence indentation the file uses.
  const candidates: ToStringOptions[] = [{ lineWidth: 0 }, { lineWidth: 0, indentSeq: false }];
  const options = target.exists ? candidates.find((o) => doc.toString(o) === target.text) : candidates[0];
  const expected = doc.toJS() as Record<string, unknown> | null;
  let text = options ? undefined : splice(target.text, doc, additions, expected);
  const reformatted = target.exists && !options && text === undefined;
  if (text === undefined) {
    if (!doc.contents || !isMap(doc.contents)) doc.contents = doc.createNode({}) as unknown as typeof doc.contents;
    for (const { kind, entry } of additions) sequence(doc, LIST[kind]).items.push(doc.createNode(ordered(entry)));
    text = doc.toString(options ?? candidates[0]);
  }
  if (target.crlf) text = text.replace(/\n/g, "\r\n");
  if (target.bom) text = `\ufeff${text}`;
  return { text, reformatted };
}

/**
 * Insert the rendered new items after the last item of each (non-empty, block) sequence.
 * Undefined when a sequence is missing, empty or in flow style, or when the result does not
 * parse to the existing data plus the additions.
 */
function splice(text: string, doc: Document, additions: ReadonlyArray<{ kind: Kind; entry: NewEntry }>, before: Record<string, unknown> | null): string | undefined {
  const inserts: Array<{ at: number; text: string }> = [];
  const after = structuredClone(before ?? {}) as Record<string, unknown[]>;
  for (const kind of ["organisation", "individual"] as const) {
    const entries = additions.filter((a) => a.kind === kind).map((a) => ordered(a.entry));
    if (!entries.length) continue;
    const seq = doc.get(LIST[kind], true);
    const last = isSeq(seq) && !seq.flow ? seq.items.at(-1) : undefined;
    if (!isSeq(seq) || !seq.range || !last || !(isMap(last) || isScalar(last)) || !last.range) return undefined;
    const start = seq.range[0];
    const indent = " ".repeat(start - (text.lastIndexOf("\n", start - 1) + 1));
    const end = last.range[1];
    let at = text[end - 1] === "\n" ? end : text.indexOf("\n", end) + 1;
    let prefix = "";
    if (at === 0) {
      at = text.length;
      prefix = "\n";
    }
    const rendered = new Document(entries).toString({ lineWidth: 0, indentSeq: false });
    inserts.push({ at, text: prefix + rendered.replace(/^(?=.)/gm, indent) });
    after[LIST[kind]] = [...(after[LIST[kind]] ?? []), ...entries];
  }
  let out = text;
  for (const insert of inserts.sort((a, b) => b.at - a.at)) out = out.slice(0, insert.at) + insert.text + out.slice(insert.at);
  const check = parseDocument(out);
  return check.errors.length === 0 && isDeepStrictEqual(check.toJS(), after) ? out : undefined;
}

/** The block sequence at `key`, created (keeping comments of an empty value) when missing. */
function sequence(doc: Document, key: string) {
  const node = doc.get(key, true);
  if (isSeq(node)) {
    node.flow = false;
    return node;
  }
  const seq = doc.createNode([]);
  if (isScalar(node)) {
    if (node.commentBefore) seq.commentBefore = node.commentBefore;
    if (node.comment) seq.comment = node.comment;
  }
  doc.set(key, seq);
  return seq;
}

function ordered(entry: NewEntry): NewEntry {
  const out: NewEntry = { name: entry.name };
  for (const key of ["family", "affiliation", "country", "website"] as const) if (entry[key]) out[key] = entry[key];
  return out;
}

export interface Staged {
  /** Replace the signatories file with the staged text. */
  commit(): Promise<void>;
  /** Remove the staged text; the file stays as it was. */
  abort(): Promise<void>;
}

/**
 * Write `text` next to the signatories file and check that `loadSignatories` accepts it; the
 * file itself is replaced (atomically, by a rename) only on `commit()`. Throws a `ConfigError`
 * when the folder is not writable, an `Error` when the result would be invalid (a bug: the
 * entries were validated before).
 */
export async function stageSignatories(target: SignatoriesTarget, text: string): Promise<Staged> {
  const temporary = `${target.path}.${process.pid}.tmp`;
  const abort = () => unlink(temporary).catch(() => undefined);
  await writeFile(temporary, text).catch((error: NodeJS.ErrnoException) => {
    throw new ConfigError(`Cannot write ${target.display} (${error.code ?? String(error)})`, { cause: error });
  });
  try {
    const check = await loadSignatories(target.path, temporary);
    if (!check.signatories) {
      const first = check.file.messages.find((m) => m.fatal);
      throw new Error(`refusing to write ${target.display}: the result would be invalid (${first?.reason ?? "unknown problem"})`);
    }
  } catch (error) {
    await abort();
    throw error;
  }
  return {
    abort,
    commit: async () => {
      try {
        await rename(temporary, target.path);
      } catch (error) {
        await abort();
        throw new ConfigError(`Cannot write ${target.display} (${(error as NodeJS.ErrnoException).code ?? String(error)})`, { cause: error });
      }
    },
  };
}

/** Stage and commit at once. */
export async function writeSignatories(target: SignatoriesTarget, text: string): Promise<void> {
  await (await stageSignatories(target, text)).commit();
}
