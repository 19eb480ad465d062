/**
 * `letterpress signatories import` / `add`: sign-on CSVs merged into a COPY of the letter's
 * signatories file. Everything is read back: the YAML (through `loadSignatories` and as text),
 * the report CSV (parsed again), the exit code and the messages.
 */
import { existsSync } from "node:fs";
import { copyFile, readdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { parse } from "csv-parse/sync";
import { describe, expect, it } from "vitest";
import { loadSignatories } from "../pipeline/data/signatories.ts";
import { cli, FRONT, letterCopy, project, ROOT } from "./helpers.ts";

const FIXTURES = path.join(ROOT, "test/fixtures/signatories");

interface Copy {
  dir: string;
  doc: string;
  yaml: string;
  original: string;
}

/** The letter's sources in a temp dir, with the named fixtures copied next to them. */
async function copy(...fixtures: string[]): Promise<Copy> {
  const dir = await letterCopy();
  for (const f of fixtures) await copyFile(path.join(FIXTURES, f), path.join(dir, f));
  const yaml = path.join(dir, "source/signatories.yaml");
  return { dir, doc: path.join(dir, "source/open-letter.md"), yaml, original: await readFile(yaml, "utf8") };
}

async function load(c: { doc: string }) {
  const loaded = await loadSignatories(c.doc, "signatories.yaml");
  expect(loaded.file.messages.map((m) => m.reason)).toEqual([]);
  return loaded.signatories!;
}

type ReportRow = Record<string, string>;
async function readReport(file: string): Promise<ReportRow[]> {
  const text = (await readFile(file, "utf8")).replace(/^\ufeff/, "");
  const delimiter = text.split("\n")[0]?.includes(";") ? ";" : ",";
  return parse(text, { columns: true, delimiter }) as ReportRow[];
}

/** The new YAML text minus the given added lines must be the original text, byte for byte. */
function withoutLines(text: string, added: string[]): string {
  const lines = text.split("\n");
  for (const a of added) {
    const i = lines.indexOf(a);
    expect(i, `line ${JSON.stringify(a)} in the new YAML`).toBeGreaterThanOrEqual(0);
    lines.splice(i, 1);
  }
  return lines.join("\n");
}

describe("signatories import", () => {
  it("reads quoted fields with commas, doubled quotes and embedded newlines; line numbers are where a row starts", async () => {
    const c = await copy("quoted.csv");
    const csv = path.join(c.dir, "quoted.csv");
    const result = await cli(["signatories", "import", csv, c.doc]);
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("4 added, 0 duplicates, 0 rejected; report: ");

    const list = await load(c);
    const org = list.organisations.find((o) => o.name.startsWith("Digital Rights Watch"));
    expect(org).toEqual({ name: "Digital Rights Watch, Australia", country: "Australia", website: "https://digitalrightswatch.org.au" });
    expect(list.organisations.map((o) => o.name)).toContain('The "Open" Network');
    // White space collapsed, the embedded newline is one space.
    expect(list.individuals.find((i) => i.family === "Gonzalez")).toEqual({
      name: "Maria Gonzalez",
      family: "Gonzalez",
      affiliation: "Professor of Law, University of Chile",
      country: "Chile",
    });
    // An affiliation makes `person` an individual; family from the last word.
    expect(list.individuals.find((i) => i.name === "Zeynep Kaya")).toMatchObject({ family: "Kaya", affiliation: "Researcher, Istanbul" });

    const report = await readReport(`${csv}.report.csv`);
    // Row 3 spans lines 3-4; a blank line 6 is skipped: Zeynep is on line 7.
    expect(report.map((r) => [r.line, r.status, r.name])).toEqual([
      ["2", "added", "Digital Rights Watch, Australia"],
      ["3", "added", "Maria  Gonzalez"],
      ["5", "added", 'The "Open" Network'],
      ["7", "added", "Zeynep Kaya"],
    ]);
    expect(report[1]?.affiliation).toBe("Professor of Law,\nUniversity of Chile"); // the row as it was given
  });

  it("reads a UTF-8 BOM and CRLF line breaks; the report is written the same way", async () => {
    const c = await copy("bom-crlf.csv");
    const csv = path.join(c.dir, "bom-crlf.csv");
    const bytes = await readFile(csv);
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]); // the fixture is what it says
    expect(bytes.includes("\r\n")).toBe(true);

    const result = await cli(["signatories", "import", csv, c.doc]);
    expect(result.code).toBe(0);
    expect(result.stderr).toBe(""); // `Organization` (after the BOM) and `URL` are recognised: nothing ignored
    const list = await load(c);
    expect(list.organisations).toContainEqual({ name: "Fundación Karisma", country: "Colombia", website: "https://web.karisma.org.co" });
    expect(list.organisations).toContainEqual({ name: "Asociación por los Derechos Civiles (ADC)", country: "Argentina", website: "https://adc.org.ar" });
    expect(list.organisations).toContainEqual({ name: "SMEX", country: "Lebanon", website: "https://smex.org" });
    expect(await readFile(c.yaml, "utf8")).not.toContain("\r");

    const report = await readFile(`${csv}.report.csv`);
    expect([...report.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(report.toString("utf8")).toMatch(/^\ufeffline,status,reason,Organization,Country,URL\r\n2,added,/);
  });

  it("detects `;` as the separator and uses a column mapping", async () => {
    const c = await copy("semicolon.csv");
    const csv = path.join(c.dir, "semicolon.csv");
    // Without a mapping there is no name column: one clear error naming the columns found.
    const unmapped = await cli(["signatories", "import", csv, c.doc]);
    expect(unmapped.code).toBe(1);
    expect(unmapped.stderr).toContain("columns found: `Nom`, `Genre`, `Affiliation`, `Pays`, `Site web`");

    const result = await cli(["signatories", "import", csv, c.doc, "--map", "name=Nom, type=Genre, country=Pays, website=Site web"]);
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("3 added, 0 duplicates, 0 rejected");
    const list = await load(c);
    expect(list.individuals).toContainEqual({ name: "Amélie Dubois", family: "Dubois", affiliation: "Université de Lyon", country: "France" });
    expect(list.organisations).toContainEqual({ name: "La Quadrature du Net", country: "France", website: "https://www.laquadrature.net" });
    expect(list.organisations).toContainEqual({ name: "Ligue des droits de l'Homme; France", country: "France" });
    // The report keeps the input's separator.
    expect((await readFile(`${csv}.report.csv`, "utf8")).split("\n")[0]).toBe("line;status;reason;Nom;Genre;Affiliation;Pays;Site web");
  });

  it("reports duplicates (case, accents, acronym; in the file and in the list) and rejected rows with line and reason", async () => {
    const c = await copy("duplicates.csv");
    const csv = path.join(c.dir, "duplicates.csv");
    const result = await cli(["signatories", "import", csv, c.doc, "--report", path.join(c.dir, "report.csv")]);
    expect(result.code).toBe(0); // the CSV was processed: rejected rows are in the report
    expect(result.stdout).toContain("2 added, 5 duplicates, 4 rejected; report: ");
    expect(existsSync(`${csv}.report.csv`)).toBe(false); // --report was used instead

    const report = await readReport(path.join(c.dir, "report.csv"));
    const byLine = Object.fromEntries(report.map((r) => [r.line, r]));
    expect(report).toHaveLength(11); // every row, none dropped
    expect(byLine["2"]).toMatchObject({ status: "duplicate", reason: expect.stringMatching(/same organisation as `Access Now` \(.*signatories\.yaml line 6\)/) });
    expect(byLine["3"]).toMatchObject({ status: "duplicate", reason: expect.stringContaining("`Electronic Frontier Foundation (EFF)`") });
    expect(byLine["3"]?.reason).toContain("also gives a different website");
    expect(byLine["4"]).toMatchObject({ status: "duplicate", reason: expect.stringContaining("`Fundación Internet Bolivia`") });
    expect(byLine["5"]).toMatchObject({ status: "added", reason: "added as organisation" });
    expect(byLine["6"]).toMatchObject({ status: "duplicate", reason: expect.stringMatching(/same organisation as `Café Numérique \(CN\)` \(.*duplicates\.csv line 5\)/) });
    expect(byLine["7"]).toMatchObject({ status: "rejected", reason: "website: `www.example.org` must be an http(s) URL (did you mean `https://www.example.org`?)", Website: "www.example.org" });
    expect(byLine["8"]).toMatchObject({ status: "rejected", reason: "name: must not be empty" });
    expect(byLine["9"]).toMatchObject({ status: "duplicate", reason: expect.stringContaining("same individual as `Joy Liddicoat`") });
    expect(byLine["10"]).toMatchObject({ status: "rejected", reason: expect.stringContaining("unknown type `robot`") });
    expect(byLine["11"]).toMatchObject({ status: "rejected", reason: expect.stringContaining("individuals have no website") });
    expect(byLine["12"]).toMatchObject({ status: "added" });
    // The terminal shows the same, with CSV line numbers.
    expect(result.stdout).toMatch(/duplicates\.csv:7\s+rejected\s+website: `www\.example\.org` must be an http\(s\) URL/);

    // Only the two new organisations were appended; everything else is byte-identical.
    const text = await readFile(c.yaml, "utf8");
    expect(
      withoutLines(text, [
        "  - name: Café Numérique (CN)",
        "    website: https://cafe.example",
        "  - name: Open Knowledge Nepal",
        "    country: Nepal",
        "    website: https://oknp.org",
      ]),
    ).toBe(c.original);
    const list = await load(c);
    expect(list.organisations).toHaveLength(38);
    expect(list.individuals).toHaveLength(6);
  });

  it("keeps the YAML's comments, blank lines and order; `loadSignatories` and `check` accept the result", async () => {
    const c = await copy("quoted.csv");
    const commented = c.original
      .replace("  - name: Access Now\n", "  - name: Access Now\n  # signed on 12 November\n\n")
      .replace("individuals:\n", "individuals: # people sign in a personal capacity\n");
    await writeFile(c.yaml, commented);
    const result = await cli(["signatories", "import", path.join(c.dir, "quoted.csv"), c.doc, "--quiet"]);
    expect(result.code).toBe(0);
    expect(result.stderr).toBe(""); // no "layout normalised" warning
    const text = await readFile(c.yaml, "utf8");
    const added = text.split("\n").filter((l) => !commented.split("\n").includes(l));
    expect(added.length).toBeGreaterThan(0);
    expect(withoutLines(text, added)).toBe(commented); // new lines only: nothing else changed
    for (const comment of ["# Signatories of the open letter, as data.", "  # signed on 12 November", "individuals: # people sign in a personal capacity"]) {
      expect(text).toContain(comment);
    }
    // New organisations are appended at the end of their sequence, before `individuals:`.
    expect(text.indexOf("  - name: Digital Rights Watch, Australia")).toBeGreaterThan(text.indexOf("YMCA"));
    expect(text.indexOf("  - name: Digital Rights Watch, Australia")).toBeLessThan(text.indexOf("individuals:"));

    const list = await load(c);
    expect(list.organisations.map((o) => o.name)).toContain("Digital Rights Watch, Australia");
    const check = await cli(["check", c.doc]);
    expect(check.code).toBe(0);
  });

  it("keeps a file written with unindented sequences as it was, and creates a missing file", async () => {
    const original = "# People who signed\norganisations:\n- name: Alpha Org # founding member\n\n- name: Beta Org\nindividuals: []\n";
    const dir = await project({
      "doc.md": `---\nlang: en\nsignatories: people.yaml\n---\n\n# Title\n\nText.\n`,
      "people.yaml": original,
      "new.md": `---\nlang: en\nsignatories: data/new.yaml\n---\n\n# Title\n`,
      "data/.keep": "",
      "in.csv": "name,family name\nGamma Org,\nDee Example,Example\n",
    });
    expect((await cli(["signatories", "import", path.join(dir, "in.csv"), path.join(dir, "doc.md")])).code).toBe(0);
    const text = await readFile(path.join(dir, "people.yaml"), "utf8");
    expect(text).toBe(`${original.replace("individuals: []\n", "- name: Gamma Org\nindividuals:\n- name: Dee Example\n  family: Example\n")}`);
    expect((await loadSignatories(path.join(dir, "doc.md"), "people.yaml")).signatories?.organisations).toHaveLength(3);

    const created = await cli(["signatories", "import", path.join(dir, "in.csv"), path.join(dir, "new.md")]);
    expect(created.code).toBe(0);
    expect(created.stdout).toMatch(/Created \S*data\/new\.yaml \(1 organisation, 1 individual\)/);
    const fresh = await loadSignatories(path.join(dir, "new.md"), "data/new.yaml");
    expect(fresh.signatories).toEqual({
      organisations: [{ name: "Gamma Org" }],
      individuals: [{ name: "Dee Example", family: "Example" }],
    });
  });

  it("appends after the last item even when the YAML writer would move a comment; warns when the layout must change", async () => {
    const kept = "organisations:\n- name: Alpha Org\nindividuals: # in a personal capacity\n- name: Cy Doe # added by hand\n# end of list\n";
    const normalised = "organisations: []  # none yet\nindividuals: []\n";
    const dir = await project({
      "kept.md": "---\nlang: en\nsignatories: kept.yaml\n---\n\n# Title\n",
      "kept.yaml": kept,
      "normalised.md": "---\nlang: en\nsignatories: normalised.yaml\n---\n\n# Title\n",
      "normalised.yaml": normalised,
      "in.csv": "name,affiliation\nBeta Org,\nDi Roe,Lab\n",
    });
    const a = await cli(["signatories", "import", path.join(dir, "in.csv"), path.join(dir, "kept.md")]);
    expect(a.stderr).toBe("");
    expect(await readFile(path.join(dir, "kept.yaml"), "utf8")).toBe(
      "organisations:\n- name: Alpha Org\n- name: Beta Org\nindividuals: # in a personal capacity\n- name: Cy Doe # added by hand\n- name: Di Roe\n  affiliation: Lab\n# end of list\n",
    );
    const b = await cli(["signatories", "import", path.join(dir, "in.csv"), path.join(dir, "normalised.md")]);
    expect(b.code).toBe(0);
    expect(b.stderr).toMatch(/warning: the layout of \S*normalised\.yaml was normalised by the YAML writer/);
    const text = await readFile(path.join(dir, "normalised.yaml"), "utf8");
    expect(text).toContain("# none yet");
    expect((await loadSignatories(path.join(dir, "normalised.md"), "normalised.yaml")).signatories).toEqual({
      organisations: [{ name: "Beta Org" }],
      individuals: [{ name: "Di Roe", family: "Roe", affiliation: "Lab" }],
    });
  });

  it("--dry-run reports what would happen and writes nothing", async () => {
    const c = await copy("duplicates.csv");
    const csv = path.join(c.dir, "duplicates.csv");
    const result = await cli(["signatories", "import", csv, c.doc, "--dry-run"]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("Dry run: 2 added, 5 duplicates, 4 rejected; report: not written (dry run)");
    expect(result.stdout).toMatch(/duplicates\.csv:5\s+added\s+organisation `Café Numérique \(CN\)`/);
    expect(await readFile(c.yaml, "utf8")).toBe(c.original);
    expect(existsSync(`${csv}.report.csv`)).toBe(false);
  });

  it("a CSV without a name column is one clear error naming the columns found; nothing is written", async () => {
    const c = await copy("no-name.csv");
    const csv = path.join(c.dir, "no-name.csv");
    const result = await cli(["signatories", "import", csv, c.doc]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/no-name\.csv\n1:1\s+error\s+No name column: .*\(columns found: `Email`, `Country`, `Comment`\)/);
    expect(result.stderr).toContain("1 error");
    expect(result.stderr.match(/error/g)).toHaveLength(2); // the message and the "1 error" tally
    expect(result.stderr).not.toMatch(/at .*\.ts:\d+/);
    expect(await readFile(c.yaml, "utf8")).toBe(c.original);
    expect(existsSync(`${csv}.report.csv`)).toBe(false);
  });

  it("invalid UTF-8 and an unclosed quote are located errors, without a stack trace", async () => {
    const dir = await letterCopy();
    const doc = path.join(dir, "source/open-letter.md");
    await writeFile(path.join(dir, "latin1.csv"), Buffer.from("name,country\nAcme,Chile\nCaf\xe9 Org,France\n", "latin1"));
    const latin1 = await cli(["signatories", "import", path.join(dir, "latin1.csv"), doc]);
    expect(latin1.code).toBe(1);
    expect(latin1.stderr).toMatch(/latin1\.csv\n3:1\s+error\s+File is not valid UTF-8 \(byte 0xe9/);
    expect(latin1.stderr).not.toMatch(/at .*\.ts:\d+/);

    await writeFile(path.join(dir, "quote.csv"), 'name,country\nAcme,Chile\n"Unclosed Org,France\nZeta,Peru\n');
    const quote = await cli(["signatories", "import", path.join(dir, "quote.csv"), doc]);
    expect(quote.code).toBe(1);
    expect(quote.stderr).toMatch(/quote\.csv\n3:1\s+error\s+Invalid CSV: the quoted field opened on line 3 is never closed/);
    expect(await readFile(path.join(dir, "source/signatories.yaml"), "utf8")).toBe(await readFile(path.join(ROOT, "source/signatories.yaml"), "utf8"));
  });

  it("tab-separated exports work; unused columns are named in a warning and kept in the report", async () => {
    const c = await copy();
    const tsv = path.join(c.dir, "export.tsv");
    await writeFile(tsv, "Timestamp\tFull name\tLast name\tEmail\n2019-11-10\tAda Lovelace\tLovelace\tada@example.org\n");
    const result = await cli(["signatories", "import", tsv, c.doc]);
    expect(result.code).toBe(0);
    expect(result.stderr).toContain("ignored 2 columns: `Timestamp`, `Email`");
    expect((await load(c)).individuals).toContainEqual({ name: "Ada Lovelace", family: "Lovelace" });
    const report = await readFile(`${tsv}.report.csv`, "utf8");
    expect(report).toContain("2\tadded\tadded as individual\t2019-11-10\tAda Lovelace\tLovelace\tada@example.org");
  });
});

describe("signatories import: edge cases", () => {
  it("obeys a spreadsheet's `sep=` line and quotes names YAML would misread", async () => {
    const c = await copy();
    const csv = path.join(c.dir, "excel.csv");
    await writeFile(csv, 'sep=;\nName;Website\n123;\nnull;\n"Foo: bar";\n#hashtag Org;\n- Dash Org;\n"Semi; colon";https://x.example/?a=1&b=#c\n');
    const result = await cli(["signatories", "import", csv, c.doc]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/excel\.csv:8\s+added\s+organisation `Semi; colon`/); // line numbers count the sep= line
    const names = (await load(c)).organisations.map((o) => o.name);
    expect(names).toEqual(expect.arrayContaining(["123", "null", "Foo: bar", "#hashtag Org", "- Dash Org", "Semi; colon"]));
    expect((await load(c)).organisations.find((o) => o.name === "Semi; colon")?.website).toBe("https://x.example/?a=1&b=#c");
  });

  it("a report that cannot be written stops the import before the YAML changes", async () => {
    const c = await copy("quoted.csv");
    const result = await cli(["signatories", "import", path.join(c.dir, "quoted.csv"), c.doc, "--report", path.join(c.dir, "no/such/dir/report.csv")]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^letterpress: error: Cannot write the report .*report\.csv \(ENOENT\); nothing was imported\n$/);
    expect(await readFile(c.yaml, "utf8")).toBe(c.original);
    expect((await readdir(path.dirname(c.yaml))).sort()).toEqual((await readdir(path.join(ROOT, "source"))).sort()); // no temporary left
  });
});

describe("signatories add", () => {
  it("adds an organisation and an individual, validated, and refuses a duplicate", async () => {
    const c = await copy();
    const org = await cli(["signatories", "add", "--name", "  Open  Rights Group ", "--country", "United Kingdom", "--website", "https://www.openrightsgroup.org", c.doc]);
    expect(org.stderr).toBe("");
    expect(org.code).toBe(0);
    expect(org.stdout).toContain("Added organisation `Open Rights Group`");
    const person = await cli(["signatories", "add", "--name", "Grace Hopper", "--individual", "--country", "USA", c.doc]);
    expect(person.code).toBe(0);
    const list = await load(c);
    expect(list.organisations).toContainEqual({ name: "Open Rights Group", country: "United Kingdom", website: "https://www.openrightsgroup.org" });
    expect(list.individuals).toContainEqual({ name: "Grace Hopper", family: "Hopper", country: "USA" });
    const afterAdds = await readFile(c.yaml, "utf8");
    expect(withoutLines(afterAdds, [
      "  - name: Open Rights Group",
      "    country: United Kingdom",
      "    website: https://www.openrightsgroup.org",
      "  - name: Grace Hopper",
      "    country: USA",
    ])).toBe(c.original);

    const dup = await cli(["signatories", "add", "--name", "Privacy Internátional (PI)", c.doc]);
    expect(dup.code).toBe(1);
    expect(dup.stderr).toMatch(/not added: already listed: same organisation as `Privacy International` \(.*signatories\.yaml line \d+\)/);
    const bad = await cli(["signatories", "add", "--name", "Some Org", "--website", "javascript:alert(1)", c.doc]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain("website: `javascript:alert(1)` must be an http(s) URL");
    const missing = await cli(["signatories", "add", c.doc]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain("needs `--name`");
    expect(await readFile(c.yaml, "utf8")).toBe(afterAdds);
  });

  it("uses the default document and refuses a document without a signatories file", async () => {
    const dir = await project({ "doc.md": `${FRONT}Text.\n` });
    const result = await cli(["signatories", "add", "--name", "X", path.join(dir, "doc.md")]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/doc\.md names no signatories file \(add `signatories: signatories\.yaml`/);
    const cwd = process.cwd();
    const c = await copy();
    process.chdir(c.dir);
    try {
      const dry = await cli(["signatories", "add", "--name", "Default Doc Org", "--dry-run"]);
      expect(dry.code).toBe(0);
      expect(dry.stdout).toBe("Dry run: would add organisation `Default Doc Org` to source/signatories.yaml\n");
    } finally {
      process.chdir(cwd);
    }
  });
});
