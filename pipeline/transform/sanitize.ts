/**
 * Make the canonical tree safe before any writer sees it (the check stage has already reported
 * each removal): raw HTML is dropped (comments too), links with forbidden protocols become plain
 * text, remote or out-of-folder images become their alternative text.
 */
import type { Parent, Root, RootContent } from "mdast";
import { isForeignImage, isSafeLink } from "../policy.ts";

export function sanitize(tree: Root): void {
  walk(tree);
}

function walk(parent: Parent): void {
  const out: RootContent[] = [];
  for (const child of parent.children as RootContent[]) {
    if (child.type === "html") continue;
    if (child.type === "link" && !isSafeLink(child.url)) {
      out.push(...(child.children as RootContent[]));
      continue;
    }
    if (child.type === "link" && (child.url.trim() === "" || child.url.trim() === "#")) {
      out.push(...(child.children as RootContent[]));
      continue;
    }
    if (child.type === "image" && isForeignImage(child.url)) {
      if (child.alt) out.push({ type: "text", value: child.alt, ...(child.position ? { position: child.position } : {}) });
      continue;
    }
    if ("children" in child) walk(child as Parent);
    out.push(child);
  }
  parent.children = out as Parent["children"];
}
