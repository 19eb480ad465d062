/**
 * Delivery by email on a small letter: the .eml files of --dry-run read back with mailparser, the
 * duty station and the fallback language in the copies (read back with pdftotext) and their
 * messages, the missions file's addresses checked, and the rules that keep a send from happening
 * by mistake: no confirmation without a terminal, no credentials in clear to another machine.
 */
import { execFile } from "node:child_process";
import { access, readFile, writeFile } from "node:fs/promises";
import { networkInterfaces } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { simpleParser } from "mailparser";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cli, FRONT, project } from "./helpers.ts";
import { CA, PASSWORD, startSmtp, type TestSmtp } from "./smtp.ts";

const run = promisify(execFile);
const firstLines = async (file: string, n: number) =>
  (await run("pdftotext", ["-f", "1", "-l", "1", "-layout", file, "-"])).stdout.trim().split("\n").slice(0, n).map((l) => l.trim());

const MISSIONS = `missions:
  - { code: FR, lang: fr, email: france@missions.test }
  - { code: RU, lang: ru, email: [russia@missions.test, desk-ru@missions.test] }
  - { code: US, lang: en, email: usa@missions.test, cc: ngo@ngo.test }
  - { code: TV, lang: en }
`;
let dir: string;
let doc: string;

beforeAll(async () => {
  process.env.SOURCE_DATE_EPOCH = "1573603200";
  dir = await project({
    "package.json": "{}",
    "letter.md": FRONT.replace("lang: en\n", "lang: en\ndate: 2024-03-05\nmissions: missions.yaml\nfrom: Campaign <campaign@example.org>\nduty-station: Geneva\n") + "Excellencies, we write to you.\n",
    "missions.yaml": MISSIONS,
  });
  doc = path.join(dir, "letter.md");
  const po = await cli(["translations", "update", doc, "--lang", "fr"]);
  expect(po.code, po.stderr).toBe(0);
  // The French translation of the letter's text (Letterpress's own words come with it).
  const poFile = path.join(dir, "translations", "fr", "letter.po");
  const french: Record<string, string> = { Title: "Titre", "Excellencies, we write to you.": "Excellences, nous vous écrivons." };
  let text = await readFile(poFile, "utf8");
  for (const [en, fr] of Object.entries(french)) text = text.replaceAll(`msgid "${en}"\nmsgstr ""`, `msgid "${en}"\nmsgstr "${fr}"`);
  await writeFile(poFile, text);
});

