/**
 * `letterpress deliver --send` against a real SMTP server (test/smtp.ts: STARTTLS, AUTH), the CLI
 * run as a child process like a campaigner runs it, every message parsed back with mailparser.
 * One project goes through a campaign's life: 193 missions emailed; a rerun sends nothing; a
 * signatory added makes a new revision; that send is killed partway (SIGKILL) and run again, with
 * one mission's server answering 451 twice and another's 550; the 550 lifted, a last run
 * completes it. The PDFs are printed twice in all (once per revision); every other run reuses them.
 */
import { spawn } from "node:child_process";
import { readdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { simpleParser, type ParsedMail } from "mailparser";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cli, letterProject, ROOT } from "./helpers.ts";
import { CA, PASSWORD, startSmtp, USER, type TestSmtp } from "./smtp.ts";

const FROM = "Letterpress campaign <campaign@example.org>";
let dir: string;
let doc: string;
let out: string;
let smtp: TestSmtp;
let codes: string[];
let langOf: Map<string, string>;
const outputs: string[] = [];

interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** The CLI as a child process; `kill` is handed the process for tests that stop it. */
function run(args: string[], kill?: (child: ReturnType<typeof spawn>) => void): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(ROOT, "bin/letterpress.js"), "deliver", doc, "--out", out, "--quiet", ...args], {
      cwd: dir,
      env: { ...process.env, SOURCE_DATE_EPOCH: "1573603200", LETTERPRESS_SMTP_URL: smtp.url(), LETTERPRESS_SMTP_CA: CA },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d));
    child.stderr.on("data", (d: Buffer) => (stderr += d));
    child.on("error", reject);
    child.on("close", (code, signal) => {
      outputs.push(stdout, stderr);
      resolve({ code, signal, stdout, stderr });
    });
    kill?.(child);
  });
}

const parse = (raw: Buffer) => simpleParser(raw, { skipHtmlToText: true });
const missionOf = (to: string) => to.split("@")[0]!.toUpperCase();
const pdfOf = (code: string) => readFile(path.join(out, langOf.get(code)!, `open-letter-${code}.pdf`));

/** Messages received for each mission whose attachment is the mission's current PDF. */
async function copiesOfCurrent(): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  const current = new Map(await Promise.all(codes.map(async (c) => [c, (await pdfOf(c)).toString("base64")] as const)));
  for (const m of smtp.received) {
    const mail = await parse(m.raw);
    const code = missionOf(m.to[0]!);
    if (mail.attachments[0]?.content.toString("base64") === current.get(code)) counts.set(code, (counts.get(code) ?? 0) + 1);
  }
  return counts;
}

beforeAll(async () => {
  dir = await letterProject();
  doc = path.join(dir, "source/open-letter.md");
  out = path.join(dir, "dist/delivery");
  // Test addresses for every mission (the bundled file has none), and a cc for one.
  const missions = (await readFile(path.join(dir, "source/missions.yaml"), "utf8")).replace(
    /\{ code: (\w\w), ([^}]*?) \}/g,
    (_, code: string, rest: string) => `{ code: ${code}, ${rest}, email: ${code.toLowerCase()}@missions.test${code === "FR" ? ", cc: [desk-fr@ngo.test]" : ""} }`,
  );
  await writeFile(path.join(dir, "source/missions.yaml"), missions);
  langOf = new Map([...missions.matchAll(/code: (\w\w), lang: (\w\w)/g)].map((m) => [m[1]!, m[2]!]));
  codes = [...langOf.keys()];
  const text = await readFile(doc, "utf8");
  await writeFile(doc, text.replace("missions: missions.yaml\n", `missions: missions.yaml\nfrom: ${FROM}\n`));
  smtp = await startSmtp();
}, 60_000);

afterAll(async () => {
  await smtp?.close();
});

