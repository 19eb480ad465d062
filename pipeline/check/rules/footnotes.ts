/** Footnote rules: GFM silently drops what these report. */
import { location } from "vfile-location";
import { toString } from "mdast-util-to-string";
import { visit } from "unist-util-visit";
import { closest } from "../../suggest.ts";
import { report, type Rule } from "../types.ts";

export const footnotes: Rule = {
  ids: ["footnote-undefined", "footnote-duplicate", "footnote-unused", "footnote-empty"],
  run({ tree, file, facts }) {
    const place = location(file);
    // Definitions a misspelt reference was pointed to: not reported again as unused.
    const suggested = new Set<string>();
    visit(tree, "text", (node) => {
      const start = node.position?.start.offset;
      for (const match of node.value.matchAll(/\[\^([^\]\s]+)\]/g)) {
        const point = start === undefined ? node.position?.start : place.toPoint(start + (match.index ?? 0));
        // A misspelt label is likelier than a missing note: name the closest defined one.
        const labels = [...facts.definitions.values()].map((d) => d.label ?? d.identifier);
        const suggestion = closest(match[1]!, labels);
        if (suggestion) suggested.add(suggestion.toLowerCase());
        report(file, "error", suggestion ? `Footnote reference \`[^${match[1]}]\` has no definition; did you mean \`[^${suggestion}]\`?` : `Footnote reference \`[^${match[1]}]\` has no definition; add \`[^${match[1]}]: …\``, point, "footnote-undefined");
      }
    });
    const seen = new Set<string>();
    visit(tree, "footnoteDefinition", (node) => {
      if (seen.has(node.identifier)) {
        const first = facts.definitions.get(node.identifier)?.position?.start.line;
        report(file, "error", `Duplicate footnote definition \`[^${node.label ?? node.identifier}]\` (first defined on line ${first})`, node.position, "footnote-duplicate");
        return;
      }
      seen.add(node.identifier);
      if (!facts.footnoteByIdentifier.has(node.identifier) && !suggested.has(node.identifier.toLowerCase())) {
        report(file, "warning", `Footnote \`[^${node.label ?? node.identifier}]\` is defined but never referenced; it is left out`, node.position, "footnote-unused");
      }
      if (toString(node).trim() === "") {
        report(file, "error", `Footnote \`[^${node.label ?? node.identifier}]\` is empty`, node.position, "footnote-empty");
      }
    });
  },
};
