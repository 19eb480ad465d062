/**
 * The bad-input catalogue: every folder of `test/fixtures/bad/` is one case, described by its
 * `case.json` (what to run, the exit code, the located messages, for a successful run the outputs).
 * One table-driven test runs them all and proves, for each: a located, actionable message
 * (file, line:column and rule id in the CLI output, or one `letterpress: error:` line for a
 * configuration mistake), the exit code, no stack trace, and — when the run fails — a case folder
 * byte-identical afterwards: its `dist/` (a good build made before the bad one) and its sources
 * (a failed import must not rewrite the signatories file). A case may start from a shared base
 * (`_base/<name>/`) with textual edits, so the defect is visible in `case.json` itself.
 *
 * Cases marked `knownBug` describe a pipeline bug: they run as `it.fails` until it is fixed.
 * Also here: a generated 5 MB document must build (HTML, DOCX, EPUB) within the test timeout.
 */
import { execFile } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { cp, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";
import { unzipSync } from "fflate";
import { beforeAll, describe, expect, it } from "vitest";
import { cli, hashTree, ROOT, tempDir } from "./helpers.ts";
import { parseReport } from "./readback.ts";

const run = promisify(execFile);
const BAD = path.join(ROOT, "test/fixtures/bad");

interface ExpectedMessage {
  file: string;
  line: number;
  column: number;
  severity: "error" | "warning";
  ruleId: string;
  /** A substring of the reason. */
  message: string;
}

interface Case {
  name: string;
  title: string;
  /** A folder of `_base/` copied first. */
  base?: string;
  /** Textual edits of the copied files (first occurrence). */
  edits?: Array<{ file: string; find: string; replace: string }>;
  /** Byte-level changes: a UTF-8 BOM, CRLF line ends. */
  transform?: Array<{ file: string; bom?: boolean; crlf?: boolean }>;
  /** The document, relative to the case folder (default `doc.md`). */
  doc?: string;
  /** CLI arguments; `{doc}`, `{out}` (the case's dist/) and `{dir}` are replaced. */
  args?: string[];
  extraArgs?: string[];
  /** Environment for a child process (the case then runs the real launcher). */
  env?: Record<string, string>;
  knownBug?: string;
  expect: {
    exit: number;
    /** For configuration mistakes: a substring of the one-line `letterpress: error:` message. */
    config?: string;
    messages: ExpectedMessage[];
    /** For successful runs: files below dist/ and substrings they must contain. */
    outputs?: Record<string, string[]>;
  };
}

const cases: Case[] = readdirSync(BAD, { withFileTypes: true })
  .filter((d) => d.isDirectory() && !d.name.startsWith("_"))
  .map((d) => ({ name: d.name, ...(JSON.parse(readFileSync(path.join(BAD, d.name, "case.json"), "utf8")) as Omit<Case, "name">) }))
  .sort((a, b) => a.name.localeCompare(b.name));

let goodDist: string;

beforeAll(async () => {
  // One good dist/, copied into every case before its bad run.
  const dir = await tempDir("letterpress-good-");
  await cp(path.join(BAD, "_base/po"), dir, { recursive: true });
  await writeFile(path.join(dir, "package.json"), "{}\n");
  goodDist = path.join(dir, "dist");
  const result = await cli(["build", path.join(dir, "doc.md"), "--out", goodDist, "--format", "html", "--quiet"]);
  expect(result.code, result.stderr).toBe(0);
  expect(existsSync(path.join(goodDist, "fr/doc.html"))).toBe(true);
});

async function prepare(c: Case): Promise<string> {
  const dir = await tempDir(`letterpress-bad-${c.name}-`);
  if (c.base) await cp(path.join(BAD, "_base", c.base), dir, { recursive: true });
  await cp(path.join(BAD, c.name), dir, { recursive: true, filter: (src) => path.basename(src) !== "case.json" });
  for (const edit of c.edits ?? []) {
    const file = path.join(dir, edit.file);
    const text = await readFile(file, "utf8");
    if (!text.includes(edit.find)) throw new Error(`${c.name}: \`${edit.find}\` not found in ${edit.file}`);
    await writeFile(file, text.replace(edit.find, () => edit.replace));
  }
  for (const t of c.transform ?? []) {
    const file = path.join(dir, t.file);
    let text = await readFile(file, "utf8");
    if (t.crlf) text = text.replace(/\n/g, "\r\n");
    await writeFile(file, Buffer.concat([Buffer.from(t.bom ? [0xef, 0xbb, 0xbf] : []), Buffer.from(text)]));
  }
  if (!existsSync(path.join(dir, "package.json"))) await writeFile(path.join(dir, "package.json"), "{}\n");
  await cp(goodDist, path.join(dir, "dist"), { recursive: true });
  return dir;
}

async function execute(c: Case, dir: string): Promise<{ code: number; stdout: string; stderr: string }> {
  const args = [...(c.args ?? ["build", "{doc}", "--out", "{out}", "--format", "html"]), ...(c.extraArgs ?? [])].map((a) =>
    a.replace("{doc}", path.join(dir, c.doc ?? "doc.md")).replace("{out}", path.join(dir, "dist")).replace("{dir}", dir),
  );
  if (!c.env) return cli(args);
  const result = await run(process.execPath, [path.join(ROOT, "bin/letterpress.js"), ...args], { cwd: ROOT, env: { ...process.env, ...c.env } }).then(
    (r) => ({ code: 0, stdout: r.stdout, stderr: r.stderr }),
    (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, stdout: e.stdout, stderr: e.stderr }),
  );
  return result;
}

