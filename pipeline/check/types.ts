import type { Root } from "mdast";
import type { Point, Position } from "unist";
import type { VFile } from "vfile";

/** Where a message points: a point or a range (or nowhere). */
export type Place = Point | Position | { line: number; column: number };
import type { Metadata, Signatories } from "../model.ts";
import type { Facts } from "../transform/facts.ts";

/** What a rule sees: the canonical tree with its facts. Rules only add messages to `file`. */
export interface CheckContext {
  tree: Root;
  file: VFile;
  facts: Facts;
  meta: Metadata | undefined;
  signatories: Signatories | undefined;
}

export interface Rule {
  /** Rule ids this rule can emit (documented in the README). */
  ids: readonly string[];
  run(ctx: CheckContext): void;
}

/** Report helper: error (fatal) or warning at a place. */
export function report(
  file: VFile,
  severity: "error" | "warning",
  reason: string,
  place: Place | undefined,
  ruleId: string,
): void {
  const message = file.message(reason, { ...(place ? { place: place as Point | Position } : {}), ruleId, source: "letterpress:check" });
  message.fatal = severity === "error";
}
