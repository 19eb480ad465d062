/**
 * A large, deterministic test document: `npx tsx scripts/generate-large.ts <outdir> [--seed N]
 * [--notes N] [--words N]`.
 *
 * Writes a small project into <outdir>:
 *
 *   package.json                      stub, so <outdir> is the project root
 *   source/large.md                   ~70,000 words, 280 notes, headings every few paragraphs
 *   source/signatories.yaml           60 organisations, 20 individuals
 *   translations/large.pot            from `letterpress translations update`
 *   translations/<lang>/large.po      fr, es, ru, ar, zh: complete pseudo-translations
 *   expected.json                     what the document is, known by construction (see `Expected`)
 *
 * The text is seeded pseudo-English. Notes are referenced in order (`[^n1]` … `[^n280]`, every
 * tenth with a word label such as `[^report-10]`), about one in seven paragraphs repeats an
 * earlier note, definitions are shuffled, half of the notes hold a link. The PO files are made by
 * the pipeline's own `translations update` and filled with pseudo-translations that keep every
 * piece of inline Markdown (note references, link targets, autolinks, emphasis, placeholders) and
 * replace the words with words of the language's script, so the overlay and its structure check
 * are exercised for every segment. Same seed, same bytes.
 */
import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { po as gettext } from "gettext-parser";
import { loadDocument } from "../pipeline/load.ts";
import { updateTranslations } from "../pipeline/i18n/translations.ts";
import { mulberry32 } from "../pipeline/random.ts";

export const LANGUAGES = ["fr", "es", "ru", "ar", "zh"] as const;

export interface GenerateOptions {
  seed?: number;
  /** Number of distinct notes (default 280). */
  notes?: number;
  /** Approximate number of words in the body and the notes (default 70,000). */
  words?: number;
  /** Translations to write (default: fr, es, ru, ar, zh). */
  languages?: readonly string[];
}

/** Facts about the generated document, known by construction (not read from any output). */
export interface Expected {
  slug: string;
  document: string;
  languages: string[];
  /** Number of distinct notes. */
  notes: number;
  /** The number shown at every note call of the body, in reading order (1..N, with repeats). */
  calls: number[];
  /** Note labels by number (index 0 is note 1). */
  labels: string[];
  /** Words in the body and the notes (Markdown syntax not counted). */
  words: number;
  paragraphs: number;
  /** Headings after the title: `## …` and `### …`, in order. */
  headings: Array<{ depth: number; text: string }>;
  /** Distinct external link targets. */
  links: string[];
  organisations: number;
  individuals: number;
}

// ------------------------------------------------------------------------------- randomness

const prng = mulberry32;

const WORDS = (
  "access accountability advocacy agreement analysis approach assembly authority balance budget capacity " +
  "challenge citizen civil clause committee communication community concern consensus convention cooperation " +
  "council court criminal data debate declaration defender delegation democracy development dialogue digital " +
  "dignity draft due effect encryption enforcement evidence expert expression framework freedom government " +
  "guarantee harm human implementation information infrastructure initiative institution instrument interest " +
  "international internet journalist justice language law legislation liberty mandate mechanism member " +
  "network norm obligation observer online oversight participation peace policy power practice principle " +
  "privacy procedure process proportionality protection protocol provision public purpose question reform " +
  "region report representative request research resolution resource response responsibility review right " +
  "risk rule safeguard scope scrutiny security session society stakeholder standard state statement study " +
  "support surveillance system technology text transparency treaty trust understanding union use voice vote " +
  "welfare work"
).split(" ");
const SMALL = "a the of to and in for on with by from as at that which under across within between".split(" ");

// ------------------------------------------------------------------------------- the document

interface Built {
  markdown: string;
  signatories: string;
  expected: Omit<Expected, "languages" | "document" | "slug">;
}

