/**
 * The typesetting report (test/typesetting.ts) for every PDF edition of the bundled letter, built
 * by the CLI: the share of words (4-character shingles for Chinese) that poppler and pdf.js read
 * back intact, the tagged structure's paragraph text, and the looseness of justified lines; page
 * breaks read back from the tagged structure; the same text-layer checks for an addressed Arabic
 * copy and the 280-note edition; and rebuilds byte-identical with the post-processing. The report
 * is printed; the assertions hold what the text layer and the typesetting guarantee today.
 */
import { execFile } from "node:child_process";
import { readFile } from "node:fs/promises";
import { promisify } from "node:util";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { generateLarge } from "../scripts/generate-large.ts";
import { cli, project, tempDir } from "./helpers.ts";
import { pdfWords } from "./readback.ts";
import { htmlText, intactShare, pageBlocks, pageBreakFaults, pdfjsRead, popplerText, typesettingReport, words, type EditionReport } from "./typesetting.ts";

const LANGS = ["en", "fr", "es", "ru", "ar", "zh"] as const;
const reports = new Map<string, EditionReport>();
let out = "";
const run = promisify(execFile);

beforeAll(async () => {
  process.env.SOURCE_DATE_EPOCH = "1573603200";
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
    it(`${lang}: at least 98 % of the words read back intact with pdf.js`, () => {
      const r = reports.get(lang)!;
      expect(r.pdfjs.total).toBeGreaterThan(1000);
      expect(r.pdfjs.share, r.pdfjs.broken.join(" | ")).toBeGreaterThanOrEqual(0.98);
    });
    it(`${lang}: the tagged structure's paragraphs hold the words`, () => {
      const r = reports.get(lang)!;
      expect(r.structure.total).toBeGreaterThan(1000);
      expect(r.structure.share, r.structure.broken.join(" | ")).toBeGreaterThanOrEqual(0.98);
    });
  }
});

describe("quotation marks in the PDF text layer", () => {
  for (const lang of LANGS) {
    it(`${lang}: poppler and pdf.js read each quotation mark as the HTML edition has it (none mirrored)`, async () => {
      const file = path.join(out, lang, "open-letter.pdf");
      const html = htmlText(await readFile(path.join(out, lang, "open-letter.html"), "utf8"));
      const count = (text: string) => Object.fromEntries([..."«»“”"].map((c) => [c, [...text].filter((x) => x === c).length]));
      expect(Object.values(count(html)).reduce((a, b) => a + b)).toBeGreaterThan(lang === "es" || lang === "fr" ? 10 : 0);
      expect(count(await popplerText(file)), "poppler").toEqual(count(html));
      expect(count((await pdfjsRead(file)).map((p) => p.text).join("\n")), "pdf.js").toEqual(count(html));
    });
  }
});

describe("justified lines", () => {
  for (const lang of ["en", "fr", "es", "ru"] as const) {
    it(`${lang}: at most 5 % of the full justified lines are loose (mean word gap over 0.5 em), none over 0.7 em`, () => {
      const r = reports.get(lang)!;
      expect(r.loose.lines).toBeGreaterThan(40);
      const loosest = JSON.stringify(r.loose.loosest);
      expect(r.loose.share, loosest).toBeLessThanOrEqual(0.05);
      expect(r.loose.worst, loosest).toBeLessThanOrEqual(0.7);
    });
  }
});

describe("page breaks, read back from the tagged structure", () => {
  it("the check finds an orphan, a widow and a heading last on a page", () => {
    const p = (lines: number, full: boolean) => ({ role: "P", text: "x", lines, full });
    expect(pageBreakFaults([[p(3, false), p(1, true)], [p(3, false)]])).toHaveLength(1);
    expect(pageBreakFaults([[p(3, false), p(2, true)], [p(1, false), p(3, false)]])).toHaveLength(1);
    expect(pageBreakFaults([[p(3, false), { role: "H2", text: "x", lines: 1, full: false }], [p(3, false)]])).toHaveLength(1);
    expect(pageBreakFaults([[p(3, false), p(2, true)], [p(2, false), p(3, false)]])).toEqual([]);
  });
  for (const lang of LANGS) {
    it(`${lang}: no widow, orphan or heading last on a page`, async () => {
      const pages = await pageBlocks(path.join(out, lang, "open-letter.pdf"), lang === "ar" ? "rtl" : "ltr");
      expect(pages.length).toBeGreaterThan(2);
      // The check sees the paragraphs that run over a page (the Chinese edition's pages end
      // between paragraphs).
      if (lang !== "zh") expect(pages.slice(0, -1).some((blocks) => blocks.at(-1)?.full)).toBe(true);
      expect(pageBreakFaults(pages)).toEqual([]);
    });
  }
});

