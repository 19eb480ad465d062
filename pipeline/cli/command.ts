/**
 * What a command of the command line is: its name, what it does, its arguments and options (each
 * with a description, for `help`), examples, and the function that runs it. The table of
 * commands is in `commands.ts`; `main.ts` finds the command, parses its options against its own
 * list (so a misspelt option is caught by name) and runs it.
 */
import { parseArgs } from "node:util";
import { closest } from "../suggest.ts";
import type { Io } from "./io.ts";

export interface OptionSpec {
  type: "string" | "boolean";
  short?: string;
  /** Placeholder shown in help for a string option (`DIR`). */
  value?: string;
  description: string;
  default?: string | boolean;
}

export type OptionValues = Record<string, string | boolean | undefined>;

export interface CommandContext {
  /** Parsed options: each defined option of the command (defaults applied). */
  values: OptionValues;
  /** Positional arguments after the command name. */
  args: string[];
  io: Io;
}

export interface Command {
  /** `build`, or a group and a subcommand: `translations update`. */
  name: string;
  /** Arguments shown after the name in the synopsis (`[doc.md]`). */
  args?: string;
  /** One line: what the command does. */
  summary: string;
  /** More lines for `help <command>`, if needed. */
  details?: string;
  options: Record<string, OptionSpec>;
  /** Complete command lines, shown by `help <command>`. */
  examples: string[];
  run(ctx: CommandContext): Promise<number>;
}

/** Options every command takes. */
export const COMMON_OPTIONS: Record<string, OptionSpec> = {
  quiet: { type: "boolean", default: false, description: "Only report problems and the summary; no progress" },
  help: { type: "boolean", short: "h", default: false, description: "Show this command's help" },
};

/** The spelling in `candidates` nearest to `word` (suggest.ts's rule), or one that `word` begins (`trans` for `translations`). */
export function nearest(word: string, candidates: readonly string[]): string | undefined {
  return closest(word, candidates) ?? candidates.find((c) => word.length >= 3 && c.startsWith(word));
}

/** `; did you mean \`x\`?` for a suggestion already found, or nothing. */
export const meant = (suggestion: string | undefined) => (suggestion ? `; did you mean \`${suggestion}\`?` : "");

/** A usage mistake: reported as one line, exit 1. */
export class UsageError extends Error {
  override name = "UsageError";
}

/** Parse `argv` (after the command name) against the command's options. */
export function parseCommandArgs(command: Command, argv: string[]): { values: OptionValues; args: string[] } {
  const specs = { ...command.options, ...COMMON_OPTIONS };
  const options = Object.fromEntries(
    Object.entries(specs).map(([name, s]) => [name, { type: s.type, ...(s.short ? { short: s.short } : {}), ...(s.default !== undefined ? { default: s.default } : {}) }]),
  );
  // First, unknown names: reported by us, with the nearest spelling.
  const { tokens } = parseArgs({ args: argv, options, allowPositionals: true, strict: false, tokens: true });
  const names = Object.keys(specs);
  const shorts = Object.values(specs).flatMap((s) => (s.short ? [s.short] : []));
  for (const token of tokens) {
    if (token.kind !== "option") continue;
    const known = token.rawName.startsWith("--") ? names.includes(token.name) : shorts.includes(token.name);
    if (!known) {
      const near = token.rawName.startsWith("--") ? nearest(token.name, names) : undefined;
      throw new UsageError(`unknown option \`${token.rawName}\` for \`${command.name}\`${meant(near && `--${near}`)}`);
    }
  }
  try {
    const parsed = parseArgs({ args: argv, options, allowPositionals: true, strict: true });
    return { values: parsed.values as OptionValues, args: parsed.positionals };
  } catch (error) {
    const message = (error as Error).message;
    const missing = /Option '(-\w, )?(--[\w-]+)[^']*' argument missing/.exec(message);
    if (missing) throw new UsageError(`option \`${missing[2]}\` of \`${command.name}\` needs a value`);
    const notString = /Option '(-\w, )?(--[\w-]+)' does not take an argument/.exec(message);
    if (notString) throw new UsageError(`option \`${notString[2]}\` of \`${command.name}\` takes no value`);
    throw new UsageError(message.split(".")[0]!);
  }
}

/** `letterpress help <command>` and `<command> --help`. */
export function commandHelp(command: Command): string {
  const specs = { ...command.options, ...COMMON_OPTIONS };
  const rows = Object.entries(specs).map(([name, s]) => {
    const flag = `${s.short ? `-${s.short}, ` : "    "}--${name}${s.type === "string" ? ` ${s.value ?? "VALUE"}` : ""}`;
    return [flag, s.description] as const;
  });
  const width = Math.max(...rows.map(([flag]) => flag.length)) + 2;
  const lines = [
    `Usage: letterpress ${command.name}${command.args ? ` ${command.args}` : ""} [options]`,
    "",
    command.summary,
    ...(command.details ? ["", command.details] : []),
    "",
    "Options:",
    ...rows.map(([flag, text]) => `  ${flag.padEnd(width)}${text}`),
    "",
    command.examples.length > 1 ? "Examples:" : "Example:",
    ...command.examples.map((e) => `  ${e}`),
  ];
  return `${lines.join("\n")}\n`;
}