describe("deliver --dry-run, duty station and fallback", () => {
  let out: string;
  let result: Awaited<ReturnType<typeof cli>>;
  beforeAll(async () => {
    out = path.join(dir, "out");
    result = await cli(["deliver", doc, "--out", out, "--dry-run", "--fallback", "fr", "--quiet"]);
  }, 180_000);

  it("stops at a language without a translation unless a fallback is named", async () => {
    const none = await cli(["deliver", doc, "--out", path.join(dir, "none"), "--quiet"]);
    expect(none.code).toBe(1);
    expect(none.stderr).toMatch(/Missions work in ru, but the document has no translation into ru \(send them the copy in another language with `--fallback en`/);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain("for the missions in Geneva");
    expect(result.stdout).toContain("Fallback: 1 mission gets its copy in fr (no translation into ru): RU");
    expect(result.stdout).toContain("Wrote 3 messages as .eml files beside the PDFs (nothing was sent); no address for TV");
    expect(result.stderr).toMatch(/missions\.yaml\s*\n\s*5:1\s+warning\s+Mission `TV` has no `email`: its copy is made but not sent\s+mission-no-address/);
  });

  it("writes the address block in the copy's language, for the duty station, saying when the mission's language is missing", async () => {
    expect(await firstLines(path.join(out, "fr/letter-FR.pdf"), 3)).toEqual(["France", "Mission permanente auprès de l’Office des Nations Unies à Genève", "5 mars 2024"]);
    expect(await firstLines(path.join(out, "fr/letter-RU.pdf"), 4)).toEqual(["Russie", "Mission permanente auprès de l’Office des Nations Unies à Genève", "5 mars 2024", "Cette lettre n’est pas disponible en russe."]);
    expect(await firstLines(path.join(out, "en/letter-US.pdf"), 3)).toEqual(["United States", "Permanent Mission to the United Nations Office at Geneva", "March 5, 2024"]);
  });

  it("writes each message as an .eml file that a mail client reads: addresses, language, the PDF attached", async () => {
    const ru = await simpleParser(await readFile(path.join(out, "fr/letter-RU.eml")));
    expect(ru.headers.get("content-language")).toBe("fr");
    expect(ru.to && !Array.isArray(ru.to) ? ru.to.value.map((a) => a.address) : []).toEqual(["russia@missions.test", "desk-ru@missions.test"]);
    expect(ru.from?.value[0]).toEqual({ address: "campaign@example.org", name: "Campaign" });
    expect(ru.subject).toBe("Lettre à la Mission permanente : Titre");
    expect(ru.text).toMatch(/^Cette lettre n’est pas disponible en russe\.\n\nExcellence,\n\nVeuillez trouver ci-joint la lettre « Titre »/);
    expect(ru.attachments[0]!.filename).toBe("Titre – Russie.pdf");
    expect(Buffer.compare(ru.attachments[0]!.content, await readFile(path.join(out, "fr/letter-RU.pdf")))).toBe(0);
    const us = await simpleParser(await readFile(path.join(out, "en/letter-US.eml")));
    expect(us.cc && !Array.isArray(us.cc) ? us.cc.text : "").toBe("ngo@ngo.test");
    expect(us.subject).toBe("Letter to the Permanent Mission: Title");
    await expect(access(path.join(out, "en/letter-TV.eml"))).rejects.toThrow();
    await expect(access(path.join(dir, "letter.sent.jsonl"))).rejects.toThrow();
  });

  it("writes the same messages byte for byte when run again", async () => {
    const before = await readFile(path.join(out, "fr/letter-FR.eml"));
    const again = await cli(["deliver", doc, "--out", path.join(dir, "again"), "--dry-run", "--fallback", "fr", "--quiet"]);
    expect(again.code).toBe(0);
    expect(Buffer.compare(await readFile(path.join(dir, "again/fr/letter-FR.eml")), before)).toBe(0);
  }, 120_000);
});

describe("the missions file's addresses", () => {
  it("reports a malformed address and an address given to two missions, with their place", async () => {
    const bad = await project({
      "package.json": "{}",
      "letter.md": FRONT.replace("lang: en\n", "lang: en\nmissions: missions.yaml\n"),
      "missions.yaml": "missions:\n  - { code: FR, lang: en, email: france.missions.test }\n",
      "twice.yaml": "missions:\n  - { code: FR, lang: en }\n  - { code: US, lang: en, email: [a@missions.test] }\n  - { code: MX, lang: en, email: A@missions.test }\n",
    });
    const syntax = await cli(["deliver", path.join(bad, "letter.md"), "--out", path.join(bad, "out"), "--dry-run"]);
    expect(syntax.code).toBe(1);
    expect(syntax.stderr).toMatch(/missions\.yaml\n2:34-2:54\s+error\s+not an email address \(`name@example\.org`\)/);
    const twice = await cli(["deliver", path.join(bad, "letter.md"), "--missions", path.join(bad, "twice.yaml"), "--out", path.join(bad, "out"), "--dry-run"]);
    expect(twice.code).toBe(1);
    expect(twice.stderr).toMatch(/4:\d+(-\d+:\d+)?\s+error\s+`A@missions.test` is also the address of `US`: each mission's copy must go to that mission only\s+mission-duplicate-address/);
  });
});

describe("deliver --send: what keeps a send from happening by mistake", () => {
  let smtp: TestSmtp;
  const saved = { ...process.env };
  afterAll(async () => {
    process.env = saved;
    await smtp?.close();
  });

  it("sends nothing without --yes when not on a terminal", async () => {
    smtp = await startSmtp();
    process.env.LETTERPRESS_SMTP_URL = smtp.url();
    process.env.LETTERPRESS_SMTP_CA = CA;
    const result = await cli(["deliver", doc, "--out", path.join(dir, "out"), "--send", "--fallback", "fr", "--quiet"]);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/^RU\s+Russia\s+fr \(works in ru\)\s+russia@missions\.test, desk-ru@missions\.test$/m);
    expect(result.stderr).toContain("not sending 3 messages without confirmation: this is not a terminal (confirm with --yes)");
    expect(smtp.received).toHaveLength(0);
  }, 120_000);

  const other = Object.values(networkInterfaces()).flat().find((i) => i && i.family === "IPv4" && !i.internal)?.address;
  it.skipIf(!other)("refuses to send credentials in clear to another machine: STARTTLS is required", async () => {
    const plain = await startSmtp({ host: "0.0.0.0", starttls: false });
    try {
      process.env.LETTERPRESS_SMTP_URL = plain.url(other);
      const result = await cli(["deliver", doc, "--out", path.join(dir, "out"), "--send", "--yes", "--fallback", "fr", "--quiet"]);
      expect(result.code).toBe(1);
      expect(result.stdout).toMatch(/failed FR: .*STARTTLS/);
      expect(result.stdout).toMatch(/not tried \(the run stopped\): RU, US/);
      expect(plain.received).toHaveLength(0);
      expect(result.stdout + result.stderr).not.toContain(PASSWORD);
      const ledger = await readFile(path.join(dir, "letter.sent.jsonl"), "utf8");
      expect(ledger).not.toContain(PASSWORD);
      expect(ledger).toMatch(/"event":"failed","mission":"FR"/);
    } finally {
      await plain.close();
    }
  }, 120_000);

  it("rejects --send with --dry-run, a malformed rate and a URL that is not SMTP, without repeating it", async () => {
    expect((await cli(["deliver", doc, "--send", "--dry-run"])).stderr).toContain("`--send` and `--dry-run` exclude each other");
    process.env.LETTERPRESS_SMTP_URL = smtp.url();
    expect((await cli(["deliver", doc, "--send", "--rate", "fast"])).stderr).toContain("`--rate fast` is not a rate");
    process.env.LETTERPRESS_SMTP_URL = `https://user:${PASSWORD}@example.org`;
    const wrong = await cli(["deliver", doc, "--send"]);
    expect(wrong.stderr).toBe("letterpress: error: LETTERPRESS_SMTP_URL must start with smtp:// or smtps:// (not https://)\n");
    delete process.env.LETTERPRESS_SMTP_URL;
    expect((await cli(["deliver", doc, "--send"])).stderr).toContain("No SMTP server: set LETTERPRESS_SMTP_URL");
  });
});
