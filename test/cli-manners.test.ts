/**
 * The command line's manners: --version, help for each command from its own table entry, one-line
 * errors that name the unknown command or option with the nearest spelling, progress only on a
 * terminal (a real pseudo-terminal, through util-linux `script`) and never with --quiet, NO_COLOR.
 */
import { execFile } from "node:child_process";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { parseCommandArgs } from "../pipeline/cli/command.ts";
import { COMMANDS } from "../pipeline/cli/commands.ts";
import { cli, letterProject, ROOT } from "./helpers.ts";

const run = promisify(execFile);
const BIN = path.join(ROOT, "bin/letterpress.js");
const quote = (s: string) => `'${s.replace(/'/g, "'\\''")}'`;

/** Run the CLI as a process whose output is not a terminal. */
const piped = (args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}) =>
  run(process.execPath, [BIN, ...args], { cwd: options.cwd ?? ROOT, env: { ...process.env, ...options.env } }).then(
    (r) => ({ code: 0, stdout: r.stdout, stderr: r.stderr }),
    (e) => ({ code: e.code as number, stdout: e.stdout as string, stderr: e.stderr as string }),
  );

/** Run the CLI on a pseudo-terminal (stdout and stderr both on it); returns what the terminal got. */
async function onTerminal(args: string[], cwd: string, env: NodeJS.ProcessEnv = {}): Promise<{ code: number; screen: string }> {
  const { CI: _ci, NO_COLOR: _nc, FORCE_COLOR: _fc, ...base } = process.env;
  const command = [process.execPath, BIN, ...args].map(quote).join(" ");
  return run("script", ["-qfec", command, "/dev/null"], { cwd, env: { ...base, TERM: "xterm-256color", ...env }, maxBuffer: 1 << 24 }).then(
    (r) => ({ code: 0, screen: r.stdout }),
    (e) => ({ code: e.code as number, screen: e.stdout as string }),
  );
}

