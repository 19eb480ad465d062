/**
 * What Letterpress lets through, in one place at the bottom of the layering: which link targets
 * and images are safe, and what a UN document symbol looks like. The check stage reports by these
 * rules, the transform stage sanitises by them, the translation overlay compares by them; none of
 * them imports another stage for it.
 */
import path from "node:path";

// ---------------------------------------------------------------------------------- links and images

/** Protocols a link may use in any output. Everything else is removed with an error. */
export const SAFE_LINK_PROTOCOLS = ["http:", "https:", "mailto:", "tel:"];

/** `javascript:`, `data:`, `file:` …; undefined when the URL is relative or an anchor. */
export function protocolOf(url: string): string | undefined {
  const match = /^([a-zA-Z][a-zA-Z0-9+.-]*):/.exec(url.trim());
  return match ? `${match[1]!.toLowerCase()}:` : undefined;
}

/**
 * A link may use a safe protocol or point inside the document (`#id`). A relative link would point
 * at files next to the output (or anywhere above it), which differs per format and per reader.
 */
export function isSafeLink(url: string): boolean {
  const protocol = protocolOf(url);
  return protocol === undefined ? url.trim().startsWith("#") : SAFE_LINK_PROTOCOLS.includes(protocol);
}

/** An image that is not a plain relative path inside the document's folder. */
export function isForeignImage(url: string): boolean {
  const trimmed = url.trim();
  if (protocolOf(trimmed) !== undefined || trimmed.startsWith("//") || path.isAbsolute(trimmed)) return true;
  let decoded = trimmed;
  try {
    decoded = decodeURIComponent(trimmed);
  } catch {
    return true;
  }
  return path.posix.normalize(decoded.replace(/\\/g, "/")).split("/")[0] === "..";
}

// ---------------------------------------------------------------------------------- UN document symbols

/*
 * UN document symbols (A/…, E/…, S/…) follow a grammar: organ / subsidiary bodies / session /
 * document (a number, or a type and number such as `L.11`) / modifiers (`Rev.1`, `Add.2`, `Corr.1`).
 * A symbol that breaks it is most likely a typo, and the official resolver will not find it.
 */
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
