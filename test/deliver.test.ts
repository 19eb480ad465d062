/** `letterpress deliver`: addressed PDFs per mission, read back with poppler. */
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";
import { beforeAll, describe, expect, it } from "vitest";
import { cli, hashTree, LETTER, tempDir } from "./helpers.ts";

const run = promisify(execFile);
const text = async (file: string, page?: number) =>
  (await run("pdftotext", [...(page ? ["-f", String(page), "-l", String(page)] : []), "-layout", file, "-"])).stdout;
const pages = async (file: string) => Number(/Pages:\s+(\d+)/.exec((await run("pdfinfo", [file])).stdout)?.[1]);

let out: string;
let edition: string;
const CODES = ["US", "KP", "GB", "FR", "MX", "SA", "CN", "RU"];

beforeAll(async () => {
  process.env.SOURCE_DATE_EPOCH = "1573603200";
  out = await tempDir();
  const result = await cli(["deliver", LETTER, "--only", CODES.join(","), "--out", path.join(out, "a"), "--quiet"]);
  expect(result.code, result.stderr).toBe(0);
  expect(result.stdout).toMatch(/^Delivered 8 addressed PDFs \(ar 1, en 3, es 1, fr 1, ru 1, zh 1\)/);
  edition = path.join(out, "edition");
  expect((await cli(["build", LETTER, "--out", edition, "--format", "pdf", "--lang", "en", "--quiet"])).code).toBe(0);
}, 300_000);

describe("deliver", () => {
  it("addresses each copy to its mission in the mission's language, above the title", async () => {
    const lines = async (code: string, lang: string, n = 2) => (await text(path.join(out, "a", lang, `open-letter-${code}.pdf`), 1)).trim().split("\n").slice(0, n).map((l) => l.trim());
    const first = (code: string, lang: string) => lines(code, lang);
    expect((await lines("US", "en", 3))[2]).toBe("November 2019");
    expect((await lines("FR", "fr", 3))[2]).toBe("novembre 2019");
    expect(await first("US", "en")).toEqual(["United States of America", "Permanent Mission to the United Nations, New York"]);
    expect(await first("KP", "en")).toEqual(["Democratic People's Republic of Korea", "Permanent Mission to the United Nations, New York"]);
    expect(await first("FR", "fr")).toEqual(["France", "Mission permanente auprès de l’Organisation des Nations Unies, New York"]);
    expect((await first("MX", "es"))[0]).toBe("México");
    expect((await first("RU", "ru"))[0]).toBe("Российская Федерация");
    expect((await first("CN", "zh"))[0]).toBe("中国");
    // Arabic: compare without the spaces and bidi marks poppler inserts between shaped glyph runs.
    const squash = (t: string) => t.replace(/[\s\u200e\u200f\u202a-\u202e]/g, "");
    expect(squash(await text(path.join(out, "a", "ar", "open-letter-SA.pdf"), 1))).toContain(squash("المملكة العربية السعودية"));
  });

  it("keeps the edition's pagination and notes in every copy", async () => {
    const reference = path.join(edition, "en", "open-letter.pdf");
    const expected = await pages(reference);
    const notes = (t: string) => (t.match(/^\s*\d\s+\S/gm) ?? []).length;
    for (const code of ["US", "KP", "GB"]) {
      const copy = path.join(out, "a", "en", `open-letter-${code}.pdf`);
      expect(await pages(copy)).toBe(expected);
      const body = await text(copy);
      expect(body.replace(/\s+/g, " ")).toContain("widely ratified international instrument on cybercrime");
      expect(notes(body)).toBe(notes(await text(reference)));
    }
  });

  it("makes a copy from its own address page and the edition's other pages, reading as the copy printed whole", async () => {
    // A delivery of one mission prints its copy whole; in the delivery of eight, the copies after
    // the first of their language are the first copy with their own first page swapped in (an
    // update of the file more: a third %%EOF).
    const revisions = async (file: string) => ((await readFile(file, "latin1")).match(/%%EOF/g) ?? []).length;
    let swapped = 0;
    for (const code of ["US", "KP", "GB"]) {
      const copy = path.join(out, "a", "en", `open-letter-${code}.pdf`);
      const alone = path.join(out, `alone-${code}`);
      expect((await cli(["deliver", LETTER, "--only", code, "--out", alone, "--quiet"])).code).toBe(0);
      const whole = path.join(alone, "en", `open-letter-${code}.pdf`);
      expect(await revisions(whole)).toBe(2);
      if ((await revisions(copy)) === 3) swapped++;
      for (let page = 1; page <= (await pages(whole)); page++) expect(await text(copy, page), `${code} page ${page}`).toBe(await text(whole, page));
      const fonts = (await run("pdffonts", [copy])).stdout.split("\n").slice(2).filter(Boolean);
      expect(fonts.length).toBeGreaterThan(0);
      for (const font of fonts) expect(font, `${code}: every font embedded, subset, with a ToUnicode map`).toMatch(/\byes\s+yes\s+yes\b/);
      expect((await run("qpdf", ["--check", copy])).stdout).toContain("No syntax or stream encoding errors");
    }
    expect(swapped).toBeGreaterThan(0);
  }, 300_000);

  it("records every copy in delivery.json and rebuilds byte-identically", async () => {
    const record = JSON.parse(await readFile(path.join(out, "a", "delivery.json"), "utf8"));
    expect(record.copies.map((c: { code: string }) => c.code)).toEqual([...CODES].sort());
    expect(record.copies.find((c: { code: string }) => c.code === "KP").state).toBe("North Korea");
    const again = await cli(["deliver", LETTER, "--only", CODES.join(","), "--out", path.join(out, "b"), "--quiet"]);
    expect(again.code).toBe(0);
    expect(await hashTree(path.join(out, "b"))).toEqual(await hashTree(path.join(out, "a")));
  }, 300_000);

  it("a rerun reuses every copy whose inputs did not change, and starts no browser", async () => {
    const before = await hashTree(path.join(out, "a"));
    // A stand-in for Chromium that only leaves a mark that it was started.
    const spy = await tempDir();
    const started = path.join(spy, "started");
    await writeFile(path.join(spy, "chromium"), `#!/bin/sh\ntouch '${started}'\nexit 1\n`, { mode: 0o755 });
    const saved = process.env.CHROMIUM_PATH;
    process.env.CHROMIUM_PATH = path.join(spy, "chromium");
    let result;
    try {
      result = await cli(["deliver", LETTER, "--only", CODES.join(","), "--out", path.join(out, "a"), "--quiet"]);
    } finally {
      if (saved === undefined) delete process.env.CHROMIUM_PATH;
      else process.env.CHROMIUM_PATH = saved;
    }
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain("(8 unchanged, reused)");
    expect(await hashTree(path.join(out, "a"))).toEqual(before);
    expect(existsSync(started)).toBe(false);
  }, 300_000);

  it("rejects an unknown mission code with one line", async () => {
    const result = await cli(["deliver", LETTER, "--only", "XX", "--out", path.join(out, "c")]);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe("letterpress: error: Not in the missions file: XX\n");
  });
});
