/**
 * Letterpress's UN document symbol rule as a remark plugin, for any unified pipeline:
 *
 *   unified().use(remarkParse).use(remarkUnSymbols).process(markdown)
 *
 * It reports the same `un-symbol` warnings as `letterpress check` (same text, place and rule id)
 * and changes nothing in the tree. A thin adapter over the rule Letterpress itself runs.
 */
import type { Root } from "mdast";
import type { VFile } from "vfile";
import { unSymbols } from "./check/rules/un-symbols.ts";
import type { CheckContext } from "./check/types.ts";

export { checkSymbol } from "./policy.ts";

/** The plugin: attaches a transformer that reports malformed UN document symbols on the file. */
export function remarkUnSymbols(): (tree: Root, file: VFile) => void {
  return (tree, file) => {
    // The rule reads only the tree and the file; the other facts of a Letterpress document are not needed.
    unSymbols.run({ tree, file } as CheckContext);
  };
}

export default remarkUnSymbols;
