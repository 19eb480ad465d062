/**
 * PO files as translators' tools leave them, checked against gettext itself (msgfmt, msgmerge,
 * msgcat): plural counts, duplicates, headers written by Weblate and Poedit, and `update` compared
 * with msgmerge on an edit that changes, deletes, moves and adds paragraphs.
 */
import { execFile } from "node:child_process";
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";
import { po } from "gettext-parser";
import { describe, expect, it } from "vitest";
import { cli, project, translatePo } from "./helpers.ts";

const run = promisify(execFile);

const DOC = `---
lang: en
---

# The title

The committee met in Geneva to review the annual report on human rights.

Delegations from forty countries attended the opening session of the meeting.

Observers noted that the debate on the draft resolution lasted three days.

The secretariat will circulate the final text before the end of the month.
`;

async function translated(lang: string, doc = DOC) {
  const dir = await project({ "package.json": "{}", "doc.md": doc });
  const file = path.join(dir, "doc.md");
  await cli(["translations", "update", file, "--lang", lang]);
  const poFile = path.join(dir, "translations", lang, "doc.po");
  await translatePo(poFile, (e) => e.msgstr.map((_, i) => `[${lang}${e.msgid_plural ? ` ${i}` : ""}] ${e.msgid}`));
  await cli(["translations", "update", file]);
  return { dir, doc: file, poFile };
}

type Entry = { ctx: string; msgid: string; msgstr: string[]; fuzzy: boolean; previous: string | undefined; translator: string | undefined; obsolete: boolean };

async function entries(file: string): Promise<Entry[]> {
  const table = po.parse(await readFile(file));
  const list = (section: typeof table.translations | undefined, obsolete: boolean) =>
    Object.entries(section ?? {}).flatMap(([ctx, byId]) =>
      Object.values(byId)
        .filter((e) => e.msgid)
        .map((e) => ({ ctx, msgid: e.msgid, msgstr: e.msgstr, fuzzy: !!e.comments?.flag?.includes("fuzzy"), previous: e.comments?.previous, translator: e.comments?.translator, obsolete })),
    );
  return [...list(table.translations, false), ...list((table as { obsolete?: typeof table.translations }).obsolete, true)];
}

const lineOf = (text: string, needle: string) => text.split("\n").findIndex((l) => l.includes(needle)) + 1;

