/**
 * The `letterpress` command line: a thin layer over the API and the pipeline's modules, and the
 * only place that prints. Diagnostics are reported once, in vfile-reporter style; a usage or
 * configuration mistake is one line; never a stack trace for user mistakes. Exit codes: 0 ok
 * (warnings allowed), 1 errors in the input, the configuration or the command line, 2 an internal
 * error (a bug: reported in one line, with the stack under LETTERPRESS_DEBUG=1).
 *
 * The commands are a table (`commands.ts`); see there to add one.
 */
import pkg from "../../package.json" with { type: "json" };
import { ConfigError } from "../errors.ts";
import { commandHelp, meant, nearest, parseCommandArgs, UsageError, type Command } from "./command.ts";
import { COMMANDS } from "./commands.ts";
import { processIo, type Io } from "./io.ts";

export type { Io } from "./io.ts";

export const VERSION: string = pkg.version;

/** `letterpress --help`: every command with its one-line summary. */
export function usage(commands: readonly Command[] = COMMANDS): string {
  const rows = commands.map((c) => [`${c.name}${c.args ? ` ${c.args}` : ""}`, c.summary] as const);
  const width = Math.min(36, Math.max(...rows.map(([s]) => s.length)) + 2);
  const lines = rows.map(([synopsis, summary]) => (synopsis.length >= width ? `  ${synopsis}\n  ${"".padEnd(width)}${summary}` : `  ${synopsis.padEnd(width)}${summary}`));
  return [
    "Usage: letterpress <command> [options]",
    "",
    "Commands:",
    ...lines,
    "",
    "Options for every command: --quiet (no progress), -h/--help (the command's own options and an example).",
    "letterpress help <command> shows the same; letterpress --version prints the version.",
    "The default document is source/open-letter.md.",
    "",
  ].join("\n");
}

/** Top-level names: single commands and command groups (`translations`). */
const topNames = (commands: readonly Command[]) => [...new Set(commands.map((c) => c.name.split(" ")[0]!))];

/** Find the command named by the first words of `words`; throws a usage error naming what is unknown. */
export function findCommand(words: readonly string[], commands: readonly Command[] = COMMANDS): { command: Command; rest: string[] } {
  const [first = "", second] = words;
  const group = commands.filter((c) => c.name.startsWith(`${first} `));
  if (group.length > 0) {
    const subs = group.map((c) => c.name.slice(first.length + 1));
    if (second === undefined || second.startsWith("-")) {
      throw new UsageError(`\`${first}\` needs a subcommand: ${subs.map((s) => `\`${s}\``).join(", ")}`);
    }
    const command = group.find((c) => c.name === `${first} ${second}`);
    if (!command) throw new UsageError(`unknown command \`${first} ${second}\`${meant(nearest(second, subs) && `${first} ${nearest(second, subs)}`)}`);
    return { command, rest: words.slice(2) };
  }
  const command = commands.find((c) => c.name === first);
  if (!command) throw new UsageError(`unknown command \`${first}\`${meant(nearest(first, topNames(commands)))}`);
  return { command, rest: words.slice(1) };
}

export async function main(argv: string[], io: Io = processIo()): Promise<number> {
  try {
    const [first] = argv;
    if (first === "--version" || first === "-v" || first === "version") {
      io.stdout(`letterpress ${VERSION}\n`);
      return 0;
    }
    if (first === undefined) {
      io.stderr(usage());
      return 1;
    }
    if (first === "--help" || first === "-h") {
      io.stdout(usage());
      return 0;
    }
    const group = (name: string | undefined) => COMMANDS.filter((c) => c.name.startsWith(`${name} `));
    // `help translations`, `translations --help`: the group's commands.
    const groupName = first === "help" ? argv[1] : first;
    const after = first === "help" ? argv.slice(2) : argv.slice(1);
    if (group(groupName).length && (first === "help" ? after.length === 0 : after.length > 0 && after.every((a) => a === "--help" || a === "-h"))) {
      io.stdout(usage(group(groupName)));
      return 0;
    }
    if (first === "help") {
      if (argv.length === 1) io.stdout(usage());
      else {
        const { command, rest } = findCommand(argv.slice(1));
        if (rest.length) throw new UsageError(`\`help\` takes one command, not \`${rest[0]}\``);
        io.stdout(commandHelp(command));
      }
      return 0;
    }
    if (first.startsWith("-")) throw new UsageError(`unknown option \`${first}\`${meant(nearest(first.replace(/^-+/, ""), ["help", "version"]) && `--${nearest(first.replace(/^-+/, ""), ["help", "version"])}`)}; options come after the command`);
    const { command, rest } = findCommand(argv);
    const { values, args } = parseCommandArgs(command, rest);
    if (values.help) {
      io.stdout(commandHelp(command));
      return 0;
    }
    return await command.run({ values, args, io });
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr(`letterpress: ${error.message}\n`);
      return 1;
    }
    if (error instanceof ConfigError) {
      io.stderr(`letterpress: error: ${error.message}${error.hint ? ` (${error.hint})` : ""}\n`);
      return 1;
    }
    // A bug in Letterpress, not a user mistake: one line, the stack only on request.
    const message = error instanceof Error ? error.message.split("\n")[0] : String(error);
    io.stderr(`letterpress: internal error: ${message}\n`);
    if (process.env.LETTERPRESS_DEBUG) io.stderr(`${error instanceof Error ? error.stack : ""}\n`);
    else io.stderr("letterpress: run again with LETTERPRESS_DEBUG=1 for details, and please report it\n");
    return 2;
  }
}
