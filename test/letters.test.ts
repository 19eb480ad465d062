/**
 * A second letter, as a campaigner starts one: the README's "Start a new letter" walkthrough run
 * command by command (read from the README itself) in a copy of the project whose dist/ already
 * holds the bundled letter; then what it promises, read back from the outputs: the bundled
 * letter's files untouched, one index listing both, a record and a signatory report per letter,
 * a French edition whose Letterpress wording is all French (pdftotext) although only the body was
 * translated, incomplete translations left out unless --partial, and refusals (init over a letter,
 * two letters with one name, a failed build) that change nothing.
 */
import { execFile } from "node:child_process";
import { cp, mkdir, readFile, writeFile } from "node:fs/promises";
import { existsSync } from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import { po } from "gettext-parser";
import { beforeAll, describe, expect, it } from "vitest";
import { BUILTIN_LABELS } from "../pipeline/i18n/catalogue.ts";
import { LABELS, PLURAL_FORMS, PLURAL_LABELS } from "../pipeline/i18n/labels.ts";
import { hashTree, ROOT, tempDir } from "./helpers.ts";
import { normalise } from "./readback.ts";

const run = promisify(execFile);
const LAUNCHER = path.join(ROOT, "bin/letterpress.js");

/** The real launcher in `cwd`, as a user types it; never throws. */
async function letterpress(cwd: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [LAUNCHER, ...args], { cwd, env: { ...process.env, SOURCE_DATE_EPOCH: "1764547200" }, maxBuffer: 1 << 26 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === "number" ? e.code : 1, stdout: e.stdout ?? "", stderr: e.stderr ?? "" };
  }
}

async function pdfText(file: string): Promise<string> {
  return normalise((await run("pdftotext", ["-enc", "UTF-8", file, "-"], { maxBuffer: 1 << 26 })).stdout);
}

/** The README's walkthrough: each `npx letterpress …` line of its "Start a new letter" section, in order. */
async function walkthrough(): Promise<string[][]> {
  const readme = await readFile(path.join(ROOT, "README.md"), "utf8");
  const section = /^## Start a new letter\n([\s\S]*?)^## /m.exec(readme)?.[1] ?? "";
  return [...section.matchAll(/^npx letterpress (.+)$/gm)].map((m) => m[1]!.trim().split(/\s+/));
}

