/**
 * The handler map: one handler per mdast node type, by concern. The state dispatches to it;
 * a node type without a handler keeps its text (see `State`).
 */
import type { Handlers } from "../state.ts";
import { blockHandlers } from "./blocks.ts";
import { inlineHandlers } from "./inlines.ts";
import { noteHandlers } from "./notes.ts";
import { editionHandlers, root } from "./root.ts";
import { signatoryHandlers } from "./signatories.ts";
import { tableHandlers } from "./tables.ts";

export const handlers: Handlers = {
  block: { root, ...blockHandlers, ...tableHandlers, ...signatoryHandlers, ...editionHandlers },
  inline: { ...inlineHandlers, ...noteHandlers },
};
