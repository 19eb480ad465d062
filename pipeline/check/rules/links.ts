/** Link and image rules: every link has a real target, nothing unsafe or remote gets through. */
import { visit } from "unist-util-visit";
import { isForeignImage, isSafeLink, protocolOf } from "../../policy.ts";
import { report, type Rule } from "../types.ts";

export const links: Rule = {
  ids: ["link-empty", "link-anchor", "link-unsafe", "image-remote", "image-unsafe", "image-alt"],
  run({ tree, file, facts }) {
    visit(tree, "link", (node) => {
      const url = node.url.trim();
      if (url === "" || url === "#") {
        report(file, "error", `Link \`${textOf(node)}\` has no target (\`${url || "()"}\`); give it a real address or remove the link`, node.position, "link-empty");
      } else if (url.startsWith("#")) {
        const id = decodeURIComponent(url.slice(1));
        if (!facts.anchors.has(id)) {
          const near = [...facts.anchors].filter((a) => a.includes(id) || id.includes(a)).slice(0, 3);
          report(file, "error", `Link to \`#${id}\` points to no heading or note${near.length ? `; did you mean ${near.map((n) => `\`#${n}\``).join(", ")}?` : ""}`, node.position, "link-anchor");
        }
      } else if (!isSafeLink(url)) {
        const why = protocolOf(url) ? `uses a forbidden protocol (${protocolOf(url)})` : "is a relative address, which points outside the document";
        report(file, "warning", `Link target \`${truncate(url)}\` ${why}; the link is reduced to its text. Allowed: http, https, mailto, tel and #anchors`, node.position, "link-unsafe");
      }
    });
    visit(tree, "image", (node) => {
      const url = node.url.trim();
      const protocol = protocolOf(url);
      if (protocol === "http:" || protocol === "https:" || url.startsWith("//")) {
        report(file, "warning", `Remote image \`${truncate(url)}\` is removed: builds never reach the network; download it next to the document`, node.position, "image-remote");
      } else if (isForeignImage(url)) {
        report(file, "warning", `Image \`${truncate(url)}\` is outside the document's folder or uses a forbidden protocol; it is removed`, node.position, "image-unsafe");
      }
      if (!node.alt?.trim()) report(file, "warning", `Image \`${truncate(url)}\` has no alternative text`, node.position, "image-alt");
    });
  },
};

function textOf(node: { children: Array<{ type: string; value?: string }> }): string {
  return node.children.map((c) => c.value ?? "").join("") || "(no text)";
}

function truncate(s: string): string {
  return s.length > 60 ? `${s.slice(0, 57)}…` : s;
}
