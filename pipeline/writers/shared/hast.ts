/**
 * mdast → hast for every writer that renders HTML (HTML, EPUB, PDF). The body is converted with
 * remark-rehype; the parts that depend on the publication's facts (footnote references and
 * notes, the signatory list, fallback language spans) are rendered here from the model, with a
 * per-format strategy for how notes appear.
 */
import type { Element, ElementContent, Root as HastRoot } from "hast";
import { h } from "hastscript";
import type { Image, Nodes, Root } from "mdast";
import { dataUrl } from "../../transform/images.ts";
import type { Handler, State } from "mdast-util-to-hast";
import remarkRehype from "remark-rehype";
import { unified } from "unified";
import type { Footnote, Publication } from "../../model.ts";
import type { FootnoteRefData, MastheadNode, NoticeNode } from "../../transform/nodes.ts";

/** How a format shows footnote references and notes. */
export interface NoteStrategy {
  /** The element standing at the point of reference. */
  reference(note: Footnote, ref: FootnoteRefData, pub: Publication, content: () => ElementContent[]): ElementContent;
  /** Elements appended after the body (the notes section), if any. */
  notes?(pub: Publication, rendered: Array<{ note: Footnote; content: ElementContent[] }>): ElementContent[];
}

/**
 * Render the publication's body. Returns the article content, the notes, and the URLs of images
 * the edition has no bytes for (shown as their alternative text; the writer reports them).
 */
export function renderBody(pub: Publication, strategy: NoteStrategy): { body: ElementContent[]; notes: ElementContent[]; missingImages: string[] } {
  const missingImages: string[] = [];
  const definitions = new Map(pub.notes.map(({ footnote, definition }) => [footnote.identifier, definition]));
  const renderDefinition = (note: Footnote): ElementContent[] => {
    const definition = definitions.get(note.identifier);
    if (!definition) return [];
    return convert({ type: "root", children: definition.children });
  };

  const handlers: Record<string, Handler> = {
    footnoteReference(_state: State, node: Nodes) {
      const ref = (node.data as { footnote?: FootnoteRefData } | undefined)?.footnote;
      const note = ref ? pub.footnotes[ref.number - 1] : undefined;
      if (!ref || !note) return undefined;
      return strategy.reference(note, ref, pub, () => renderDefinition(note));
    },
    signatories() {
      return signatoriesSection(pub);
    },
    image(_state: State, node: Nodes) {
      const { url, alt, title } = node as Image;
      const image = pub.images.get(url);
      if (!image) {
        missingImages.push(url);
        return alt ? { type: "text", value: alt } : undefined;
      }
      return h("img", { src: dataUrl(image), alt: alt ?? "", width: image.width, height: image.height, ...(title ? { title } : {}), ...(node.data?.letterhead ? { className: ["letterhead"] } : {}) });
    },
    notice(_state: State, node: Nodes) {
      return noticeElement(node as NoticeNode);
    },
    masthead(_state: State, node: Nodes) {
      return mastheadElements(node as MastheadNode);
    },
    text(state: State, node: Nodes) {
      const value = (node as { value: string }).value;
      const fallback = node.data?.fallbackLang;
      const text = { type: "text" as const, value };
      if (!fallback) return text;
      return h("span", { lang: fallback, dir: "auto" }, value);
    },
  };

  // mdast → hast is remark-rehype with the edition's handlers; ids are the model's, unprefixed.
  const toHastProcessor = unified().use(remarkRehype, { handlers, clobberPrefix: "" }).freeze();
  function convert(tree: Root): ElementContent[] {
    const hast = toHastProcessor.runSync(tree) as HastRoot;
    return hast.children as ElementContent[];
  }

  const body = convert(pub.tree);
  if (pub.recipient) body.unshift(recipientBlock(pub));
  const notes = strategy.notes?.(pub, pub.notes.map(({ footnote }) => ({ note: footnote, content: renderDefinition(footnote) }))) ?? [];
  return { body, notes, missingImages };
}

/** The letter's date and addressee under its title. */
export function mastheadElements(node: MastheadNode): Element[] {
  const { date, addressee } = node;
  return [
    ...(date ? [h("p", { className: ["dateline"] }, [h("time", { dateTime: date.iso }, date.text)])] : []),
    ...(addressee
      ? [h("p", { className: ["addressee"] }, [addressee.label, addressee.lang ? h("span", { lang: addressee.lang, dir: "auto" }, addressee.text) : addressee.text])]
      : []),
  ];
}

