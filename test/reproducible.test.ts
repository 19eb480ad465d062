/**
 * Reproducible builds: the bundled letter, copied with its translations and a package.json stub
 * into two clean folders at different paths, built by two separate `letterpress` processes (each
 * run from its folder, as a user would) with the same SOURCE_DATE_EPOCH, gives byte-identical
 * outputs: every format, every language, the index, the manifest and the change report. The
 * dates inside the outputs are the epoch's (read back from DOCX, EPUB, PDF and the manifest), no
 * output records the folder it was built in, and the manifest records no absolute path.
 */
import { execFile } from "node:child_process";
import { readdirSync } from "node:fs";
import { cp, mkdir, readFile, utimes, writeFile } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";
import { beforeAll, describe, expect, it } from "vitest";
import { FORMATS } from "../pipeline/model.ts";
import { cli, hashTree, ROOT, tempDir } from "./helpers.ts";
import { pdfUncompressed, zipTexts } from "./readback.ts";

const run = promisify(execFile);
const EPOCH = 1_573_603_200; // 2019-11-13T00:00:00Z
const ISO = "2019-11-13T00:00:00Z";

/** A clean project: the letter's sources and translations, and a package.json stub. */
async function copyProject(dir: string): Promise<string> {
  await mkdir(dir, { recursive: true });
  await cp(path.join(ROOT, "source"), path.join(dir, "source"), { recursive: true });
  await cp(path.join(ROOT, "translations"), path.join(dir, "translations"), { recursive: true });
  await writeFile(path.join(dir, "package.json"), `${JSON.stringify({ name: "letter-copy", private: true }, null, 2)}\n`);
  return dir;
}

let a: string;
let b: string;
let hashesA: Record<string, string>;
let hashesB: Record<string, string>;

beforeAll(async () => {
  const root = await tempDir("letterpress-repro-");
  a = await copyProject(path.join(root, "a"));
  b = await copyProject(path.join(root, "second-folder", "with a longer path"));
  for (const dir of [a, b]) {
    const { stderr } = await run(process.execPath, [path.join(ROOT, "bin/letterpress.js"), "build", "--quiet"], {
      cwd: dir,
      env: { ...process.env, SOURCE_DATE_EPOCH: String(EPOCH) },
      maxBuffer: 1 << 24,
    });
    expect(stderr).not.toMatch(/\berror\b/);
  }
  hashesA = await hashTree(path.join(a, "dist"));
  hashesB = await hashTree(path.join(b, "dist"));
}, 300_000);