describe("PO checks", () => {
  it("a plural entry with the wrong number of forms for the language is a located error; update refuses to rewrite it", async () => {
    for (const [lang, forms] of [["ru", 2], ["ru", 4], ["ar", 2], ["ar", 5]] as const) {
      const { doc, poFile } = await translated(lang);
      const text = await readFile(poFile, "utf8");
      const start = text.indexOf('msgctxt "label/count-organisations"');
      const end = text.indexOf("\n\n", start);
      const entry = text.slice(start, end);
      const kept = entry.split("\n").filter((l) => !l.startsWith("msgstr["));
      const bad = [...kept, ...Array.from({ length: forms }, (_, i) => `msgstr[${i}] "{n} форма ${i}"`)].join("\n");
      const broken = text.replace(entry, bad);
      await writeFile(poFile, broken);
      // gettext agrees that the file is wrong.
      await expect(run("msgfmt", ["-c", "-o", "/dev/null", poFile])).rejects.toThrow();
      const check = await cli(["check", doc]);
      expect(check.code).toBe(1);
      expect(check.stderr).toMatch(new RegExp(`${lineOf(broken, 'msgctxt "label/count-organisations"')}:1\\s+error\\s+\`label/count-organisations\` has ${forms} plural form\\(s\\); \`${lang}\` has ${lang === "ru" ? 3 : 6}`));
      const update = await cli(["translations", "update", doc]);
      expect(update.code).toBe(1);
      expect(update.stderr).toMatch(/Cannot update .*plural form/);
      expect(await readFile(poFile, "utf8")).toBe(broken);
    }
  });

  it("duplicate entries are located errors, as msgfmt says, and update does not delete either translation", async () => {
    const { doc, poFile } = await translated("fr");
    const text = await readFile(poFile, "utf8");
    const dup = `${text.trimEnd()}\n\nmsgctxt "body/p1"\nmsgid "The committee met in Geneva to review the annual report on human rights."\nmsgstr "Autre traduction."\n\nmsgctxt "body/p2"\nmsgid "An older English text."\nmsgstr "Ancienne traduction."\n`;
    await writeFile(poFile, dup);
    await expect(run("msgfmt", ["-c", "-o", "/dev/null", poFile])).rejects.toThrow(/duplicate message definition/);
    const check = await cli(["check", doc]);
    expect(check.code).toBe(1);
    expect(check.stderr).toMatch(new RegExp(`${lineOf(dup, "Autre traduction") - 2}:1\\s+error\\s+Duplicate entry \`body/p1\` \\(also at line ${lineOf(text, 'msgctxt "body/p1"')}\\)`));
    expect(check.stderr).toMatch(/error\s+Two entries for `body\/p2`/);
    expect((await cli(["translations", "update", doc])).code).toBe(1);
    expect(await readFile(poFile, "utf8")).toBe(dup);
  });

  it("accepts headers as Weblate and Poedit write them (plural=n > 1;, fr_FR, zh_Hans) and keeps them; rejects a formula that means otherwise", async () => {
    for (const [lang, language, plural] of [["fr", "fr_FR", "nplurals=2; plural=n > 1;"], ["zh", "zh_Hans", "nplurals=1; plural=0;"], ["ru", "ru_RU", "nplurals=3; plural=n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2;"]] as const) {
      const { doc, poFile } = await translated(lang);
      const text = (await readFile(poFile, "utf8")).replace(/"Language: [^"]*\\n"/, `"Language: ${language}\\n"`).replace(/"Plural-Forms: [^"]*\\n"/, `"Plural-Forms: ${plural}\\n"`);
      await writeFile(poFile, text);
      const check = await cli(["check", doc]);
      expect(check.stderr).not.toMatch(/po-header|po-plural-forms/);
      expect(check.code).toBe(0);
      await cli(["translations", "update", doc]);
      const after = await readFile(poFile, "utf8");
      expect(after).toContain(`"Language: ${language}\\n"`);
      expect(after).toContain(`"Plural-Forms: ${plural}\\n"`);
      await run("msgfmt", ["-c", "--check-format", "-o", "/dev/null", poFile]);
    }
    const { doc, poFile } = await translated("fr");
    await writeFile(poFile, (await readFile(poFile, "utf8")).replace(/"Plural-Forms: [^"]*\\n"/, '"Plural-Forms: nplurals=2; plural=n != 1;\\n"'));
    expect((await cli(["check", doc])).stderr).toMatch(/error\s+Plural-Forms header for `fr` must mean .* which gives other forms/);
  });
});

describe("translations update, compared with msgmerge", () => {
  it("changed + deleted + moved + added paragraphs: the changed one gets its own translation as fuzzy, the new one stays empty, the moved one keeps its translation", async () => {
    const { dir, doc, poFile } = await translated("fr");
    const old = await readFile(poFile, "utf8");
    const edited = DOC.replace("met in Geneva to review", "met in New York to review")
      .replace("Delegations from forty countries attended the opening session of the meeting.\n\n", "")
      .replace("Observers noted that the debate on the draft resolution lasted three days.\n\n", "")
      .concat("\nObservers noted that the debate on the draft resolution lasted three days.\n\nA completely unrelated sentence about weather patterns appears here.\n");
    await writeFile(doc, edited);
    expect((await cli(["translations", "update", doc])).code).toBe(0);
    const ours = await entries(poFile);
    // msgmerge on the same old file and the template update wrote.
    const oldFile = path.join(dir, "old.po");
    await writeFile(oldFile, old);
    const { stdout } = await run("msgmerge", ["--quiet", "--previous", "-o", "-", oldFile, path.join(dir, "translations/doc.pot")]);
    const theirsFile = path.join(dir, "msgmerge.po");
    await writeFile(theirsFile, stdout);
    const theirs = await entries(theirsFile);
    const find = (list: Entry[], msgid: string) => list.find((e) => e.msgid === msgid && !e.obsolete);

    const changed = "The committee met in New York to review the annual report on human rights.";
    expect(find(ours, changed)).toMatchObject({ fuzzy: true, msgstr: ["[fr] The committee met in Geneva to review the annual report on human rights."] });
    expect(find(ours, changed)!.msgstr).toEqual(find(theirs, changed)!.msgstr);
    expect(find(ours, changed)!.fuzzy).toBe(find(theirs, changed)!.fuzzy);
    expect(find(ours, changed)!.previous).toBe('msgid "The committee met in Geneva to review the annual report on human rights."');

    const added = "A completely unrelated sentence about weather patterns appears here.";
    expect(find(ours, added)).toMatchObject({ msgstr: [""], fuzzy: false });
    expect(find(theirs, added)!.msgstr).toEqual([""]);

    // Better than msgmerge: the moved paragraph's text is unchanged, so its translation still is.
    const moved = "Observers noted that the debate on the draft resolution lasted three days.";
    expect(find(ours, moved)).toMatchObject({ fuzzy: false, msgstr: [`[fr] ${moved}`] });
    // The deleted paragraph's translation is kept as obsolete, not given to another.
    const deleted = ours.find((e) => e.msgid.startsWith("Delegations from forty"));
    expect(deleted).toMatchObject({ obsolete: true, msgstr: ["[fr] Delegations from forty countries attended the opening session of the meeting."] });
    expect(ours.filter((e) => !e.obsolete && e.msgstr[0]?.includes("Delegations"))).toEqual([]);
    await run("msgfmt", ["-c", "--check-format", "-o", "/dev/null", poFile]);
  });

  it("keeps translator and header comments and reads #| previous strings in every form gettext tools write them", async () => {
    const { doc, poFile } = await translated("fr");
    await writeFile(doc, DOC.replace("met in Geneva", "met in Vienna"));
    await cli(["translations", "update", doc]);
    let text = await readFile(poFile, "utf8");
    text = `# French translation of the open letter.\n# Reviewed by the Geneva team.\n${text}`
      .replace('msgctxt "body/p2"', '# Keep "delegations" as in the UN glossary.\nmsgctxt "body/p2"')
      .replace('msgctxt "label/count-organisations"', '#, fuzzy\n#| msgctxt "label/count-orgs"\n#| msgid "{n} org"\n#| msgid_plural "{n} orgs"\nmsgctxt "label/count-organisations"');
    await writeFile(poFile, text);
    // msgcat rewrites it as gettext does: lines wrapped, `#| msgid ""` with continuation lines.
    const { stdout } = await run("msgcat", ["--width=30", poFile]);
    await writeFile(poFile, stdout);
    expect(stdout).toMatch(/#\| msgid ""\n#\| "/);
    await cli(["translations", "update", doc]);
    const after = await readFile(poFile, "utf8");
    expect(after.startsWith("# French translation of the open letter.\n# Reviewed by the Geneva team.\n")).toBe(true);
    const list = await entries(poFile);
    expect(list.find((e) => e.ctx === "body/p2")!.translator).toBe('Keep "delegations" as in the UN glossary.');
    expect(list.find((e) => e.ctx === "body/p1")).toMatchObject({ fuzzy: true, previous: 'msgid "The committee met in Geneva to review the annual report on human rights."' });
    expect(list.find((e) => e.ctx === "label/count-organisations")).toMatchObject({ fuzzy: true, previous: 'msgctxt "label/count-orgs"\nmsgid "{n} org"\nmsgid_plural "{n} orgs"' });
    await run("msgfmt", ["-c", "--check-format", "-o", "/dev/null", poFile]);
  });
});
