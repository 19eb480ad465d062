/**
 * `letterpress init [dir]`: a new letter that checks and builds as it is, for a campaigner to
 * rewrite: `<dir>/<name>.md` (its front matter explains every key), `<dir>/signatories.yaml`
 * (one organisation, one individual) and its translation template `translations/<name>.pot` under
 * the project root. `<name>` is the folder's name: a letter's file name is its id (outputs
 * `dist/<lang>/<name>.<ext>`, translations `translations/<lang>/<name>.po`). Nothing that exists is
 * overwritten: the letter is refused before anything is written.
 */
import { existsSync } from "node:fs";
import { mkdir, readdir, readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { ConfigError } from "../errors.ts";
import { updateTranslations, translationsDir, letterOf } from "../i18n/translations.ts";
import { hasErrors, loadDocument } from "../load.ts";

/** What a letter's id may be: it names files and folders on every system. */
const ID = /^[a-z0-9][a-z0-9._-]*$/i;

export interface CreatedLetter {
  id: string;
  /** Absolute paths of the files written, the document first. */
  files: string[];
}

export async function createLetter(dir: string, root: string, options: { date?: string } = {}): Promise<CreatedLetter> {
  const folder = path.resolve(dir);
  const id = path.basename(folder);
  if (!ID.test(id)) {
    throw new ConfigError(`\`${id}\` cannot name a letter: use letters, digits, \`-\`, \`_\` or \`.\``, { hint: "letterpress init letters/my-letter" });
  }
  const doc = path.join(folder, `${id}.md`);
  const signatories = path.join(folder, "signatories.yaml");
  const pot = path.join(translationsDir(root), `${id}.pot`);
  const taken = [doc, signatories, pot].filter((f) => existsSync(f));
  // The id is also taken when another letter of the same name has translations.
  const dirs = existsSync(translationsDir(root)) ? await readdir(translationsDir(root), { withFileTypes: true }) : [];
  for (const d of dirs) {
    const po = path.join(translationsDir(root), d.name, `${id}.po`);
    if (d.isDirectory() && existsSync(po)) taken.push(po);
  }
  if (taken.length > 0) {
    const owner = existsSync(pot) ? letterOf(await readFile(pot, "utf8"))?.path : undefined;
    throw new ConfigError(`Not creating the letter \`${id}\`: ${taken.map((f) => path.relative(process.cwd(), f) || f).join(", ")} already ${taken.length === 1 ? "exists" : "exist"}${owner ? ` (the letter ${owner})` : ""}; nothing was written`, {
      hint: "choose another folder name (a letter's file name is its id), or remove those files",
    });
  }
  const date = options.date ?? new Date().toISOString().slice(0, 10);
  const written: string[] = [];
  try {
    await mkdir(folder, { recursive: true });
    // `wx`: never replace a file that appeared meanwhile.
    await writeFile(doc, letterTemplate(id, date), { flag: "wx" });
    written.push(doc);
    await writeFile(signatories, SIGNATORIES_TEMPLATE, { flag: "wx" });
    written.push(signatories);
    const { doc: loaded, files } = await loadDocument(doc);
    if (!loaded || hasErrors(files)) throw new Error(`the new letter does not check: ${files.flatMap((f) => f.messages.map((m) => m.reason)).join("; ")}`);
    const update = await updateTranslations(loaded, root);
    written.push(update.pot);
  } catch (error) {
    for (const file of written) await rm(file, { force: true });
    throw error;
  }
  return { id, files: written };
}

function letterTemplate(id: string, date: string): string {
  return `---
# Front matter: what Letterpress needs to know about this letter. Lines starting with # are
# comments. Every key but \`lang\` may be left out.

# The language this text is written in (BCP 47: en, en-GB, fr, es, ru, ar, zh …). Required.
lang: en
# The title is the level-1 heading below (\`# …\`); set \`title\` only for a different one.
# title: A different title for the metadata
# A shorter title, for running heads and window titles.
short-title: Joint statement
# One sentence on what the letter is about (PDF, Word and EPUB metadata).
subject: Joint statement of civil society organisations
# Words a library or search engine would file it under.
keywords: [human rights, civil society]
# Who publishes the letter (document metadata).
author: Joint civil society statement
# To whom the letter is written.
addressee: Members of the Human Rights Council
# The date of the letter: YYYY, YYYY-MM or YYYY-MM-DD.
date: ${date}
# The signatories file, next to this one. Its list appears where the text has the
# <!-- signatories --> marker. Add sign-ons with \`letterpress signatories add\` or \`import\`.
signatories: signatories.yaml
# For \`letterpress deliver\`: the missions file (each mission's code, name and language),
# relative to this file. The bundled letter's is source/missions.yaml.
# missions: ../source/missions.yaml
---

# Joint statement: replace this heading with the letter's title

Excellencies,

Write the letter here in Markdown. A paragraph is one or more lines; a blank line starts the
next. **Bold** marks what matters most, and a link needs a real address, such as the report of
the Special Rapporteur ([A/HRC/41/41](https://undocs.org/A/HRC/41/41)).[^report]

## A section heading

Footnotes are numbered in the order they are first referred to, in every format and
language.[^why]

Yours sincerely,

<!-- signatories -->

[^report]: A note's text goes here, after the marker; give each note a short label.

[^why]: Labels are words, not numbers, so adding a note never renumbers the others by hand.
`;
}

const SIGNATORIES_TEMPLATE = `# Who signs the letter. Organisations are listed in alphabetical order and individuals by
# family name when the letter is built, so new entries can go at the end.
organisations:
  # name (required), country and website (an http:// or https:// address) for each.
  - name: Example Organisation
    country: Kenya
    website: https://example.org
individuals:
  # name (required); family: the part of the name to sort by; affiliation: printed under the
  # name as written; country: printed when there is no affiliation.
  - name: Ada Example
    family: Example
    affiliation: Example University
`;
