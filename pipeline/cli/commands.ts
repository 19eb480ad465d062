/**
 * The table of commands. Adding a command: write a `Command` (name, summary, options with
 * descriptions, examples, `run`) and add it to `COMMANDS`; `help`, `--help`, the option checks
 * and the "did you mean" hints follow from the table. A subcommand is named with its group
 * (`translations export`).
 */
import path from "node:path";
import { setFlagsFromString } from "node:v8";
import { build, check, projectRoot } from "../api.ts";
import { watch } from "../build/watch.ts";
import { ConfigError } from "../errors.ts";
import { parseFormats } from "../writers/index.ts";
import { formatSize } from "../writers/html/index-page.ts";
import type { Command, CommandContext, OptionSpec } from "./command.ts";
import { progress, reportFiles, reportMessages } from "./io.ts";
// `deliver` (and its mail library) loads only for the command that uses it.
import type { DeliverCliOptions } from "./deliver.ts";
import { initCommand } from "./init.ts";
import { signatoriesCommand } from "./signatories.ts";
import { translationsCommand } from "./translations.ts";
import { previewCommand } from "./preview.ts";
import { buildOptionsOf, flag, list, str, stopOnSignals } from "./run-options.ts";

export const DEFAULT_DOCUMENT = "source/open-letter.md";

/** The document argument (at most one). */
function documentArg(ctx: CommandContext, command: string): string {
  const [doc = DEFAULT_DOCUMENT, ...extra] = ctx.args;
  if (extra.length) throw new ConfigError(`unexpected argument \`${extra[0]}\` for \`${command}\``);
  return doc;
}

const OUT: OptionSpec = { type: "string", value: "DIR", default: "dist", description: "Output folder (default: dist)" };
const LANG: OptionSpec = { type: "string", value: "LIST", description: "Languages, comma-separated (default: all available)" };
const FORMAT: OptionSpec = { type: "string", value: "LIST", description: "Formats, comma-separated: html, docx, epub, pdf (default: all)" };
const STRICT: OptionSpec = { type: "boolean", default: false, description: "Untranslated or fuzzy segments are errors, not warnings" };
const PARTIAL: OptionSpec = { type: "boolean", default: false, description: "Publish translations that are not complete, marked as partial in their language" };

const buildCommand: Command = {
  name: "build",
  args: "[doc.md]",
  summary: "Check, then build every edition (each language and format) into dist/",
  details: "A failed build writes nothing: the output folder is left as it was.",
  options: {
    out: OUT,
    lang: LANG,
    format: FORMAT,
    strict: STRICT,
    partial: PARTIAL,
    verbose: { type: "boolean", default: false, description: "A line for each output as it is written (path, size, milliseconds), and each untranslated passage" },
  },
  examples: ["letterpress build", "letterpress build source/open-letter.md --lang en,fr --format html,pdf --out public"],
  async run({ values, args, io }) {
    const document = documentArg({ values, args, io }, "build");
    const out = str(values, "out")!;
    const bar = progress(io, flag(values, "quiet"));
    const result = await build({
      document,
      out,
      ...(list(str(values, "lang")) ? { languages: list(str(values, "lang"))! } : {}),
      formats: parseFormats(list(str(values, "format"))),
      strict: flag(values, "strict"),
      partial: flag(values, "partial"),
      onProgress: flag(values, "verbose")
        ? (e) => io.stderr(`  ${e.path.padEnd(32)} ${formatSize(e.bytes).padStart(10)} ${Math.round(e.ms).toString().padStart(6)} ms\n`)
        : (e) => bar.update(`Building… ${e.done}/${e.total}  ${e.path}`),
    }).finally(() => bar.done());
    reportMessages(result.messages, io, flag(values, "verbose"));
    if (!result.ok) {
      io.stderr(`letterpress: build failed; ${out}/ was left unchanged\n`);
      return 1;
    }
    if (result.skipped.length) io.stderr(`letterpress: not published (translation not complete; --partial publishes it): ${result.skipped.join(", ")}\n`);
    const total = result.outputs.reduce((sum, o) => sum + o.bytes, 0);
    io.stdout(`Built ${result.outputs.length} files (${formatSize(total)}) into ${out}/ in ${(result.ms / 1000).toFixed(2)} s\n`);
    return 0;
  },
};

const checkCommand: Command = {
  name: "check",
  args: "[doc.md]",
  summary: "Check the document, its data and its translations; report every problem with file:line:column",
  options: { lang: LANG, strict: STRICT, verbose: { type: "boolean", default: false, description: "Also list each untranslated passage" } },
  examples: ["letterpress check", "letterpress check source/open-letter.md --strict"],
  async run({ values, args, io }) {
    const document = documentArg({ values, args, io }, "check");
    const messages = await check({ document, strict: flag(values, "strict"), ...(list(str(values, "lang")) ? { languages: list(str(values, "lang"))! } : {}) });
    reportMessages(messages, io, flag(values, "verbose"));
    const failed = messages.some((m) => m.fatal === true);
    if (!failed && !flag(values, "quiet")) io.stdout(`${document}: no errors\n`);
    return failed ? 1 : 0;
  },
};