function buildDocument(seed: number, noteCount: number, targetWords: number): Built {
  const random = prng(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
  const between = (lo: number, hi: number) => lo + Math.floor(random() * (hi - lo + 1));
  const cap = (w: string) => w[0]!.toUpperCase() + w.slice(1);
  let words = 0;
  const links = new Set<string>();

  const phrase = (n: number) => Array.from({ length: n }, (_, i) => (i % 3 === 1 ? pick(SMALL) : pick(WORDS))).join(" ");
  const sentence = (decorate: boolean): string => {
    const length = between(8, 20);
    const parts = phrase(length).split(" ");
    words += length;
    parts[0] = cap(parts[0]!);
    if (decorate && random() < 0.12 && parts.length > 6) {
      const at = between(2, parts.length - 4);
      parts.splice(at, 2, `**${parts[at]} ${parts[at + 1]}**`);
    }
    if (decorate && random() < 0.1 && parts.length > 6) {
      const at = between(2, parts.length - 4);
      const url = `https://example.org/ref/${seed}-${links.size + 1}`;
      links.add(url);
      parts.splice(at, 2, `[${parts[at]} ${parts[at + 1]}](${url})`);
    }
    return `${parts.join(" ")}.`;
  };

  // Labels: n1, n2, …, every tenth a word label.
  const labels = Array.from({ length: noteCount }, (_, i) => ((i + 1) % 10 === 0 ? `${pick(WORDS)}-${i + 1}` : `n${i + 1}`));
  // Note texts first, so the body knows how many words are left for it.
  const noteTexts = labels.map((_, i) => {
    const sentences = Array.from({ length: between(1, 3) }, () => sentence(false));
    if (i % 2 === 0) {
      const url = `https://example.org/source/${seed}-${i + 1}`;
      links.add(url);
      sentences.push(`See [the source](${url}).`);
      words += 3;
    } else if (i % 7 === 0) {
      const url = `https://example.org/document/${seed}-${i + 1}`;
      links.add(url);
      sentences.push(`<${url}>`);
      words += 1;
    }
    return sentences.join(" ");
  });

  const bodyWords = targetWords - words;
  // 4–8 sentences of 8–20 words: 84 words a paragraph on average.
  const paragraphCount = Math.max(noteCount, Math.round(bodyWords / 84));
  // Where the first references go: spread over the paragraphs, in order.
  const firstAt = new Map<number, number[]>();
  for (let n = 0; n < noteCount; n++) {
    const p = Math.floor(((n + 0.5) * paragraphCount) / noteCount);
    firstAt.set(p, [...(firstAt.get(p) ?? []), n]);
  }

  const lines: string[] = [];
  const headings: Expected["headings"] = [];
  const calls: number[] = [];
  let introduced = 0;
  let sinceHeading = 99;
  let section = 0;
  for (let p = 0; p < paragraphCount; p++) {
    if (sinceHeading >= between(3, 6)) {
      section++;
      const depth = section % 4 === 0 ? 3 : 2;
      const text = `${depth === 2 ? "Section" : "Part"} ${section}: ${cap(phrase(between(2, 5)))}`;
      headings.push({ depth, text });
      lines.push(`${"#".repeat(depth)} ${text}`, "");
      sinceHeading = 0;
    }
    sinceHeading++;
    const sentences = Array.from({ length: between(4, 8) }, () => sentence(true));
    // Attach note references to sentence ends: first references, then maybe one repeat.
    // First references keep their order (sorted sentence positions); a repeat of an earlier
    // note may stand anywhere.
    const firsts = firstAt.get(p) ?? [];
    const positions = firsts.map(() => between(0, sentences.length - 1)).sort((a, b) => a - b);
    const refs = firsts.map((n, i): [number, number] => [n, positions[i]!]);
    if (introduced > 5 && random() < 0.15) refs.push([between(0, introduced - 1), between(0, sentences.length - 1)]);
    for (const [n, at] of refs) sentences[at] = sentences[at]!.replace(/\.$/, `[^${labels[n]}].`);
    // Calls in reading order within the paragraph.
    for (const s of sentences) for (const m of s.matchAll(/\[\^([^\]]+)\]/g)) calls.push(labels.indexOf(m[1]!) + 1);
    for (const n of firstAt.get(p) ?? []) introduced = Math.max(introduced, n + 1);
    lines.push(sentences.join(" "), "");
  }
  // The pipeline numbers notes by first reference: with repeats placed anywhere in a paragraph,
  // a repeat can come before a first reference of the same paragraph only if it refers to an
  // earlier note, so the first calls still read 1, 2, 3, … (checked here).
  const firsts = calls.filter((n, i) => calls.indexOf(n) === i);
  if (firsts.some((n, i) => n !== i + 1)) throw new Error("generator: notes are not first referenced in order");

  lines.push("With the signatories below,", "", "<!-- signatories -->", "");
  // Definitions in a shuffled order.
  const order = labels.map((_, i) => i);
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  for (const i of order) lines.push(`[^${labels[i]}]: ${noteTexts[i]}`, "");

  const front = [
    "---",
    "lang: en",
    "short-title: A large generated letter",
    "subject: A generated document for proof and benchmark suites",
    "keywords: [generated, benchmark, footnotes]",
    "author: Letterpress generator",
    "date: 2024-05",
    "signatories: signatories.yaml",
    "---",
    "",
    `# A large generated letter (seed ${seed})`,
    "",
  ];

  // Signatories: unique after normalisation (numbered), a few accents.
  const accents = ["", "é", "ü", "ñ", "ø"];
  const organisations = Array.from({ length: 60 }, (_, i) => `${cap(pick(WORDS))} ${cap(pick(WORDS))}${accents[i % 5]} Network ${i + 1}`);
  const givens = ["Ana", "Bo", "Chidi", "Dana", "Élodie", "Farid", "Grace", "Hiro", "Inés", "Jonas"];
  const families = ["Adeyemi", "Brandt", "Castillo", "Dubois", "Eriksen", "Fujita", "García", "Haddad", "Ivanova", "Jensen", "Kowalski", "Lindqvist", "Moreau", "Nakamura", "Okafor", "Petrov", "Quispe", "Rossi", "Schmidt", "Tanaka"];
  const individuals = families.map((family, i) => ({ name: `${givens[i % givens.length]} ${family}`, family, line: i % 3 === 0 ? { country: pick(["Kenya", "Chile", "Norway", "Japan"]) } : { affiliation: `${cap(pick(WORDS))} Institute, University ${i + 1}` } }));
  const yaml = [
    "# Generated by scripts/generate-large.ts",
    "organisations:",
    ...organisations.map((name) => `  - name: ${JSON.stringify(name)}`),
    "individuals:",
    ...individuals.flatMap((p) => [
      `  - name: ${JSON.stringify(p.name)}`,
      `    family: ${JSON.stringify(p.family)}`,
      ..."country" in p.line ? [`    country: ${JSON.stringify(p.line.country)}`] : [`    affiliation: ${JSON.stringify(p.line.affiliation)}`],
    ]),
    "",
  ].join("\n");

  return {
    markdown: `${[...front, ...lines].join("\n").trimEnd()}\n`,
    signatories: yaml,
    expected: {
      notes: noteCount,
      calls,
      labels,
      words,
      paragraphs: paragraphCount,
      headings,
      links: [...links].sort(),
      organisations: organisations.length,
      individuals: individuals.length,
    },
  };
}

