/** The command line as a user meets it: exit codes, located messages, dist/ kept on failure. */
import { execFile, spawn } from "node:child_process";
import { appendFile, mkdir, mkdtemp, readdir, readFile, utimes, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { FORMATS } from "../pipeline/model.ts";
import { cli, FRONT, hashTree, letterCopy, letterProject, project, ROOT } from "./helpers.ts";

const run = promisify(execFile);

describe("letterpress CLI", () => {
  it("check reports no errors on the bundled letter (one known warning)", async () => {
    const result = await cli(["check", path.join(ROOT, "source/open-letter.md")]);
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/38:61\s+warning\s+UN document symbol `A\/C\.3\/74\/L\/11\/Rev\.1`.*un-symbol/);
    expect(result.stderr).toContain("1 warning");
  });

  it("runs as a real process through the bin launcher", async () => {
    const dir = await project({ "doc.md": `${FRONT}Text[^x].\n` });
    const result = await run(process.execPath, [path.join(ROOT, "bin/letterpress.js"), "check", "doc.md"], { cwd: dir }).catch((e) => e);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("doc.md");
    expect(result.stderr).toMatch(/7:5\s+error\s+Footnote reference `\[\^x\]` has no definition/);
    expect(result.stderr).not.toMatch(/at .*\.ts:\d+/); // no stack trace
  });

  it("runs from its esbuild bundle, with the same answers as the TypeScript sources", async () => {
    const dir = await project({ "doc.md": `${FRONT}Text[^x] and [a link](#nowhere).\n` });
    const launch = (env: Record<string, string>) =>
      run(process.execPath, [path.join(ROOT, "bin/letterpress.js"), "check", "doc.md"], { cwd: dir, env: { ...process.env, ...env } }).catch((e) => e);
    const bundled = await launch({});
    const direct = await launch({ LETTERPRESS_NO_BUNDLE: "1" });
    expect(bundled.code).toBe(1);
    expect(bundled.stderr).toMatch(/link-anchor/);
    expect({ code: bundled.code, stderr: bundled.stderr }).toEqual({ code: direct.code, stderr: direct.stderr });
    const cache = path.join(ROOT, "node_modules/.cache/letterpress");
    const bundles = await readdir(cache);
    expect(bundles.some((b) => /^[0-9a-f]{16}$/.test(b))).toBe(true);
  });

  it("removes its earlier bundles from the cache, not the font subsets kept beside them", async () => {
    const cache = await mkdtemp(path.join(tmpdir(), "letterpress-cache-"));
    const entry = async (name: string, hoursOld: number) => {
      await mkdir(path.join(cache, name));
      await writeFile(path.join(cache, name, "kept"), "");
      const then = new Date(Date.now() - hoursOld * 3600_000);
      await utimes(path.join(cache, name), then, then);
    };
    await entry("fonts", 5);
    await entry("0123456789abcdef", 5); // an earlier bundle
    await entry("0123456789abcdef.tmp-42", 5); // one a process never finished
    await entry("fedcba9876543210", 0); // one a running watch may still load from
    await entry("aaaaaaaaaaaaaaaa", 5); // the current one
    const { pruneBundles } = await import(path.join(ROOT, "bin/bundle.js"));
    await pruneBundles(cache, "aaaaaaaaaaaaaaaa");
    expect((await readdir(cache)).sort()).toEqual(["aaaaaaaaaaaaaaaa", "fedcba9876543210", "fonts"]);
    expect(await readdir(path.join(cache, "fonts"))).toEqual(["kept"]);
  });

  it("without its bundle (tsx) it prints the same PDF: the paginator sent to the page runs either way", async () => {
    const dir = await letterProject();
    const build = (out: string, env: Record<string, string>) =>
      run(process.execPath, [path.join(ROOT, "bin/letterpress.js"), "build", "source/open-letter.md", "--lang", "fr", "--format", "pdf", "--out", out, "--quiet"], {
        cwd: dir,
        env: { ...process.env, SOURCE_DATE_EPOCH: "1573603200", ...env },
      }).catch((e) => e);
    const bundled = await build("bundled", {});
    const direct = await build("direct", { LETTERPRESS_NO_BUNDLE: "1" });
    expect(direct.stderr).not.toContain("internal error");
    expect([bundled.code ?? 0, direct.code ?? 0]).toEqual([0, 0]);
    expect(direct.stderr).toBe(bundled.stderr);
    const [a, b] = await Promise.all(["bundled", "direct"].map((d) => readFile(path.join(dir, d, "fr/open-letter.pdf"))));
    expect(a!.subarray(0, 5).toString()).toBe("%PDF-");
    expect(b!.equals(a!)).toBe(true);
  });

  it("a failed build exits 1 and leaves dist/ byte-identical", async () => {
    const dir = await letterCopy();
    const out = path.join(dir, "dist");
    const doc = path.join(dir, "source/open-letter.md");
    expect((await cli(["build", doc, "--out", out, "--format", "html", "--quiet"])).code).toBe(0);
    const before = await hashTree(out);
    const text = await readFile(doc, "utf8");
    await writeFile(doc, text.replace("[^draft-articles] The Draft", "[^no-such-note] The Draft"));
    const result = await cli(["build", doc, "--out", out, "--format", "html", "--quiet"]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/open-letter\.md\n\d+:\d+\s+error\s+Footnote reference `\[\^no-such-note\]`/);
    expect(result.stderr).toContain("left unchanged");
    expect(await hashTree(out)).toEqual(before);
  });

  it("a build whose writer fails says why and leaves dist/ byte-identical, with no staging folder beside it", async () => {
    const dir = await letterProject();
    const out = path.join(dir, "dist");
    expect((await cli(["build", path.join(dir, "source/open-letter.md"), "--out", out, "--format", "html", "--quiet"])).code).toBe(0);
    const before = await hashTree(out);
    // The PDF writer fails at once, while the other writers are still writing their outputs.
    const missing = path.join(dir, "no-chromium-here");
    const result = await run(process.execPath, [path.join(ROOT, "bin/letterpress.js"), "build", "source/open-letter.md", "--quiet"], {
      cwd: dir,
      env: { ...process.env, CHROMIUM_PATH: missing },
    }).catch((e) => e);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`Chromium not found at ${missing}`);
    expect(await hashTree(out)).toEqual(before);
    expect((await readdir(dir)).filter((name) => name.startsWith("dist"))).toEqual(["dist"]);
  });

  it("builds are byte-identical for the same SOURCE_DATE_EPOCH", async () => {
    const dir = await letterCopy();
    const doc = path.join(dir, "source/open-letter.md");
    process.env.SOURCE_DATE_EPOCH = "1573603200";
    try {
      await cli(["build", doc, "--out", path.join(dir, "a"), "--format", "html", "--quiet"]);
      await cli(["build", doc, "--out", path.join(dir, "b"), "--format", "html", "--quiet"]);
    } finally {
      delete process.env.SOURCE_DATE_EPOCH;
    }
    expect(await hashTree(path.join(dir, "a"))).toEqual(await hashTree(path.join(dir, "b")));
  });

  it("an unwritable output folder is one clear error", async () => {
    // A file where a folder should be fails even for root (CI runs as root).
    const dir = await project({ "doc.md": `${FRONT}Text.\n`, "blocker": "not a folder" });
    const result = await cli(["build", path.join(dir, "doc.md"), "--out", path.join(dir, "blocker", "dist"), "--format", "html"]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^letterpress: error: Cannot write the output folder .*blocker\/dist \((ENOTDIR|EEXIST)\) \(choose another folder/);
  });

  it("rejects unknown formats, languages and commands with one line", async () => {
    expect((await cli(["build", "--format", "pdfx"])).stderr).toBe(`letterpress: error: Unknown format \`pdfx\`; choose from ${FORMATS.join(", ")}\n`);
    const lang = await cli(["build", path.join(ROOT, "source/open-letter.md"), "--lang", "xx", "--out", "/tmp/never"]);
    expect(lang.code).toBe(1);
    expect(lang.stderr).toContain("letterpress: error: No edition in `xx`");
    expect((await cli(["frobnicate"])).code).toBe(1);
    const missing = await cli(["check", "/nonexistent/doc.md"]);
    expect(missing.stderr).toBe("letterpress: error: Cannot find /nonexistent/doc.md\n");
  });

  it("watch runs as a process: builds, rebuilds after a sign-on, stops on Ctrl-C with exit 0", async () => {
    const dir = await letterProject();
    const child = spawn(process.execPath, [path.join(ROOT, "bin/letterpress.js"), "watch", "source/open-letter.md", "--format", "html,docx"], { cwd: dir });
    let stdout = "";
    let stderr = "";
    child.stderr.on("data", (d) => (stderr += d));
    const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
    const line = (pattern: RegExp) =>
      new Promise<void>((resolve, reject) => {
        const look = () => (pattern.test(stdout) ? (child.stdout.off("data", onData), resolve()) : undefined);
        const onData = (d: Buffer) => ((stdout += d), look());
        child.stdout.on("data", onData);
        void exited.then(() => reject(new Error(`watch exited early:\n${stdout}${stderr}`)));
        look();
      });
    try {
      await line(/start: rebuilt 12 output\(s\), reused 0/);
      await appendFile(path.join(dir, "source/signatories.yaml"), "  - name: Ngozi Watchtest\n    family: Watchtest\n    country: Nigeria\n");
      await line(/signatories\.yaml: rebuilt 12 output\(s\)/);
      expect(await readFile(path.join(dir, "dist/fr/open-letter.html"), "utf8")).toContain("Ngozi Watchtest");
      child.kill("SIGINT");
      expect(await exited).toBe(0);
    } finally {
      child.kill("SIGKILL");
    }
    // Nothing but the watch's own lines and the letter's one known warning: no V8 or Node noise.
    const noise = stderr.split("\n").filter((l) => l && !/^Watching |^source\/open-letter\.md$|^\d+:\d+ warning .* un-symbol letterpress:check$|^⚠ 1 warning$/.test(l));
    expect(noise).toEqual([]);
    expect(stderr.match(/un-symbol/g)).toHaveLength(2); // reported with each build
  });
});