describe("other PDFs' text layer", () => {
  it("an addressed Arabic copy (deliver) reads back intact with poppler and pdf.js", async () => {
    const dir = path.join(path.dirname(out), "deliver");
    // Five missions, printed in chunks of two (in the missions file's order): SA's copy is AE's
    // print with SA's own first page swapped in (postprocess/firstpage.ts), an update more.
    const result = await cli(["deliver", "--only", "AE,SA,SY,TN,YE", "--out", dir, "--quiet"]);
    expect(result.code, result.stderr).toBe(0);
    expect((await readFile(path.join(dir, "ar", "open-letter-SA.pdf"), "latin1")).match(/%%EOF/g)).toHaveLength(3);
    const html = htmlText(await readFile(path.join(out, "ar", "open-letter.html"), "utf8"));
    const address = (await run("pdftotext", ["-raw", "-enc", "UTF-8", "-f", "1", "-l", "1", path.join(dir, "ar", "open-letter-SA.pdf"), "-"])).stdout;
    expect(address).toContain("السعودية");
    // The reference: the edition's words and the address block's (which the edition has not).
    const r = await typesettingReport(path.join(dir, "ar", "open-letter-SA.pdf"), `${html}\n${address.split("\n").slice(0, 12).join(" ")}`, "ar");
    expect(r.poppler.total).toBeGreaterThan(1000);
    expect(r.poppler.share, r.poppler.broken.join(" | ")).toBeGreaterThanOrEqual(0.98);
    expect(r.pdfjs.share, r.pdfjs.broken.join(" | ")).toBeGreaterThanOrEqual(0.98);
    expect(r.structure.share, r.structure.broken.join(" | ")).toBeGreaterThanOrEqual(0.98);
  }, 300_000);

  it("the 280-note edition (en, ru) reads back intact with poppler and pdf.js, its lines fitted", async () => {
    const dir = await tempDir("letterpress-typesetting-large-");
    const expected = await generateLarge(dir);
    const dist = path.join(dir, "dist");
    const result = await cli(["build", path.join(dir, expected.document), "--lang", "en,ru", "--format", "pdf,html", "--out", dist, "--quiet"]);
    expect(result.code, result.stderr).toBe(0);
    const slug = path.basename(expected.document, ".md");
    for (const lang of ["en", "ru"]) {
      const html = htmlText(await readFile(path.join(dist, lang, `${slug}.html`), "utf8"));
      const r = await typesettingReport(path.join(dist, lang, `${slug}.pdf`), html, lang);
      console.log(`large ${lang}: poppler ${(100 * r.poppler.share).toFixed(1)} %, pdf.js ${(100 * r.pdfjs.share).toFixed(1)} %, loose ${(100 * r.loose.share).toFixed(1)} % of ${r.loose.lines}, worst ${r.loose.worst.toFixed(2)} em`);
      expect(r.poppler.total).toBeGreaterThan(20_000);
      expect(r.poppler.share, r.poppler.broken.join(" | ")).toBeGreaterThanOrEqual(0.98);
      expect(r.pdfjs.share, r.pdfjs.broken.join(" | ")).toBeGreaterThanOrEqual(0.98);
    }
  }, 900_000);
});

describe("rebuilds", () => {
  it("are byte-identical, hyphenated words joined by the post-processing", async () => {
    const again = path.join(path.dirname(out), "again");
    const result = await cli(["build", "--format", "pdf", "--out", again, "--quiet"]);
    expect(result.code, result.stderr).toBe(0);
    for (const lang of LANGS) {
      const a = await readFile(path.join(out, lang, "open-letter.pdf"));
      const b = await readFile(path.join(again, lang, "open-letter.pdf"));
      expect(b.equals(a), lang).toBe(true);
    }
    // The font copies of the hyphen join (postprocess/hyphens.ts) are in the rebuilt PDFs.
    for (const lang of ["en", "fr", "es", "ru"]) {
      const { stdout } = await run("pdffonts", [path.join(again, lang, "open-letter.pdf")]);
      expect(stdout.split("\n").filter((l) => /NotoSerif/.test(l)).length, lang).toBeGreaterThan(3);
      expect((await readFile(path.join(again, lang, "open-letter.pdf"))).toString("latin1"), lang).toMatch(/\/LPH\d+ \d+ 0 R/);
    }
  }, 300_000);
});

describe("typesetting rules", () => {
  for (const lang of LANGS) {
    it(`${lang}: no line begins with a note call or with punctuation that belongs to the line before`, async () => {
      // poppler's word boxes (pdfWords): the first word of each line, by its place on the page (not by
      // reading order, which puts a raised call after its line).
      const { lines } = await pdfWords(path.join(out, lang, "open-letter.pdf"));
      // Arabic lines begin at the right, and poppler gives their words' letters in drawing order.
      const rtl = lang === "ar";
      // A note begins with its number by design: the first line of a block that starts with a
      // note number is left out; anywhere else a number alone at the head of a line is a call
      // that lost its word.
      const starts = lines.flatMap((line, i) => {
        const first = line.words.reduce((a, b) => (rtl ? (b.x0 > a.x0 ? b : a) : b.x0 < a.x0 ? b : a));
        const text = rtl && /\p{Script=Arabic}/u.test(first.text) ? [...first.text].reverse().join("") : first.text;
        const call = /^[()]?\d{1,3}[.)(]?$/.test(text);
        if (lines[i - 1]?.block !== line.block && call) return [];
        // In a right-to-left line, a token of Latin letters or digits is given in its own order:
        // only a call is judged there.
        if (rtl && !call && !/\p{Script=Arabic}/u.test(text)) return [];
        return [text];
      });
      expect(starts.length).toBeGreaterThan(50);
      const bad = starts.filter((w) => /^([.,;:!?»)\]，。；：！？、）]|[()]?\d{1,3}[)(]?$)/.test(w));
      expect(bad, lang).toEqual([]);
    });
  }

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
