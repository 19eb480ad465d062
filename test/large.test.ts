/**
 * A large document: `scripts/generate-large.ts` writes a seeded ~70,000-word letter with 280 notes
 * (some cited again, definitions shuffled, half with links), a signatory list and complete
 * pseudo-translations into fr, es, ru, ar and zh (every segment translated, inline Markdown kept).
 * It is built once, in every language and every format of the registry, and read back:
 *
 * - every format numbers the notes 1..280 in order and shows, at every call of the body, the
 *   number the generator put there (HTML markers, DOCX footnotes.xml and NOTEREF fields, EPUB
 *   noterefs, PDF calls via pdftotext and its link annotations);
 * - every translation was applied (no untranslated, fuzzy or structure message);
 * - the cross-format structure checks of the consistency suite pass for each of the six editions
 *   (note texts, link targets, outline, signatories).
 *
 * The build is the slow part (six PDFs of ~160 pages); the timeout is generous for a loaded machine.
 */
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FORMATS } from "../pipeline/model.ts";
import { generateLarge, LANGUAGES, type Expected } from "../scripts/generate-large.ts";
import { cli, tempDir } from "./helpers.ts";
import { consistencySuite, parseReport, ReadBack, type Reported } from "./readback.ts";

const EDITIONS = ["en", ...LANGUAGES];

/** Checks expected to fail, by edition and check id (none: the PDF bugs this suite found are fixed). */
const KNOWN_BUGS: Record<string, Record<string, string>> = {};

let expected: Expected;
let out: string;
let reported: Reported[];
let rb: ReadBack;

beforeAll(async () => {
  const dir = await tempDir("letterpress-large-");
  expected = await generateLarge(dir);
  out = path.join(dir, "dist");
  const result = await cli(["build", path.join(dir, expected.document), "--out", out, "--quiet"]);
  expect(result.code, result.stderr).toBe(0);
  reported = parseReport(result.stderr, dir);
  rb = await ReadBack.launch();
}, 40 * 60_000);

afterAll(async () => {
  await rb?.close();
});

describe("the generated document", () => {
  it("is large: 280 notes, about 70,000 words, repeated calls, six editions", () => {
    expect(expected.notes).toBe(280);
    expect(expected.words).toBeGreaterThan(65_000);
    expect(expected.words).toBeLessThan(75_000);
    expect(expected.calls.length).toBeGreaterThan(300);
    expect(new Set(expected.calls).size).toBe(280);
    expect(expected.labels.filter((l) => !/^n\d+$/.test(l)).length).toBe(28);
    expect(expected.languages.sort()).toEqual([...EDITIONS].sort());
  });

  it("builds with every translation applied: no untranslated, fuzzy, structure or placeholder message", () => {
    const translation = reported.filter((r) => r.ruleId.startsWith("translation-") || r.ruleId.startsWith("po-"));
    expect(translation.map((r) => `${path.basename(path.dirname(r.file))} ${r.line}: ${r.text}`)).toEqual([]);
    expect(reported.filter((r) => r.severity === "error")).toEqual([]);
  });
});

describe.each(EDITIONS)("the %s edition", (lang) => {
  const get = () => rb.all(out, lang, "large");

  for (const format of FORMATS) {
    const bug = KNOWN_BUGS[lang]?.[`numbers:${format}`];
    (bug ? it.fails : it)(`${format} numbers the 280 notes 1..280 and every call as generated${bug ? ` (known bug: ${bug})` : ""}`, async () => {
      const { views } = await get();
      const view = views[format];
      expect(view.notes.map((n) => n.number)).toEqual(Array.from({ length: 280 }, (_, i) => i + 1));
      expect(view.markers).toEqual(expected.calls);
      expect(view.problems).toEqual([]);
    });
  }

  it("HTML links to every generated target and shows the generated outline", async () => {
    const { html, views } = await get();
    expect(html.lang).toBe(lang);
    expect(views.html.links).toEqual(expected.links);
    // Title, the generated headings, then the signatory list and the notes.
    const outline = views.html.outline;
    expect(outline.length).toBe(1 + expected.headings.length + 4);
    expect(outline.slice(1, 1 + expected.headings.length).map((e) => e.depth)).toEqual(expected.headings.map((h) => h.depth));
    if (lang === "en") expect(outline.slice(1, 1 + expected.headings.length).map((e) => e.text)).toEqual(expected.headings.map((h) => h.text));
    expect(views.html.signatories?.organisations).toHaveLength(expected.organisations);
    expect(views.html.signatories?.individuals).toHaveLength(expected.individuals);
  });

  consistencySuite(get, KNOWN_BUGS[lang]);
});
