/**
 * YAML with positions: parse errors and schema problems become vfile messages that point at the
 * line and column of the offending node, in the file the YAML came from (even when the YAML is a
 * front-matter block inside a Markdown file).
 */
import { isNode, LineCounter, parseDocument, type Document } from "yaml";
import type { Point, Position } from "unist";
import type { VFile } from "vfile";
import type { z } from "zod";

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
  for (const error of doc.errors) {
    const message = error.message.split("\n")[0] ?? error.message;
    file.message(`Invalid YAML: ${message}`, { place: point(error.pos[0]), ruleId: "yaml-syntax", source: ruleSource }).fatal = true;
  }
  return doc.errors.length > 0 ? undefined : { doc, point };
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
  for (const issue of result.error.issues) {
    let path = issue.path;
    let reason = issue.message;
    if (issue.code === "unrecognized_keys") {
      for (const key of issue.keys) {
        file.message(`Unknown field \`${key}\`${describePath(path)}`, {
          place: keyPlace(source, path, key),
          ruleId,
          source: ruleSource,
        }).fatal = true;
      }
      continue;
    }
    if (issue.code === "invalid_type" && valueAt(data, path) === undefined) reason = `Missing required field \`${String(path.at(-1))}\``;
    file.message(`${reason}${describePath(path)}`, { place: placeOf(source, path), ruleId, source: ruleSource }).fatal = true;
    path = [];
  }
  return undefined;
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