const deliver: Command = {
  name: "deliver",
  args: "[doc.md]",
  summary: "One addressed PDF per permanent mission, in the language it works in; with --send, emailed to each mission once per revision",
  details: "Sending needs LETTERPRESS_SMTP_URL (smtp://user:pass@host:port or smtps://…); the send ledger <doc>.sent.jsonl is kept beside the document.",
  options: {
    out: { type: "string", value: "DIR", default: "dist", description: "Output folder (default: dist/delivery)" },
    missions: { type: "string", value: "FILE", description: "Missions file (default: the document's `missions:` or the bundled list)" },
    only: { type: "string", value: "CODES", description: "Only these missions, comma-separated ISO codes (FR,MX)" },
    fallback: { type: "string", value: "LANG", description: "The copy's language for missions whose language has no translation" },
    strict: STRICT,
    "dry-run": { type: "boolean", default: false, description: "Also write each mission's email as an .eml file beside its PDF; send nothing" },
    send: { type: "boolean", default: false, description: "Email each mission its copy through LETTERPRESS_SMTP_URL (what was sent is not sent again)" },
    yes: { type: "boolean", default: false, description: "Send without asking for confirmation" },
    from: { type: "string", value: "ADDRESS", description: "Sender (default: the front matter's `from`)" },
    "reply-to": { type: "string", value: "ADDRESS", description: "Reply-to address (default: the front matter's `reply-to`)" },
    rate: { type: "string", value: "N/s", description: "At most N messages a second (or /min, /h)" },
    "resend-unknown": { type: "boolean", default: false, description: "Send again copies whose sending was interrupted (state unknown)" },
    status: { type: "boolean", default: false, description: "Print what each mission last received, from the send ledger" },
  },
  examples: ["letterpress deliver", "letterpress deliver --only FR,MX --out outbox", "letterpress deliver --dry-run", "letterpress deliver --send --only FR --yes"],
  async run({ values, args, io }) {
    const input = documentArg({ values, args, io }, "deliver");
    const { deliverCommand } = await import("./deliver.ts");
    return deliverCommand(input, projectRoot(path.dirname(input)), { ...(values as unknown as DeliverCliOptions), quiet: flag(values, "quiet"), only: list(str(values, "only")) }, io);
  },
};

const init: Command = {
  name: "init",
  args: "[dir]",
  summary: "Start a new letter in dir (default: here), named after the folder: dir/<name>.md, dir/signatories.yaml, translations/<name>.pot",
  details: "Nothing is overwritten: init refuses when any of those files exists.",
  options: {},
  examples: ["letterpress init letters/spyware"],
  async run({ args, io }) {
    const [dir = ".", ...extra] = args;
    if (extra.length) throw new ConfigError(`unexpected argument \`${extra[0]}\` for \`init\``);
    return initCommand(dir, io, projectRoot);
  },
};

const watchCommand: Command = {
  name: "watch",
  args: "[doc.md]",
  summary: "Build, then rebuild what changed whenever the document, its signatories or a translation changes (Ctrl-C to stop)",
  options: { out: OUT, lang: LANG, format: FORMAT, strict: STRICT },
  examples: ["letterpress watch", "letterpress watch --lang en --format html"],
  async run({ values, args, io }) {
    const input = documentArg({ values, args, io }, "watch");
    // A watch lives for hours, and each rebuild leaves output buffers and protocol messages
    // behind. After each full collection V8 lets its heap grow to up to four times what
    // survived before collecting again (a factor meant for throughput), and the buffers wait
    // with it. A growth of 60 % keeps this process smaller over a session at no cost in rebuild
    // time; a lower one would collect so often that each rebuild costs more CPU. This process
    // only: builds and deliveries end within seconds and keep V8's default.
    setFlagsFromString("--heap-growing-percent=60");
    const options = buildOptionsOf(values, input);
    const { signal, release } = stopOnSignals();
    io.stderr(`Watching ${input} (Ctrl-C to stop)\n`);
    await watch({
      ...options,
      signal,
      onBuild: (event) => {
        const stamp = new Date().toTimeString().slice(0, 8);
        const what = event.changed.length ? event.changed.map((f) => path.relative(process.cwd(), f)).join(", ") : "start";
        if (event.error) {
          io.stderr(`[${stamp}] ${what}: ${event.error instanceof ConfigError ? event.error.message : String(event.error)}\n`);
          return;
        }
        const r = event.result!;
        reportFiles(r.files, io);
        if (!r.ok) io.stderr(`[${stamp}] ${what}: build failed; ${options.outDir}/ left unchanged\n`);
        else {
          const rendered = r.outputs.filter((o) => o.format).length - (r.reused ?? 0);
          io.stdout(`[${stamp}] ${what}: rebuilt ${rendered} output(s), reused ${r.reused ?? 0}, in ${Math.round(r.ms)} ms\n`);
        }
      },
    });
    release();
    return 0;
  },
};