describe("two builds in different folders with the same SOURCE_DATE_EPOCH", () => {
  it("write the same files: every format of the registry in every language, the index and the records", async () => {
    const langs = ["en", ...readdirSync(path.join(ROOT, "translations"), { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name)];
    const expected = [
      ...langs.flatMap((lang) => FORMATS.map((format) => `${lang}/open-letter.${format}`)),
      "index.html",
      "open-letter.manifest.json",
      "open-letter.signatories-changes.md",
    ].sort();
    expect(Object.keys(hashesA).sort()).toEqual(expected);
    expect(Object.keys(hashesB).sort()).toEqual(expected);
  });

  it("give byte-identical outputs (sha256 of every file)", () => {
    const differing = Object.keys(hashesA).filter((f) => hashesA[f] !== hashesB[f]);
    expect(differing).toEqual([]);
    expect(hashesB).toEqual(hashesA);
  });

  it("stamp every output with the epoch, not the clock", async () => {
    const dist = path.join(a, "dist");
    const manifest = JSON.parse(await readFile(path.join(dist, "open-letter.manifest.json"), "utf8")) as { date: string; files: Array<{ path: string; sha256: string }> };
    expect(manifest.date).toBe("2019-11-13T00:00:00.000Z");
    const core = (await zipTexts(path.join(dist, "en/open-letter.docx")))["docProps/core.xml"]!;
    expect(core).toContain(`<dcterms:created xsi:type="dcterms:W3CDTF">${ISO}</dcterms:created>`);
    expect(core).toContain(`<dcterms:modified xsi:type="dcterms:W3CDTF">${ISO}</dcterms:modified>`);
    const epub = await zipTexts(path.join(dist, "en/open-letter.epub"));
    const opf = Object.entries(epub).find(([name]) => name.endsWith(".opf"))![1];
    expect(opf).toContain(`<meta property="dcterms:modified">${ISO}</meta>`);
    const { stdout } = await run("pdfinfo", [path.join(dist, "en/open-letter.pdf")]);
    expect(stdout).toMatch(/CreationDate:\s+Wed Nov 13 00:00:00 2019 UTC/);
    expect(stdout).toMatch(/ModDate:\s+Wed Nov 13 00:00:00 2019 UTC/);
    // Zip entry times (DOS dates, local time of the writer) are the epoch's day, not today's.
    for (const name of ["en/open-letter.docx", "en/open-letter.epub"]) {
      const zip = await readFile(path.join(dist, name));
      const dates = new Set<string>();
      for (let i = zip.indexOf("PK\x01\x02"); i >= 0; i = zip.indexOf("PK\x01\x02", i + 4)) {
        const date = zip.readUInt16LE(i + 14);
        dates.add(`${(date >> 9) + 1980}-${(date >> 5) & 15}`);
      }
      expect([...dates], name).toEqual(["2019-11"]);
    }
    // The manifest's hashes are the files' hashes.
    for (const entry of manifest.files) expect(hashesA[entry.path], entry.path).toBe(entry.sha256);
  });

  it("record no folder: neither path appears in any output or in the manifest", async () => {
    for (const [dir, name] of [[a, "a"], [b, "with a longer path"]] as const) {
      const dist = path.join(dir, "dist");
      for (const file of Object.keys(hashesA)) {
        const full = path.join(dist, file);
        const texts = file.endsWith(".docx") || file.endsWith(".epub") ? Object.values(await zipTexts(full)) : file.endsWith(".pdf") ? [await pdfUncompressed(full)] : [await readFile(full, "utf8")];
        for (const text of texts) {
          expect(text.includes(dir), `${file} records ${dir}`).toBe(false);
          if (name !== "a") expect(text.includes(name), `${file} records ${name}`).toBe(false);
        }
      }
      const manifest = await readFile(path.join(dist, "open-letter.manifest.json"), "utf8");
      expect(manifest).not.toMatch(/"\/(tmp|home|root|work)\//);
    }
  });
});

describe("the edition record", () => {
  // pipeline/build/build.ts hashes `${f.path}\0${f.value}` of the document's files into
  // `source.inputs`; f.path is the display path (parse/read.ts displayPath), relative to the working
  // directory when below it, else absolute. The same sources built by absolute path from another
  // working directory therefore get a different `inputs` hash, and manifest.json differs.
  it("does not depend on where the builder was started: same inputs, same manifest", async () => {
    const root = await tempDir("letterpress-repro-cwd-");
    const one = await copyProject(path.join(root, "one"));
    const two = await copyProject(path.join(root, "two"));
    process.env.SOURCE_DATE_EPOCH = String(EPOCH);
    try {
      for (const dir of [one, two]) {
        const result = await cli(["build", path.join(dir, "source/open-letter.md"), "--out", path.join(dir, "dist"), "--format", "html", "--lang", "en", "--quiet"]);
        expect(result.code, result.stderr).toBe(0);
      }
    } finally {
      delete process.env.SOURCE_DATE_EPOCH;
    }
    const manifest = async (dir: string) => JSON.parse(await readFile(path.join(dir, "dist/open-letter.manifest.json"), "utf8")) as { source: { inputs: string } };
    expect((await manifest(one)).source.inputs).toBe((await manifest(two)).source.inputs);
    expect(await readFile(path.join(one, "dist/open-letter.manifest.json"), "utf8")).toBe(await readFile(path.join(two, "dist/open-letter.manifest.json"), "utf8"));
  });
});

describe("the epoch and commit from git", () => {
  it("follow new commits, packed refs and detached heads, as git itself answers", async () => {
    const { gitCommit, resolveEpoch } = await import("../pipeline/build/epoch.ts");
    const dir = await tempDir();
    const doc = path.join(dir, "doc.md");
    const git = (args: string[], date = "1600000000 +0000") =>
      run("git", args, { cwd: dir, env: { ...process.env, GIT_AUTHOR_DATE: date, GIT_COMMITTER_DATE: date, GIT_AUTHOR_NAME: "t", GIT_AUTHOR_EMAIL: "t@e", GIT_COMMITTER_NAME: "t", GIT_COMMITTER_EMAIL: "t@e" } });
    const revParse = async () => (await git(["rev-parse", "HEAD"])).stdout.trim();
    const env = {}; // no SOURCE_DATE_EPOCH
    await git(["init", "-q", "-b", "main"]);
    await writeFile(doc, "# One\n");
    await git(["add", "doc.md"]);
    await git(["commit", "-q", "-m", "one"], "1600000000 +0000");
    expect(await gitCommit(dir)).toBe(await revParse());
    expect(await resolveEpoch(doc, env)).toBe(1600000000);

    // A later commit that touches the document: a new commit and a new epoch (nothing stale kept).
    await writeFile(doc, "# Two\n");
    await git(["commit", "-q", "-am", "two"], "1700000000 +0000");
    expect(await gitCommit(dir)).toBe(await revParse());
    expect(await resolveEpoch(doc, env)).toBe(1700000000);

    // A commit that does not touch it: the commit changes, the epoch does not.
    await writeFile(path.join(dir, "other.txt"), "x\n");
    await git(["add", "other.txt"]);
    await git(["commit", "-q", "-m", "three"], "1750000000 +0000");
    expect(await gitCommit(dir)).toBe(await revParse());
    expect(await resolveEpoch(doc, env)).toBe(1700000000);

    // Refs packed into packed-refs, then a detached HEAD.
    await git(["pack-refs", "--all"]);
    expect(await gitCommit(dir)).toBe(await revParse());
    await git(["checkout", "-q", "--detach", "HEAD~1"]);
    expect(await gitCommit(dir)).toBe(await revParse());
    expect(await resolveEpoch(doc, env)).toBe(1700000000);

    // Outside any repository: no commit, the file's time, followed as the file changes (what is
    // kept between builds is that there is no repository, not the time).
    const outside = await tempDir();
    const free = path.join(outside, "doc.md");
    await writeFile(free, "# Free\n");
    await utimes(free, 1650000000, 1650000000);
    expect(await gitCommit(outside)).toBeUndefined();
    expect(await resolveEpoch(free, env)).toBe(1650000000);
    await utimes(free, 1660000000, 1660000000);
    expect(await resolveEpoch(free, env)).toBe(1660000000);
    // A repository made there later is seen, and the document's commit dates it from then on.
    const gitOutside = (args: string[]) =>
      run("git", args, { cwd: outside, env: { ...process.env, GIT_AUTHOR_DATE: "1670000000 +0000", GIT_COMMITTER_DATE: "1670000000 +0000", GIT_AUTHOR_NAME: "t", GIT_AUTHOR_EMAIL: "t@e", GIT_COMMITTER_NAME: "t", GIT_COMMITTER_EMAIL: "t@e" } });
    await gitOutside(["init", "-q", "-b", "main"]);
    expect(await resolveEpoch(free, env)).toBe(1660000000); // no commit yet: still the file's time
    await gitOutside(["add", "doc.md"]);
    await gitOutside(["commit", "-q", "-m", "first"]);
    expect(await resolveEpoch(free, env)).toBe(1670000000);
  });
});
