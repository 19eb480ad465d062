/**
 * The subset fonts of the HTML and EPUB editions, read back in Chromium: every character of every
 * edition (six languages, the index page, the EPUB content and navigation documents) is drawn
 * from a font the edition embeds, never a fallback of the machine (DevTools'
 * CSS.getPlatformFontsForNode over every text node); the subsets shape Arabic and Chinese as the
 * whole faces do (joining forms, marks, the `halt` punctuation feature); the Chinese EPUB passes
 * EPUBCheck and epubcheck-ts.
 */
import { execFile } from "node:child_process";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import { promisify } from "node:util";
import { EpubCheck } from "@likecoin/epubcheck-ts";
import { unzipSync } from "fflate";
import type { Browser, Page } from "puppeteer-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchChromium, sandboxPage } from "../pipeline/browser/chromium.ts";
import { cli, LETTER, tempDir } from "./helpers.ts";

const require = createRequire(import.meta.url);
const run = promisify(execFile);
const LANGS = ["en", "fr", "es", "ru", "ar", "zh"];
const FAMILIES = ["Noto Serif", "Noto Naskh Arabic", "Noto Serif SC", "Noto Sans Math"];
let out: string;
let browser: Browser;

beforeAll(async () => {
  out = await tempDir();
  const result = await cli(["build", LETTER, "--out", out, "--format", "html,epub", "--quiet"]);
  expect(result.code, result.stderr).toBe(0);
  for (const lang of LANGS) {
    const files = unzipSync(new Uint8Array(await readFile(path.join(out, lang, "open-letter.epub"))));
    for (const [name, data] of Object.entries(files)) {
      const file = path.join(out, `${lang}-epub`, name);
      await mkdir(path.dirname(file), { recursive: true });
      await writeFile(file, data);
    }
  }
  browser = await launchChromium();
}, 180_000);

afterAll(async () => {
  await browser?.close();
});

async function open(file: string): Promise<Page> {
  const page = await browser.newPage();
  const dir = path.dirname(file);
  const blocked = await sandboxPage(page, (url) => url.startsWith(`file://${dir}/`));
  await page.goto(`file://${file}`, { waitUntil: "load" });
  await page.evaluate(() => document.fonts.ready.then(() => undefined));
  expect(blocked).toEqual([]);
  return page;
}

interface Use {
  family: string;
  custom: boolean;
  text: string;
}

/** For every visible text node (and pseudo-element), the fonts Chromium drew it with. */
async function fontsUsed(page: Page): Promise<Use[]> {
  const session = await page.createCDPSession();
  await session.send("DOM.enable");
  await session.send("CSS.enable");
  const { root } = await session.send("DOM.getDocument", { depth: -1, pierce: true });
  type Node = { nodeId: number; nodeType: number; nodeName: string; nodeValue: string; children?: Node[]; pseudoElements?: Node[] };
  const uses: Use[] = [];
  const walk = async (node: Node): Promise<void> => {
    if (["HEAD", "STYLE", "SCRIPT", "TITLE", "head", "style", "script", "title"].includes(node.nodeName)) return;
    if (node.nodeType === 3 && node.nodeValue.trim()) {
      const { fonts } = await session.send("CSS.getPlatformFontsForNode", { nodeId: node.nodeId });
      for (const font of fonts) uses.push({ family: font.familyName, custom: font.isCustomFont, text: node.nodeValue.trim().slice(0, 40) });
    }
    for (const child of [...(node.pseudoElements ?? []), ...(node.children ?? [])]) await walk(child);
  };
  await walk(root as Node);
  await session.detach();
  return uses;
}

/** The Chromium family names of the embedded faces (Noto Serif SC's files call it "Noto Serif SC ExtraLight"). */
const ours = (family: string) => FAMILIES.some((f) => family === f || family.startsWith(`${f} `));

describe("every character is drawn from an embedded font", () => {
  const documents = [
    ...LANGS.map((lang) => [`${lang} HTML`, `${lang}/open-letter.html`]),
    ["index page", "index.html"],
    ...LANGS.flatMap((lang) => [
      [`${lang} EPUB content`, `${lang}-epub/OEBPS/content.xhtml`],
      [`${lang} EPUB navigation`, `${lang}-epub/OEBPS/toc.xhtml`],
    ]),
  ];
  it.each(documents)("%s", async (_name, file) => {
    const page = await open(path.join(out, file));
    try {
      const uses = await fontsUsed(page);
      expect(uses.length).toBeGreaterThan(0);
      expect(uses.filter((u) => !u.custom || !ours(u.family)).map((u) => `${u.family}: ${u.text}`)).toEqual([]);
    } finally {
      await page.close();
    }
  }, 60_000);

  it("catches a fallback: a character outside the subsets is drawn by a system font", async () => {
    const page = await open(path.join(out, "en/open-letter.html"));
    try {
      await page.evaluate(() => document.querySelector("h1")!.append(" \u0416\u05D0"));
      const uses = await fontsUsed(page);
      expect(uses.some((u) => !u.custom)).toBe(true);
    } finally {
      await page.close();
    }
  });
});

