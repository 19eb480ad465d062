/**
 * mdast extensions used by Letterpress. The signatory list is a node of its own, placed where the
 * author wrote `<!-- signatories -->` (or at the end); writers render it from
 * `Publication.signatories`. The translation notice is a node too, so its place is decided once.
 */
import type { Data, Node } from "mdast";

export interface SignatoriesNode extends Node {
  type: "signatories";
  data?: Data;
}

/**
 * The notice of a translated edition ("Unofficial translation…"), placed once by the edition
 * model right after the title; writers render it where they meet it.
 */
export interface NoticeNode extends Node {
  type: "notice";
  /** The notice in the edition's language, or in English when its label falls back. */
  value: string;
  /** Set when the text is not in the edition's language (the label fell back to English). */
  lang?: string;
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

/**
 * What a formal letter shows under its title: its date and whom it is addressed to, in the
 * edition's language. Placed once by the edition model.
 */
export interface MastheadNode extends Node {
  type: "masthead";
  /** The date in the edition's language and regional style ("5 December 2026"). */
  date?: { text: string; iso: string };
  /** The addressee line: its label with the space that follows it ("To: "), the addressee, and its language when it fell back to English. */
  addressee?: { label: string; text: string; lang?: string };
  data?: Data;
}

declare module "mdast" {
  interface RootContentMap {
    signatories: SignatoriesNode;
    notice: NoticeNode;
    masthead: MastheadNode;
  }
  interface BlockContentMap {
    signatories: SignatoriesNode;
    notice: NoticeNode;
    masthead: MastheadNode;
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
    /** On the letterhead's image (front matter `letterhead`), placed at the head of the edition. */
    letterhead?: boolean;
  }
}

/** The HTML comment that marks where the signatory list goes. */
export const SIGNATORIES_MARKER = /^<!--\s*signatories\s*-->$/;
