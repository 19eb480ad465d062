/**
 * Check stage: every rule runs once on the canonical document and reports vfile messages
 * (file, line:column, rule id). Errors are `fatal` messages; warnings are not.
 */
import { footnotes } from "./rules/footnotes.ts";
import { links } from "./rules/links.ts";
import { structure } from "./rules/structure.ts";
import { unSymbols } from "./rules/un-symbols.ts";
import type { CheckContext, Rule } from "./types.ts";

export const rules: readonly Rule[] = [structure, footnotes, links, unSymbols];

export function check(ctx: CheckContext): void {
  for (const rule of rules) rule.run(ctx);
}

export type { CheckContext, Rule } from "./types.ts";
