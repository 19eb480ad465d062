/**
 * XLIFF 2 export and import, read back with tools we did not write: xmllint against the OASIS
 * core schema, the OASIS core test suite, the npm `xliff` converter, gettext's msgfmt.
 */
import { execFile } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";
import { po } from "gettext-parser";
import { VFile } from "vfile";
import { describe, expect, it } from "vitest";
import { js2xliff, xliff2js } from "xliff";
import { readXliff } from "../pipeline/i18n/xliff.ts";
import { XLIFF_CORE_XSD, XML_XSD } from "../pipeline/i18n/xliff-schema.ts";
import { cli, project, ROOT, translatePo } from "./helpers.ts";

const run = promisify(execFile);
const FIXTURES = path.join(ROOT, "test/fixtures/xliff");
const SCHEMA = path.join(FIXTURES, "schemas/xliff_core_2.0.xsd");

const DOC = `---
lang: en
---

# The title

First paragraph with a note[^a] and a [link](https://example.org/a).

Vote **against** the resolution.

Same sentence.

Last paragraph, necessary. As said before.

[^a]: Note A.
`;

async function fixture(lang = "fr") {
  const dir = await project({ "package.json": "{}", "doc.md": DOC });
  const doc = path.join(dir, "doc.md");
  await cli(["translations", "update", doc, "--lang", lang]);
  const file = path.join(dir, "translations", lang, "doc.po");
  await translatePo(file, (entry) => (entry.msgid_plural ? entry.msgstr.map(() => `[${lang}] ${entry.msgid_plural}`) : [`[${lang}] ${entry.msgid}`]));
  await cli(["translations", "update", doc]);
  return { dir, doc, file };
}

async function msgstrs(file: string): Promise<Record<string, { msgstr: string[]; fuzzy: boolean }>> {
  const table = po.parse(await readFile(file));
  const out: Record<string, { msgstr: string[]; fuzzy: boolean }> = {};
  for (const [ctx, byId] of Object.entries(table.translations)) {
    for (const e of Object.values(byId)) if (e.msgid) out[ctx] = { msgstr: e.msgstr, fuzzy: !!e.comments?.flag?.includes("fuzzy") };
  }
  return out;
}

const xliff = (trgLang: string, units: string, srcLang = "en") =>
  `<?xml version="1.0" encoding="UTF-8"?>\n<xliff xmlns="urn:oasis:names:tc:xliff:document:2.0" version="2.0" srcLang="${srcLang}" trgLang="${trgLang}">\n<file id="f1">\n${units}\n</file>\n</xliff>\n`;

describe("XLIFF export", () => {
  it("is valid against the OASIS core schema (xmllint), with NMTOKEN ids that map back to msgctxt", async () => {
    const { dir, doc } = await fixture("ru");
    const xlf = path.join(dir, "ru.xlf");
    expect((await cli(["translations", "export", doc, "--lang", "ru", "--out", xlf])).code).toBe(0);
    const result = await run("xmllint", ["--noout", "--nonet", "--schema", SCHEMA, xlf]).catch((e: { stderr: string }) => e);
    expect(result.stderr).toMatch(/validates$/m);
    const xml = await readFile(xlf, "utf8");
    expect(xml).toContain('<unit id="body:p1" name="body/p1">');
    // Russian has three plural forms: three units, each saying which CLDR category it is.
    expect(xml).toContain('<unit id="label:count-organisations.2" name="label/count-organisations">');
    expect(xml).toMatch(/category “many”/);
  });

  it("embeds the vendored schema unchanged", () => {
    expect(XLIFF_CORE_XSD).toBe(readFileSync(SCHEMA, "utf8"));
    expect(XML_XSD).toBe(readFileSync(path.join(FIXTURES, "schemas/informativeCopiesOf3rdPartySchemas/w3c/xml.xsd"), "utf8"));
  });
});