// ------------------------------------------------------------------------- pseudo-translation

const CYRILLIC: Record<string, string> = { a: "а", b: "б", c: "ц", d: "д", e: "е", f: "ф", g: "г", h: "х", i: "и", j: "й", k: "к", l: "л", m: "м", n: "н", o: "о", p: "п", q: "к", r: "р", s: "с", t: "т", u: "у", v: "в", w: "ш", x: "ж", y: "ы", z: "з" };
const ARABIC: Record<string, string> = { a: "ا", b: "ب", c: "ك", d: "د", e: "ي", f: "ف", g: "غ", h: "ه", i: "ي", j: "ج", k: "ك", l: "ل", m: "م", n: "ن", o: "و", p: "ب", q: "ق", r: "ر", s: "س", t: "ت", u: "و", v: "ف", w: "و", x: "خ", y: "ي", z: "ز" };
const FRENCH: Record<string, string> = { a: "à", e: "é", i: "î", o: "ô", u: "û" };
const SPANISH: Record<string, string> = { a: "á", e: "é", i: "í", o: "ó", u: "ú", n: "ñ" };
/** Common characters of Noto Serif SC's first subsets. */
const HAN = "的一是不了人我在有他这中大来上国个到说们为子和你地出道也时年得就那要下以生会自着去之过家学对可她里后小么心多天而能好都然没日于起还发成事只作当想看文无开手十用主行方又如前所本见经头面公同三已老从动两长知民样现分将外但身些与高意进把法此实回二理美点月明其种声全工己话儿者向情部正名定女问力机给等几很业最间新什打便位因重被走电四第门相次东政海口使教西再平真听世气信北少关并内加化由却代军产入先山五太水万市眼体别处总才场师书";

