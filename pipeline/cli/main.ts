/**
 * The `letterpress` command line. The only place that prints: diagnostics are reported once, in
 * vfile-reporter style; a configuration mistake is one clear line; never a stack trace for user
 * mistakes. Exit codes: 0 ok (warnings allowed), 1 errors in the input or the configuration,
 * 2 an internal error (a bug: reported in one line, with the stack under LETTERPRESS_DEBUG=1).
 */
import { existsSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { setFlagsFromString } from "node:v8";
import { reporter } from "vfile-reporter";
import type { VFile } from "vfile";
import { build } from "../build/build.ts";
import { watch } from "../build/watch.ts";
import { ConfigError } from "../errors.ts";
import { hasErrors, loadDocument } from "../load.ts";
import { exportTranslation, importTranslation, loadEditions, translationLanguages, updateTranslations } from "../i18n/translations.ts";
import { parseFormats } from "../writers/index.ts";
import { formatSize } from "../writers/html/index-page.ts";
import { deliverCommand } from "./deliver.ts";
import { signatoriesCommand } from "./signatories.ts";
import { initCommand, INIT_USAGE } from "./init.ts";

const USAGE = `Usage: letterpress <command> [options]

Commands:
${INIT_USAGE}
  build [doc.md]                 Build editions (default: every language and format) into dist/
  check [doc.md]                 Check the document, its data and translations; report problems
  signatories import <file.csv> [doc.md]
                                 Add sign-ons from a CSV export (--map, --report, --dry-run)
  signatories add --name … [doc.md]
                                 Add one signatory (--individual --family --affiliation --country --website)
  deliver [doc.md]               One addressed PDF per permanent mission, in the language it works in
                                 (--missions FILE, --only FR,MX, --fallback LANG, --out DIR; default dist/delivery)
                                 --dry-run: also each mission's email as an .eml file beside its PDF
                                 --send: email each mission its copy through LETTERPRESS_SMTP_URL, once per
                                 revision (--yes, --from, --reply-to, --rate 5/s, --resend-unknown)
                                 --status: what each mission last received, from the send ledger
  watch [doc.md]                 Build, then rebuild what changed whenever a source, translation or
                                 the signatory list changes (Ctrl-C to stop)
  translations update [doc.md]   Write translations/<slug>.pot; create or merge translations/<lang>/<slug>.po
  translations status [doc.md]   Per language: translated, fuzzy, untranslated, obsolete (exit 1 if incomplete)
  translations export [doc.md] --lang xx [--out file.xlf]
                                 Export a language's segments as XLIFF 2.0 (for CAT tools)
  translations import <file.xlf> [doc.md] [--lang xx]
                                 Merge an XLIFF 2 file's targets into translations/<lang>/<slug>.po

Options:
  --out DIR         Output folder (default: dist)
  --lang LIST       Languages to build, comma-separated (default: all available)
  --format LIST     Formats to build, comma-separated (default: all)
  --strict          Untranslated or fuzzy segments are errors, not warnings
  --partial         Publish translations that are not complete, marked as partial
  --verbose         List every untranslated passage (and other details)
  --quiet           Only report problems and the summary
  -h, --help        Show this help

The default document is source/open-letter.md.`;

export interface Io {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

const defaultIo: Io = {
  stdout: (t) => process.stdout.write(t),
  stderr: (t) => process.stderr.write(t),
};

/** Find the project root: the nearest folder above the document (or cwd) with a package.json. */
function projectRoot(from: string): string {
  let dir = path.resolve(from);
  for (;;) {
    if (existsSync(path.join(dir, "package.json"))) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) return path.resolve(from);
    dir = parent;
  }
}

/** `--verbose`: also print the info messages (each passage left untranslated, for one). */
let verbose = false;

function report(all: readonly VFile[], io: Io): void {
  const files = verbose ? all : all.map((f) => Object.assign(Object.create(f) as VFile, { messages: f.messages.filter((m) => m.fatal != null) }));
  const withMessages = files.filter((f) => f.messages.length > 0);
  if (withMessages.length > 0) io.stderr(`${reporter(withMessages, { quiet: true })}\n`);
}

export async function main(argv: string[], io: Io = defaultIo): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        out: { type: "string", default: "dist" },
        lang: { type: "string" },
        format: { type: "string" },
        quiet: { type: "boolean", default: false },
        strict: { type: "boolean", default: false },
        partial: { type: "boolean", default: false },
        verbose: { type: "boolean", default: false },
        missions: { type: "string" },
        only: { type: "string" },
        help: { type: "boolean", short: "h", default: false },
        // signatories import / add
        map: { type: "string" },
        report: { type: "string" },
        "dry-run": { type: "boolean", default: false },
        name: { type: "string" },
        individual: { type: "boolean", default: false },
        family: { type: "string" },
        affiliation: { type: "string" },
        country: { type: "string" },
        website: { type: "string" },
        // deliver
        send: { type: "boolean", default: false },
        yes: { type: "boolean", default: false },
        status: { type: "boolean", default: false },
        "resend-unknown": { type: "boolean", default: false },
        fallback: { type: "string" },
        from: { type: "string" },
        "reply-to": { type: "string" },
        rate: { type: "string" },
      },
    });
  } catch (error) {
    io.stderr(`letterpress: ${(error as Error).message}\n\n${USAGE}\n`);
    return 1;
  }
  const { values, positionals } = parsed;
  verbose = values.verbose;
  const [command, ...rest] = positionals;
  if (values.help || !command) {
    (values.help ? io.stdout : io.stderr)(`${USAGE}\n`);
    return values.help ? 0 : 1;
  }
  const sub = command === "translations" ? rest.shift() : undefined;
  const xliff = sub === "import" ? rest.shift() : undefined;
  const input = rest[0] ?? "source/open-letter.md";
  const list = (s: string | undefined) => (s ? s.split(",").map((x) => x.trim()).filter(Boolean) : undefined);
  /** The options `build` and `watch` share. */
  const buildOptions = () => ({
    input,
    outDir: values.out,
    root: projectRoot(path.dirname(input)),
    ...(list(values.lang) ? { langs: list(values.lang)! } : {}),
    formats: parseFormats(list(values.format)),
    strict: values.strict,
    partial: values.partial,
  });
  try {
    switch (command) {
      case "check": {
        const { doc, files } = await loadDocument(input);
        if (doc) {
          const root = projectRoot(path.dirname(input));
          const langs = await translationLanguages(root, doc.slug);
          for (const edition of await loadEditions(doc, root, langs, { strict: values.strict })) files.push(edition.file);
        }
        report(files, io);
        const failed = hasErrors(files);
        if (!failed && !values.quiet) io.stdout(`${input}: no errors\n`);
        return failed ? 1 : 0;
      }
      case "build": {
        const result = await build({
          ...buildOptions(),
          onProgress: values.quiet
            ? undefined
            : (e) => io.stderr(`  ${e.path.padEnd(32)} ${formatSize(e.bytes).padStart(10)} ${Math.round(e.ms).toString().padStart(6)} ms\n`),
        });
        report(result.files, io);
        if (!result.ok) {
          io.stderr(`letterpress: build failed; ${values.out}/ was left unchanged\n`);
          return 1;
        }
        if (result.skipped?.length) io.stderr(`letterpress: not published (translation not complete; --partial publishes it): ${result.skipped.join(", ")}\n`);
        const total = result.outputs.reduce((sum, o) => sum + o.bytes, 0);
        io.stdout(`Built ${result.outputs.length} files (${formatSize(total)}) into ${values.out}/ in ${(result.ms / 1000).toFixed(2)} s\n`);
        return 0;
      }
      case "deliver":
        return await deliverCommand(input, projectRoot(path.dirname(input)), { ...values, only: list(values.only) }, io);
      case "watch": {
        // A watch lives for hours, and each rebuild leaves ~10 MB of output buffers and protocol
        // messages behind. After each full collection V8 lets its heap grow to up to four times
        // what survived before collecting again (a factor meant for throughput), and the buffers
        // wait with it: 1.6 keeps this process ~60 MiB smaller over a session and was no slower
        // (1.3 cost ~0.3 s of CPU a rebuild; README, Benchmarks). This process only: builds and
        // deliveries end within seconds and keep V8's default.
        setFlagsFromString("--heap-growing-percent=60");
        const controller = new AbortController();
        const stop = () => controller.abort();
        process.once("SIGINT", stop);
        process.once("SIGTERM", stop);
        io.stderr(`Watching ${input} (Ctrl-C to stop)\n`);
        await watch({
          ...buildOptions(),
          signal: controller.signal,
          onBuild: (event) => {
            const stamp = new Date().toTimeString().slice(0, 8);
            const what = event.changed.length ? event.changed.map((f) => path.relative(process.cwd(), f)).join(", ") : "start";
            if (event.error) {
              io.stderr(`[${stamp}] ${what}: ${event.error instanceof ConfigError ? event.error.message : String(event.error)}\n`);
              return;
            }
            const r = event.result!;
            report(r.files, io);
            if (!r.ok) io.stderr(`[${stamp}] ${what}: build failed; ${values.out}/ left unchanged\n`);
            else {
              const rendered = r.outputs.filter((o) => o.format).length - (r.reused ?? 0);
              io.stdout(`[${stamp}] ${what}: rebuilt ${rendered} output(s), reused ${r.reused ?? 0}, in ${Math.round(r.ms)} ms\n`);
            }
          },
        });
        process.off("SIGINT", stop);
        process.off("SIGTERM", stop);
        return 0;
      }
      case "init":
        return await initCommand(rest[0] ?? ".", io, projectRoot);
      case "signatories":
        return await signatoriesCommand(rest[0], rest.slice(1), values, io);
      case "translations":
        return await translationsCommand(sub, input, list(values.lang) ?? [], values.strict, io, {
          ...(xliff ? { xliff } : {}),
          ...(values.out !== "dist" ? { out: values.out } : {}),
        });
      default:
        io.stderr(`letterpress: unknown command \`${command}\`\n\n${USAGE}\n`);
        return 1;
    }
  } catch (error) {
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

async function translationsCommand(
  sub: string | undefined,
  input: string,
  langs: string[],
  strict: boolean,
  io: Io,
  paths: { xliff?: string; out?: string } = {},
): Promise<number> {
  const { doc, files } = await loadDocument(input);
  if (!doc || hasErrors(files)) {
    report(files, io);
    return 1;
  }
  const root = projectRoot(path.dirname(input));
  switch (sub) {
    case "update": {
      const result = await updateTranslations(doc, root, langs);
      io.stdout(`Wrote ${path.relative(process.cwd(), result.pot)}\n`);
      for (const f of result.files) {
        io.stdout(`${f.created ? "Created" : "Updated"} ${path.relative(process.cwd(), f.path)}: ${f.stats.translated} translated, ${f.stats.fuzzy} fuzzy, ${f.stats.untranslated} untranslated, ${f.stats.obsolete} obsolete\n`);
      }
      return 0;
    }
    case "status": {
      const all = await translationLanguages(root, doc.slug);
      const editions = await loadEditions(doc, root, langs.length ? langs : all, { strict });
      const rows = editions.map((e) => {
        const s = e.overlay?.stats;
        const errors = e.file.messages.filter((m) => m.fatal).length;
        return { lang: e.lang, s, errors };
      });
      const header = "language  translated   fuzzy  untranslated  obsolete  errors";
      io.stdout(`${header}\n`);
      let complete = true;
      for (const { lang, s, errors } of rows) {
        if (!s) {
          io.stdout(`${lang.padEnd(8)}  (unreadable: see messages)\n`);
          complete = false;
          continue;
        }
        const pct = s.total ? Math.floor((s.translated / s.total) * 1000) / 10 : 100;
        io.stdout(`${lang.padEnd(8)}  ${`${s.translated}/${s.total} ${pct}%`.padStart(14)} ${String(s.fuzzy).padStart(6)} ${String(s.untranslated).padStart(13)} ${String(s.obsolete).padStart(9)} ${String(errors).padStart(7)}\n`);
        if (s.translated !== s.total || s.obsolete > 0 || errors > 0) complete = false;
      }
      const problems = editions.map((e) => e.file).filter((f) => f.messages.some((m) => m.fatal));
      if (problems.length) report(problems, io);
      return complete ? 0 : 1;
    }
    case "export": {
      if (langs.length !== 1) throw new ConfigError("`translations export` needs exactly one `--lang`");
      const written = await exportTranslation(doc, root, langs[0]!, paths.out);
      io.stdout(`Wrote ${path.relative(process.cwd(), written)}\n`);
      return 0;
    }
    case "import": {
      if (!paths.xliff) throw new ConfigError("`translations import` needs an XLIFF file");
      if (langs.length > 1) throw new ConfigError("`translations import` takes at most one `--lang`");
      const result = await importTranslation(doc, root, paths.xliff, langs[0]);
      report(result.files, io);
      const s = result.summary;
      if (result.path) io.stdout(`${path.relative(process.cwd(), result.path)}: ${s.translated} translated, ${s.fuzzy} fuzzy, ${s.unchanged} unchanged, ${s.rejected} rejected\n`);
      return hasErrors(result.files) ? 1 : 0;
    }
    default:
      io.stderr(`letterpress: \`translations\` needs \`update\`, \`status\`, \`export\` or \`import\`\n`);
      return 1;
  }
}