/** A label's English template as a pattern over extracted text (placeholders match anything). */
function pattern(template: string): RegExp {
  return new RegExp(template.split(/\{\w+\}/).map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&").replace(/\s+/g, "\\s*")).join(".+?"), "u");
}

/** Translate every passage of the letter in a PO file (not the labels), keeping its Markdown. */
async function translateBody(file: string, skip: (context: string) => boolean = () => false): Promise<void> {
  const table = po.parse(await readFile(file));
  for (const [context, byId] of Object.entries(table.translations)) {
    if (context === "" || context.startsWith("label/") || skip(context)) continue;
    for (const entry of Object.values(byId)) entry.msgstr = [`FR ${entry.msgid}`];
  }
  await writeFile(file, po.compile(table, { foldLength: 0 }));
}

describe("the README's new-letter walkthrough", () => {
  let dir: string;
  let bundledBefore: Record<string, string>;
  const results: Array<{ args: string[]; code: number; stdout: string; stderr: string }> = [];

  beforeAll(async () => {
    const steps = await walkthrough();
    expect(steps.map((s) => s[0])).toEqual(["init", "check", "build", "translations", "build"]);
    // A clone's sources, translations and a dist/ that already holds the bundled letter.
    dir = await tempDir("letterpress-letters-");
    await cp(path.join(ROOT, "source"), path.join(dir, "source"), { recursive: true });
    await cp(path.join(ROOT, "translations"), path.join(dir, "translations"), { recursive: true });
    await writeFile(path.join(dir, "package.json"), "{}\n");
    const bundled = await letterpress(dir, ["build", "--format", "html,docx", "--quiet"]);
    expect(bundled.code, bundled.stderr).toBe(0);
    bundledBefore = await hashTree(path.join(dir, "dist"));
    for (const args of steps) {
      const result = await letterpress(dir, args);
      results.push({ args, ...result });
      expect(result.code, `${args.join(" ")}\n${result.stderr}`).toBe(0);
      // The step between the two commands of the second block: a translator fills in the PO file.
      if (args[0] === "translations") await translateBody(path.join(dir, "translations/fr/spyware.po"));
    }
  }, 300_000);

  it("creates the letter, its signatories and its translation template, which check clean", async () => {
    for (const file of ["letters/spyware/spyware.md", "letters/spyware/signatories.yaml", "translations/spyware.pot"]) expect(existsSync(path.join(dir, file)), file).toBe(true);
    const check = results.find((r) => r.args[0] === "check")!;
    expect(check.stderr).toBe("");
    const doc = await readFile(path.join(dir, "letters/spyware/spyware.md"), "utf8");
    // Every front-matter key is there, explained by a comment line above it.
    const front = doc.split("---")[1]!;
    for (const key of ["lang", "title", "short-title", "subject", "keywords", "author", "addressee", "date", "signatories", "missions"]) {
      const lines = front.split("\n");
      const at = lines.findIndex((l) => new RegExp(`^#? ?${key}:`).test(l));
      expect(at, key).toBeGreaterThan(0);
      expect(lines[at - 1], key).toMatch(/^# \S/);
    }
    const yaml = await readFile(path.join(dir, "letters/spyware/signatories.yaml"), "utf8");
    expect(yaml).toMatch(/^organisations:\n(.*\n)*\s+- name: /m);
    expect(yaml).toMatch(/^individuals:\n(.*\n)*\s+- name: /m);
  });

  it("leaves the bundled letter's outputs as they were and lists both letters in one index", async () => {
    const after = await hashTree(path.join(dir, "dist"));
    for (const [file, hash] of Object.entries(bundledBefore)) {
      if (file === "index.html") continue;
      expect(after[file], file).toBe(hash);
    }
    for (const file of ["en/spyware.html", "en/spyware.pdf", "en/spyware.docx", "en/spyware.epub", "fr/spyware.pdf", "spyware.manifest.json", "spyware.signatories-changes.md"]) {
      expect(after[file], file).toBeDefined();
    }
    const index = await readFile(path.join(dir, "dist/index.html"), "utf8");
    for (const href of ["en/open-letter.html", "fr/open-letter.docx", "en/spyware.pdf", "fr/spyware.epub"]) expect(index).toContain(`href="${href}"`);
    const record = JSON.parse(await readFile(path.join(dir, "dist/spyware.manifest.json"), "utf8"));
    expect(record.source.path).toBe("letters/spyware/spyware.md");
    expect(record.languages).toEqual(["en", "fr"]);
    expect(record.files.every((f: { path: string }) => /^(en|fr)\/spyware\.\w+$|^spyware\.signatories-changes\.md$/.test(f.path))).toBe(true);
    const bundledRecord = JSON.parse(await readFile(path.join(dir, "dist/open-letter.manifest.json"), "utf8"));
    expect(bundledRecord.signatories.organisations).toBeGreaterThan(30);
  });

  it("prints the French edition with every word of Letterpress's own in French, though only the body was translated", async () => {
    const po = await readFile(path.join(dir, "translations/fr/spyware.po"), "utf8");
    expect(po).toMatch(/msgctxt "label\/page-of"\nmsgid "Page \{page\} of \{pages\}"\nmsgstr ""/);
    const english = await pdfText(path.join(dir, "dist/en/spyware.pdf"));
    const french = await pdfText(path.join(dir, "dist/fr/spyware.pdf"));
    const fr = BUILTIN_LABELS.fr!;
    let seen = 0;
    for (const [key, template] of Object.entries(LABELS)) {
      // The labels the English PDF shows must show in French in the French one (delivery and
      // mail wording only appear in addressed copies: "To" is not the masthead's "To:").
      if (/^(delivery|mail)-/.test(key) || !pattern(template).test(english)) continue;
      seen++;
      const translation = key === "unofficial-translation" ? fr.text[key]! : fr.text[key as keyof typeof LABELS]!;
      expect(french, key).toMatch(pattern(translation));
      // A template that is little besides placeholders ("{organisations} and {individuals}") matches
      // any text; the count line is checked whole below.
      if (translation !== template && template.replace(/\{\w+\}/g, "").trim().length > 4) expect(french, key).not.toMatch(pattern(template));
    }
    expect(seen).toBeGreaterThanOrEqual(5);
    // The notice only a translation carries, and the count line with French plurals.
    expect(french).toMatch(pattern(fr.text["unofficial-translation"]!));
    expect(french).toContain("1 organisation et 1 personne");
    expect(english).toContain("1 organisation and 1 individual");
  });

  it("records a signatory change in the letter's own report only", async () => {
    const bundledReport = await readFile(path.join(dir, "dist/open-letter.signatories-changes.md"), "utf8");
    const add = await letterpress(dir, ["signatories", "add", "--name", "Second Example Network", "letters/spyware/spyware.md"]);
    expect(add.code, add.stderr).toBe(0);
    const build = await letterpress(dir, ["build", "letters/spyware/spyware.md", "--format", "html", "--quiet"]);
    expect(build.code, build.stderr).toBe(0);
    const report = await readFile(path.join(dir, "dist/spyware.signatories-changes.md"), "utf8");
    expect(report).toContain("1 added, 0 removed");
    expect(report).toContain("- Second Example Network");
    expect(await readFile(path.join(dir, "dist/open-letter.signatories-changes.md"), "utf8")).toBe(bundledReport);
    // A build of only HTML keeps the letter's other formats.
    expect(existsSync(path.join(dir, "dist/en/spyware.pdf"))).toBe(true);
  }, 120_000);

  it("refuses to start a letter over an existing one, writing nothing", async () => {
    const before = await hashTree(dir).then((h) => Object.keys(h).filter((f) => !f.startsWith("dist/")).length);
    const again = await letterpress(dir, ["init", "letters/spyware"]);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/letterpress: error: Not creating the letter `spyware`: .*letters\/spyware\/spyware\.md.* already exist/);
    // Another folder with the same name: the translations are taken.
    const elsewhere = await letterpress(dir, ["init", "drafts/spyware"]);
    expect(elsewhere.code).toBe(1);
    expect(elsewhere.stderr).toContain("translations/spyware.pot");
    expect(existsSync(path.join(dir, "drafts/spyware/spyware.md"))).toBe(false);
    expect(await hashTree(dir).then((h) => Object.keys(h).filter((f) => !f.startsWith("dist/")).length)).toBe(before);
  });

  it("refuses a second letter with the same file name instead of sharing its outputs and translations", async () => {
    await mkdir(path.join(dir, "other"), { recursive: true });
    await cp(path.join(dir, "letters/spyware/spyware.md"), path.join(dir, "other/spyware.md"));
    await cp(path.join(dir, "letters/spyware/signatories.yaml"), path.join(dir, "other/signatories.yaml"));
    const before = await hashTree(path.join(dir, "dist"));
    const build = await letterpress(dir, ["build", "other/spyware.md", "--lang", "en", "--format", "html"]);
    expect(build.code).toBe(1);
    expect(build.stderr).toMatch(/letterpress: error: dist\/ already holds the letter `spyware` built from letters\/spyware\/spyware\.md, and other\/spyware\.md has the same file name/);
    // Into another folder: its French translation is the other letter's.
    const elsewhere = await letterpress(dir, ["build", "other/spyware.md", "--out", "public", "--format", "html"]);
    expect(elsewhere.code).toBe(1);
    expect(elsewhere.stderr).toMatch(/translations\/fr\/spyware\.po\n.*This file translates letters\/spyware\/spyware\.md, not other\/spyware\.md.*translation-other-letter/);
    expect(existsSync(path.join(dir, "public"))).toBe(false);
    const update = await letterpress(dir, ["translations", "update", "other/spyware.md"]);
    expect(update.code).toBe(1);
    expect(update.stderr).toMatch(/translations\/spyware\.pot is the template of letters\/spyware\/spyware\.md/);
    expect(await hashTree(path.join(dir, "dist"))).toEqual(before);
  });

  it("leaves dist/ as it was when the new letter's build fails", async () => {
    const before = await hashTree(path.join(dir, "dist"));
    const broken = path.join(dir, "letters/broken");
    await mkdir(broken, { recursive: true });
    await writeFile(path.join(broken, "broken.md"), "---\nlang: en\n---\n\n# Broken\n\nA call to [^nowhere].\n");
    const build = await letterpress(dir, ["build", "letters/broken/broken.md", "--format", "html"]);
    expect(build.code).toBe(1);
    expect(build.stderr).toContain("footnote-undefined");
    expect(await hashTree(path.join(dir, "dist"))).toEqual(before);
  });
});

describe("incomplete translations", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await tempDir("letterpress-partial-");
    await writeFile(path.join(dir, "package.json"), "{}\n");
    expect((await letterpress(dir, ["init", "letters/hrc"])).code).toBe(0);
    expect((await letterpress(dir, ["translations", "update", "letters/hrc/hrc.md", "--lang", "fr"])).code).toBe(0);
    // Everything but one paragraph.
    await translateBody(path.join(dir, "translations/fr/hrc.po"), (context) => context === "body/p2");
  }, 120_000);

  it("are left out by default, with one line saying which language and why", async () => {
    const build = await letterpress(dir, ["build", "letters/hrc/hrc.md", "--format", "html"]);
    expect(build.code, build.stderr).toBe(0);
    expect(existsSync(path.join(dir, "dist/fr/hrc.html"))).toBe(false);
    expect(existsSync(path.join(dir, "dist/en/hrc.html"))).toBe(true);
    const lines = build.stderr.split("\n").filter((l) => /translation-/.test(l));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/warning +1 passage is not translated, so the French edition is not published \(--partial publishes it.*--verbose lists them\) +translation-untranslated/);
    expect(build.stderr).toContain("not published (translation not complete; --partial publishes it): fr");
    // The English edition offers no link to the French one.
    expect(await readFile(path.join(dir, "dist/en/hrc.html"), "utf8")).not.toContain('hreflang="fr"');
  }, 120_000);

  it("list each passage, quoting its first words, with --verbose", async () => {
    const build = await letterpress(dir, ["check", "letters/hrc/hrc.md", "--verbose"]);
    expect(build.stderr).toMatch(/info +`body\/p2` is not translated: “Write the letter here in Markdown\. A paragraph…” +translation-untranslated/);
  });

  it("are published with --partial, marked as partial in their own language", async () => {
    const build = await letterpress(dir, ["build", "letters/hrc/hrc.md", "--format", "html,pdf", "--lang", "fr", "--partial"]);
    expect(build.code, build.stderr).toBe(0);
    expect(build.stderr).toMatch(/published as a partial translation/);
    const text = await pdfText(path.join(dir, "dist/fr/hrc.pdf"));
    expect(text).toMatch(pattern(BUILTIN_LABELS.fr!.text["partial-translation"]!));
    expect(text).not.toMatch(pattern(BUILTIN_LABELS.fr!.text["unofficial-translation"]!));
    expect(text).toContain("Write the letter here in Markdown");
    const record = JSON.parse(await readFile(path.join(dir, "dist/hrc.manifest.json"), "utf8"));
    expect(record.partial).toEqual(["fr"]);
    expect(await readFile(path.join(dir, "dist/index.html"), "utf8")).toContain("(fr), partial translation");
  }, 120_000);
});

describe("Letterpress's shipped wording", () => {
  it("has every label in the five other UN languages, with the placeholders and plural forms of each", () => {
    for (const lang of ["fr", "es", "ru", "ar", "zh"]) {
      const catalog = BUILTIN_LABELS[lang]!;
      for (const [key, english] of Object.entries(LABELS)) {
        const text = catalog.text[key as keyof typeof LABELS];
        expect(text, `${lang} ${key}`).toBeTruthy();
        expect([...text!.matchAll(/\{\w+\}/g)].map((m) => m[0]).sort(), `${lang} ${key}`).toEqual([...english.matchAll(/\{\w+\}/g)].map((m) => m[0]).sort());
      }
      const nplurals = Number(/nplurals=(\d+)/.exec(PLURAL_FORMS[lang]!.header)![1]);
      for (const key of Object.keys(PLURAL_LABELS)) {
        const forms = catalog.plural[key as keyof typeof PLURAL_LABELS];
        expect(forms, `${lang} ${key}`).toHaveLength(nplurals);
        for (const form of forms!) expect(form).toContain("{n}");
      }
    }
  });
});
