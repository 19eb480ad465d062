/**
 * The English HTML edition read back in Chromium: footnote markers 1..7 in order, every back-link
 * returns to its reference, axe-core finds no violation, the Nu HTML checker no error.
 */
import { execFile } from "node:child_process";
import { createRequire } from "node:module";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";
import type { Browser } from "puppeteer-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchChromium, sandboxPage } from "../pipeline/browser/chromium.ts";
import { FONT_RULES_MARK } from "../pipeline/writers/shared/fonts.ts";
import { cli, LETTER, project, tempDir } from "./helpers.ts";

const require = createRequire(import.meta.url);
const run = promisify(execFile);
let out: string;
let browser: Browser;

beforeAll(async () => {
  out = await tempDir();
  const result = await cli(["build", LETTER, "--out", out, "--format", "html", "--lang", "en", "--quiet"]);
  expect(result.code, result.stderr).toBe(0);
  browser = await launchChromium();
}, 120_000);

afterAll(async () => {
  await browser?.close();
});

async function open(file: string) {
  const page = await browser.newPage();
  const blocked = await sandboxPage(page, (url) => url === `file://${file}`);
  await page.goto(`file://${file}`, { waitUntil: "load" });
  return { page, blocked };
}

describe("HTML edition (en)", () => {
  it("has lang, dir, one h1, landmarks and a skip link", async () => {
    const { page } = await open(path.join(out, "en/open-letter.html"));
    const facts = await page.evaluate(() => ({
      lang: document.documentElement.lang,
      dir: document.documentElement.dir,
      h1: document.querySelectorAll("h1").length,
      main: document.querySelectorAll("main").length,
      skip: document.querySelector("a.skip-link")?.getAttribute("href"),
      title: document.title,
    }));
    expect(facts).toEqual({
      lang: "en",
      dir: "ltr",
      h1: 1,
      main: 1,
      skip: "#content",
      title: "Open letter to UN General Assembly: Proposed international convention on cybercrime poses a threat to human rights online",
    });
  });

  it("numbers the seven footnotes 1..7 in reading order and links both ways", async () => {
    const { page } = await open(path.join(out, "en/open-letter.html"));
    const notes = await page.evaluate(() => {
      const refs = [...document.querySelectorAll<HTMLAnchorElement>("a[role=doc-noteref]")];
      return refs.map((a) => {
        const note = document.getElementById(a.hash.slice(1));
        const back = note?.querySelector<HTMLAnchorElement>("a[role=doc-backlink]");
        return {
          marker: a.textContent,
          note: note?.id,
          noteNumber: (note as HTMLLIElement | null)?.value,
          backTo: back?.hash.slice(1) === a.id,
          backLabel: back?.getAttribute("aria-label"),
          first: note?.textContent?.trim().slice(0, 24),
        };
      });
    });
    expect(notes.map((n) => n.marker)).toEqual(["1", "2", "3", "4", "5", "6", "7"]);
    expect(notes.map((n) => n.noteNumber)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(notes.every((n) => n.backTo)).toBe(true);
    expect(notes[2]!.backLabel).toBe("Back to reference 3");
    expect(notes[0]!.first).toBe("2019 Report of the Speci");
    expect(notes[6]!.first).toBe("Civil society is engagin");
  });

  it("lists 36 organisations and 6 individuals, 7amleh first", async () => {
    const { page } = await open(path.join(out, "en/open-letter.html"));
    const list = await page.evaluate(() => ({
      count: document.querySelector(".signatories .count")?.textContent,
      orgs: [...document.querySelectorAll(".signatories ul.organisations li")].map((li) => li.textContent),
      people: [...document.querySelectorAll(".signatories ul.individuals li .name")].map((li) => li.textContent),
    }));
    expect(list.count).toBe("36 organisations and 6 individuals");
    expect(list.orgs).toHaveLength(36);
    expect(list.orgs[0]).toBe("7amleh - The Arab Center for the Advancement of Social Media");
    expect(list.orgs.at(-1)).toBe("YMCA Computer Training Centre and Digital Studio – The Gambia");
    expect(list.people).toEqual(["Dr. Jennifer Barrigar", "Tamir Israel", "Douwe Korff", "Joy Liddicoat", "Damian Loreti", "Valerie Steeves"]);
  });

  it("is self-contained: no request leaves the page", async () => {
    const { page, blocked } = await open(path.join(out, "en/open-letter.html"));
    await page.evaluate(() => document.fonts.ready);
    expect(blocked).toEqual([]);
  });

  it("has no axe-core violations (WCAG 2.2 A/AA and best practice)", async () => {
    const { page } = await open(path.join(out, "en/open-letter.html"));
    await page.addScriptTag({ content: await readFile(require.resolve("axe-core/axe.min.js"), "utf8") });
    const violations = await page.evaluate(async () => {
      // @ts-expect-error axe is injected above
      const result = await window.axe.run(document, {
        runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"] },
      });
      return result.violations.map((v: { id: string; nodes: unknown[] }) => `${v.id} (${v.nodes.length})`);
    });
    expect(violations).toEqual([]);
  });

  it("has no Nu HTML checker errors", async () => {
    const jar = path.join(path.dirname(require.resolve("vnu-jar/package.json")), "build/dist/vnu.jar");
    const files = [path.join(out, "en/open-letter.html"), path.join(out, "index.html")];
    const result = await run("java", ["-jar", jar, "--errors-only", "--format", "json", ...files]).catch((e) => e);
    const messages = JSON.parse(result.stderr || '{"messages":[]}').messages;
    expect(messages.map((m: { message: string; lastLine: number }) => `${m.lastLine}: ${m.message}`)).toEqual([]);
  }, 60_000);
});

describe("HTML edition: inlined fonts", () => {
  it("puts the font rules in the style sheet, also when the text contains the mark that places them", async () => {
    const literal = FONT_RULES_MARK.replace(/[*<]/g, "\\$&"); // as Markdown text, not emphasis and HTML
    const dir = await project({ "doc.md": `---\nlang: en\ntitle: "Title ${FONT_RULES_MARK}"\n---\n\n# Heading ${literal}\n\nText ${literal} 中文.\n` });
    const result = await cli(["build", path.join(dir, "doc.md"), "--out", path.join(dir, "dist"), "--format", "html", "--quiet"]);
    expect(result.code, result.stderr).toBe(0);
    const file = path.join(dir, "dist/en/doc.html");
    const html = await readFile(file, "utf8");
    expect(html.split(FONT_RULES_MARK)).toHaveLength(1); // spliced once, in the style sheet, and never left in
    const { page, blocked } = await open(file);
    try {
      const facts = await page.evaluate(async () => {
        await document.fonts.ready;
        const faces = [...document.fonts];
        return {
          heading: document.querySelector("h1")?.textContent,
          title: document.title,
          faces: faces.length,
          loaded: faces.filter((f) => f.status === "loaded").map((f) => f.family),
        };
      });
      expect(facts.heading).toBe(`Heading ${FONT_RULES_MARK}`);
      expect(facts.title).toBe(`Title ${FONT_RULES_MARK}`);
      expect(facts.faces).toBeGreaterThan(2);
      expect(facts.loaded).toEqual(expect.arrayContaining(["Noto Serif", "Noto Serif SC"]));
      expect(blocked).toEqual([]);
    } finally {
      await page.close();
    }
  });
});
