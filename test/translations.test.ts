/** Translation overlays: segments, msgmerge-style updates, structural checks, fallbacks. */
import { execFile } from "node:child_process";
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";
import { po } from "gettext-parser";
import { describe, expect, it } from "vitest";
import { loadDocument } from "../pipeline/load.ts";
import { extractSegments } from "../pipeline/i18n/segments.ts";
import { parseInline, parseInlineAll } from "../pipeline/i18n/overlay.ts";
import { cli, LETTER, project, translatePo } from "./helpers.ts";

const run = promisify(execFile);

const DOC = `---
lang: en
---

# The title

First paragraph with a note[^a] and a [link](https://example.org/a).

Same sentence.

Same sentence.

A symbol A/HRC/41/41 and another note[^b].

[^a]: Note A.
[^b]: Note B with [a link](https://example.org/b).
`;

async function fixture() {
  const dir = await project({ "package.json": "{}", "doc.md": DOC });
  return { dir, doc: path.join(dir, "doc.md") };
}

/** Fill every msgstr of a PO file with a function of the msgid. */
async function translateAll(file: string, translate: (msgid: string, ctx: string) => string | string[]) {
  await translatePo(file, (entry, ctx) => {
    const t = translate(entry.msgid, ctx);
    return Array.isArray(t) ? t : entry.msgid_plural ? entry.msgstr.map(() => t) : [t];
  });
}

const fake = (msgid: string) => `«${msgid}»`;

async function poEntries(file: string) {
  const table = po.parse(await readFile(file));
  return Object.entries(table.translations).flatMap(([ctx, byId]) => Object.values(byId).map((e) => ({ ctx, ...e })));
}

describe("segments", () => {
  it("keeps identical sentences in two places as two entries with their own msgctxt", async () => {
    const { doc } = await fixture();
    const { doc: loaded } = await loadDocument(doc);
    const segments = extractSegments(loaded!);
    const same = segments.filter((s) => s.source === "Same sentence.");
    expect(same.map((s) => s.context)).toEqual(["body/p2", "body/p3"]);
    expect(segments.find((s) => s.context === "body/p1")?.source).toBe(
      "First paragraph with a note[^a] and a [link](https://example.org/a).",
    );
    expect(segments.find((s) => s.context === "note/b/p1")?.source).toBe("Note B with [a link](https://example.org/b).");
    expect(segments.some((s) => s.context === "label/back-to-reference")).toBe(true);
  });
});

describe("translated paragraphs parsed together", () => {
  it("gives each segment what parsing it alone gives, whatever runs on or breaks the paragraph", async () => {
    const { doc } = await loadDocument(LETTER);
    const segments = [
      "Plain text with *emphasis*, a [link](https://example.org/x) and a note[^draft-articles].",
      "1. not a list, # not a heading",
      "Two lines\nin one paragraph[^draft-articles] and an unknown [^nope] label.",
      "A blank line\n\nmakes two paragraphs.",
      "A fence\n```\nthat never closes",
      "Right after the fence.",
      "A comment\n<!-- that runs on",
      "Past the comment -->",
      "Raw <b>HTML</b> inline.",
      "a | b\n--|--\n1 | 2",
      "Setext\n===",
      "Last, with a [reference][r], `code` and three notes[^foaa-report][^communications][^expert-group].",
    ];
    const alone = segments.map((m) => parseInline(m, doc!));
    expect(parseInlineAll(segments, doc!)).toEqual(alone);
    expect(JSON.stringify(alone.at(-1)).match(/footnoteReference/g)).toHaveLength(3);
    // the cases that must fail alone do (so the comparison covers both outcomes)
    expect(alone.map((r) => r === undefined)).toEqual([false, false, false, true, true, false, true, false, false, true, true, false]);
  });
});

