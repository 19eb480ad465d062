/** `letterpress translations update | status | export | import`: the printing side of `i18n/translations.ts`. */
import path from "node:path";
import { ConfigError } from "../errors.ts";
import { exportTranslation, importTranslation, loadEditions, translationLanguages, updateTranslations } from "../i18n/translations.ts";
import { projectRoot } from "../api.ts";
import { hasErrors, loadDocument } from "../load.ts";
import type { OptionValues } from "./command.ts";
import { reportFiles, type Io } from "./io.ts";

const DEFAULT_DOCUMENT = "source/open-letter.md";

export async function translationsCommand(sub: string, args: string[], values: OptionValues, io: Io): Promise<number> {
  const positional = [...args];
  const xliff = sub === "import" ? positional.shift() : undefined;
  const [input = DEFAULT_DOCUMENT, ...extra] = positional;
  if (extra.length) throw new ConfigError(`unexpected argument \`${extra[0]}\` for \`translations ${sub}\``);
  const langs = typeof values.lang === "string" ? values.lang.split(",").map((x) => x.trim()).filter(Boolean) : [];
  const strict = values.strict === true;
  const out = typeof values.out === "string" ? values.out : undefined;
  if (sub === "import" && !xliff) throw new ConfigError("`translations import` needs an XLIFF file", { hint: "letterpress translations import fr.xlf" });
  const { doc, files } = await loadDocument(input);
  if (!doc || hasErrors(files)) {
    reportFiles(files, io);
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
      const header = "language  translated   fuzzy  untranslated  obsolete  errors";
      io.stdout(`${header}\n`);
      let complete = true;
      for (const e of editions) {
        const s = e.overlay?.stats;
        const errors = e.file.messages.filter((m) => m.fatal).length;
        if (!s) {
          io.stdout(`${e.lang.padEnd(8)}  (unreadable: see messages)\n`);
          complete = false;
          continue;
        }
        const pct = s.total ? Math.floor((s.translated / s.total) * 1000) / 10 : 100;
        io.stdout(`${e.lang.padEnd(8)}  ${`${s.translated}/${s.total} ${pct}%`.padStart(14)} ${String(s.fuzzy).padStart(6)} ${String(s.untranslated).padStart(13)} ${String(s.obsolete).padStart(9)} ${String(errors).padStart(7)}\n`);
        if (s.translated !== s.total || s.obsolete > 0 || errors > 0) complete = false;
      }
      const problems = editions.map((e) => e.file).filter((f) => f.messages.some((m) => m.fatal));
      if (problems.length) reportFiles(problems, io);
      return complete ? 0 : 1;
    }
    case "export": {
      if (langs.length !== 1) throw new ConfigError("`translations export` needs exactly one `--lang`");
      const written = await exportTranslation(doc, root, langs[0]!, out);
      io.stdout(`Wrote ${path.relative(process.cwd(), written)}\n`);
      return 0;
    }
    case "import": {
      if (langs.length > 1) throw new ConfigError("`translations import` takes at most one `--lang`");
      const result = await importTranslation(doc, root, xliff!, langs[0]);
      reportFiles(result.files, io);
      const s = result.summary;
      if (result.path) io.stdout(`${path.relative(process.cwd(), result.path)}: ${s.translated} translated, ${s.fuzzy} fuzzy, ${s.unchanged} unchanged, ${s.rejected} rejected\n`);
      return hasErrors(result.files) ? 1 : 0;
    }
    default:
      throw new ConfigError(`unknown subcommand \`translations ${sub}\``);
  }
}
