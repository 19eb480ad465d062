/**
 * Random documents (headings, paragraphs with footnote references, lists, tables, quotes, links,
 * UN symbols) and random translations that reorder each segment's inline structure: the build
 * never fails, and every format (HTML, DOCX, EPUB as pandoc reads them back; the PDF's link
 * annotations as qpdf writes them out) of both editions has the same footnote references and link
 * targets. Few runs: each is a real build.
 */
import { execFile } from "node:child_process";
import path from "node:path";
import { promisify } from "node:util";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { cli, project, translatePo } from "./helpers.ts";
import { pdfUncompressed } from "./readback.ts";

const run = promisify(execFile);

const word = fc.constantFrom("the", "committee", "report", "rights", "vote", "session", "draft", "members", "Geneva", "review");
const atom = fc.oneof(
  { arbitrary: word, weight: 6 },
  { arbitrary: fc.constantFrom("[^a]", "[^b]", "[^c]"), weight: 1 },
  { arbitrary: fc.tuple(word, fc.constantFrom("x", "y", "z")).map(([w, k]) => `[${w}](https://example.org/${k})`), weight: 1 },
  { arbitrary: fc.constantFrom("A/HRC/41/41", "S/RES/2334 (2016)"), weight: 1 },
  { arbitrary: word.map((w) => `**${w}**`), weight: 1 },
);
const inline = fc.array(atom, { minLength: 2, maxLength: 8 }).map((atoms) => `${atoms.join(" ")}.`);
const block = fc.oneof(
  inline,
  inline.map((t) => `## ${t.slice(0, -1)}`),
  fc.array(inline, { minLength: 1, maxLength: 3 }).map((items) => items.map((i) => `- ${i}`).join("\n")),
  fc.tuple(inline, inline).map(([a, b]) => `| A | B |\n| --- | --- |\n| ${a} | ${b} |`),
  inline.map((t) => `> ${t}`),
);
const documents = fc.array(block, { minLength: 1, maxLength: 6 }).map(
  (blocks) => `---\nlang: en\n---\n\n# The title\n\n${blocks.join("\n\n")}\n\n[^a]: Note A with [a link](https://example.org/na).\n[^b]: Note B.\n[^c]: Note C.\n`,
);

/** Inline units of a segment: footnote references, links, strong text, words. */
const UNITS = /\[\^[^\]]+\]|\[[^\]]+\]\([^)]+\)|\*\*[^*]+\*\*|S\/RES\/2334 \(2016\)|\S+/g;

function shuffle<T>(items: T[], seed: number): T[] {
  const out = [...items];
  let s = seed || 1;
  for (let i = out.length - 1; i > 0; i--) {
    s = (s * 1103515245 + 12345) % 2147483648;
    const j = s % (i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

/** Links and notes pandoc finds in an edition (html, docx or epub). */
async function read(file: string) {
  const { stdout } = await run("pandoc", [file, "-t", "json"], { maxBuffer: 64 << 20 });
  const links: string[] = [];
  let notes = 0;
  const walk = (n: unknown) => {
    if (Array.isArray(n)) n.forEach(walk);
    else if (n && typeof n === "object") {
      const node = n as { t?: string; c?: unknown[] };
      if (node.t === "Link") links.push((node.c![2] as string[])[0]!);
      if (node.t === "Note") notes++;
      Object.values(n).forEach(walk);
    }
  };
  walk((JSON.parse(stdout) as { blocks: unknown }).blocks);
  return { links, notes };
}

/**
 * What must be the same in every format and language: the footnote references (sorted: a
 * translation may reorder them within a segment) and the set of external link targets. HTML
 * links each reference to `#fn-N`; EPUB makes each reference a note (pandoc repeats the text);
 * DOCX has one footnote per note and cross-references later references to it.
 */
async function structure(dir: string, lang: string) {
  const html = await read(path.join(dir, lang, "doc.html"));
  const docx = await read(path.join(dir, lang, "doc.docx"));
  const epub = await read(path.join(dir, lang, "doc.epub"));
  const references = html.links.filter((l) => /^#fn-/.test(l)).sort();
  const external = (links: string[]) => [...new Set(links.filter((l) => l.startsWith("https:")))].sort();
  expect(external(docx.links)).toEqual(external(html.links));
  expect(external(epub.links)).toEqual(external(html.links));
  expect(docx.notes).toBe(new Set(references).size);
  expect(epub.notes).toBe(references.length);
  // The PDF: a link annotation to the note's destination at every reference, and the same targets.
  const pdf = await pdfUncompressed(path.join(dir, lang, "doc.pdf"));
  expect([...pdf.matchAll(/\/Dest \/(fn-\d+)\b/g)].map((m) => `#${m[1]}`).sort()).toEqual(references);
  expect([...new Set([...pdf.matchAll(/\/URI \((https:[^)]*)\)/g)].map((m) => m[1]!))].sort()).toEqual(external(html.links));
  return { references, backlinks: html.links.filter((l) => /^#fnref-/.test(l)).sort(), external: external(html.links) };
}

describe("random documents and reordering translations", () => {
  it("build, and keep footnotes and link targets identical across formats and languages", async () => {
    await fc.assert(
      fc.asyncProperty(documents, fc.integer({ min: 1, max: 1 << 30 }), async (markdown, seed) => {
        const dir = await project({ "package.json": "{}", "doc.md": markdown });
        const doc = path.join(dir, "doc.md");
        expect((await cli(["translations", "update", doc, "--lang", "fr"])).code).toBe(0);
        const file = path.join(dir, "translations/fr/doc.po");
        const t = (s: string) => shuffle(s.match(UNITS) ?? [], seed).join(" ");
        await translatePo(file, (e) => (e.msgid_plural ? e.msgstr.map(() => t(e.msgid_plural!)) : [t(e.msgid)]));
        const out = path.join(dir, "dist");
        const result = await cli(["build", doc, "--out", out, "--quiet"]);
        expect(result.stderr).not.toMatch(/translation-structure|internal error/);
        expect(result.code).toBe(0);
        expect(await structure(out, "fr")).toEqual(await structure(out, "en"));
      }),
      { numRuns: 3 },
    );
  });
});
