/** Document structure: one title, something to publish, raw HTML dropped, signatories placed. */
import { visit } from "unist-util-visit";
import { report, type Rule } from "../types.ts";

export const structure: Rule = {
  ids: ["document-empty", "heading-title", "raw-html", "signatories-marker"],
  run({ tree, file, facts, meta }) {
    const body = tree.children.filter((n) => n.type !== "footnoteDefinition" && n.type !== "definition");
    if (body.length === 0) {
      report(file, "error", "The document is empty: there is nothing to publish", { line: 1, column: 1 }, "document-empty");
      return;
    }
    const titles = facts.headings.filter((h) => h.depth === 1);
    if (titles.length === 0) {
      report(file, "error", "The document has no title: start it with one level-1 heading (`# Title`)", body[0]?.position, "heading-title");
    }
    let seen = 0;
    visit(tree, "heading", (node) => {
      if (node.depth === 1 && ++seen > 1) {
        report(file, "error", "Only one level-1 heading (the title) is allowed; use `##` for sections", node.position, "heading-title");
      }
    });
    visit(tree, "html", (node) => {
      const value = node.value.trim();
      if (/^<!--[\s\S]*-->$/.test(value)) return; // comments are invisible everywhere
      const tag = /^<\/?([a-zA-Z][\w-]*)/.exec(value)?.[1]?.toLowerCase() ?? "markup";
      report(file, "warning", `Raw HTML \`<${tag}>\` is removed: Markdown sources are untrusted and raw HTML could run script; use Markdown instead`, node.position, "raw-html");
    });
    if (meta?.signatories && !facts.hasSignatoriesMarker) {
      report(file, "warning", "Front matter names a signatories file but the text has no `<!-- signatories -->` marker; the list is appended at the end", { line: 1, column: 1 }, "signatories-marker");
    }
    // Without metadata the front matter is invalid and already reported: no second message.
    if (meta && !meta.signatories && facts.hasSignatoriesMarker) {
      report(file, "error", "`<!-- signatories -->` marker, but the front matter has no `signatories:` file", { line: 1, column: 1 }, "signatories-marker");
    }
  },
};
