/**
 * mdast extensions used by Letterpress. The signatory list is a node of its own, placed where the
 * author wrote `<!-- signatories -->`; writers render it from `Publication.signatories`.
 */
import type { Data, Node } from "mdast";

export interface SignatoriesNode extends Node {
  type: "signatories";
  data?: Data;
}

/** Typed facts attached to mdast nodes by `transform/`. */
export interface FootnoteRefData {
  /** Number of the note. */
  number: number;
  /** Anchor id of this particular reference (`fnref-1-2`). */
  refId: string;
  /** Id of the note (`fn-1`). */
  noteId: string;
}

declare module "mdast" {
  interface RootContentMap {
    signatories: SignatoriesNode;
  }
  interface BlockContentMap {
    signatories: SignatoriesNode;
  }
  interface Data {
    /** Anchor id assigned once (headings). */
    id?: string;
    /** On footnoteReference nodes: the computed number and ids. */
    footnote?: FootnoteRefData;
    /** On translated nodes whose text fell back to the source language. */
    fallbackLang?: string;
    /** Stable segment key (msgctxt) of a translatable block. */
    segment?: string;
  }
}

/** The HTML comment that marks where the signatory list goes. */
export const SIGNATORIES_MARKER = /^<!--\s*signatories\s*-->$/;
