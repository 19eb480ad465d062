/**
 * Fallback generator for the benchmark's large edition: a deterministic English letter of about
 * 72,000 words with 280 GFM footnotes (some referenced twice), ~60 headings with cross-references,
 * UN-symbol links, lists and a 300-entry signatory list. Used only when the project's own
 * `scripts/generate-large.ts` is not there.
 *
 *   npx tsx scripts/bench/generate-large.ts <outdir>   → <outdir>/large-letter.md, signatories.yaml
 */
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { pathToFileURL } from "node:url";

export const NOTES = 280;
export const TARGET_WORDS = 72_000;

/** mulberry32: a tiny seeded PRNG, so every run writes the same bytes. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const WORDS = (
  "the of and to in a is that for on as with by be this are states it not or from which an at " +
  "convention cybercrime human rights online access data law enforcement cooperation privacy expression " +
  "assembly freedom association resolution delegations committee process civil society stakeholders " +
  "international national criminal procedure safeguards oversight judicial authorization proportionality " +
  "necessity legality transparency accountability encryption security researchers journalists defenders " +
  "cross-border evidence requests providers jurisdiction sovereignty treaty protocol negotiation mandate " +
  "experts consultation inclusive participation definitions offences content speech platforms surveillance " +
  "interception retention preservation disclosure mutual legal assistance extradition dual criminality " +
  "remedy notice review independent courts legislation reform implementation capacity building technical " +
  "assistance development infrastructure networks services users communities vulnerable groups women " +
  "children minorities activists protesters assembly media information knowledge innovation economy trust " +
  "should would could must may will however therefore moreover furthermore accordingly consequently " +
  "clear narrow broad vague precise effective adequate existing new proposed draft final current future"
).split(/\s+/);

const TOPICS = [
  "Scope and definitions",
  "Substantive offences",
  "Procedural powers",
  "Data retention",
  "Cross-border access",
  "Mutual legal assistance",
  "Human rights safeguards",
  "Encryption and security research",
  "Content offences",
  "Oversight and remedies",
  "Capacity building",
  "Civil society participation",
  "Private sector obligations",
  "Jurisdiction",
  "Extradition",
  "Preservation orders",
  "Real-time collection",
  "Interception of content",
  "Protection of journalists",
  "Whistle-blowers",
  "Children's rights",
  "Gender perspectives",
  "Technical assistance",
  "Implementation review",
  "Relationship to other treaties",
  "Final provisions",
  "Transparency reporting",
  "Data protection",
  "Emergency requests",
  "Conclusions",
];

export interface Generated {
  document: string;
  words: number;
  footnotes: number;
  headings: number;
}

export function generateLargeText(seed = 9): { markdown: string; signatories: string; words: number; headings: number } {
  const rand = prng(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rand() * list.length)]!;
  const int = (lo: number, hi: number) => lo + Math.floor(rand() * (hi - lo + 1));
  let words = 0;
  const sentence = (min = 9, max = 22): string => {
    const n = int(min, max);
    words += n;
    const w = Array.from({ length: n }, () => pick(WORDS));
    if (n > 12) w[int(4, n - 4)] += ",";
    const s = w.join(" ");
    return `${s[0]!.toUpperCase()}${s.slice(1)}.`;
  };
  const symbol = (k: number) => pick([`A/HRC/${30 + (k % 20)}/${10 + (k % 50)}`, `A/RES/${60 + (k % 15)}/${100 + k}`, `A/${70 + (k % 8)}/${200 + k}`, `E/CN.15/20${10 + (k % 12)}/${1 + (k % 9)}`]);

  const notes: string[] = [];
  const noteText = (k: number): string => {
    const parts = [sentence(8, 18), sentence(8, 18)];
    if (k % 3 === 0) {
      const s = symbol(k);
      parts.push(`See [${s}](https://undocs.org/${s}).`);
      words += 2;
    } else if (k % 3 === 1) {
      parts.push(`<https://www.example.org/reports/${2000 + k}>`);
      words += 1;
    }
    return parts.join(" ");
  };

  const out: string[] = [];
  out.push(
    "---",
    "lang: en",
    "short-title: Large benchmark letter",
    "subject: A generated letter for the Letterpress benchmark",
    "keywords: [benchmark, footnotes, cybercrime]",
    "author: Letterpress benchmark",
    "addressee: Delegations to the UN General Assembly",
    "date: 2024-05",
    "signatories: signatories.yaml",
    "---",
    "",
    "# A long letter on the proposed cybercrime convention, generated for benchmarks",
    "",
  );
  const slugs: Array<{ text: string; slug: string }> = [];
  let note = 0;
  const bodyWords = TARGET_WORDS - NOTES * 34 + 2_400; // tuned: ~72,000 words counted by `wc -w`
  const paragraphsPerSection = 16;
  const totalParagraphs = TOPICS.length * paragraphsPerSection;
  const wordsPerParagraph = bodyWords / totalParagraphs;
  const notesPerParagraph = NOTES / totalParagraphs;
  let headings = 1;
  let dueNotes = 0;
  for (const [i, topic] of TOPICS.entries()) {
    const text = `Part ${i + 1}: ${topic}`;
    const slug = text.toLowerCase().replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, "").replace(/ /g, "-");
    out.push(`## ${text}`, "");
    headings++;
    for (let p = 0; p < paragraphsPerSection; p++) {
      if (p === paragraphsPerSection / 2) {
        out.push(`### ${topic}: analysis ${i + 1}`, "");
        headings++;
      }
      const target = words + wordsPerParagraph * (0.8 + rand() * 0.4);
      const sentences: string[] = [];
      dueNotes += notesPerParagraph;
      while (words < target) {
        let s = sentence();
        if (dueNotes >= 1 && note < NOTES && rand() < 0.5) {
          note++;
          dueNotes--;
          notes.push(`[^n${note}]: ${noteText(note)}`);
          s = `${s.slice(0, -1)}[^n${note}].`;
        } else if (note > 10 && rand() < 0.02) {
          s = `${s.slice(0, -1)}[^n${note - 10}].`; // a repeated reference: same number again
        }
        if (rand() < 0.06) s = `**${s}**`;
        if (rand() < 0.05) {
          const sym = symbol(int(0, 500));
          s += ` The report ([${sym}](https://undocs.org/${sym})) applies.`;
          words += 3;
        }
        if (slugs.length > 0 && rand() < 0.03) {
          const ref = pick(slugs);
          s += ` See [${ref.text}](#${ref.slug}).`;
          words += 2;
        }
        sentences.push(s);
      }
      out.push(sentences.join(" "), "");
      if (p % 7 === 3) {
        for (let k = 0; k < 4; k++) out.push(`- ${sentence(6, 14)}`);
        out.push("");
      }
    }
    slugs.push({ text, slug });
  }
  // any notes not yet placed go into a closing paragraph
  const closing: string[] = [];
  while (note < NOTES) {
    note++;
    notes.push(`[^n${note}]: ${noteText(note)}`);
    closing.push(`${sentence().slice(0, -1)}[^n${note}].`);
  }
  if (closing.length) out.push(closing.join(" "), "");
  out.push("<!-- signatories -->", "", ...notes.flatMap((n) => [n, ""]));

  const orgs: string[] = [];
  const inds: string[] = [];
  const used = new Set<string>();
  const name = (n: number) => {
    for (;;) {
      const s = Array.from({ length: n }, () => pick(WORDS.filter((w) => w.length > 4))).map((w) => `${w[0]!.toUpperCase()}${w.slice(1)}`).join(" ");
      if (!used.has(s)) {
        used.add(s);
        return s;
      }
    }
  };
  for (let k = 0; k < 200; k++) orgs.push(`  - name: ${name(3)} Network ${k + 1}`);
  for (let k = 0; k < 100; k++) {
    const family = name(1);
    inds.push(`  - name: Alex ${family} ${k + 1}`, `    family: ${family} ${k + 1}`, `    affiliation: ${name(2)} Institute`);
  }
  const signatories = ["# Generated for the Letterpress benchmark", "organisations:", ...orgs, "individuals:", ...inds, ""].join("\n");
  return { markdown: out.join("\n"), signatories, words, headings };
}

/** Write the large letter and its signatories into `outDir`. */
export async function generateLarge(outDir: string): Promise<Generated> {
  await mkdir(outDir, { recursive: true });
  const { markdown, signatories, words, headings } = generateLargeText();
  const document = path.join(outDir, "large-letter.md");
  await writeFile(document, markdown);
  await writeFile(path.join(outDir, "signatories.yaml"), signatories);
  return { document, words, footnotes: NOTES, headings };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const outDir = process.argv[2];
  if (!outDir) {
    process.stderr.write("usage: tsx scripts/bench/generate-large.ts <outdir>\n");
    process.exitCode = 1;
  } else {
    const g = await generateLarge(outDir);
    process.stdout.write(`${g.document}: ${g.words} words, ${g.footnotes} footnotes, ${g.headings} headings\n`);
  }
}
