/**
 * The edition model, read back from all four formats of a translated edition: an image inside a
 * translated paragraph reaches every format (and the PO file holds its file name, never its
 * bytes); a translation that drops or adds an image is a structure error; the translation notice
 * stands at the same place in every format, marked English when its label falls back.
 */
import { execFile } from "node:child_process";
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";
import { EpubCheck } from "@likecoin/epubcheck-ts";
import { unzipSync } from "fflate";
import { po as gettextPo, type GetTextTranslation } from "gettext-parser";
import type { Browser } from "puppeteer-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { visit } from "unist-util-visit";
import { launchChromium } from "../pipeline/browser/chromium.ts";
import { loadEditions } from "../pipeline/i18n/translations.ts";
import { loadDocument } from "../pipeline/load.ts";
import { cli, LETTER, png, project, ROOT, tempDir } from "./helpers.ts";
import { parseReport, pdfUncompressed } from "./readback.ts";

const run = promisify(execFile);

const LOGO = png(40, 20, [200, 30, 30]);
const DOC = `---
lang: en
---

# A letter with a logo

Our logo ![Coalition logo](logo.png) appears here.[^a]

A second paragraph.

[^a]: A note.
`;

/** The German PO after `translations update`, translated by `translate` (undefined: left empty). */
async function translatePo(poPath: string, translate: (context: string, msgid: string) => string | undefined): Promise<void> {
  const po = gettextPo.parse(await readFile(poPath));
  for (const [context, entries] of Object.entries(po.translations)) {
    for (const [msgid, entry] of Object.entries(entries) as Array<[string, GetTextTranslation]>) {
      if (msgid === "") continue;
      const text = translate(context, msgid);
      if (text === undefined) continue;
      entry.msgstr = entry.msgid_plural ? entry.msgstr.map(() => text) : [text];
      if (entry.comments?.flag) delete entry.comments.flag;
    }
  }
  await writeFile(poPath, gettextPo.compile(po));
}