describe("the bad-input catalogue", () => {
  it("has at least 25 cases, each with an expectation", () => {
    expect(cases.length).toBeGreaterThanOrEqual(25);
    for (const c of cases) {
      expect(c.expect.config !== undefined || c.expect.messages.length > 0 || c.expect.exit === 0, c.name).toBe(true);
    }
  });

  for (const c of cases) {
    const test = c.knownBug ? it.fails : it;
    test(`${c.name}: ${c.title}${c.knownBug ? ` (known bug: ${c.knownBug})` : ""}`, async () => {
      const dir = await prepare(c);
      const before = await hashTree(dir);
      const result = await execute(c, dir);
      const output = `${result.stdout}${result.stderr}`;

      expect(result.code, output).toBe(c.expect.exit);
      expect(output, "no stack trace").not.toMatch(/\n\s+at .+:\d+:\d+\)?\n/);
      if (c.expect.config) {
        const line = result.stderr.split("\n").find((l) => l.startsWith("letterpress: error: "));
        expect(line, result.stderr).toBeDefined();
        expect(line).toContain(c.expect.config);
      }
      const reported = parseReport(result.stderr, ROOT);
      for (const e of c.expect.messages) {
        const file = path.join(dir, e.file);
        const hit = reported.find(
          (r) => r.file === file && r.line === e.line && r.column === e.column && r.severity === e.severity && r.text.includes(e.message) && new RegExp(`\\s${e.ruleId}\\s+\\S+$`).test(r.text),
        );
        expect(hit, `${e.file}:${e.line}:${e.column} ${e.severity} ${e.ruleId} “${e.message}” in: ${JSON.stringify(result.stderr)}`).toBeDefined();
      }
      if (c.expect.exit !== 0) {
        expect(await hashTree(dir), "the case folder (dist/ and sources) is byte-identical").toEqual(before);
      } else {
        expect(reported.filter((r) => r.severity === "error"), result.stderr).toEqual([]);
        for (const [file, needles] of Object.entries(c.expect.outputs ?? {})) {
          const text = await readFile(path.join(dir, "dist", file), "utf8");
          for (const needle of needles) expect(text, `${file} contains ${needle}`).toContain(needle);
        }
      }
    });
  }
});

describe("a 5 MB document", () => {
  it("builds HTML, DOCX and EPUB with every note (PDF: see the large-document suite)", async () => {
    const dir = await tempDir("letterpress-5mb-");
    await writeFile(path.join(dir, "package.json"), "{}\n");
    // Deterministic filler: 120-word paragraphs, a section every 20, a note every 50.
    const words = "civil society human rights convention cybercrime delegation resolution assembly committee protocol data access law".split(" ");
    let seed = 7;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2147483648);
    const parts = ["---\nlang: en\n---\n\n# Five megabytes\n\n"];
    let size = 0;
    let notes = 0;
    for (let i = 1; size < 5 * 1024 * 1024; i++) {
      if (i % 20 === 0) parts.push(`## Section ${i / 20}\n\n`);
      let paragraph = Array.from({ length: 120 }, () => words[next() % words.length]).join(" ");
      if (i % 50 === 0) paragraph += `[^n${++notes}]`;
      parts.push(`${paragraph}.\n\n`);
      size += paragraph.length + 3;
    }
    for (let n = 1; n <= notes; n++) parts.push(`[^n${n}]: Note ${n}, with [a source](https://example.org/source/${n}).\n\n`);
    const text = parts.join("");
    expect(Buffer.byteLength(text)).toBeGreaterThan(5 * 1024 * 1024);
    await writeFile(path.join(dir, "big.md"), text);
    const out = path.join(dir, "dist");
    const result = await cli(["build", path.join(dir, "big.md"), "--out", out, "--format", "html,docx,epub", "--quiet"]);
    expect(result.code, result.stderr).toBe(0);

    const html = await readFile(path.join(out, "en/big.html"), "utf8");
    const calls = [...html.matchAll(/role="doc-noteref"[^>]*>(\d+)</g)].map((m) => Number(m[1]));
    expect(calls).toEqual(Array.from({ length: notes }, (_, i) => i + 1));
    const docx = unzipSync(new Uint8Array(await readFile(path.join(out, "en/big.docx"))));
    const footnotes = new TextDecoder().decode(docx["word/footnotes.xml"]!);
    expect([...footnotes.matchAll(/<w:footnote w:id="(\d+)">/g)]).toHaveLength(notes);
    const epub = unzipSync(new Uint8Array(await readFile(path.join(out, "en/big.epub"))));
    const xhtml = Object.entries(epub).filter(([name]) => name.endsWith(".xhtml")).map(([, data]) => new TextDecoder().decode(data)).join("");
    expect([...xhtml.matchAll(/epub:type="noteref"/g)]).toHaveLength(notes);
  }, 180_000);
});
