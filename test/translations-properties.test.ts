/**
 * Property-based tests (fast-check) of the translation formats: random inputs and random
 * mutations never crash the readers, and what goes out comes back unchanged. Run counts are kept
 * small: these run in-process, without the CLI.
 */
import { readFile, writeFile } from "node:fs/promises";
import fc from "fast-check";
import { parse as parseYaml } from "yaml";
import { VFile } from "vfile";
import { describe, expect, it } from "vitest";
import { parsePluralForms, samePluralForms } from "../pipeline/i18n/lang.ts";
import { PLURAL_FORMS } from "../pipeline/i18n/labels.ts";
import { mergeEntries, readPlainEntries, readPo, writePo, type PoEntry } from "../pipeline/i18n/po.ts";
import type { Segment } from "../pipeline/i18n/segments.ts";
import { contextToId, exportXliff, idToContext, importUnits, readXliff } from "../pipeline/i18n/xliff.ts";
import { cli, project } from "./helpers.ts";

const RUNS = { numRuns: 60 };

/** Text a translator could write: any Unicode XML allows, including markup-like characters. */
const text = fc.string({ unit: "grapheme", minLength: 1, maxLength: 40 }).filter((s) => !/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/.test(s) && s.trim() !== "");
const context = fc.stringMatching(/^(body|note\/[a-z0-9.:_é-]{1,8})\/(p|h|cell)[1-9][0-9]?$/);

function segmentsOf(sources: string[]): Segment[] {
  return sources.map((source, i) => ({ context: `body/p${i + 1}`, source, kind: "block" as const }));
}