/** Pieces of inline Markdown that must survive translation untouched. */
const PROTECTED = /(\[\^[^\]\s]+\]|\]\([^)\s]*\)|<[a-z]+:[^>\s]*>|\{\w+\}|`[^`]*`|\\.|\*\*|[*_[\]]|https?:\/\/\S+|\b(?:A|E|S|ST)\/[A-Za-z0-9.\-/]*[A-Za-z0-9]|\d+)/g;

function hash(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193) >>> 0;
  return h;
}

function translateWord(word: string, lang: string): string {
  const lower = word.toLowerCase();
  switch (lang) {
    case "ru":
      return [...word].map((c) => (CYRILLIC[c.toLowerCase()] ? (c === c.toLowerCase() ? CYRILLIC[c]! : CYRILLIC[c.toLowerCase()]!.toUpperCase()) : c)).join("");
    case "ar":
      return [...lower].map((c) => ARABIC[c] ?? c).join("");
    case "zh": {
      const h = hash(lower);
      const length = 1 + (h % 3);
      return Array.from({ length }, (_, i) => HAN[(h >>> (i * 8)) % HAN.length]).join("");
    }
    case "fr":
      return [...word].map((c) => FRENCH[c] ?? c).join("");
    case "es":
      return [...word].map((c) => SPANISH[c] ?? c).join("");
    default:
      return [...word].reverse().join("");
  }
}

/** Translate the words of plain text; punctuation follows the script. */
function translateText(text: string, lang: string): string {
  let out = text.replace(/\p{L}+/gu, (w) => translateWord(w, lang));
  if (lang === "ar") out = out.replace(/,/g, "،").replace(/\?/g, "؟");
  if (lang === "zh") {
    out = out.replace(/(\p{Script=Han})\s+(?=\p{Script=Han})/gu, "$1").replace(/\.(\s|$)/g, "。$1").replace(/,\s?/g, "，").replace(/:\s?/g, "：");
  }
  return out;
}

/** A pseudo-translation of a segment: every protected piece kept, every word replaced. */
export function pseudoTranslate(source: string, lang: string): string {
  let out = "";
  let last = 0;
  for (const m of source.matchAll(PROTECTED)) {
    out += translateText(source.slice(last, m.index), lang) + m[0];
    last = m.index! + m[0].length;
  }
  out += translateText(source.slice(last), lang);
  return out;
}

const FIXED_DATE = "2024-05-01 00:00+0000";

async function fillPo(file: string, lang: string): Promise<number> {
  const po = gettext.parse(await readFile(file));
  const nplurals = Number(/nplurals=(\d+)/.exec(po.headers["Plural-Forms"] ?? "")?.[1] ?? 2);
  let count = 0;
  for (const entries of Object.values(po.translations)) {
    for (const [id, entry] of Object.entries(entries)) {
      if (!id) continue;
      entry.msgstr = entry.msgid_plural
        ? Array.from({ length: nplurals }, (_, i) => pseudoTranslate(i === 0 ? entry.msgid : entry.msgid_plural!, lang))
        : [pseudoTranslate(entry.msgid, lang)];
      count++;
    }
  }
  po.headers["POT-Creation-Date"] = FIXED_DATE;
  po.headers["PO-Revision-Date"] = FIXED_DATE;
  await writeFile(file, gettext.compile(po, { foldLength: 0 }));
  return count;
}

// ------------------------------------------------------------------------------------- entry

export async function generateLarge(outDir: string, options: GenerateOptions = {}): Promise<Expected> {
  const seed = options.seed ?? 20_240_501;
  const languages = [...(options.languages ?? LANGUAGES)];
  const built = buildDocument(seed, options.notes ?? 280, options.words ?? 70_000);
  const root = path.resolve(outDir);
  await mkdir(path.join(root, "source"), { recursive: true });
  await rm(path.join(root, "translations"), { recursive: true, force: true });
  await writeFile(path.join(root, "package.json"), `${JSON.stringify({ name: "letterpress-large", private: true }, null, 2)}\n`);
  const document = path.join(root, "source/large.md");
  await writeFile(document, built.markdown);
  await writeFile(path.join(root, "source/signatories.yaml"), built.signatories);

  const { doc, files } = await loadDocument(document);
  const errors = files.flatMap((f) => f.messages.filter((m) => m.fatal).map((m) => `${f.path}:${m.line}:${m.column} ${m.reason}`));
  if (!doc || errors.length > 0) throw new Error(`generated document has errors:\n${errors.join("\n")}`);
  const previous = process.env.SOURCE_DATE_EPOCH;
  process.env.SOURCE_DATE_EPOCH = String(Date.UTC(2024, 4, 1) / 1000);
  try {
    const result = await updateTranslations(doc, root, languages);
    for (const file of result.files) await fillPo(file.path, file.lang);
  } finally {
    if (previous === undefined) delete process.env.SOURCE_DATE_EPOCH;
    else process.env.SOURCE_DATE_EPOCH = previous;
  }
  const expected: Expected = { slug: "large", document: path.relative(root, document), languages: ["en", ...languages.sort()], ...built.expected };
  await writeFile(path.join(root, "expected.json"), `${JSON.stringify(expected, null, 2)}\n`);
  return expected;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const args = process.argv.slice(2);
  const flag = (name: string) => {
    const i = args.indexOf(`--${name}`);
    return i >= 0 ? Number(args.splice(i, 2)[1]) : undefined;
  };
  const seed = flag("seed");
  const notes = flag("notes");
  const words = flag("words");
  const outDir = args[0];
  if (!outDir) {
    process.stderr.write("usage: npx tsx scripts/generate-large.ts <outdir> [--seed N] [--notes N] [--words N]\n");
    process.exit(1);
  }
  const expected = await generateLarge(outDir, { ...(seed !== undefined ? { seed } : {}), ...(notes !== undefined ? { notes } : {}), ...(words !== undefined ? { words } : {}) });
  process.stdout.write(
    `Wrote ${outDir}: ${expected.words} words, ${expected.paragraphs} paragraphs, ${expected.headings.length} headings, ${expected.notes} notes (${expected.calls.length} calls), ${expected.links.length} links, ${expected.organisations} organisations, ${expected.individuals} individuals; translations: ${expected.languages.filter((l) => l !== "en").join(", ")}\n`,
  );
}
