/**
 * Paper and letterhead (front matter `paper`, `letterhead`), read back from all four formats:
 * US Letter pages in the PDF (pdfinfo) and the DOCX (`w:pgSz`); the letterhead's image at the top
 * of the first page (pdfimages, the DOCX's first paragraph) and at the head of the HTML and EPUB,
 * with its alternative text in each.
 */
import { execFile } from "node:child_process";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";
import { unzipSync } from "fflate";
import { beforeAll, describe, expect, it } from "vitest";
import { cli, png, project, tempDir } from "./helpers.ts";
import { pdfUncompressed } from "./readback.ts";

const run = promisify(execFile);
const LOGO = png(300, 60, [20, 60, 140]);
const ALT = "Coalition for Digital Rights";
const DOC = `---
lang: en
paper: letter
letterhead:
  src: logo.png
  alt: ${ALT}
---

# A letter on Letter paper

Excellencies,

We write to you on US Letter paper.
`;

describe("paper: letter and a letterhead", () => {
  let out: string;
  const file = (ext: string) => path.join(out, "en", `doc.${ext}`);
  beforeAll(async () => {
    const dir = await project({ "doc.md": DOC, "logo.png": LOGO, "package.json": "{}" });
    out = await tempDir();
    const built = await cli(["build", path.join(dir, "doc.md"), "--out", out]);
    expect(built.code, built.stderr).toBe(0);
  });

  it("PDF: 612 × 792 pt pages, the letterhead drawn at the top of page 1 and tagged with its alternative text", async () => {
    const { stdout: info } = await run("pdfinfo", [file("pdf")]);
    expect(info).toMatch(/Page size:\s+612(\.\d+)? x 792(\.\d+)? pts \(letter\)/);
    const { stdout: list } = await run("pdfimages", ["-list", file("pdf")]);
    const rows = list.trim().split("\n").slice(2).map((r) => r.trim().split(/\s+/));
    expect(rows.map((r) => [r[0], r[3], r[4]])).toEqual([["1", "300", "60"]]);
    // Drawn above the title: page 1 rendered at 72 dpi (one pixel a point), the logo's blue rows
    // end before the title's first word begins.
    const { stdout: bbox } = await run("pdftotext", ["-bbox", "-f", "1", "-l", "1", file("pdf"), "-"]);
    const titleTop = Number(/<word xMin="[\d.]+" yMin="([\d.]+)"/.exec(bbox)![1]);
    const { stdout: ppm } = await run("pdftoppm", ["-r", "72", "-f", "1", "-l", "1", file("pdf")], { encoding: "buffer", maxBuffer: 1 << 26 });
    const [, width, height] = /^P6\s+(\d+)\s+(\d+)\s+255\s/.exec(ppm.subarray(0, 40).toString("latin1"))!.map(Number) as [number, number, number];
    const pixels = ppm.subarray(ppm.length - width * height * 3);
    const blueRows: number[] = [];
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        const i = (y * width + x) * 3;
        if (Math.abs(pixels[i]! - 20) < 25 && Math.abs(pixels[i + 1]! - 60) < 25 && Math.abs(pixels[i + 2]! - 140) < 25) {
          blueRows.push(y);
          break;
        }
      }
    }
    expect(blueRows.length).toBeGreaterThan(10);
    expect(Math.max(...blueRows)).toBeLessThan(titleTop);
    expect(await pdfUncompressed(file("pdf"))).toContain(`/Alt (${ALT})`);
  });

  it("DOCX: a Letter page size, the letterhead in the first paragraph with its description", async () => {
    const files = unzipSync(new Uint8Array(await readFile(file("docx"))));
    const body = new TextDecoder().decode(files["word/document.xml"]);
    expect(body).toMatch(/<w:pgSz w:w="12240" w:h="15840"/);
    const first = /<w:body><w:p[ >][\s\S]*?<\/w:p>/.exec(body)![0];
    expect(first).toContain("<w:drawing>");
    expect(first).toContain(`descr="${ALT}"`);
    expect(Object.keys(files).filter((n) => n.startsWith("word/media/"))).toHaveLength(1);
  });

  it("HTML and EPUB: the letterhead heads the article, with its alternative text", async () => {
    const html = await readFile(file("html"), "utf8");
    expect(html).toMatch(new RegExp(`<article><p class="letterhead"><img src="data:image/png;base64,[^"]+" alt="${ALT}" width="300" height="60" class="letterhead"></p>`));
    const epub = unzipSync(new Uint8Array(await readFile(file("epub"))));
    const xhtml = new TextDecoder().decode(epub["OEBPS/content.xhtml"]);
    expect(xhtml).toMatch(new RegExp(`<main id="content"><p class="letterhead"><img src="images/image-[0-9a-f]+\\.png" alt="${ALT}"`));
  });
});
