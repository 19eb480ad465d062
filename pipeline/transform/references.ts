/**
 * Reference-style links and images (`[text][id]`, `![alt][id]`, `[id]` with `[id]: url`) become
 * ordinary `link` and `image` nodes at the place they are used, and the definitions go. Every
 * later stage (checks, sanitising, image embedding, writers) then sees one kind of link and one
 * kind of image, so a target cannot slip past a rule by being written as a reference; messages
 * point at the reference, where the reader sees the link. A reference without a definition is
 * plain text in CommonMark and stays so.
 */
import type { Definition, Nodes, Parent, Root, RootContent } from "mdast";
import { visit } from "unist-util-visit";

export function resolveReferences(tree: Root): void {
  const definitions = new Map<string, Definition>();
  visit(tree, "definition", (node) => {
    if (!definitions.has(node.identifier)) definitions.set(node.identifier, node);
  });
  walk(tree, definitions);
}

function walk(parent: Parent, definitions: Map<string, Definition>): void {
  const out: RootContent[] = [];
  for (const child of parent.children as RootContent[]) {
    if (child.type === "definition") continue;
    if (child.type === "linkReference" || child.type === "imageReference") {
      const definition = definitions.get(child.identifier);
      if (!definition) {
        out.push(...literal(child));
        continue;
      }
      const shared = { url: definition.url, title: definition.title ?? null, ...(child.position ? { position: child.position } : {}) };
      if (child.type === "imageReference") out.push({ type: "image", alt: child.alt ?? "", ...shared });
      else {
        walk(child, definitions);
        out.push({ type: "link", children: child.children, ...shared });
      }
      continue;
    }
    if ("children" in child) walk(child as Parent, definitions);
    out.push(child);
  }
  parent.children = out as Parent["children"];
}

/** An undefined reference, as CommonMark prints it: its brackets are text. */
function literal(node: Extract<Nodes, { type: "linkReference" | "imageReference" }>): RootContent[] {
  const position = node.position ? { position: node.position } : {};
  const label = node.referenceType === "full" ? `[${node.label ?? node.identifier}]` : node.referenceType === "collapsed" ? "[]" : "";
  if (node.type === "imageReference") return [{ type: "text", value: `![${node.alt ?? ""}]${label}`, ...position }];
  return [{ type: "text", value: "[", ...position }, ...(node.children as RootContent[]), { type: "text", value: `]${label}`, ...position }];
}