describe("properties", () => {
  it("unit ids are NMTOKENs and map back to their msgctxt", () => {
    fc.assert(
      fc.property(fc.oneof(context, fc.string({ minLength: 1, maxLength: 20 })), (ctx) => {
        const id = contextToId(ctx);
        expect(id).toMatch(/^[A-Za-z0-9:_-]+$/);
        expect(idToContext(id)).toBe(ctx);
      }),
      { numRuns: 300 },
    );
  });

  it("Plural-Forms compare by meaning: rewritten with other spacing and parentheses they are the same; with another nplurals they are not", () => {
    fc.assert(
      fc.property(fc.constantFrom(...Object.values(PLURAL_FORMS).map((p) => p.header)), fc.boolean(), fc.nat(3), (header, parens, spaces) => {
        const [, n, expr] = /nplurals=(\d+); plural=(.*);/.exec(header)!;
        const body = parens ? `(${expr})` : expr!.replace(/^\((.*)\)$/, "$1");
        const rewritten = `nplurals=${n};${" ".repeat(spaces)}plural=${body.replace(/ /g, " ".repeat(spaces))};`;
        expect(samePluralForms(rewritten, header)).toBe(true);
        expect(samePluralForms(`nplurals=${Number(n) + 1}; plural=${body};`, header)).toBe(false);
      }),
      RUNS,
    );
  });

  it("each language's Plural-Forms picks the CLDR category its msgstr index stands for, n = 0…200", () => {
    for (const [lang, { header, categories }] of Object.entries(PLURAL_FORMS)) {
      const parsed = parsePluralForms(header)!;
      const rules = new Intl.PluralRules(lang);
      for (let n = 0; n <= 200; n++) expect([lang, n, categories[parsed.plural(n)]]).toEqual([lang, n, rules.select(n)]);
    }
  });

  it("any text survives export, a CAT tool's target and import exactly (trimmed), and the PO written passes the reader", () => {
    fc.assert(
      fc.property(fc.array(text, { minLength: 1, maxLength: 5 }), fc.array(text, { minLength: 5, maxLength: 5 }), (sources, targets) => {
        const segments = segmentsOf(sources.map((s, i) => `${s.trim()} ${i}`));
        const entries: PoEntry[] = segments.map((s) => ({ context: s.context, msgid: s.source, msgstr: [""], fuzzy: false, obsolete: false, line: 0 }));
        const xml = exportXliff(segments, entries, "en", "fr", "doc.md");
        // A CAT tool writes each unit's target.
        let out = xml;
        segments.forEach((s, i) => {
          out = out.replace(new RegExp(`(name="${s.context}">[\\s\\S]*?</source>)`), (source) => `${source}<target>${escape(targets[i]!)}</target>`);
        });
        const file = new VFile();
        const parsed = readXliff(out, file);
        expect(file.messages.filter((m) => m.fatal).map((m) => m.reason)).toEqual([]);
        const result = importUnits(entries, parsed!.units, segments, file);
        expect(result.entries.map((e) => e.msgstr[0])).toEqual(targets.slice(0, segments.length).map((t) => t.trim()));
        const written = writePo({ "Content-Type": "text/plain; charset=UTF-8" }, result.entries, new Map(), "doc.md");
        const back = readPo(written, new VFile());
        expect(back!.entries.map((e) => e.msgstr[0])).toEqual(result.entries.map((e) => e.msgstr[0]));
      }),
      { numRuns: 40 },
    );
  });

  it("random mutations of a PO or an XLIFF file never crash the readers: the file is read or a located message says why", () => {
    const segments = segmentsOf(["One paragraph.", "Another *one* with [a link](https://example.org).", "A third."]);
    const entries: PoEntry[] = segments.map((s) => ({ context: s.context, msgid: s.source, msgstr: [`«${s.source}»`], fuzzy: false, obsolete: false, line: 0 }));
    const poText = writePo({ "Content-Type": "text/plain; charset=UTF-8", "Plural-Forms": "nplurals=2; plural=(n > 1);" }, entries, new Map(), "doc.md");
    const xml = exportXliff(segments, entries, "en", "fr", "doc.md");
    const mutation = (source: string) =>
      fc.tuple(fc.nat(source.length), fc.nat(8), fc.string({ maxLength: 6, unit: fc.constantFrom("<", ">", "&", '"', "\\", "\n", "#", "/", "a", "é", " ", "=", "~", "|") })).map(([at, cut, insert]) => source.slice(0, at) + insert + source.slice(at + cut));
    fc.assert(
      fc.property(mutation(poText), (mutated) => {
        const file = new VFile();
        const parsed = readPo(mutated, file);
        if (!parsed) expect(file.messages.some((m) => m.fatal && m.line! > 0)).toBe(true);
      }),
      RUNS,
    );
    fc.assert(
      fc.property(mutation(xml), (mutated) => {
        const file = new VFile();
        const parsed = readXliff(mutated, file);
        if (!parsed) expect(file.messages.some((m) => m.fatal && m.line! > 0)).toBe(true);
        else {
          // What is read either imports with messages or changes only what the mutation touched.
          const result = importUnits(entries, parsed.units, segments, file);
          result.entries.forEach((e, i) => {
            if (e.msgstr[0] !== entries[i]!.msgstr[0]) expect(mutated).not.toContain(`<target>${escape(entries[i]!.msgstr[0]!)}</target>`);
          });
        }
      }),
      RUNS,
    );
  });

  it("the line-by-line reader of plain PO files gives what gettext-parser gives, or nothing: for any mutation of a file", () => {
    // Entries of every shape a completeness check meets: fuzzy (with previous strings), empty,
    // multi-line, escaped, plural, obsolete, and a second flag line.
    const poText = `# Translator's note
msgid ""
msgstr ""
"Language: fr\\n"
"Plural-Forms: nplurals=2; plural=(n > 1);\\n"

#: doc.md:3
msgctxt "body/p1"
msgid "One paragraph."
msgstr "Un paragraphe."

#, fuzzy
#| msgid "Another one."
msgctxt "body/p2"
msgid "Another *one* with [a link](https://example.org)."
msgstr "Un *autre* avec [un lien](https://example.org)."

#. Heading, level 2
msgctxt "body/h1"
msgid ""
"A title that runs on "
"over \\"two\\" lines\\twith a tab"
msgstr ""
"Un titre qui continue "
"sur \\"deux\\" lignes\\tavec une tabulation"

msgctxt "body/p3"
msgid "A third."
msgstr ""

#, c-format
#, fuzzy
msgctxt "note/a/p1"
msgid "A note \\\\ with a backslash."
msgstr "Une note \\\\ avec une barre."

msgctxt "label/signatories"
msgid "{n} signatory"
msgid_plural "{n} signatories"
msgstr[0] "{n} signataire"
msgstr[1] "{n} signataires"

#~ msgctxt "body/p9"
#~ msgid "Gone."
#~ msgstr "Parti."
`;
    const full = (text: string) => {
      const po = readPo(text, new VFile());
      return po && new Map(po.entries.filter((e) => !e.obsolete).map((e) => [e.context, { msgid: e.msgid, msgstr: e.msgstr, fuzzy: e.fuzzy, plural: e.msgidPlural !== undefined }]));
    };
    const plain = readPlainEntries(poText);
    expect(plain?.size).toBe(6);
    expect(plain).toEqual(full(poText));
    expect(plain?.get("body/p2")?.fuzzy).toBe(true);
    // Flags on two `#,` lines count as GNU gettext counts them (msgattrib --only-fuzzy keeps it).
    expect(plain?.get("note/a/p1")?.fuzzy).toBe(true);
    const lines = poText.split("\n");
    const characters = (source: string) =>
      fc.tuple(fc.nat(source.length), fc.nat(4), fc.string({ maxLength: 4, unit: fc.constantFrom('"', "\\", "\n", "#", "~", ",", " ", "'", "a", "[", "]", "0", "n", "msgstr ", "msgid ", "fuzzy") })).map(([at, cut, insert]) => source.slice(0, at) + insert + source.slice(at + cut));
    const moves = fc.tuple(fc.nat(lines.length - 1), fc.nat(lines.length - 1), fc.boolean()).map(([from, to, copy]) => {
      const out = [...lines];
      const [line] = copy ? [out[from]!] : out.splice(from, 1);
      out.splice(to, 0, line!);
      return out.join("\n");
    });
    let read = 0;
    fc.assert(
      fc.property(fc.oneof(characters(poText), moves), (mutated) => {
        const quick = readPlainEntries(mutated);
        if (!quick) return;
        read++;
        expect(quick).toEqual(full(mutated));
      }),
      { numRuns: 400 },
    );
    // Most mutations leave a plain file: the comparison above is made, not skipped.
    expect(read).toBeGreaterThan(100);
  });

  it("update never loses a translation and never gives one old entry to two segments", () => {
    const sentence = fc.constantFrom("The committee met.", "The committee met today.", "Delegations attended.", "Observers noted the debate.", "A new text.", "The final text.");
    fc.assert(
      fc.property(fc.uniqueArray(sentence, { minLength: 1, maxLength: 5 }), fc.uniqueArray(sentence, { minLength: 1, maxLength: 5 }), (before, after) => {
        const old: PoEntry[] = segmentsOf(before).map((s) => ({ context: s.context, msgid: s.source, msgstr: [`fr:${s.source}`], fuzzy: false, obsolete: false, line: 0 }));
        const merged = mergeEntries(segmentsOf(after), old, 2);
        const translations = merged.filter((e) => e.msgstr[0]).map((e) => e.msgstr[0]);
        // Every old translation is somewhere (active or obsolete), and only once.
        expect([...translations].sort()).toEqual(old.map((e) => e.msgstr[0]).sort());
        for (const e of merged.filter((x) => !x.obsolete)) {
          // An unchanged English keeps its translation, not fuzzy; any other translation is fuzzy.
          if ((before as string[]).includes(e.msgid)) expect(e).toMatchObject({ msgstr: [`fr:${e.msgid}`], fuzzy: false });
          else if (e.msgstr[0]) expect(e.fuzzy).toBe(true);
        }
      }),
      { numRuns: 100 },
    );
  });
});

