/**
 * UN document symbols (A/…, E/…, S/…) follow a grammar: organ / subsidiary bodies / session /
 * document (a number, or a type and number such as `L.11`) / modifiers (`Rev.1`, `Add.2`, `Corr.1`).
 * A symbol that breaks it is most likely a typo, and the official resolver will not find it.
 */
import { location } from "vfile-location";
import { visit } from "unist-util-visit";
import { report, type Rule } from "../types.ts";

const ORGANS = new Set(["A", "E", "S", "ST", "TD", "DP", "UNEP", "CCPR", "CERD", "CEDAW", "CRC", "CAT", "CED", "CMW", "CRPD", "HRI", "SG", "UNW"]);
/** Document types that must carry their number after a dot (`L.11`, `PV.45`, `SR.12`). */
const DOC_TYPES = new Set(["L", "R", "PV", "SR", "INF", "CRP", "WP", "NGO"]);
const MODIFIERS = /^(Rev|Add|Corr|Amend|Summary|Excerpt)\.\d+$/;

/** Text that looks like a UN symbol: organ letters, a slash, then symbol characters. */
export const CANDIDATE = /(?<![\w/])(?:A|E|S|ST|TD|DP|CCPR|CERD|CEDAW|CRC|CAT|HRI)\/[A-Za-z0-9.\-/]*[A-Za-z0-9]/g;

export const RESOLVER = "https://undocs.org/";

/** Why a symbol is malformed, with a suggestion; undefined when it follows the grammar. */
export function checkSymbol(symbol: string): { reason: string; suggestion?: string } | undefined {
  const parts = symbol.split("/");
  if (!ORGANS.has(parts[0] ?? "")) return { reason: `it does not start with a UN organ (A, E, S, ST, …)` };
  if (parts.length < 2) return { reason: "it has no document part" };
  let i = parts.length - 1;
  while (i > 0 && MODIFIERS.test(parts[i]!)) i--;
  for (let k = i + 1; k < parts.length; k++) {
    const part = parts[k]!;
    if (/^(Rev|Add|Corr|Amend)$/i.test(part)) return { reason: `\`${part}\` needs a number (\`${part}.1\`)` };
  }
  for (let k = 1; k <= i; k++) {
    const part = parts[k]!;
    if (DOC_TYPES.has(part)) {
      const next = parts[k + 1];
      const suggestion = next && /^\d+$/.test(next) ? [...parts.slice(0, k), `${part}.${next}`, ...parts.slice(k + 2)].join("/") : undefined;
      return { reason: `the document type \`${part}\` must be joined to its number with a dot`, ...(suggestion ? { suggestion } : {}) };
    }
    if (/^(Rev|Add|Corr|Amend)(\.\d+)?$/.test(part)) return { reason: `\`${part}\` may only stand at the end` };
    if (!/^(?:[A-Z]+(?:\.\d+)*|\d+(?:-\d+)?|[A-Z]+\.\d+\/\d+)$/.test(part)) {
      return { reason: `\`${part}\` is not a valid symbol component` };
    }
  }
  const last = parts[i]!;
  if (i === 0 || !/^(?:\d+|[A-Z]+\.\d+)$/.test(last)) return { reason: `it must end with a document number (such as \`12\` or \`L.11\`)` };
  return undefined;
}

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
