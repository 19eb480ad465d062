/**
 * Parse stage: Markdown (CommonMark + GFM) with YAML front matter into an mdast tree and
 * validated metadata. Nothing here renders or checks content; see `check/`.
 */
import type { Root } from "mdast";
import remarkFrontmatter from "remark-frontmatter";
import remarkGfm from "remark-gfm";
import remarkParse from "remark-parse";
import { unified, type Preset } from "unified";
import type { VFile } from "vfile";
import { z } from "zod";
import { parseYaml, validateYaml } from "./yaml.ts";

/**
 * The Markdown Letterpress reads: CommonMark with GFM (tables, footnotes, strikethrough, task
 * lists, autolinks) and YAML front matter. A preset for `unified().use(...)`.
 */
export const markdownSyntax = { plugins: [remarkParse, [remarkFrontmatter, ["yaml"]], remarkGfm] } satisfies Preset;

const processor = unified().use(markdownSyntax).freeze();

/** Front matter as written by authors (kebab-case keys). Unknown keys are errors. */
export const frontMatterSchema = z.strictObject({
  lang: z.string().regex(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, "`lang` must be a BCP 47 language tag such as `en` or `fr`"),
  title: z.string().min(1).optional(),
  "short-title": z.string().min(1).optional(),
  subject: z.string().min(1).optional(),
  keywords: z.array(z.string().min(1)).optional(),
  author: z.string().min(1).optional(),
  addressee: z.string().min(1).optional(),
  date: z
    .union([z.string(), z.date()])
    .transform((d) => (d instanceof Date ? d.toISOString().slice(0, 10) : d))
    .refine((d) => /^\d{4}(-\d{2}(-\d{2})?)?$/.test(d), "`date` must be YYYY, YYYY-MM or YYYY-MM-DD")
    .refine((d) => !/^\d{4}-/.test(d) || isCalendarDate(d), "`date` must be a day of the calendar: a month from 01 to 12 and a day that month has")
    .optional(),
  signatories: z.string().min(1).optional(),
  missions: z.string().min(1).optional(),
  /** Delivery by email: the sender (`Name <address>`), where replies go, the missions' duty station. */
  from: z.string().min(1).optional(),
  "reply-to": z.string().min(1).optional(),
  "duty-station": z.enum(["New York", "Geneva", "Vienna", "Nairobi"], { error: "`duty-station` must be one of New York, Geneva, Vienna, Nairobi" }).optional(),
  paper: z.enum(["a4", "letter"], { error: "`paper` must be `a4` or `letter`" }).optional(),
  letterhead: z
    .union([z.string().min(1), z.strictObject({ src: z.string().min(1), alt: z.string().min(1) })], {
      error: "`letterhead` must be an image file next to the document (`logo.png`), or `{ src: logo.png, alt: … }`",
    })
    .optional(),
});
export type FrontMatter = z.infer<typeof frontMatterSchema>;

/** `YYYY-MM` or `YYYY-MM-DD` naming a real month and day (2026-02-30 does not). */
function isCalendarDate(date: string): boolean {
  const [y, m, d] = date.split("-").map(Number);
  if (!m || m < 1 || m > 12) return false;
  if (d === undefined) return true;
  return d >= 1 && d <= new Date(Date.UTC(y!, m, 0)).getUTCDate();
}

export interface ParsedDocument {
  tree: Root;
  frontMatter: FrontMatter | undefined;
}

/** Parse a Markdown vfile. Front-matter problems are reported on `file`. */
export function parseMarkdown(file: VFile): ParsedDocument {
  const tree = processor.parse(file) as Root;
  return { tree, frontMatter: readFrontMatter(tree, file) };
}

/**
 * Validate the tree's YAML front matter and take it out of the tree (problems are reported on
 * `file`); undefined when it is missing or invalid.
 */
export function readFrontMatter(tree: Root, file: VFile): FrontMatter | undefined {
  let frontMatter: FrontMatter | undefined;
  const first = tree.children[0];
  if (first?.type === "yaml") {
    const lineOffset = first.position ? first.position.start.line : 0;
    const source = parseYaml(first.value, file, "letterpress:parse", lineOffset);
    if (source) frontMatter = validateYaml(source, frontMatterSchema, file, "front-matter", "letterpress:parse");
    tree.children.shift();
  } else {
    file.message("Missing YAML front matter (at least `lang:`)", {
      place: { line: 1, column: 1 },
      ruleId: "front-matter",
      source: "letterpress:parse",
    }).fatal = true;
  }
  return frontMatter;
}

/** Parse a fragment of inline Markdown (used for translated segments). */
export function parseFragment(markdown: string): Root {
  return processor.parse(markdown) as Root;
}