describe("a translated edition with an image, whose notice label falls back", () => {
  let dir: string;
  let out: string;
  let po: string;
  let browser: Browser;
  let stderr: string;

  beforeAll(async () => {
    dir = await project({ "doc.md": DOC, "logo.png": LOGO, "package.json": "{}" });
    const doc = path.join(dir, "doc.md");
    const update = await cli(["translations", "update", doc, "--lang", "de"]);
    expect(update.code, update.stderr).toBe(0);
    po = path.join(dir, "translations", "de", "doc.po");
    await translatePo(po, (context, msgid) => {
      if (context === "label/unofficial-translation") return undefined;
      if (msgid.includes("![Coalition logo](logo.png)")) return "Unser Logo ![Logo der Koalition](logo.png) erscheint hier.[^a]";
      if (msgid === "Coalition logo") return "Logo der Koalition";
      return msgid.includes("{n}") || context.startsWith("label/") ? msgid : `DE ${msgid}`;
    });
    out = await tempDir();
    const built = await cli(["build", doc, "--lang", "de", "--out", out]);
    stderr = built.stderr;
    expect(built.code, built.stderr).toBe(0);
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
  });

  it("keeps the image's file name in the PO file, never its bytes", async () => {
    const text = await readFile(po, "utf8");
    expect(text).toContain('msgid "Our logo ![Coalition logo](logo.png) appears here.[^a]"');
    expect(text).not.toMatch(/base64|data:image/);
    // gettext accepts what we wrote.
    await run("msgfmt", ["-c", "-o", "/dev/null", po]);
  });

  it("reports only the notice label as untranslated", () => {
    const reported = parseReport(stderr, dir);
    expect(reported.map((m) => `${path.basename(m.file)} ${m.severity} ${m.ruleId}`)).toEqual(["doc.po warning translation-untranslated"]);
    expect(reported[0]!.text).toMatch(/^1 of Letterpress's own labels/);
  });

  /** In Chromium: what follows the title, and the images with their alt text and decoded size. */
  async function readHtml(html: string, type: "text/html" | "application/xhtml+xml", base?: string) {
    const page = await browser.newPage();
    try {
      if (base) await page.goto(base);
      else await page.setContent(html);
      return await page.evaluate(
        async (source, mime) => {
          const doc = mime === "text/html" ? document : new DOMParser().parseFromString(source, mime);
          const h1 = doc.querySelector("h1")!;
          const next = h1.nextElementSibling!;
          const images = [...doc.querySelectorAll("img")];
          await Promise.all(images.map((img) => (img.complete ? undefined : new Promise((r) => img.addEventListener("load", r, { once: true })))));
          return {
            afterTitle: { tag: next.tagName.toLowerCase(), cls: next.getAttribute("class"), lang: next.getAttribute("lang"), text: next.textContent },
            images: images.map((img) => ({ alt: img.getAttribute("alt"), src: img.getAttribute("src"), width: img.naturalWidth, inParagraph: img.closest("p")?.textContent ?? "" })),
          };
        },
        html,
        type,
      );
    } finally {
      await page.close();
    }
  }

  it("HTML: the image decodes in the translated paragraph; the notice follows the title, marked English", async () => {
    const html = await readFile(path.join(out, "de", "doc.html"), "utf8");
    const { afterTitle, images } = await readHtml(html, "text/html", `file://${path.join(out, "de", "doc.html")}`);
    expect(afterTitle).toEqual({ tag: "p", cls: "notice", lang: "en", text: "Unofficial translation. The English text is the authoritative version." });
    expect(images).toHaveLength(1);
    expect(images[0]).toMatchObject({ alt: "Logo der Koalition", width: 40 });
    expect(images[0]!.inParagraph).toContain("Unser Logo");
    expect(images[0]!.src).toBe(`data:image/png;base64,${LOGO.toString("base64")}`);
  });

  it("EPUB: the image is packaged and shown in the translated paragraph; the notice follows the title; EPUBCheck is clean", async () => {
    const epub = new Uint8Array(await readFile(path.join(out, "de", "doc.epub")));
    const files = unzipSync(epub);
    const pictures = Object.keys(files).filter((n) => n.startsWith("OEBPS/images/"));
    expect(pictures).toHaveLength(1);
    expect(Buffer.from(files[pictures[0]!]!).equals(LOGO)).toBe(true);
    const xhtml = new TextDecoder().decode(files["OEBPS/content.xhtml"]);
    const { afterTitle, images } = await readHtml(xhtml, "application/xhtml+xml");
    expect(afterTitle).toMatchObject({ cls: "notice", lang: "en" });
    expect(images.map((i) => [i.alt, i.src])).toEqual([["Logo der Koalition", pictures[0]!.slice("OEBPS/".length)]]);
    expect(images[0]!.inParagraph).toContain("Unser Logo");
    expect(new TextDecoder().decode(files["OEBPS/content.opf"])).toContain(`href="${pictures[0]!.slice("OEBPS/".length)}" media-type="image/png"`);
    const result = await EpubCheck.validate(epub);
    expect(result.messages.filter((m) => m.severity !== "usage" && m.severity !== "info").map((m) => m.message)).toEqual([]);
  });

  it("DOCX: the image is in word/media and drawn in the translated paragraph; the notice follows the title, in English", async () => {
    const files = unzipSync(new Uint8Array(await readFile(path.join(out, "de", "doc.docx"))));
    const media = Object.keys(files).filter((n) => n.startsWith("word/media/"));
    expect(media).toHaveLength(1);
    expect(Buffer.from(files[media[0]!]!).equals(LOGO)).toBe(true);
    const body = new TextDecoder().decode(files["word/document.xml"]);
    const paragraphs = body.match(/<w:p[ >][\s\S]*?<\/w:p>/g)!;
    const text = (p: string) => [...p.matchAll(/<w:t(?: [^>]*)?>([^<]*)<\/w:t>/g)].map((m) => m[1]).join("");
    const title = paragraphs.findIndex((p) => p.includes('<w:pStyle w:val="Title"/>'));
    expect(text(paragraphs[title]!)).toBe("DE A letter with a logo");
    const notice = paragraphs[title + 1]!;
    expect(text(notice)).toBe("Unofficial translation. The English text is the authoritative version.");
    expect(notice).toMatch(/<w:lang w:val="en(-[A-Z]{2})?"/);
    const withImage = paragraphs.find((p) => p.includes("<w:drawing>"))!;
    expect(text(withImage)).toContain("Unser Logo");
    expect(withImage).toContain('descr="Logo der Koalition"');
    // LibreOffice opens it and keeps the picture.
    const converted = await tempDir();
    await run("soffice", ["--headless", "--convert-to", "odt", "--outdir", converted, path.join(out, "de", "doc.docx")], { timeout: 120_000 });
    const odt = unzipSync(new Uint8Array(await readFile(path.join(converted, "doc.odt"))));
    expect(Object.keys(odt).some((n) => n.startsWith("Pictures/"))).toBe(true);
  });

  it("PDF: the image is drawn; the notice follows the title and is tagged English", async () => {
    const file = path.join(out, "de", "doc.pdf");
    const { stdout: list } = await run("pdfimages", ["-list", file]);
    const rows = list.trim().split("\n").slice(2);
    expect(rows).toHaveLength(1);
    expect(rows[0]!.trim().split(/\s+/).slice(3, 5)).toEqual(["40", "20"]);
    const { stdout: text } = await run("pdftotext", ["-raw", file, "-"]);
    const lines = text.split("\n").map((l) => l.trim()).filter(Boolean);
    const title = lines.findIndex((l) => l.includes("DE A letter with a logo"));
    expect(lines[title + 1]).toBe("Unofficial translation. The English text is the authoritative version.");
    expect(lines[title + 2]).toMatch(/^Unser Logo/);
    // The catalog says German; the only English element is the notice.
    const pdf = await pdfUncompressed(file);
    expect(pdf).toMatch(/\/Lang \(de\)/);
    expect(pdf.match(/\/Lang \(en\)/g)).toHaveLength(1);
  });
});

describe("a translation that changes a paragraph's images", () => {
  it("is a translation-structure error at the PO entry, and nothing is published", async () => {
    const dir = await project({ "doc.md": DOC, "logo.png": LOGO, "other.png": png(4, 4, [0, 0, 0]), "package.json": "{}" });
    const doc = path.join(dir, "doc.md");
    expect((await cli(["translations", "update", doc, "--lang", "de"])).code).toBe(0);
    const po = path.join(dir, "translations", "de", "doc.po");
    await translatePo(po, (_context, msgid) => {
      if (msgid.includes("![Coalition logo](logo.png)")) return "Unser Logo erscheint hier.[^a]";
      if (msgid === "A second paragraph.") return "Ein zweiter Absatz ![Anderes](other.png).";
      return msgid;
    });
    const out = await tempDir();
    const built = await cli(["build", doc, "--lang", "de", "--format", "html", "--out", out]);
    expect(built.code).toBe(1);
    const structure = parseReport(built.stderr, dir).filter((m) => m.ruleId === "translation-structure");
    expect(structure.map((m) => [path.basename(m.file), m.text.split(";")[0]])).toEqual([
      ["doc.po", "Translation of `body/p1` changes the images: drops `logo.png`"],
      ["doc.po", "Translation of `body/p2` changes the images: adds `other.png`"],
    ]);
    await expect(readFile(path.join(out, "de", "doc.html"))).rejects.toThrow();
  });
});

describe("a translated edition's places", () => {
  it("are its PO file's entries, never lines of the Markdown", async () => {
    const { doc } = await loadDocument(LETTER);
    const [fr] = await loadEditions(doc!, ROOT, ["fr"], {});
    const poLines = (await readFile(path.join(ROOT, "translations", "fr", "open-letter.po"), "utf8")).split("\n");
    const places: number[] = [];
    visit(fr!.overlay!.tree, (node) => {
      if (node.position) places.push(node.position.start.line);
    });
    // Every paragraph, heading and note of the letter is placed, each at an entry of the PO file.
    expect(places.length).toBeGreaterThan(40);
    for (const line of places) expect(poLines[line - 1]).toMatch(/^msg(ctxt|id) /);
  });
});

describe("what a formal letter shows under its title, and bare UN symbols", () => {
  const LETTER_GB = `---
lang: en-GB
addressee: Members of the Human Rights Council
date: 2026-12-05
---

# A statement

We refer to A/HRC/51/17, not to \`A/HRC/51/18\` in code, nor to [a page](https://example.org/A/HRC/51/19), nor to A/HRC/51/L/2.
`;
  let out: string;
  beforeAll(async () => {
    const dir = await project({ "statement.md": LETTER_GB, "package.json": "{}" });
    out = await tempDir();
    const built = await cli(["build", path.join(dir, "statement.md"), "--out", out]);
    expect(built.code, built.stderr).toBe(0);
  });
  const RESOLVED = "https://undocs.org/A/HRC/51/17";

  it("HTML: the date in British style, the addressee, and the bare symbol linked (only it)", async () => {
    const html = await readFile(path.join(out, "en-GB", "statement.html"), "utf8");
    expect(html).toContain('<p class="dateline"><time datetime="2026-12-05">5 December 2026</time></p>');
    expect(html).toContain('<p class="addressee">To: Members of the Human Rights Council</p>');
    expect([...html.matchAll(/href="(https:\/\/undocs\.org\/[^"]+)"/g)].map((m) => m[1])).toEqual([RESOLVED]);
  });

  it("PDF: date and addressee under the title, the symbol a link to the resolver", async () => {
    const file = path.join(out, "en-GB", "statement.pdf");
    const { stdout } = await run("pdftotext", ["-raw", file, "-"]);
    const lines = stdout.split("\n").map((l) => l.trim()).filter(Boolean);
    expect(lines.slice(0, 3)).toEqual(["A statement", "5 December 2026", "To: Members of the Human Rights Council"]);
    const pdf = await pdfUncompressed(file);
    expect([...pdf.matchAll(/\/URI \((https:\/\/undocs\.org\/[^)]+)\)/g)].map((m) => m[1])).toEqual([RESOLVED]);
  });

  it("DOCX: Date and Inside Address paragraphs, the symbol a hyperlink", async () => {
    const files = unzipSync(new Uint8Array(await readFile(path.join(out, "en-GB", "statement.docx"))));
    const body = new TextDecoder().decode(files["word/document.xml"]);
    expect(body).toMatch(/<w:pStyle w:val="Date"\/>.*?5 December 2026/s);
    expect(body).toMatch(/<w:pStyle w:val="InsideAddress"\/>.*?To: .*?Members of the Human Rights Council/s);
    const rels = new TextDecoder().decode(files["word/_rels/document.xml.rels"]);
    expect([...rels.matchAll(/Target="(https:\/\/undocs\.org\/[^"]+)"/g)].map((m) => m[1])).toEqual([RESOLVED]);
  });

  it("EPUB: the same lines and link", async () => {
    const files = unzipSync(new Uint8Array(await readFile(path.join(out, "en-GB", "statement.epub"))));
    const xhtml = new TextDecoder().decode(files["OEBPS/content.xhtml"]);
    expect(xhtml).toContain("5 December 2026");
    expect(xhtml).toContain("To: Members of the Human Rights Council");
    expect([...xhtml.matchAll(/href="(https:\/\/undocs\.org\/[^"]+)"/g)].map((m) => m[1])).toEqual([RESOLVED]);
  });
});
