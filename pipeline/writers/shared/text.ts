import type { ElementContent, Nodes } from "hast";

/** All text of a hast fragment (to choose the font slices an output needs). */
export function visibleText(nodes: readonly (ElementContent | Nodes)[]): string {
  let out = "";
  const walk = (node: Nodes | ElementContent) => {
    if (node.type === "text") out += node.value;
    else if ("children" in node) for (const c of node.children) walk(c as Nodes);
  };
  for (const n of nodes) walk(n);
  return out;
}

/**
 * A serialised page cut where a placeholder `mark` stands (the first one: callers choose marks the
 * serialiser escapes everywhere else), so that content made apart can go in its place.
 */
export function splitAtMark(html: string, mark: string): [before: string, after: string] {
  const at = html.indexOf(mark);
  if (at < 0) throw new Error(`The page has no place mark ${mark}`);
  return [html.slice(0, at), html.slice(at + mark.length)];
}