const preview: Command = {
  name: "preview",
  args: "[doc.md]",
  summary: "Serve a live preview on 127.0.0.1: every language's HTML, the PDF's pages, the diagnostics; it updates on every save",
  details: "The first line printed is the preview's address. Editions are built into --out (default dist), as `watch` does.",
  options: {
    port: { type: "string", value: "N", description: "Port to listen on (default: any unused port)" },
    lang: { type: "string", value: "LIST", description: "Languages to build and show, comma-separated; the first is shown first (default: all)" },
    format: { type: "string", value: "LIST", description: "Formats to build (default: html,pdf; html is always built)" },
    out: OUT,
    strict: STRICT,
  },
  examples: ["letterpress preview", "letterpress preview source/open-letter.md --port 4000 --lang fr"],
  async run(ctx) {
    return previewCommand(documentArg(ctx, "preview"), ctx.values, ctx.io);
  },
};

const SIGNATORY_DRY_RUN: OptionSpec = { type: "boolean", default: false, description: "Show what would change; write nothing" };

const signatoriesImport: Command = {
  name: "signatories import",
  args: "<file.csv> [doc.md]",
  summary: "Add sign-ons from a CSV export to the document's signatories file",
  details: "Fields for --map: name, type, family, affiliation, country, website (an empty column, `type=`, ignores a field).",
  options: {
    map: { type: "string", value: "FIELDS", description: 'Which column holds which field ("name=Full name,type=Kind,…")' },
    report: { type: "string", value: "FILE", description: "Where to write the per-row report" },
    "dry-run": SIGNATORY_DRY_RUN,
  },
  examples: ["letterpress signatories import signons.csv", 'letterpress signatories import form.csv --map "name=Full name,country=Country" --dry-run'],
  run: ({ values, args, io }) => signatoriesCommand("import", args, values, io),
};

const signatoriesAdd: Command = {
  name: "signatories add",
  args: "[doc.md]",
  summary: "Add one organisation, or one individual with --individual",
  options: {
    name: { type: "string", value: "NAME", description: "The name as it is to be printed (required)" },
    individual: { type: "boolean", default: false, description: "An individual, not an organisation" },
    family: { type: "string", value: "NAME", description: "Family name, to sort individuals by" },
    affiliation: { type: "string", value: "TEXT", description: "An individual's affiliation" },
    country: { type: "string", value: "NAME", description: "Country" },
    website: { type: "string", value: "URL", description: "An organisation's website" },
    "dry-run": SIGNATORY_DRY_RUN,
  },
  examples: ['letterpress signatories add --name "Amnesty International"', 'letterpress signatories add --individual --name "Ngozi Okafor" --family Okafor --country Nigeria'],
  run: ({ values, args, io }) => signatoriesCommand("add", args, values, io),
};

const translation = (sub: string, spec: Omit<Command, "name" | "run">): Command => ({
  ...spec,
  name: `translations ${sub}`,
  run: ({ values, args, io }) => translationsCommand(sub, args, values, io),
});

export const COMMANDS: Command[] = [
  buildCommand,
  checkCommand,
  preview,
  watchCommand,
  deliver,
  init,
  signatoriesImport,
  signatoriesAdd,
  translation("update", {
    args: "[doc.md]",
    summary: "Write translations/<slug>.pot; create (for --lang) or merge every translations/<lang>/<slug>.po",
    options: { lang: { type: "string", value: "LIST", description: "Languages to create PO files for, comma-separated" } },
    examples: ["letterpress translations update", "letterpress translations update --lang fr,ar"],
  }),
  translation("status", {
    args: "[doc.md]",
    summary: "Per language: translated, fuzzy, untranslated, obsolete, errors (exit 1 unless all complete)",
    options: { lang: LANG, strict: STRICT },
    examples: ["letterpress translations status"],
  }),
  translation("export", {
    args: "[doc.md]",
    summary: "Export a language's segments as XLIFF 2.0, for CAT tools",
    options: { lang: { type: "string", value: "LANG", description: "The language to export (required)" }, out: { type: "string", value: "FILE", description: "Where to write the XLIFF file" } },
    examples: ["letterpress translations export --lang fr --out fr.xlf"],
  }),
  translation("import", {
    args: "<file.xlf> [doc.md]",
    summary: "Merge an XLIFF 2 file's targets into translations/<lang>/<slug>.po (a summary: translated, fuzzy, unchanged, rejected)",
    options: { lang: { type: "string", value: "LANG", description: "The language the file must be for (default: its trgLang)" } },
    examples: ["letterpress translations import fr.xlf", "letterpress translations import fr.xlf --lang fr"],
  }),
];

