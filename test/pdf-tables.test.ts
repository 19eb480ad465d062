/**
 * PDF tables read back from the printed PDF (poppler's word boxes and its raster): the columns
 * stand apart, a numeric column is flush right with its header, a header sits over its cells,
 * rules are drawn between the header and the rows and between rows, and a table divided by a page
 * break repeats its header on every page.
 */
import { execFile } from "node:child_process";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";
import { beforeAll, describe, expect, it } from "vitest";
import { cli, project, tempDir } from "./helpers.ts";
import { pdfWords, type PdfWord } from "./readback.ts";

interface Row {
  page: number;
  words: PdfWord[];
  x0: number;
  x1: number;
  y0: number;
  y1: number;
  text: string;
}

const run = promisify(execFile);

const GROUPS = [
  ["Journalists and lawyers", "112", "41.2 %"],
  ["Human rights defenders", "87", "32.0 %"],
  ["Technologists", "9", "3.3 %"],
  ["Others", "64", "23.5 %"],
];
const REGIONS = Array.from({ length: 80 }, (_, k) => [`Region ${k + 1}`, String((k * 7919) % 1000 + 1), `${((k * 37) % 100) + 0.5}`]);

const table = (head: string[], rows: string[][]) => [`| ${head.join(" | ")} |`, `| ${head.map(() => "---").join(" | ")} |`, ...rows.map((r) => `| ${r.join(" | ")} |`)].join("\n");

let file = "";
let lines: Row[] = [];

beforeAll(async () => {
  const md = `---\nlang: en\n---\n\n# Sign-ons\n\nBy group:\n\n${table(["Group", "Count", "Share"], GROUPS)}\n\nBy region:\n\n${table(["Place", "Signatories", "Percent"], REGIONS)}\n\nThe end.\n`;
  const dir = await project({ "doc.md": md });
  const out = path.join(await tempDir("letterpress-tables-"), "dist");
  const result = await cli(["build", path.join(dir, "doc.md"), "--format", "pdf", "--out", out, "--quiet"]);
  expect(result.code, result.stderr).toBe(0);
  file = path.join(out, "en", "doc.pdf");
  // Poppler makes a line of each cell: rows are the words that share a baseline, left to right.
  const words = (await pdfWords(file)).lines.flatMap((l) => l.words);
  const rows: PdfWord[][] = [];
  for (const w of [...words].sort((a, b) => a.page - b.page || a.y1 - b.y1 || a.x0 - b.x0)) {
    const row = rows.at(-1);
    if (row && row[0]!.page === w.page && Math.abs(row[0]!.y1 - w.y1) < 2) row.push(w);
    else rows.push([w]);
  }
  lines = rows.map((ws) => {
    ws.sort((a, b) => a.x0 - b.x0);
    return { page: ws[0]!.page, words: ws, x0: ws[0]!.x0, x1: ws.at(-1)!.x1, y0: Math.min(...ws.map((w) => w.y0)), y1: Math.max(...ws.map((w) => w.y1)), text: ws.map((w) => w.text).join(" ") };
  });
});

const lineOf = (first: string) => {
  const line = lines.find((l) => l.text.startsWith(first));
  if (!line) throw new Error(`no line starting with ${first}`);
  return line;
};
const word = (line: Row, text: string) => line.words.find((w) => w.text === text)!;

describe("a PDF table", () => {
  it("keeps its columns apart and aligns each header with its cells (numbers flush right)", () => {
    const head = lineOf("Group");
    for (const [name, count, share] of GROUPS) {
      const row = lineOf(name!);
      const nameEnd = row.words[name!.split(" ").length - 1]!;
      const countWord = word(row, count!);
      // "112 Journalists and lawyers" must not read as one cell: a clear gap between columns.
      expect(countWord.x0 - nameEnd.x1).toBeGreaterThan(8);
      expect(row.words[0]!.x0).toBeCloseTo(word(head, "Group").x0, 0);
      expect(countWord.x1).toBeCloseTo(word(head, "Count").x1, 0);
      expect(row.words.at(-1)!.x1).toBeCloseTo(word(head, "Share").x1, 0);
      expect(share).toMatch(/%$/);
    }
  });

  it("draws a rule under the header and between the rows", async () => {
    const dpi = 144;
    const scale = dpi / 72;
    const { stdout } = await run("pdftoppm", ["-gray", "-r", String(dpi), "-f", "1", "-l", "1", file], { encoding: "buffer", maxBuffer: 1 << 26 });
    const pgm = stdout as unknown as Buffer;
    const header = /^P5\s+(\d+)\s+(\d+)\s+255\s/.exec(pgm.subarray(0, 40).toString("latin1"))!;
    const width = Number(header[1]);
    const pixels = pgm.subarray(header[0].length);
    const head = lineOf("Group");
    const rows = [head, ...GROUPS.map(([name]) => lineOf(name!))];
    const x0 = Math.round(head.x0 * scale);
    const x1 = Math.round(word(head, "Share").x1 * scale);
    const ruled = (y: number) => {
      let dark = 0;
      for (let x = x0; x < x1; x++) if (pixels[y * width + x]! < 200) dark++;
      return dark / (x1 - x0);
    };
    for (let i = 0; i + 1 < rows.length; i++) {
      const from = Math.ceil(rows[i]!.y1 * scale);
      const to = Math.floor(rows[i + 1]!.y0 * scale);
      let best = 0;
      for (let y = from; y < to; y++) best = Math.max(best, ruled(y));
      expect(best, `rule between "${rows[i]!.text}" and "${rows[i + 1]!.text}"`).toBeGreaterThan(0.95);
    }
    // No rule inside a row's text band's gaps between words: the rule is a line, not a box.
    expect(ruled(Math.round(((rows[1]!.y0 + rows[1]!.y1) / 2) * scale))).toBeLessThan(0.6);
  });

  it("repeats its header on every page it is divided over, numbers aligned on each page", async () => {
    const pages = [...new Set(lines.filter((l) => /^Region \d+/.test(l.text)).map((l) => l.page))];
    expect(pages.length).toBeGreaterThan(1);
    const rows = lines.filter((l) => /^Region \d+/.test(l.text));
    expect(rows.map((l) => Number(/^Region (\d+)/.exec(l.text)![1]))).toEqual(REGIONS.map((_, k) => k + 1));
    for (const page of pages) {
      const onPage = lines.filter((l) => l.page === page);
      const head = onPage.find((l) => l.text === "Place Signatories Percent");
      const first = onPage.find((l) => /^Region \d+/.test(l.text))!;
      expect(head, `header on page ${page}`).toBeDefined();
      expect(head!.y1).toBeLessThan(first.y0);
      for (const row of onPage.filter((l) => /^Region \d+/.test(l.text))) {
        expect(row.words[2]!.x1).toBeCloseTo(word(head!, "Signatories").x1, 0);
        expect(row.words[0]!.x0).toBeCloseTo(word(head!, "Place").x0, 0);
      }
    }
    expect((await readFile(file)).length).toBeGreaterThan(0);
  });
});
