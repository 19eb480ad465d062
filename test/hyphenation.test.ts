/**
 * Hyphenation outside the PDF: the HTML and EPUB editions ask the reading system to hyphenate
 * paragraphs (`hyphens: auto`, with the edition's `lang` choosing the dictionary; never links or
 * code), and the DOCX turns on Word's automatic hyphenation. Read from the built files.
 */
import { readFile } from "node:fs/promises";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { cli, tempDir } from "./helpers.ts";
import { zipTexts } from "./readback.ts";

let out = "";

beforeAll(async () => {
  out = path.join(await tempDir("letterpress-hyphenation-"), "dist");
  const result = await cli(["build", "--lang", "fr", "--format", "html,epub,docx", "--out", out, "--quiet"]);
  expect(result.code, result.stderr).toBe(0);
});

const rule = (css: string, selector: string) => new RegExp(`(^|[}\\s,])${selector}\\s*\\{[^}]*\\bhyphens:\\s*auto`, "m").test(css);
const manual = (css: string) => /(^|[}\s])a,\s*code\s*\{[^}]*\bhyphens:\s*manual/m.test(css);

describe("hyphenation in HTML, EPUB and DOCX", () => {
  it("HTML: paragraphs hyphenate in the page's language, links and code never", async () => {
    const html = await readFile(path.join(out, "fr", "open-letter.html"), "utf8");
    expect(html).toMatch(/<html[^>]* lang="fr"/);
    const css = [...html.matchAll(/<style[^>]*>([\s\S]*?)<\/style>/g)].map((m) => m[1]).join("\n");
    expect(rule(css, "p")).toBe(true);
    expect(manual(css)).toBe(true);
  });

  it("EPUB: paragraphs hyphenate in each document's language", async () => {
    const files = await zipTexts(path.join(out, "fr", "open-letter.epub"));
    const css = Object.entries(files).filter(([name]) => name.endsWith(".css")).map(([, text]) => text).join("\n");
    expect(rule(css, "p")).toBe(true);
    expect(manual(css)).toBe(true);
    const documents = Object.entries(files).filter(([name]) => name.endsWith(".xhtml"));
    expect(documents.length).toBeGreaterThan(0);
    for (const [, text] of documents) expect(text).toMatch(/<html[^>]* xml:lang="fr"/);
  });

  it("DOCX: Word's automatic hyphenation is on", async () => {
    const files = await zipTexts(path.join(out, "fr", "open-letter.docx"));
    expect(files["word/settings.xml"]).toMatch(/<w:autoHyphenation(\s+w:val="(true|1|on)")?\s*\/>/);
  });
});
