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
