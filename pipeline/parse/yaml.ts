/**
 * YAML with positions: parse errors and schema problems become vfile messages that point at the
 * line and column of the offending node, in the file the YAML came from (even when the YAML is a
 * front-matter block inside a Markdown file).
 */
import { isNode, LineCounter, parseDocument, type Document } from "yaml";
import type { Point, Position } from "unist";
import type { VFile } from "vfile";
import type { z } from "zod";
import { closest, didYouMean } from "../suggest.ts";

export interface YamlSource {
  doc: Document;
  /** Convert an offset inside the YAML text to a point in the file. */
  point(offset: number): { line: number; column: number };
}

/**
 * Parse YAML text that starts at `lineOffset` lines into `file` (0 for a whole file).
 * Syntax errors are reported as `yaml-syntax` errors; returns undefined when the text is unusable.
 */
export function parseYaml(text: string, file: VFile, ruleSource: string, lineOffset = 0): YamlSource | undefined {
  const counter = new LineCounter();
  const doc = parseDocument(text, { lineCounter: counter, prettyErrors: false, uniqueKeys: true });
  const point = (offset: number) => {
    const p = counter.linePos(offset);
    return { line: p.line + lineOffset, column: p.col };
  };
  // One mistake, one message: the parser's later errors are mostly the first one's consequences.
  const error = doc.errors[0];
  if (error) {
    const { reason, offset } = explain(text, error.code, error.message.split("\n")[0] ?? error.message, error.pos[0], doc.errors.map((e) => e.code));
    file.message(`Invalid YAML: ${reason}`, { place: point(offset), ruleId: "yaml-syntax", source: ruleSource }).fatal = true;
  }
  return doc.errors.length > 0 ? undefined : { doc, point };
}

/**
 * The parser's error in plain words, placed where the mistake is rather than where the parser
 * gave up (an unclosed quote or bracket is reported at the end of the text; it is found at its
 * opening).
 */