describe("XLIFF import", () => {
  it("round-trips: an unchanged export changes nothing; an edited target comes back; the summary counts", async () => {
    const { dir, doc, file } = await fixture();
    const before = await readFile(file, "utf8");
    const xlf = path.join(dir, "fr.xlf");
    await cli(["translations", "export", doc, "--lang", "fr", "--out", xlf]);
    const same = await cli(["translations", "import", xlf, doc]);
    expect(same.code).toBe(0);
    expect(same.stdout).toMatch(/0 translated, 0 fuzzy, \d+ unchanged, 0 rejected/);
    expect(await readFile(file, "utf8")).toBe(before);
    const xml = await readFile(xlf, "utf8");
    await writeFile(xlf, xml.replace("<target>[fr] Same sentence.</target>", "<target>Même phrase &amp; tout.</target>"));
    const edited = await cli(["translations", "import", xlf, doc]);
    expect(edited.stdout).toMatch(/1 translated, 0 fuzzy, \d+ unchanged, 0 rejected/);
    expect((await msgstrs(file))["body/p3"]).toEqual({ msgstr: ["Même phrase & tout."], fuzzy: false });
    await run("msgfmt", ["-c", "--check-format", "-o", "/dev/null", file]);
  });

  it("keeps the text of inline codes, annotations, cp, ignorables and several segments, in groups, without state", async () => {
    const { dir, doc, file } = await fixture();
    const xlf = path.join(dir, "cat.xlf");
    await writeFile(
      xlf,
      xliff(
        "fr",
        `<group id="g1"><group id="g2">
<unit id="body:p2"><segment state="final"><source>Vote **against** the resolution.</source>
<target>Votez <pc id="1" type="fmt" subType="xlf:b">contre</pc> la résolution<cp hex="0007"/>.</target></segment></unit>
</group></group>
<unit id="body:h1"><segment><source>The title</source><target>Le titre des <mrk id="m1" translate="no">Nations Unies</mrk><ph id="p" equiv=" !"/></target></segment></unit>
<unit id="body:p4">
<segment id="s1" state="translated"><source>Last paragraph, necessary.</source><target>Dernier paragraphe, nécessaire.</target></segment>
<ignorable><source> </source></ignorable>
<segment id="s2" state="final"><source>As said before.</source><target><sc id="1" equiv="*"/>Comme<ec startRef="1" equiv="*"/> dit.</target></segment>
</unit>`,
      ),
    );
    const result = await cli(["translations", "import", xlf, doc]);
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/3 translated, 0 fuzzy, 0 unchanged, 0 rejected/);
    const got = await msgstrs(file);
    expect(got["body/p2"]!.msgstr).toEqual(["Votez **contre** la résolution\u0007."]);
    expect(got["body/h1"]!.msgstr).toEqual(["Le titre des Nations Unies !"]);
    expect(got["body/p4"]).toEqual({ msgstr: ["Dernier paragraphe, nécessaire. *Comme* dit."], fuzzy: false });
  });

  it("a unit is final only if all its segments are; a code with no Markdown keeps its text with a warning", async () => {
    const { dir, doc, file } = await fixture();
    const xlf = path.join(dir, "cat.xlf");
    await writeFile(
      xlf,
      xliff(
        "fr",
        `<unit id="body:p4">
<segment state="final"><source>Last paragraph, necessary.</source><target>Dernier.</target></segment>
<ignorable><source> </source></ignorable>
<segment state="initial"><source>As said before.</source><target>Comme <pc id="9">dit</pc>.</target></segment>
</unit>`,
      ),
    );
    const result = await cli(["translations", "import", xlf, doc]);
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/cat\.xlf\n\s*7:1\s+warning\s+Unit `body:p4`: formatting code <pc id="9"> carries no Markdown/);
    expect(result.stdout).toMatch(/0 translated, 1 fuzzy/);
    expect((await msgstrs(file))["body/p4"]).toEqual({ msgstr: ["Dernier. Comme dit."], fuzzy: true });
  });

  it("rejects what it cannot map at its line, and leaves the entry as it was", async () => {
    const { dir, doc, file } = await fixture();
    const before = await readFile(file, "utf8");
    const xlf = path.join(dir, "cat.xlf");
    await writeFile(xlf, xliff("fr", `<unit id="body:p3"><segment state="final"><source>Same sentence.</source>\n<target>Phrase <ph id="1"/>.</target></segment></unit>`));
    const result = await cli(["translations", "import", xlf, doc]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/5:1\s+error\s+Unit `body:p3`: placeholder <ph id="1"> has no equiv text/);
    expect(result.stdout).toMatch(/0 translated, 0 fuzzy, 0 unchanged, 1 rejected/);
    expect(await readFile(file, "utf8")).toBe(before);
  });

  it("compares each unit's source with the current English: an edited paragraph is rejected, a renumbered one follows its text", async () => {
    const { dir, doc, file } = await fixture();
    const xlf = path.join(dir, "fr.xlf");
    await cli(["translations", "export", doc, "--lang", "fr", "--out", xlf]);
    const exported = await readFile(xlf, "utf8");
    // The English changes after the export: a paragraph is edited, another inserted before the rest.
    await writeFile(doc, DOC.replace("Same sentence.", "New paragraph.\n\nSame sentence.").replace("Vote **against**", "Vote **firmly against**"));
    await cli(["translations", "update", doc]);
    await writeFile(
      xlf,
      exported
        .replace("<target>[fr] Vote **against** the resolution.</target>", "<target>Votez **contre**.</target>")
        .replace("<target>[fr] Same sentence.</target>", "<target>Même phrase.</target>"),
    );
    const result = await cli(["translations", "import", xlf, doc]);
    expect(result.code).toBe(1);
    const line = exported.split("\n").findIndex((l) => l.includes('<unit id="body:p2"')) + 1;
    expect(result.stderr).toMatch(new RegExp(`${line}:1\\s+error\\s+Unit \`body:p2\`: its source is not the current English`));
    expect(result.stderr).toMatch(/Unit `body:p3`'s English is now `body\/p4`/);
    const got = await msgstrs(file);
    expect(got["body/p2"]!.fuzzy).toBe(true); // still the update's fuzzy suggestion, not cleared
    expect(got["body/p2"]!.msgstr).toEqual(["[fr] Vote **against** the resolution."]);
    expect(got["body/p3"]!.msgstr).toEqual([""]); // the new paragraph gets nobody's translation
    expect(got["body/p4"]).toEqual({ msgstr: ["Même phrase."], fuzzy: false });
    const status = await cli(["translations", "status", doc]);
    expect(status.stdout).toMatch(/fr\s+\d+\/\d+ [\d.]+%\s+1\s+1\s/);
  });

  it("checks trgLang against --lang and the PO file's language, and srcLang against the document", async () => {
    const { dir, doc, file } = await fixture();
    await cli(["translations", "update", doc, "--lang", "es"]);
    const es = path.join(dir, "translations/es/doc.po");
    const before = [await readFile(file, "utf8"), await readFile(es, "utf8")];
    const xlf = path.join(dir, "es.xlf");
    await writeFile(xlf, xliff("es", `<unit id="body:p3"><segment><source>Same sentence.</source><target>Misma frase.</target></segment></unit>`));
    const wrong = await cli(["translations", "import", xlf, doc, "--lang", "fr"]);
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toMatch(/1:1\s+error\s+trgLang is `es` but the import is for `fr`/);
    await writeFile(xlf, xliff("fr", `<unit id="body:p3"><segment><source>Same sentence.</source><target>x</target></segment></unit>`, "de"));
    expect((await cli(["translations", "import", xlf, doc])).stderr).toMatch(/srcLang is `de` but the document is in `en`/);
    expect([await readFile(file, "utf8"), await readFile(es, "utf8")]).toEqual(before);
    // fr-FR is French: accepted for translations/fr.
    await writeFile(xlf, xliff("fr-FR", `<unit id="body:p3"><segment><source>Same sentence.</source><target>Même phrase.</target></segment></unit>`));
    const regional = await cli(["translations", "import", xlf, doc, "--lang", "fr"]);
    expect(regional.code).toBe(0);
    expect((await msgstrs(file))["body/p3"]).toEqual({ msgstr: ["Même phrase."], fuzzy: false });
  });

  it("rejects every invalid file of the OASIS XLIFF 2.1 core test suite with a located message", () => {
    const dir = path.join(FIXTURES, "core/invalid");
    const files = readdirSync(dir).filter((f) => f.endsWith(".xlf"));
    expect(files).toHaveLength(119);
    const accepted = files.filter((name) => {
      const file = new VFile({ path: name });
      const parsed = readXliff(readFileSync(path.join(dir, name), "utf8"), file);
      const fatal = file.messages.filter((m) => m.fatal);
      for (const m of fatal) expect(m.line).toBeGreaterThan(0);
      return parsed !== undefined || fatal.length === 0;
    });
    expect(accepted).toEqual([]);
  });

  it("reads every valid file of the suite without a schema or rule error", () => {
    const dir = path.join(FIXTURES, "core/valid");
    for (const name of readdirSync(dir).filter((f) => f.endsWith(".xlf"))) {
      const file = new VFile({ path: name });
      const parsed = readXliff(readFileSync(path.join(dir, name), "utf8"), file);
      expect({ name, messages: file.messages.filter((m) => /^xliff-(xml|schema|rule|version)$/.test(m.ruleId ?? "")).map((m) => m.reason) }).toEqual({ name, messages: [] });
      expect(parsed).toBeDefined();
    }
  });

  it("an invalid file from the suite changes no PO file and says where", async () => {
    const { dir, doc, file } = await fixture();
    const before = await readFile(file, "utf8");
    for (const name of ["bad_EcBeforeSc.xlf", "bad_SegmentIdNotUnique.xlf", "bad_InvalidXmlLangOnUnit.xlf"]) {
      const xml = readFileSync(path.join(FIXTURES, "core/invalid", name), "utf8").replace(/trgLang="[^"]*"/, "").replace('srcLang="en"', 'srcLang="en" trgLang="fr"');
      const xlf = path.join(dir, name);
      await writeFile(xlf, xml);
      const result = await cli(["translations", "import", xlf, doc]);
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(/\d+:\d+\s+error\s+Not valid XLIFF 2/);
    }
    expect(await readFile(file, "utf8")).toBe(before);
  });

  it("round-trips through the npm xliff converter (its output has no state: taken as translated)", async () => {
    const { dir, doc, file } = await fixture();
    const xlf = path.join(dir, "fr.xlf");
    await cli(["translations", "export", doc, "--lang", "fr", "--out", xlf]);
    const js = (await xliff2js(await readFile(xlf, "utf8"))) as { targetLanguage: string; resources: Record<string, Record<string, { source: string; target: string }>> };
    expect(js.targetLanguage).toBe("fr");
    const units = js.resources.f1!;
    const entries = await msgstrs(file);
    expect(units["body:p1"]!.target).toBe(entries["body/p1"]!.msgstr[0]);
    units["body:p3"]!.target = "Une phrase <réécrite> & revue.";
    await writeFile(xlf, await js2xliff(js));
    const result = await cli(["translations", "import", xlf, doc]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/1 translated, 0 fuzzy/);
    expect((await msgstrs(file))["body/p3"]).toEqual({ msgstr: ["Une phrase <réécrite> & revue."], fuzzy: false });
    await run("msgfmt", ["-c", "--check-format", "-o", "/dev/null", file]);
  });

  it("trims a target padded with newlines so msgfmt -c accepts the PO", async () => {
    const { dir, doc, file } = await fixture();
    const xlf = path.join(dir, "cat.xlf");
    await writeFile(xlf, xliff("fr", `<unit id="body:p3"><segment state="final"><source>Same sentence.</source><target>\n\nMême phrase.\n</target></segment></unit>`));
    expect((await cli(["translations", "import", xlf, doc])).code).toBe(0);
    expect((await msgstrs(file))["body/p3"]!.msgstr).toEqual(["Même phrase."]);
    await run("msgfmt", ["-c", "--check-format", "-o", "/dev/null", file]);
  });

  it("refuses a DOCTYPE: no external entity is read, no entity expanded", () => {
    const file = new VFile();
    const xml = xliff("fr", '<unit id="u"><segment><source>a</source><target>&e;</target></segment></unit>').replace("<xliff", '<!DOCTYPE xliff [<!ENTITY e SYSTEM "file:///etc/passwd">]>\n<xliff');
    expect(readXliff(xml, file)).toBeUndefined();
    expect(file.messages.map((m) => [m.line, m.reason])).toEqual([[2, "A DOCTYPE is not accepted in an XLIFF file (entities are not expanded); remove it"]]);
  });

  it("says that XLIFF 2.2 (another namespace) is not read, rather than misreading it", () => {
    const file = new VFile();
    const xml = xliff("fr", '<unit id="u"><segment><source>a</source></segment></unit>').replace("document:2.0\" version=\"2.0\"", 'document:2.2" version="2.2"');
    expect(readXliff(xml, file)).toBeUndefined();
    expect(file.messages.map((m) => m.reason)).toEqual(["XLIFF 2.2 (namespace `urn:oasis:names:tc:xliff:document:2.2`) is not read yet: save the file as XLIFF 2.0 or 2.1"]);
  });

  it("reports malformed XML with its line", async () => {
    const { dir, doc } = await fixture();
    const xlf = path.join(dir, "bad.xlf");
    await writeFile(xlf, '<?xml version="1.0"?>\n<xliff version="2.0" trgLang="fr">\n<file>\n</xliff>\n');
    const result = await cli(["translations", "import", xlf, doc]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/bad\.xlf\n\s*4:\d+\s+error\s+Invalid XML/);
  });
});