function escape(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

describe("mutated data files", () => {
  const mutate = (source: string) =>
    fc.tuple(fc.nat(source.length), fc.nat(6), fc.string({ maxLength: 5, unit: fc.constantFrom(":", "-", " ", "\n", '"', ",", ";", "#", "[", "{", "&", "*", "é", "\t", "|") })).map(([at, cut, insert]) => source.slice(0, at) + insert + source.slice(at + cut));
  const YAML = "organisations:\n  - name: Access Now\n  - name: ARTICLE 19\nindividuals:\n  - name: Ada Lovelace\n    family: Lovelace\n    affiliation: Analytical Engines\n";
  const CSV = 'Name,Type,Country\n"Access Now",organisation,\n"Lovelace, Ada",individual,UK\n';

  it("a mutated signatories YAML or CSV never crashes the CLI: it is read, or a message says why; read without a message, the edition lists what the file says", async () => {
    const dir = await project({ "package.json": "{}", "doc.md": "---\nlang: en\nsignatories: signatories.yaml\n---\n\n# Title\n\nText.\n\n<!-- signatories -->\n", "signatories.yaml": YAML });
    const doc = `${dir}/doc.md`;
    /** The HTML edition lists exactly the names a YAML reader finds in `yaml`. */
    const showsWhatTheFileSays = async (yaml: string) => {
      const out = `${dir}/out`;
      expect((await cli(["build", doc, "--format", "html", "--out", out, "--quiet"])).code).toBe(0);
      const html = await readFile(`${out}/en/doc.html`, "utf8");
      const shown = [...html.matchAll(/<li dir="auto">(?:<span class="name">)?([^<]*)</g)].map((m) => m[1]!.replace(/&#x26;|&amp;/g, "&"));
      const data = parseYaml(yaml) as { organisations?: Array<{ name: unknown }> | null; individuals?: Array<{ name: unknown }> | null } | null;
      const names = [...(data?.organisations ?? []), ...(data?.individuals ?? [])].map((e) => String(e.name).replace(/\s+/g, " ").trim());
      expect(shown.map((n) => n.replace(/\s+/g, " ").trim()).sort()).toEqual(names.sort());
    };
    await showsWhatTheFileSays(YAML);
    await fc.assert(
      fc.asyncProperty(mutate(YAML), mutate(CSV), async (yaml, csv) => {
        await writeFile(`${dir}/signatories.yaml`, yaml);
        const check = await cli(["check", doc]);
        expect(check.code).not.toBe(2);
        if (check.code === 1) expect(check.stderr).toMatch(/\d+:\d+|error/);
        // Never silently wrong: a file read without a word gives, in the edition, exactly the
        // names the file has as any YAML reader sees them.
        if (check.code === 0 && check.stderr.trim() === "") await showsWhatTheFileSays(yaml);
        await writeFile(`${dir}/signatories.yaml`, YAML);
        await writeFile(`${dir}/in.csv`, csv);
        const imported = await cli(["signatories", "import", `${dir}/in.csv`, doc, "--dry-run", "--quiet"]);
        expect(imported.code).not.toBe(2);
      }),
      { numRuns: 15 },
    );
  });
});