function explain(text: string, code: string, message: string, offset: number, codes: readonly string[]): { reason: string; offset: number } {
  const lineStart = (at: number) => text.lastIndexOf("\n", at - 1) + 1;
  const lineEnd = (at: number) => (text.indexOf("\n", at) < 0 ? text.length : text.indexOf("\n", at));
  /** The last `open` before `at` that no `close` follows. */
  const unclosed = (open: string, close: string) => {
    let depth = 0;
    for (let i = Math.min(at(offset), text.length - 1); i >= 0; i--) {
      if (text[i] === close) depth++;
      else if (text[i] === open && depth-- === 0) return i;
    }
    return -1;
  };
  const at = (o: number) => Math.max(0, Math.min(o, text.length));
  if (code === "MISSING_CHAR" && /quote/.test(message)) {
    const quote = /closing (["'])/.exec(message)?.[1] ?? '"';
    // The opening quote: the first line before the error with an odd number of them.
    for (let start = lineStart(offset), guard = 0; guard < 1000; guard++) {
      const line = text.slice(start, lineEnd(start));
      const count = [...line].filter((c) => c === quote).length;
      if (count % 2 === 1) return { reason: `the text quoted with ${quote} here has no closing ${quote}`, offset: start + line.indexOf(quote) };
      if (start === 0) break;
      start = lineStart(start - 1);
    }
    return { reason: `a text in ${quote} quotes has no closing ${quote}`, offset };
  }
  if (code === "BAD_INDENT" && /Flow sequence/.test(message)) {
    const open = unclosed("[", "]");
    return { reason: "the list that starts with `[` here has no closing `]`", offset: open >= 0 ? open : offset };
  }
  if (code === "BAD_INDENT" && /Flow mapping/.test(message)) {
    const open = unclosed("{", "}");
    return { reason: "the `{` here has no closing `}`", offset: open >= 0 ? open : offset };
  }
  if (code === "BLOCK_AS_IMPLICIT_KEY" || code === "MULTILINE_IMPLICIT_KEY") {
    const rest = text.slice(offset, lineEnd(offset));
    if (code === "BLOCK_AS_IMPLICIT_KEY" && /:\s/.test(rest)) {
      return { reason: "a value that contains `: ` must be in quotes (`key: \"a: b\"`)", offset };
    }
    // A line more indented than the field before it, or a stray list item.
    const next = code === "BLOCK_AS_IMPLICIT_KEY" || codes.length === 1 ? lineEnd(offset) + 1 : lineStart(offset);
    const line = text.slice(next, lineEnd(next));
    const indent = /^ */.exec(line)![0].length;
    if (/^\s*- /.test(line)) return { reason: "this list item belongs to no field: put it under a field that ends with `:`, indented like the items around it", offset: next + indent };
    return { reason: "this line is indented more than the line before it: give each field its own line at the same indentation as the others", offset: next + indent };
  }
  if (code === "DUPLICATE_KEY") return { reason: `\`${/^[^:]*/.exec(text.slice(offset, lineEnd(offset)))![0].trim()}\` is given twice; keep one`, offset };
  if (code === "TAB_AS_INDENT") return { reason: "this line is indented with a tab; indent with spaces", offset };
  if (code === "BAD_SCALAR_START") return { reason: `a value cannot start with \`${text[offset]}\` unless it is in quotes`, offset };
  if (code === "UNEXPECTED_TOKEN" && /scalar at node end/.test(message)) {
    return { reason: "text after a closing quote (inside '…', write '' for an apostrophe, or quote the text with \"…\")", offset };
  }
  if (code === "BAD_INDENT") return { reason: "this line's indentation does not match the lines around it", offset: lineStart(offset) + /^ */.exec(text.slice(lineStart(offset)))![0].length };
  return { reason: message, offset };
}

/** The position of the node at `path` (or of its closest existing parent). */
export function placeOf(source: YamlSource, path: readonly PropertyKey[]): Position | Point {
  for (let depth = path.length; depth >= 0; depth--) {
    const node = source.doc.getIn(path.slice(0, depth) as unknown[], true);
    if (isNode(node) && node.range) {
      return { start: source.point(node.range[0]), end: source.point(node.range[1]) };
    }
    // A key whose value is missing: point at the key itself.
    if (depth > 0) {
      const parent = source.doc.getIn(path.slice(0, depth - 1) as unknown[], true);
      if (parent && typeof parent === "object" && "items" in parent && Array.isArray(parent.items)) {
        for (const item of parent.items as Array<{ key?: unknown }>) {
          const key = item.key;
          if (isNode(key) && "value" in key && key.value === path[depth - 1] && key.range) {
            return { start: source.point(key.range[0]), end: source.point(key.range[1]) };
          }
        }
      }
    }
  }
  return source.point(0);
}

/** The position of a mapping's key (not its value). */
export function keyPlace(source: YamlSource, parent: readonly PropertyKey[], key: string): Position | Point {
  const map = source.doc.getIn(parent as unknown[], true) ?? source.doc.contents;
  if (map && typeof map === "object" && "items" in map && Array.isArray(map.items)) {
    for (const item of map.items as Array<{ key?: unknown }>) {
      if (isNode(item.key) && "value" in item.key && item.key.value === key && item.key.range) {
        return { start: source.point(item.key.range[0]), end: source.point(item.key.range[1]) };
      }
    }
  }
  return placeOf(source, parent);
}

/**
 * Validate YAML data against a zod schema; every issue becomes an error at the YAML node it is
 * about. Returns the parsed value, or undefined when invalid.
 */
export function validateYaml<T>(
  source: YamlSource,
  schema: z.ZodType<T>,
  file: VFile,
  ruleId: string,
  ruleSource: string,
): T | undefined {
  const data: unknown = source.doc.toJS() ?? {};
  const result = schema.safeParse(data);
  if (result.success) return result.data;
  // A misspelt field (`nmae:`) is one mistake: its "did you mean" stands for the required field
  // it misses too, which is then not reported on its own.
  const meant = new Set<string>();
  for (const issue of result.error.issues) {
    if (issue.code !== "unrecognized_keys") continue;
    for (const key of issue.keys) {
      const match = closest(key, keysAt(schema, issue.path));
      if (match) meant.add(JSON.stringify([...issue.path, match]));
    }
  }
  for (const issue of result.error.issues) {
    let path = issue.path;
    let reason = issue.message;
    if (issue.code === "invalid_type" && meant.has(JSON.stringify(path))) continue;
    if (issue.code === "unrecognized_keys") {
      const known = keysAt(schema, path);
      for (const key of issue.keys) {
        const hint = known.length ? didYouMean(key, known) || `; known fields: ${known.map((k) => `\`${k}\``).join(", ")}` : "";
        file.message(`Unknown field \`${key}\`${describePath(path)}${hint}`, {
          place: keyPlace(source, path, key),
          ruleId,
          source: ruleSource,
        }).fatal = true;
      }
      continue;
    }
    const value = valueAt(data, path);
    if (issue.code === "invalid_type" && value === undefined) reason = `Missing required field \`${String(path.at(-1))}\``;
    // The rejected value itself, when it is short enough to quote.
    else if ((typeof value === "string" || typeof value === "number") && String(value).length <= 80) reason = `${reason} (found \`${String(value)}\`)`;
    file.message(`${reason}${describePath(path)}`, { place: placeOf(source, path), ruleId, source: ruleSource }).fatal = true;
    path = [];
  }
  return undefined;
}

/** The keys an object schema allows at `path` inside `schema` (none when it is not an object). */
function keysAt(schema: z.ZodType, path: readonly PropertyKey[]): string[] {
  // zod 4 keeps each schema's definition in `_zod.def`: walk through wrappers, arrays and objects.
  type Def = { type: string; shape?: Record<string, z.ZodType>; element?: z.ZodType; innerType?: z.ZodType; in?: z.ZodType };
  let current: z.ZodType | undefined = schema;
  const unwrap = () => {
    for (let guard = 0; current && guard < 10; guard++) {
      const def: Def = (current as unknown as { _zod: { def: Def } })._zod.def;
      if (def.innerType) current = def.innerType;
      else if (def.type === "pipe" && def.in) current = def.in;
      else break;
    }
  };
  for (const key of path) {
    unwrap();
    if (!current) return [];
    const def: Def = (current as unknown as { _zod: { def: Def } })._zod.def;
    if (def.type === "array" && typeof key === "number") current = def.element;
    else if (def.type === "object" && typeof key === "string") current = def.shape?.[key];
    else return [];
  }
  unwrap();
  const def: Def | undefined = current ? (current as unknown as { _zod: { def: Def } })._zod.def : undefined;
  return def?.type === "object" && def.shape ? Object.keys(def.shape) : [];
}

/** The value at a zod issue path in the parsed data (undefined when absent). */
function valueAt(data: unknown, path: readonly PropertyKey[]): unknown {
  let value = data;
  for (const key of path) {
    if (value === null || typeof value !== "object") return undefined;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
}

function describePath(path: readonly PropertyKey[]): string {
  if (path.length === 0) return "";
  return ` (at ${path.map((p) => (typeof p === "number" ? `[${p}]` : String(p))).join(".").replace(/\.\[/g, "[")})`;
}
