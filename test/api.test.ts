/**
 * The programmatic API: in this process, and as another project gets it, from the packed
 * tarball installed offline (npm's cache, a lockfile made from this project's), type-checked
 * against the shipped .d.ts and run with Node.
 */
import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { cp, mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";
import remarkParse from "remark-parse";
import { unified } from "unified";
import { VFile } from "vfile";
import { describe, expect, it } from "vitest";
import { build, check, ConfigError } from "../pipeline/api.ts";
import { remarkUnSymbols } from "../pipeline/remark.ts";
import { FRONT, LETTER, letterCopy, project, ROOT, tempDir } from "./helpers.ts";

const run = promisify(execFile);
const plain = (m: { line?: number | undefined; column?: number | undefined; ruleId?: string | undefined; reason: string; fatal?: boolean | null | undefined }) => ({ line: m.line, column: m.column, ruleId: m.ruleId, reason: m.reason, fatal: m.fatal });

describe("API in process", () => {
  it("build resolves to the files written and the messages; check to the messages", async () => {
    const dir = await letterCopy();
    const out = path.join(dir, "out");
    const result = await build({ document: path.join(dir, "source/open-letter.md"), out, formats: ["html"] });
    expect(result.ok).toBe(true);
    expect(result.files).toContain(path.join(out, "en/open-letter.html"));
    for (const file of result.files) expect((await readFile(file)).byteLength).toBeGreaterThan(0);
    expect(result.messages.map(plain)).toEqual([expect.objectContaining({ line: 38, column: 61, ruleId: "un-symbol", fatal: false })]);

    const messages = await check({ document: LETTER });
    expect(messages.map(plain)).toEqual(result.messages.map(plain));
  });

  it("a document with errors resolves with ok false and nothing written; configuration mistakes throw ConfigError", async () => {
    const dir = await project({ "doc.md": `${FRONT}Text[^x].\n` });
    const result = await build({ document: path.join(dir, "doc.md"), out: path.join(dir, "out"), formats: ["html"] });
    expect(result.ok).toBe(false);
    expect(result.files).toEqual([]);
    expect(result.messages.map(plain)).toEqual([expect.objectContaining({ line: 7, column: 5, fatal: true })]);
    await expect(build({ document: path.join(dir, "doc.md"), formats: ["pdfx"] })).rejects.toBeInstanceOf(ConfigError);
    await expect(build({ document: path.join(dir, "missing.md") })).rejects.toThrow(ConfigError);
    await expect(build({ document: LETTER, languages: ["xx"], out: path.join(dir, "never") })).rejects.toThrow(/No edition in `xx`/);
    await expect(check({ document: "" })).rejects.toBeInstanceOf(ConfigError);
    await expect(check({ document: LETTER, languages: ["xx"] })).rejects.toThrow(/No edition in `xx`/);
    expect((await check({ document: LETTER, languages: ["en", "fr"] })).map(plain)).toEqual([expect.objectContaining({ ruleId: "un-symbol" })]);
  });

  it("the remark plugin reports the same messages as check", async () => {
    const file = new VFile({ path: LETTER, value: await readFile(LETTER, "utf8") });
    const processor = unified().use(remarkParse).use(remarkUnSymbols);
    await processor.run(processor.parse(file), file);
    const fromCheck = (await check({ document: LETTER })).filter((m) => m.ruleId === "un-symbol");
    expect(fromCheck.length).toBeGreaterThan(0);
    expect(file.messages.map(plain)).toEqual(fromCheck.map(plain));
  });
});

/** A lockfile for a project that depends on the tarball: this project's locked dependencies, minus the dev ones. */
async function consumerLock(tarball: string): Promise<object> {
  const ours = JSON.parse(await readFile(path.join(ROOT, "package-lock.json"), "utf8"));
  const pkg = JSON.parse(await readFile(path.join(ROOT, "package.json"), "utf8"));
  const spec = `file:${path.basename(tarball)}`;
  const packages: Record<string, Record<string, unknown>> = {
    "": { name: "consumer", dependencies: { letterpress: spec } },
    "node_modules/letterpress": {
      version: pkg.version,
      resolved: spec,
      integrity: `sha512-${createHash("sha512").update(await readFile(tarball)).digest("base64")}`,
      dependencies: pkg.dependencies,
      bin: pkg.bin,
      engines: pkg.engines,
    },
  };
  for (const [key, entry] of Object.entries(ours.packages as Record<string, Record<string, unknown>>)) {
    if (!key.startsWith("node_modules/") || entry.dev) continue;
    const copy = { ...entry };
    if (copy.devOptional) (delete copy.devOptional, (copy.optional = true));
    // The registry's tarball address, so that npm finds it in its cache by integrity, offline.
    const name = key.slice(key.lastIndexOf("node_modules/") + "node_modules/".length);
    copy.resolved ??= `https://registry.npmjs.org/${name}/-/${name.split("/").pop()}-${copy.version}.tgz`;
    packages[key] = copy;
  }
  return { name: "consumer", lockfileVersion: 3, requires: true, packages };
}

describe("API from another project", () => {
  it("installs from the packed tarball and is typed and usable: build, check, ConfigError, letterpress/remark", async () => {
    const packs = await tempDir("letterpress-pack-");
    const { stdout } = await run("npm", ["pack", "--pack-destination", packs, "--silent"], { cwd: ROOT, maxBuffer: 1 << 24 });
    const tarball = path.join(packs, stdout.trim().split("\n").pop()!);
    const listing = (await run("tar", ["tzf", tarball])).stdout.split("\n");
    for (const file of ["package/lib/api.js", "package/lib/remark.js", "package/lib/types/api.d.ts", "package/lib/types/remark.d.ts", "package/pipeline/writers/pdf/print.css", "package/bin/letterpress.js"]) expect(listing).toContain(file);
    expect(listing.filter((f) => f.includes("test/") || f.includes("node_modules/"))).toEqual([]);

    const dir = await tempDir("letterpress-consumer-");
    await cp(tarball, path.join(dir, path.basename(tarball)));
    await writeFile(path.join(dir, "package.json"), JSON.stringify({ name: "consumer", private: true, type: "module", dependencies: { letterpress: `file:${path.basename(tarball)}` } }));
    await writeFile(path.join(dir, "package-lock.json"), JSON.stringify(await consumerLock(tarball)));
    await run("npm", ["ci", "--offline", "--no-audit", "--no-fund", "--ignore-scripts"], { cwd: dir, env: { ...process.env, PUPPETEER_SKIP_DOWNLOAD: "1" }, maxBuffer: 1 << 24 });
    await cp(path.join(ROOT, "source"), path.join(dir, "source"), { recursive: true });
    await mkdir(path.join(dir, "translations"));
    await cp(path.join(ROOT, "translations/fr"), path.join(dir, "translations/fr"), { recursive: true });

    await writeFile(
      path.join(dir, "main.ts"),
      `import { build, check, ConfigError, type BuildResult } from "letterpress";
import { remarkUnSymbols } from "letterpress/remark";
import remarkParse from "remark-parse";
import { unified } from "unified";
import { VFile } from "vfile";
import { readFile } from "node:fs/promises";

const plain = (m: { line?: number; column?: number; ruleId?: string; reason: string }) => ({ line: m.line, column: m.column, ruleId: m.ruleId, reason: m.reason });
const messages = await check({ document: "source/open-letter.md" });
const result: BuildResult = await build({ document: "source/open-letter.md", out: "out", languages: ["en", "fr"], formats: ["html", "pdf"] });
const file = new VFile({ path: "source/open-letter.md", value: await readFile("source/open-letter.md", "utf8") });
const processor = unified().use(remarkParse).use(remarkUnSymbols);
await processor.run(processor.parse(file), file);
let config: { name: string; isConfigError: boolean } | undefined;
try {
  await build({ document: "source/open-letter.md", formats: ["pdfx"] });
} catch (error) {
  config = { name: (error as Error).name, isConfigError: error instanceof ConfigError };
}
console.log(JSON.stringify({ check: messages.map(plain), ok: result.ok, files: result.files, messages: result.messages.map(plain), remark: file.messages.map(plain), config }));
`,
    );
    await writeFile(path.join(dir, "wrong.ts"), `import { build } from "letterpress";\nawait build({ documnet: "x.md" });\n`);
    const tsconfig = { compilerOptions: { target: "ES2022", module: "NodeNext", moduleResolution: "NodeNext", strict: true, noEmit: true, skipLibCheck: false, types: ["node"], typeRoots: [path.join(ROOT, "node_modules/@types")] } };
    await writeFile(path.join(dir, "tsconfig.json"), JSON.stringify({ ...tsconfig, files: ["main.ts"] }));
    await writeFile(path.join(dir, "tsconfig.wrong.json"), JSON.stringify({ ...tsconfig, files: ["wrong.ts"] }));
    const tsc = path.join(ROOT, "node_modules/typescript/bin/tsc");
    await run(process.execPath, [tsc, "-p", "tsconfig.json"], { cwd: dir }).catch((e) => Promise.reject(new Error(`the typed use does not compile:\n${e.stdout}`)));
    const wrong = await run(process.execPath, [tsc, "-p", "tsconfig.wrong.json"], { cwd: dir }).catch((e) => e);
    expect(wrong.code).toBe(2);
    expect(wrong.stdout).toMatch(/wrong\.ts\(2,\d+\): error TS2561: .*'documnet'.*'document'/);

    // Run it as JavaScript: the same file with its types stripped by esbuild, which this project has.
    const { transform } = await import("esbuild");
    const js = await transform(await readFile(path.join(dir, "main.ts"), "utf8"), { loader: "ts", format: "esm" });
    await writeFile(path.join(dir, "main.mjs"), js.code);
    const output = await run(process.execPath, ["main.mjs"], { cwd: dir, maxBuffer: 1 << 24 });
    const report = JSON.parse(output.stdout);
    expect(report.ok).toBe(true);
    expect(report.files.map((f: string) => path.relative(dir, f)).sort()).toEqual(["out/en/open-letter.html", "out/en/open-letter.pdf", "out/fr/open-letter.html", "out/fr/open-letter.pdf", "out/index.html", "out/open-letter.manifest.json", "out/open-letter.signatories-changes.md"]);
    expect(report.check).toEqual([expect.objectContaining({ line: 38, column: 61, ruleId: "un-symbol" })]);
    expect(report.messages).toEqual(report.check);
    expect(report.remark).toEqual(report.check);
    expect(report.config).toEqual({ name: "ConfigError", isConfigError: true });
    // The command line came with it.
    expect((await run("npx", ["--no-install", "letterpress", "--version"], { cwd: dir })).stdout).toMatch(/^letterpress \d+\.\d+\.\d+\n$/);
    // The PDF, read back by poppler: the letter in French.
    const text = (await run("pdftotext", [path.join(dir, "out/fr/open-letter.pdf"), "-"])).stdout;
    expect(text).toContain("Excellences");
  }, 600_000);
});