describe("translations update", () => {
  it("creates PO files that pass msgfmt -c, and marks exactly an edited sentence fuzzy in every language", async () => {
    const { dir, doc } = await fixture();
    expect((await cli(["translations", "update", doc, "--lang", "fr,ru"])).code).toBe(0);
    for (const lang of ["fr", "ru"]) {
      const file = path.join(dir, "translations", lang, "doc.po");
      await translateAll(file, fake);
      await run("msgfmt", ["-c", "-o", "/dev/null", file]);
    }
    const status = await cli(["translations", "status", doc]);
    expect(status.code).toBe(0);
    expect(status.stdout).toMatch(/fr\s+(\d+)\/\1 100%\s+0\s+0\s+0\s+0/);

    await writeFile(doc, DOC.replace("First paragraph with", "The first paragraph, with").replace("Same sentence.\n\nA symbol", "A symbol"));
    expect((await cli(["translations", "update", doc])).code).toBe(0);
    for (const lang of ["fr", "ru"]) {
      const file = path.join(dir, "translations", lang, "doc.po");
      const entries = await poEntries(file);
      const fuzzy = entries.filter((e) => e.comments?.flag?.includes("fuzzy"));
      expect(fuzzy.map((e) => e.ctx)).toEqual(["body/p1"]);
      expect(fuzzy[0]!.comments!.previous).toBe('msgid "First paragraph with a note[^a] and a [link](https://example.org/a)."');
      expect(fuzzy[0]!.msgstr[0]).toBe("«First paragraph with a note[^a] and a [link](https://example.org/a).»");
      const text = await readFile(file, "utf8");
      expect(text).toMatch(/#~ msgctxt "body\/p3"\n#~ msgid "Same sentence."/);
      await run("msgfmt", ["-c", "-o", "/dev/null", file]);
    }
    const after = await cli(["translations", "status", doc]);
    expect(after.code).toBe(1);
    expect(after.stdout).toMatch(/fr\s+\d+\/\d+ [\d.]+%\s+1\s+0\s+1\s+0/);
  });
});

describe("overlay checks", () => {
  async function translatedFixture(edit: (msgid: string, ctx: string) => string) {
    const { dir, doc } = await fixture();
    await cli(["translations", "update", doc, "--lang", "fr"]);
    const file = path.join(dir, "translations", "fr", "doc.po");
    await translateAll(file, (id, ctx) => edit(id, ctx));
    return { dir, doc, file };
  }

  it("accepts reordered footnote references and links", async () => {
    const { doc } = await translatedFixture((id, ctx) =>
      ctx === "body/p1" ? "Un [lien](https://example.org/a) et une note[^a] d'abord." : fake(id),
    );
    const result = await cli(["check", doc]);
    expect(result.code).toBe(0);
  });

  it("reports a dropped footnote, a changed link and a changed symbol at the PO line", async () => {
    const { doc, file } = await translatedFixture((id, ctx) => {
      if (ctx === "body/p1") return "Une note perdue et un [lien](https://example.org/a).";
      if (ctx === "note/b/p1") return "Note B avec [un lien](https://example.org/CHANGED).";
      if (ctx === "body/p4") return "Un symbole A/HRC/41/99 et une autre note[^b].";
      return fake(id);
    });
    const text = await readFile(file, "utf8");
    const lineOf = (ctx: string) => text.split("\n").indexOf(`msgctxt "${ctx}"`) + 1;
    const result = await cli(["check", doc]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`${lineOf("body/p1")}:1`);
    expect(result.stderr).toMatch(/error\s+Translation of `body\/p1` changes the footnote references: drops `\[\^a\]`; the English text is used\s+translation-structure/);
    expect(result.stderr).toMatch(/Translation of `note\/b\/p1` changes the link targets: drops `https:\/\/example.org\/b`; adds `https:\/\/example.org\/CHANGED`/);
    expect(result.stderr).toMatch(/Translation of `body\/p4` changes the UN document symbols: drops `A\/HRC\/41\/41`; adds `A\/HRC\/41\/99`/);
  });

  it("reports raw HTML in a translation at the PO line and removes it", async () => {
    const { dir, doc, file } = await translatedFixture((id, ctx) => (ctx === "body/p4" ? "Un symbole A/HRC/41/41 <script>alert(1)</script>et une <b>autre</b> note[^b]." : fake(id)));
    const text = await readFile(file, "utf8");
    const line = text.split("\n").indexOf(`msgctxt "body/p4"`) + 1;
    const result = await cli(["build", doc, "--out", path.join(dir, "dist"), "--format", "html", "--lang", "fr", "--quiet"]);
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(new RegExp(`${line}:1\\s+warning\\s+Translation of \`body/p4\` contains raw HTML \\(\`<script>\`, \`</script>\`, \`<b>\`, \`</b>\`\\), which is removed\\s+raw-html`));
    const html = await readFile(path.join(dir, "dist/fr/doc.html"), "utf8");
    expect(html).not.toContain("alert(1)</script>");
    expect(html).not.toMatch(/<script>alert/);
    expect(html).toContain("Un symbole");
  });

  it("falls back to English for untranslated entries with --partial, marked lang=en, and --strict makes it an error", async () => {
    const { dir, doc } = await translatedFixture((id, ctx) => (ctx === "body/p2" ? "" : fake(id)));
    const warn = await cli(["build", doc, "--out", path.join(dir, "dist"), "--format", "html", "--quiet", "--partial"]);
    expect(warn.code).toBe(0);
    expect(warn.stderr).toMatch(/warning\s+1 passage is not translated: the French edition is published as a partial translation, those passages in English \(--verbose lists them\)\s+translation-untranslated/);
    const html = await readFile(path.join(dir, "dist/fr/doc.html"), "utf8");
    expect(html).toContain('<p><span lang="en" dir="auto">Same sentence.</span></p>');
    expect(html).toContain("<p>«Same sentence.»</p>");
    const strict = await cli(["build", doc, "--out", path.join(dir, "dist2"), "--format", "html", "--strict", "--quiet"]);
    expect(strict.code).toBe(1);
  });

  it("an English build links a translation it does not make only while its text is complete, whatever the PO file's layout", async () => {
    const { dir, doc, file } = await translatedFixture(fake);
    const text = await readFile(file, "utf8");
    const linksFrench = async (poText: string) => {
      await writeFile(file, poText);
      const out = path.join(dir, `dist-${Math.random().toString(36).slice(2)}`);
      const build = await cli(["build", doc, "--out", out, "--lang", "en", "--format", "html", "--quiet"]);
      expect(build.code, build.stderr).toBe(0);
      return (await readFile(path.join(out, "en/doc.html"), "utf8")).includes('hreflang="fr"');
    };
    const p2 = 'msgctxt "body/p2"\n';
    expect(text).toContain(p2);
    expect(await linksFrench(text)).toBe(true);
    expect(await linksFrench(text.replace(p2, `#, fuzzy\n${p2}`))).toBe(false);
    expect(await linksFrench(text.replace('msgid "Same sentence."\nmsgstr "«Same sentence.»"', 'msgid "Same sentence."\nmsgstr ""'))).toBe(false);
    expect(await linksFrench(text.replace(`${p2}msgid "Same sentence."`, `${p2}msgid "Same sentence, as it was."`))).toBe(false);
    // Layouts gettext reads that are not the plain one gettext tools write: indented, two strings on a line.
    expect(await linksFrench(text.replace(/^msgstr /gm, "  msgstr "))).toBe(true);
    expect(await linksFrench(text.replace(`${p2}msgid "Same sentence."`, `${p2}msgid "Same " "sentence."`))).toBe(true);
    expect(await linksFrench(text.replace(`${p2}msgid "Same sentence."`, `${p2}msgid "Same " "sentence, as it was."`))).toBe(false);
    expect(await linksFrench(`${text}\nmsgctxt "x"\nmsgid "broken\nmsgstr "y"\n`)).toBe(false);
  });

  it("rejects a wrong Plural-Forms header and PO syntax errors with their line", async () => {
    const { doc, file } = await translatedFixture(fake);
    const text = await readFile(file, "utf8");
    await writeFile(file, text.replace("plural=(n > 1);", "plural=(n != 1);"));
    const plural = await cli(["check", doc]);
    expect(plural.code).toBe(1);
    const line = text.split("\n").findIndex((l) => l.startsWith('"Plural-Forms')) + 1;
    expect(plural.stderr).toMatch(new RegExp(`${line}:1\\s+error\\s+Plural-Forms header for \`fr\` must mean .*which gives other forms`));
    await writeFile(file, `${text}\nmsgctxt "x"\nmsgid "broken\nmsgstr "y"\n`);
    const syntax = await cli(["check", doc]);
    expect(syntax.code).toBe(1);
    expect(syntax.stderr).toMatch(/\d+:1\s+error\s+Invalid PO syntax: Invalid key name "y"/);
  });

  it("keeps footnote numbers and ids from the canonical tree in every language", async () => {
    const { dir, doc } = await translatedFixture((id, ctx) =>
      ctx === "body/p4" ? "Une autre note[^b] et un symbole A/HRC/41/41." : fake(id),
    );
    expect((await cli(["build", doc, "--out", path.join(dir, "dist"), "--format", "html", "--quiet"])).code).toBe(0);
    const ids = (html: string) => [...html.matchAll(/<a href="#(fn-\d+)" id="(fnref-[\d-]+)"[^>]*>(\d+)<\/a>/g)].map((m) => m.slice(1).join(" "));
    const en = ids(await readFile(path.join(dir, "dist/en/doc.html"), "utf8"));
    const fr = ids(await readFile(path.join(dir, "dist/fr/doc.html"), "utf8"));
    expect(en).toEqual(["fn-1 fnref-1 1", "fn-2 fnref-2 2"]);
    expect(fr).toEqual(en);
  });
});
