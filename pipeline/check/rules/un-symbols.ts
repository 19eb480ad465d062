/** The UN-symbol rule: a symbol that breaks the grammar (see `policy.ts`) is a warning with a suggestion. */
import { location } from "vfile-location";
import { visit } from "unist-util-visit";
import { checkSymbol, CANDIDATE, RESOLVER } from "../../policy.ts";
import { report, type Rule } from "../types.ts";

export const unSymbols: Rule = {
  ids: ["un-symbol"],
  run({ tree, file }) {
    const place = location(file);
    const warn = (symbol: string, at: Parameters<typeof report>[3]) => {
      const problem = checkSymbol(symbol);
      if (!problem) return;
      report(file, "warning", `UN document symbol \`${symbol}\` looks malformed: ${problem.reason}${problem.suggestion ? `; did you mean \`${problem.suggestion}\`?` : ""}`, at, "un-symbol");
    };
    visit(tree, "text", (node) => {
      const start = node.position?.start.offset;
      for (const match of node.value.matchAll(CANDIDATE)) {
        warn(match[0], start === undefined ? node.position : place.toPoint(start + (match.index ?? 0)));
      }
    });
    visit(tree, "link", (node) => {
      if (node.url.startsWith(RESOLVER)) warn(decodeURIComponent(node.url.slice(RESOLVER.length)), node.position);
    });
  },
};