/** The translation notice; marked English (and isolated) when its label fell back. */
export function noticeElement(node: NoticeNode): Element {
  return h("p", { className: ["notice"], ...(node.lang ? { lang: node.lang, dir: "ltr" } : {}) }, node.value);
}

/** The address block of a delivered copy, above the title. */
export function recipientBlock(pub: Publication): Element {
  const r = pub.recipient!;
  return h("address", { className: ["recipient"], ariaLabel: pub.labels.get("delivery-to") }, [
    h("p", { className: ["recipient-name"] }, r.name),
    ...r.lines.map((line) => h("p", line)),
  ]);
}

/** The signatory list: counts, organisations, individuals with affiliations. */
export function signatoriesSection(pub: Publication): Element {
  const list = pub.signatories;
  const labels = pub.labels;
  if (!list) return h("section", { id: "signatories" });
  const lang = (key: Parameters<typeof labels.get>[0]) => (labels.isFallback(key) ? { lang: "en" } : {});
  return h("section", { id: "signatories", className: ["signatories"], ariaLabelledBy: "signatories-label" }, [
    h("h2", { id: "signatories-label", ...lang("signatories") }, labels.get("signatories")),
    h("p", { className: ["count"] }, labels.count(list.organisations.length, list.individuals.length)),
    list.organisations.length > 0
      ? h("h3", { id: "organisations-label", ...lang("organisations") }, labels.get("organisations"))
      : undefined,
    list.organisations.length > 0
      ? h(
          "ul",
          { className: ["organisations"], ariaLabelledBy: "organisations-label" },
          list.organisations.map((o) => h("li", { dir: "auto" }, o.name)),
        )
      : undefined,
    list.individuals.length > 0
      ? h("h3", { id: "individuals-label", ...lang("individuals") }, labels.get("individuals"))
      : undefined,
    list.individuals.length > 0
      ? h("p", { className: ["affiliations-note"], ...lang("affiliations-note") }, `(${labels.get("affiliations-note")})`)
      : undefined,
    list.individuals.length > 0
      ? h(
          "ul",
          { className: ["individuals"], ariaLabelledBy: "individuals-label" },
          list.individuals.map((i) => {
            const line = i.affiliation ?? i.country;
            return h("li", { dir: "auto" }, [
              h("span", { className: ["name"] }, i.name),
              ...(line ? [h("span", { className: ["affiliation"] }, line)] : []),
            ]);
          }),
        )
      : undefined,
  ].filter((x): x is Element => x !== undefined));
}

/**
 * Back-links from a note to each of its references, labelled for screen readers ("Back to
 * reference 3"), separated by spaces. `content` gives each link's visible content (default "↩",
 * "↩²" for the second reference).
 */
export function backLinks(
  pub: Publication,
  note: Footnote,
  content: (occurrence: number) => ElementContent[] = (i) => (i === 0 ? [{ type: "text", value: "↩" }] : [{ type: "text", value: "↩" }, h("sup", String(i + 1))]),
): ElementContent[] {
  return note.refIds.flatMap((refId, i): ElementContent[] => [
    ...(i > 0 ? [{ type: "text" as const, value: " " }] : []),
    h(
      "a",
      {
        href: `#${refId}`,
        className: ["backref"],
        role: "doc-backlink",
        ariaLabel:
          i === 0
            ? pub.labels.get("back-to-reference", { n: note.number })
            : pub.labels.get("back-to-reference-again", { n: note.number, k: i + 1 }),
      },
      content(i),
    ),
  ]);
}

/** Append inline content to the last paragraph of a note (or as a new paragraph). */
export function appendToLastParagraph(content: ElementContent[], extra: ElementContent[]): ElementContent[] {
  const copy = [...content];
  for (let i = copy.length - 1; i >= 0; i--) {
    const node = copy[i]!;
    if (node.type === "element" && node.tagName === "p") {
      copy[i] = { ...node, children: [...node.children, { type: "text", value: " " }, ...extra] };
      return copy;
    }
    if (node.type === "element") break;
  }
  copy.push(h("p", extra));
  return copy;
}