describe("deliver --send", () => {
  let first: Run;
  beforeAll(async () => {
    first = await run(["--send", "--yes"]);
  }, 400_000);

  it("emails each of the 193 missions its copy once, over STARTTLS with AUTH", async () => {
    expect(first.code, first.stderr).toBe(0);
    expect(codes).toHaveLength(193);
    expect(smtp.received).toHaveLength(193);
    expect(smtp.received.every((m) => m.secure && m.user === USER)).toBe(true);
    expect(new Set(smtp.received.map((m) => missionOf(m.to[0]!)))).toEqual(new Set(codes));
    expect(first.stdout).toMatch(/sent\s+unchanged\s+failed\s+unknown\s+no address\s+not tried\n193\s+0\s+0\s+0\s+0\s+0\n/);
    // The confirmation lists each mission with its language and address.
    expect(first.stdout).toMatch(/^FR\s+France\s+fr\s+fr@missions\.test\s+desk-fr@ngo\.test$/m);
    expect(first.stdout).toMatch(/^SA\s+Saudi Arabia\s+ar\s+sa@missions\.test$/m);
  });

  it("sends each message in the mission's language, readable, with the delivered PDF attached byte for byte", async () => {
    const expected: Record<string, { subject: string; greeting: string }> = {
      en: { subject: "Letter to the Permanent Mission: Open letter on the proposed UN cybercrime convention", greeting: "Excellency," },
      fr: { subject: "Lettre à la Mission permanente : ", greeting: "Excellence," },
      es: { subject: "Carta a la Misión Permanente: ", greeting: "Excelencia:" },
      ru: { subject: "Письмо в Постоянное представительство: ", greeting: "Ваше Превосходительство!" },
      ar: { subject: "رسالة إلى البعثة الدائمة: ", greeting: "سعادة السفير،" },
      zh: { subject: "致常驻代表团的信：", greeting: "尊敬的阁下：" },
    };
    for (const m of smtp.received) {
      const code = missionOf(m.to[0]!);
      const lang = langOf.get(code)!;
      const mail: ParsedMail = await parse(m.raw);
      expect(m.from).toBe("campaign@example.org");
      expect(mail.headers.get("content-language")).toBe(lang);
      expect(mail.subject!.startsWith(expected[lang]!.subject), `${code}: ${mail.subject}`).toBe(true);
      expect(mail.text!.startsWith(expected[lang]!.greeting)).toBe(true);
      expect(mail.html).toContain(`<html lang="${lang}" dir="${lang === "ar" ? "rtl" : "ltr"}">`);
      expect(mail.date!.toISOString()).toBe("2019-11-13T00:00:00.000Z");
      expect(mail.messageId).toMatch(new RegExp(`^<[0-9a-f]{20}\\.${code.toLowerCase()}\\.open-letter@example\\.org>$`));
      expect(mail.attachments).toHaveLength(1);
      expect(mail.attachments[0]!.contentType).toBe("application/pdf");
      expect(Buffer.compare(mail.attachments[0]!.content, await pdfOf(code))).toBe(0);
      // The headers say text and HTML are alternatives, and the subject is encoded (RFC 2047).
      expect(m.raw.toString("latin1")).toMatch(/Content-Type: multipart\/alternative/);
      if (lang === "ar" || lang === "zh") expect(m.raw.toString("latin1")).toMatch(/^Subject: =\?UTF-8\?[BQ]\?/m);
    }
    const byCode = async (code: string) => parse(smtp.received.find((m) => m.to[0] === `${code.toLowerCase()}@missions.test`)!.raw);
    const sa = await byCode("SA");
    expect(sa.subject).toMatch(/^رسالة إلى البعثة الدائمة: .*[\u0600-\u06ff]/);
    expect(sa.attachments[0]!.filename).toMatch(/^[\u0600-\u06ff].* – المملكة العربية السعودية\.pdf$/);
    const cn = await byCode("CN");
    expect(cn.subject).toMatch(/^致常驻代表团的信：.*[\u4e00-\u9fff]/);
    expect(cn.attachments[0]!.filename).toMatch(/^[\u4e00-\u9fff].* – 中国\.pdf$/);
    const fr = await byCode("FR");
    expect(fr.cc && !Array.isArray(fr.cc) ? fr.cc.text : "").toBe("desk-fr@ngo.test");
    expect(smtp.received.find((m) => m.to[0] === "fr@missions.test")!.to).toEqual(["fr@missions.test", "desk-fr@ngo.test"]);
  });

  it("a rerun sends nothing, and --status shows what each mission received", async () => {
    const again = await run(["--send", "--yes"]);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toContain("Nothing to send: 193 already sent (this revision)");
    expect(smtp.received).toHaveLength(193);
    const status = await run(["--status"]);
    expect(status.code).toBe(0);
    const revision = (await import("node:crypto")).createHash("sha256").update(await pdfOf("FR")).digest("hex").slice(0, 12);
    expect(status.stdout).toMatch(new RegExp(`^FR\\s+France\\s+${revision}\\s+\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d UTC\\s+fr@missions\\.test, desk-fr@ngo\\.test\\s+yes$`, "m"));
    expect(status.stdout.trim().split("\n")).toHaveLength(194);
  }, 120_000);

  it("a new revision killed partway (SIGKILL), then rerun with a 451 twice and a 550: no mission gets it twice, none is forgotten", async () => {
    const added = await cli(["signatories", "add", "--name", "Example Rights Watch", "--country", "Kenya", doc]);
    expect(added.code, added.stderr).toBe(0);
    const before = smtp.received.length;
    // Killed the moment the server has the 40th message of the new revision, before it answers.
    const killed = await run(["--send", "--yes"], (child) => {
      smtp.onMessage = () => {
        if (smtp.received.length === before + 40) child.kill("SIGKILL");
      };
    });
    smtp.onMessage = () => undefined;
    expect(killed.signal).toBe("SIGKILL");
    expect(smtp.received.length).toBe(before + 40);
    const inFlight = missionOf(smtp.received.at(-1)!.to[0]!);

    // The rerun: YE's server is busy twice (451), then accepts; ZW's refuses (550).
    let busy = 2;
    smtp.refuse = (address) => {
      if (address === "ye@missions.test" && busy > 0) return busy--, { code: 451, text: "4.3.2 Try again later" };
      if (address === "zw@missions.test") return { code: 550, text: "5.1.1 Mailbox unavailable" };
      return undefined;
    };
    const rerun = await run(["--send", "--yes"]);
    smtp.refuse = () => undefined;
    expect(rerun.code, rerun.stdout + rerun.stderr).toBe(1);
    expect(busy).toBe(0);
    expect(rerun.stdout).toMatch(/\n152\s+39\s+1\s+1\s+0\s+0\n/);
    expect(rerun.stdout).toMatch(/^failed ZW: 550 5\.1\.1 Mailbox unavailable$/m);
    expect(rerun.stdout).toContain(`unknown: ${inFlight}: a run stopped while sending this revision`);

    const counts = await copiesOfCurrent();
    for (const code of codes) expect(counts.get(code) ?? 0, code).toBe(code === "ZW" ? 0 : 1);

    // ZW's server accepts again: only ZW is sent; the mission in flight stays unknown, not resent.
    const last = await run(["--send", "--yes"]);
    expect(last.code, last.stderr).toBe(0);
    expect(last.stdout).toMatch(/\n1\s+191\s+0\s+1\s+0\s+0\n/);
    const final = await copiesOfCurrent();
    for (const code of codes) expect(final.get(code), code).toBe(1);
    const ledger = (await readFile(path.join(dir, "source/open-letter.sent.jsonl"), "utf8")).trim().split("\n").map((l) => JSON.parse(l));
    expect(ledger.filter((r) => r.event === "sending" && r.mission === inFlight)).toHaveLength(2);
    expect(ledger.filter((r) => r.mission === inFlight).at(-1).event).toBe("sending");
  }, 600_000);

  it("never writes or prints the credentials", async () => {
    const files: string[] = [];
    const walk = async (d: string): Promise<void> => {
      for (const e of await readdir(d, { withFileTypes: true })) {
        if (e.isDirectory()) await walk(path.join(d, e.name));
        else files.push(path.join(d, e.name));
      }
    };
    await walk(dir);
    expect(files.some((f) => f.endsWith("open-letter.sent.jsonl"))).toBe(true);
    for (const f of files) expect((await readFile(f)).includes(PASSWORD), f).toBe(false);
    for (const text of outputs) {
      expect(text).not.toContain(PASSWORD);
      expect(text).not.toContain(encodeURIComponent(PASSWORD));
    }
  });
});
