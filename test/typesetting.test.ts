/**
 * The typesetting report (test/typesetting.ts) for every PDF edition of the bundled letter, built
 * by the CLI: the share of words (4-character shingles for Chinese) that poppler and pdf.js read
 * back intact, the tagged structure's paragraph text, and the looseness of justified lines. The
 * report is printed; the assertions hold what the text layer guarantees today.
 */
import { execFile } from "node:child_process";
import { readFile } from "node:fs/promises";
import { promisify } from "node:util";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { cli, project, tempDir } from "./helpers.ts";
import { htmlText, intactShare, typesettingReport, words, type EditionReport } from "./typesetting.ts";

const LANGS = ["en", "fr", "es", "ru", "ar", "zh"] as const;
const reports = new Map<string, EditionReport>();
let out = "";
const run = promisify(execFile);

beforeAll(async () => {
  out = path.join(await tempDir("letterpress-typesetting-"), "dist");
  const result = await cli(["build", "--format", "pdf,html", "--out", out, "--quiet"]);
  expect(result.code, result.stderr).toBe(0);
  for (const lang of LANGS) {
    const html = htmlText(await readFile(path.join(out, lang, "open-letter.html"), "utf8"));
    reports.set(lang, await typesettingReport(path.join(out, lang, "open-letter.pdf"), html, lang));
  }
  const pct = (x: number) => `${(100 * x).toFixed(1)} %`;
  const rows = [...reports].map(
    ([lang, r]) =>
      `${lang}  poppler ${pct(r.poppler.share)}  pdf.js ${pct(r.pdfjs.share)}  structure ${pct(r.structure.share)}  loose ${pct(r.loose.share)} of ${r.loose.lines}  worst ${r.loose.worst.toFixed(2)} em`,
  );
  console.log(`Typesetting report\n${rows.join("\n")}`);
}, 300_000);

describe("the report's measures", () => {
  it("counts a word broken into pieces, or reversed, as not intact", () => {
    const reference = words("the criminalising of data");
    expect(intactShare(words("the criminal ising of data"), reference).intact).toBe(3);
    expect(intactShare(words("the criminalising of atad"), reference).share).toBe(0.75);
    expect(intactShare(words("بشأن"), words("بشأن")).share).toBe(1);
    expect(intactShare(words("نأشب"), words("بشأن")).share).toBe(0);
  });
});

describe("the PDF text layer", () => {
  for (const lang of LANGS) {
    it(`${lang}: at least 98 % of the words read back intact with poppler`, () => {
      const r = reports.get(lang)!;
      expect(r.poppler.total).toBeGreaterThan(1000);
      expect(r.poppler.share, r.poppler.broken.join(" | ")).toBeGreaterThanOrEqual(0.98);
    });
    // Arabic with pdf.js is at 97.4 %: marks drawn with a vertical offset (shadda, tanwin) are
    // runs of their own, which pdf.js reads apart from their letter.
    const pdfjsFloor = lang === "ar" ? 0.97 : 0.98;
    it(`${lang}: at least ${pdfjsFloor * 100} % of the words read back intact with pdf.js`, () => {
      const r = reports.get(lang)!;
      expect(r.pdfjs.total).toBeGreaterThan(1000);
      expect(r.pdfjs.share, r.pdfjs.broken.join(" | ")).toBeGreaterThanOrEqual(pdfjsFloor);
    });
    it(`${lang}: the tagged structure's paragraphs hold the words`, () => {
      const r = reports.get(lang)!;
      expect(r.structure.total).toBeGreaterThan(1000);
      expect(r.structure.share, r.structure.broken.join(" | ")).toBeGreaterThanOrEqual(lang === "ar" ? 0.96 : 0.98);
    });
  }
});

describe("typesetting rules", () => {
  it("zh: the title's lines are balanced (no character alone on a line)", async () => {
    const html = await readFile(path.join(out, "zh", "open-letter.html"), "utf8");
    const title = htmlText(/<h1[^>]*>([\s\S]*?)<\/h1>/.exec(html)![1]!).replace(/\s+/g, "");
    const page = (await run("pdftotext", ["-raw", "-enc", "UTF-8", "-f", "1", "-l", "1", path.join(out, "zh", "open-letter.pdf"), "-"])).stdout;
    const lines: string[] = [];
    for (const line of page.split("\n").map((l) => l.replace(/\s+/g, ""))) {
      if (lines.join("") === title) break;
      lines.push(line);
    }
    expect(lines.join("")).toBe(title);
    expect(lines.length).toBeGreaterThan(1);
    const lengths = lines.map((l) => [...l].length);
    expect(Math.min(...lengths), lines.join(" | ")).toBeGreaterThanOrEqual(0.6 * Math.max(...lengths));
  });

  it("ru: an author's soft hyphens leave whole words for poppler and pdf.js", async () => {
    // Short paragraphs: each fits on its line, so no soft hyphen is a line break (where a reader
    // would rightly see two pieces); every one is inside a word.
    const word = "пре\u00adвос\u00adхо\u00adди\u00adтель\u00adство";
    const sentence = `Его ${word} посол говорил о сотрудничестве.`;
    const md = `---\nlang: ru\n---\n\n# Письмо\n\n${Array.from({ length: 40 }, () => sentence).join("\n\n")}\n`;
    const dir = await project({ "doc.md": md });
    const dist = path.join(dir, "dist");
    const result = await cli(["build", path.join(dir, "doc.md"), "--format", "pdf", "--out", dist, "--quiet"]);
    expect(result.code, result.stderr).toBe(0);
    const reference = `Письмо ${Array.from({ length: 40 }, () => sentence.replaceAll("\u00ad", "")).join(" ")}`;
    const report = await typesettingReport(path.join(dist, "ru", "doc.pdf"), reference, "ru");
    expect(report.poppler.total).toBeGreaterThan(200);
    expect(report.poppler.share, report.poppler.broken.join(" | ")).toBe(1);
    expect(report.pdfjs.share, report.pdfjs.broken.join(" | ")).toBe(1);
  });
});
