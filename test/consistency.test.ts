/**
 * Cross-format consistency: for every edition of the bundled letter (every language) and for a
 * document of awkward footnotes, every format in the registry is read back (HTML in Chromium,
 * EPUB and DOCX unzipped, PDF with poppler and qpdf) and must show the same notes (count, order,
 * numbers, text), the same note calls in reading order, the same external link targets, the same
 * heading outline and the same signatory list. HTML is the reference each format is compared to;
 * the reference itself is pinned to facts known independently of the pipeline (the fixture was
 * written with them).
 */
import { readdirSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cli, LETTER, project, ROOT, tempDir } from "./helpers.ts";
import { consistencySuite, ReadBack } from "./readback.ts";

const AWKWARD = path.join(ROOT, "test/fixtures/awkward/awkward.md");
/** The letter's editions: the source language and one per translation folder. */
const LANGS = ["en", ...readdirSync(path.join(ROOT, "translations"), { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name).sort()];

let rb: ReadBack;
let letterOut: string;
let awkwardOut: string;
let nestedOut: string;
let nestedStderr: string;

beforeAll(async () => {
  letterOut = await tempDir("letterpress-consistency-");
  const letter = await cli(["build", LETTER, "--out", letterOut, "--quiet"]);
  expect(letter.code, letter.stderr).toBe(0);
  awkwardOut = await tempDir("letterpress-awkward-");
  const awkward = await cli(["build", AWKWARD, "--out", awkwardOut, "--quiet"]);
  expect(awkward.code, awkward.stderr).toBe(0);
  expect(awkward.stderr, "the awkward fixture builds without any message").toBe("");
  // A note referenced only from inside another note: Word cannot nest footnotes.
  const dir = await project({
    "package.json": "{}\n",
    "nested.md": "---\nlang: en\n---\n\n# Nested\n\nBody text[^outer] and more[^plain].\n\n[^outer]: The outer note cites[^inner].\n\n[^inner]: The inner note, cited only from the outer note.\n\n[^plain]: A plain note.\n",
  });
  nestedOut = path.join(dir, "dist");
  const nested = await cli(["build", path.join(dir, "nested.md"), "--out", nestedOut, "--quiet"]);
  expect(nested.code, nested.stderr).toBe(0);
  nestedStderr = nested.stderr;
  rb = await ReadBack.launch();
}, 240_000);

afterAll(async () => {
  await rb?.close();
});

it("covers the letter's six editions", () => {
  expect(LANGS).toEqual(["en", "ar", "es", "fr", "ru", "zh"]);
});

describe.each(LANGS)("the letter, %s edition", (lang) => {
  const get = () => rb.all(letterOut, lang, "open-letter");

  it("is the letter: 7 notes called 1..7, 6 link targets, 36 organisations and 6 individuals", async () => {
    const { html, views } = await get();
    expect(html.lang).toBe(lang);
    expect(views.html.notes.map((n) => n.number)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(views.html.markers).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(views.html.links).toHaveLength(6);
    expect(views.html.links).toContain("https://undocs.org/A/C.3/74/L.11/Rev.1");
    expect(views.html.signatories?.organisations).toHaveLength(36);
    expect(views.html.signatories?.organisations[0]).toBe("7amleh - The Arab Center for the Advancement of Social Media");
    expect(views.html.signatories?.individuals.map((i) => i.name)).toEqual(["Dr. Jennifer Barrigar", "Tamir Israel", "Douwe Korff", "Joy Liddicoat", "Damian Loreti", "Valerie Steeves"]);
    // Notes 4 and 6 are bare URLs in every language.
    expect(views.html.notes[3]!.text).toBe("https://www.hrw.org/news/2019/10/31/russia-new-law-expands-government-control-online");
  });

  consistencySuite(get);
});

describe("the awkward footnotes fixture", () => {
  const get = () => rb.all(awkwardOut, "en", "awkward");

  it("numbers notes by first reference, whatever the labels and the order of definitions", async () => {
    const { views } = await get();
    // Alpha, 10, list-note, alpha again, nested-item, quote, table, outer, inner, ünïcode.
    expect(views.html.markers).toEqual([1, 2, 3, 1, 4, 5, 6, 7, 8, 9]);
    // The outer note (7) cites the inner note (8), which the body cites too.
    expect(views.html.nestedMarkers).toEqual({ 7: [8] });
    expect(views.html.notes.map((n) => n.text.split(" ").slice(0, 4).join(" "))).toEqual([
      "The alpha note, referenced",
      "The note labelled ten,",
      "A note made in",
      "A note made in",
      "A note made in",
      "A note made in",
      "The outer note refers",
      "The inner note is",
      "A note whose label",
    ]);
    expect(views.html.notes[3]!.text).toBe("A note made in a nested list item.");
    expect(views.html.notes[6]!.text).toBe(
      "The outer note refers to the inner note8 and has a second paragraph. The second paragraph of the outer note links to https://example.org/outer.",
    );
    expect(views.html.links).toEqual([
      "https://example.org/outer",
      "https://example.org/quote",
      "https://example.org/quote-note",
      "https://example.org/table",
    ]);
    expect(views.html.outline.map((e) => `${e.depth} ${e.text}`)).toEqual([
      "1 Awkward footnotes, numbered the same everywhere",
      "2 Lists and quotes",
      "2 Tables",
      "3 A deeper heading",
      "2 Signatories",
      "3 Organisations",
      "3 Individuals",
      "2 Notes",
    ]);
    expect(views.html.signatories).toEqual({
      count: "4 organisations and 2 individuals",
      organisations: ["10 Downing Collective", "Alpha Society", "Éclair Network", "Zeta Foundation"],
      individuals: [
        { name: "Bo Chen", line: "Singapore" },
        { name: "Ana Müller", line: "University of Somewhere" },
      ],
    });
  });

  consistencySuite(get);
});

describe("a note cited only from inside another note (documented DOCX limitation)", () => {
  const get = () => rb.all(nestedOut, "en", "nested");

  it("is note 3 everywhere; PDF prints it after note 1, Word inside note 1 after its number, with a warning", async () => {
    const { views } = await get();
    expect(views.html.markers).toEqual([1, 2]);
    expect(views.html.nestedMarkers).toEqual({ 1: [3] });
    expect(views.html.notes.map((n) => `${n.number} ${n.text}`)).toEqual([
      "1 The outer note cites3.",
      "2 A plain note.",
      "3 The inner note, cited only from the outer note.",
    ]);
    expect(views.epub.notes.map((n) => n.number)).toEqual([1, 2, 3]);
    expect(views.epub.nestedMarkers).toEqual({ 1: [3] });
    // PDF: a note first cited inside another note follows it into the same footnote area.
    expect(views.pdf.notes.map((n) => n.number)).toEqual([1, 3, 2]);
    expect(views.pdf.nestedMarkers).toEqual({ 1: [3] });
    // Word: two footnotes; the inner note's text follows the outer note's, after its number.
    expect(views.docx.notes.map((n) => `${n.number} ${n.text}`)).toEqual([
      "1 The outer note cites3. 3 The inner note, cited only from the outer note.",
      "2 A plain note.",
    ]);
    expect(nestedStderr).toMatch(/\d+:\d+\s+warning\s+Note 3 \(\[\^inner\]\) is referenced only from inside other notes.*docx-nested-note/);
  });
});