describe("CLI manners", () => {
  it("--version prints the package's version", async () => {
    const { version } = JSON.parse(await readFile(path.join(ROOT, "package.json"), "utf8"));
    const result = await piped(["--version"]);
    expect(result).toEqual({ code: 0, stdout: `letterpress ${version}\n`, stderr: "" });
  });

  it("help <command> and <command> --help print that command's options and an example, for every command", async () => {
    for (const command of COMMANDS) {
      const viaHelp = await cli(["help", ...command.name.split(" ")]);
      const viaFlag = await cli([...command.name.split(" "), "--help"]);
      expect(viaHelp.code, command.name).toBe(0);
      expect(viaFlag).toEqual(viaHelp);
      const text = viaHelp.stdout;
      expect(text.split("\n")[0]).toBe(`Usage: letterpress ${command.name}${command.args ? ` ${command.args}` : ""} [options]`);
      for (const option of [...Object.keys(command.options), "quiet", "help"]) expect(text, `${command.name} --${option}`).toMatch(new RegExp(`--${option}\\b`));
      expect(text).toMatch(/^Examples?:$/m);
      // Each example is a command line this very table accepts.
      for (const example of command.examples) {
        expect(example.startsWith(`letterpress ${command.name}`), example).toBe(true);
        const words = example.match(/"[^"]*"|\S+/g)!.slice(1 + command.name.split(" ").length).map((w) => w.replace(/^"|"$/g, ""));
        expect(() => parseCommandArgs(command, words), example).not.toThrow();
      }
    }
    // A group lists its commands.
    const group = await cli(["help", "translations"]);
    expect(group.code).toBe(0);
    expect(group.stdout.match(/^ {2}translations \w+/gm)).toEqual(["  translations update", "  translations status", "  translations export", "  translations import"]);
    expect(await cli(["translations", "--help"])).toEqual(group);
    // Only its own options: `build` has no --missions, `deliver` has no --format.
    expect((await cli(["build", "--help"])).stdout).not.toContain("--missions");
    expect((await cli(["help", "deliver"])).stdout).not.toContain("--format");
  });

  it("an unknown command, subcommand or option is one line naming it, with the nearest spelling, and exit 1", async () => {
    const cases: Array<[string[], string]> = [
      [["biuld"], "letterpress: unknown command `biuld`; did you mean `build`?\n"],
      [["frobnicate"], "letterpress: unknown command `frobnicate`\n"],
      [["translations", "exprt"], "letterpress: unknown command `translations exprt`; did you mean `translations export`?\n"],
      [["build", "--fromat", "html"], "letterpress: unknown option `--fromat` for `build`; did you mean `--format`?\n"],
      [["deliver", "--format", "pdf"], "letterpress: unknown option `--format` for `deliver`\n"],
      [["check", "--xyzzy"], "letterpress: unknown option `--xyzzy` for `check`\n"],
      [["help", "previwe"], "letterpress: unknown command `previwe`; did you mean `preview`?\n"],
      [["--verison"], "letterpress: unknown option `--verison`; did you mean `--version`?; options come after the command\n"],
      [["build", "--out"], "letterpress: option `--out` of `build` needs a value\n"],
      [["signatories"], "letterpress: `signatories` needs a subcommand: `import`, `add`\n"],
    ];
    for (const [argv, line] of cases) {
      const result = await piped(argv);
      expect(result, argv.join(" ")).toEqual({ code: 1, stdout: "", stderr: line });
    }
  });

  it("progress is drawn on a terminal, and not with --quiet or when the output is not a terminal", async () => {
    const dir = await letterProject();
    const args = ["build", "source/open-letter.md", "--format", "html"];
    const terminal = await onTerminal(args, dir);
    expect(terminal.code).toBe(0);
    expect(terminal.screen).toMatch(/\r\x1b\[KBuilding… 1\/6 {2}\w+\/open-letter\.html/);
    expect(terminal.screen).toMatch(/\r\x1b\[KBuilding… 6\/6 /);
    // The progress line is cleared before the report and the summary.
    expect(terminal.screen).toMatch(/Building… 6\/6 [^\r]*\r\x1b\[K(?!Building)[^]*\nBuilt 9 files/);

    const quiet = await onTerminal([...args, "--quiet"], dir);
    expect(quiet.code).toBe(0);
    expect(quiet.screen).not.toContain("Building…");
    expect(quiet.screen).not.toContain("\x1b[K");

    const notTerminal = await piped(args, { cwd: dir });
    expect(notTerminal.code).toBe(0);
    expect(notTerminal.stderr).not.toContain("Building…");
    expect(notTerminal.stderr + notTerminal.stdout).not.toContain("\x1b");

    // --verbose lists each output instead, terminal or not.
    const verbose = await piped([...args, "--verbose", "--out", "listed"], { cwd: dir });
    expect(verbose.stderr.match(/^ {2}\w+\/open-letter\.html +[\d.]+ \S*B +\d+ ms$/gm)).toHaveLength(6);
  });

  it("a delivery shows its progress on a terminal", async () => {
    const dir = await letterProject();
    const terminal = await onTerminal(["deliver", "--only", "FR,MX"], dir);
    expect(terminal.code).toBe(0);
    expect(terminal.screen).toMatch(/\r\x1b\[KDelivering… 1\/2 /);
    expect(terminal.screen).toMatch(/\r\x1b\[KDelivering… 2\/2 [^\r]*\r\x1b\[K(?!Delivering)[^]*Delivered 2 addressed PDFs/);
    const piped_ = await piped(["deliver", "--only", "FR,MX", "--out", "again"], { cwd: dir });
    expect(piped_.code).toBe(0);
    expect(piped_.stderr + piped_.stdout).not.toContain("Delivering…");
  });

  it("colours diagnostics on a terminal, and never with NO_COLOR", async () => {
    const dir = await letterProject();
    const coloured = await onTerminal(["check"], dir);
    expect(coloured.screen).toMatch(/\x1b\[33mwarning\x1b\[39m/);
    const plain = await onTerminal(["check"], dir, { NO_COLOR: "1" });
    expect(plain.screen).toMatch(/38:61\s+warning\s+UN document symbol/);
    expect(plain.screen).not.toContain("\x1b[");
  });
});