describe("the subsets shape text as the whole faces do", () => {
  /**
   * Width of `text` on one line in the edition's subset faces of `family` and in the package's
   * whole faces (every slice, with its unicode-range), with the OpenType features `features`.
   */
  async function widths(lang: string, family: string, pkg: string, css: string, text: string, features: string) {
    const html = await readFile(path.join(out, lang, "open-letter.html"), "utf8");
    const subset = [...html.matchAll(/@font-face\{[^}]*\}/g)]
      .map((m) => m[0])
      .filter((rule) => rule.includes(`font-family:"${family}"`) && rule.includes("font-weight:400"))
      .map((rule) => rule.replace(`font-family:"${family}"`, 'font-family:"Subset"'));
    const dir = path.dirname(require.resolve(`${pkg}/package.json`));
    const whole = [];
    for (const block of (await readFile(path.join(dir, css), "utf8")).matchAll(/@font-face\s*\{([^}]*)\}/g)) {
      const src = /url\(['"]?\.\/files\/([^)'"]+\.woff2)/.exec(block[1]!)?.[1];
      if (!src) continue;
      const range = /unicode-range:([^;]+);/.exec(block[1]!)?.[1] ?? "U+0-10FFFF";
      const data = (await readFile(path.join(dir, "files", src))).toString("base64");
      whole.push(`@font-face{font-family:"Whole";src:url(data:font/woff2;base64,${data}) format("woff2");unicode-range:${range}}`);
    }
    const page = await browser.newPage();
    try {
      await page.setContent(`<style>${subset.join("\n")}\n${whole.join("\n")}\nspan{white-space:pre;font-size:40px;font-feature-settings:${features}}</style>` +
        `<span id=s style="font-family:Subset"></span><br><span id=w style="font-family:Whole"></span>`);
      return await page.evaluate(async (t: string) => {
        for (const id of ["s", "w"]) document.getElementById(id)!.textContent = t;
        await document.fonts.ready;
        await Promise.all([...document.fonts].map((f) => f.load()));
        const width = (id: string) => document.getElementById(id)!.getBoundingClientRect().width;
        return { subset: width("s"), whole: width("w") };
      }, text);
    } finally {
      await page.close();
    }
  }

  async function mainText(lang: string, keep: RegExp): Promise<string> {
    const page = await open(path.join(out, lang, "open-letter.html"));
    try {
      const text = await page.evaluate(() => [...document.querySelectorAll("main p:not(.notice):not(.dateline):not(.addressee)")].slice(0, 4).map((p) => p.textContent).join(" "));
      return [...text].filter((c) => keep.test(c)).join("").replace(/\s+/g, " ").trim();
    } finally {
      await page.close();
    }
  }

  it("Arabic: joining forms and marks (isolated letters would be wider)", async () => {
    // Words run together: the edition draws spaces with Noto Serif, not with the Arabic subset.
    const text = await mainText("ar", /\p{Script=Arabic}/u);
    expect(text.length).toBeGreaterThan(200);
    const joined = await widths("ar", "Noto Naskh Arabic", "@fontsource/noto-naskh-arabic", "400.css", text, "normal");
    expect(joined.subset).toBeCloseTo(joined.whole, 1);
    // The measure can fail: letters kept apart by joiners take more room.
    const apart = await widths("ar", "Noto Naskh Arabic", "@fontsource/noto-naskh-arabic", "400.css", [...text].join("\u200C"), "normal");
    expect(apart.whole).toBeGreaterThan(joined.whole * 1.05);
  }, 60_000);

  it("Chinese: punctuation with the half-width feature `halt`", async () => {
    const text = await mainText("zh", /[\p{Script=Han}\u3000-\u303F\uFF00-\uFFEF]/u);
    expect(text).toMatch(/[，。、：]/);
    const halt = await widths("zh", "Noto Serif SC", "@fontsource/noto-serif-sc", "400.css", text, '"halt"');
    const plain = await widths("zh", "Noto Serif SC", "@fontsource/noto-serif-sc", "400.css", text, "normal");
    expect(halt.subset).toBeCloseTo(halt.whole, 1);
    expect(plain.subset).toBeCloseTo(plain.whole, 1);
    // The feature changes the measure, so a subset without it would be caught.
    expect(halt.whole).toBeLessThan(plain.whole - 10);
  }, 120_000);
});

describe("the Chinese EPUB with its subset fonts", () => {
  it("EPUBCheck 4.2.6: 0 fatal, 0 errors, 0 warnings", async () => {
    const report = path.join(out, "epubcheck-zh.json");
    await run("java", ["-jar", "/usr/share/java/epubcheck.jar", path.join(out, "zh/open-letter.epub"), "--json", report]).catch((e) => e);
    const json = JSON.parse(await readFile(report, "utf8"));
    const problems = (json.messages as Array<{ severity: string; ID: string; message: string }>)
      .filter((m) => ["FATAL", "ERROR", "WARNING"].includes(m.severity))
      .map((m) => `${m.severity} ${m.ID} ${m.message}`);
    expect(problems).toEqual([]);
    expect([json.checker.nFatal, json.checker.nError, json.checker.nWarning]).toEqual([0, 0, 0]);
  }, 120_000);

  it("epubcheck-ts: 0 fatal, 0 errors, 0 warnings", async () => {
    const result = await EpubCheck.validate(new Uint8Array(await readFile(path.join(out, "zh/open-letter.epub"))));
    const problems = result.messages
      .filter((m) => ["fatal", "error", "warning"].includes(String(m.severity).toLowerCase()))
      .map((m) => `${m.severity} ${m.id} ${m.message}`);
    expect(problems).toEqual([]);
    expect(result.valid).toBe(true);
  }, 60_000);
});
