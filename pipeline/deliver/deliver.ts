/**
 * `letterpress deliver`: one addressed PDF per permanent mission, in the UN language the mission
 * works in (or the run's fallback language where the letter has no translation into it). Editions
 * are prepared once per language (parse, overlay, checks); each copy is that edition's publication
 * with a recipient, printed in the build's one warm browser. With `mail`, each copy also gets the
 * email that carries it (./message.ts), written as an .eml file beside it when asked.
 */
import { createHash } from "node:crypto";
import { availableParallelism } from "node:os";
import { readFile } from "node:fs/promises";
import path from "node:path";
import type { VFile } from "vfile";
import { prepareEditions, type EditionRequest } from "../build/editions.ts";
import { Staging } from "../build/output.ts";
import { type Halt, runLimited } from "../build/tasks.ts";
import { ResourcePool } from "../build/resources.ts";
import { ConfigError } from "../errors.ts";
import { formatDate, languageName } from "../i18n/labels.ts";
import { composeMessage, messageSpec, parseSender, type MessageSpec } from "./message.ts";
import type { Writer } from "../model.ts";
import { writers } from "../writers/index.ts";
import { DUTY_STATIONS, loadMissions, missionName, stateName, type DutyStation, type Mission } from "./missions.ts";

export interface DeliverOptions extends EditionRequest {
  /** Missions file; default: the document's `missions:` front matter. */
  missions?: string;
  outDir: string;
  /** Only these ISO codes. */
  only?: readonly string[];
  /** The language of the copies for missions whose language the letter has no translation into. */
  fallback?: string;
  /** Compose each copy's email (and with `eml`, write it beside the PDF). */
  mail?: { from?: string; replyTo?: string; eml?: boolean };
  onProgress?: (event: { code: string; lang: string; path: string; bytes: number; done: number; total: number }) => void;
}

export interface DeliverResult {
  ok: boolean;
  files: VFile[];
  copies: DeliveredCopy[];
  station?: DutyStation;
  /** Copies taken from the previous delivery because nothing they depend on changed. */
  reused: number;
  ms: number;
}

export interface DeliveredCopy {
  code: string;
  /** The state's English name, for people reading the record. */
  state: string;
  /** The copy's language; `missionLang` when it differs (the run's fallback). */
  lang: string;
  missionLang?: string;
  path: string;
  bytes: number;
  sha256: string;
  inputs: string;
  /** The copy's email, when asked for; missions without an address have none. */
  message?: MessageSpec;
  /** The .eml file beside the PDF (`--dry-run`). */
  eml?: string;
}

/** Copies of the previous delivery by mission code. */
type ReusableCopies = Map<string, { inputs: string; data: Uint8Array }>;

/** The record of a delivery folder: which copy went to which mission, with its hash and inputs. */
const DELIVERY_RECORD = "delivery.json";

export interface DeliveryRecord {
  document: string;
  title: string;
  station?: DutyStation;
  copies?: DeliveredCopy[];
}

/** The record of the delivery in `outDir`; undefined when there is none (or it is unreadable). */
export async function readDelivery(outDir: string): Promise<DeliveryRecord | undefined> {
  try {
    return JSON.parse(await readFile(path.join(outDir, DELIVERY_RECORD), "utf8")) as DeliveryRecord;
  } catch {
    return undefined;
  }
}

/** The previous delivery's copies that can be reused: same inputs hash, file intact. */
async function previousCopies(outDir: string): Promise<ReusableCopies> {
  const reusable: ReusableCopies = new Map();
  const record = await readDelivery(outDir);
  for (const copy of record?.copies ?? []) {
    try {
      const data = await readFile(path.join(outDir, copy.path));
      if (copy.inputs && createHash("sha256").update(data).digest("hex") === copy.sha256) reusable.set(copy.code, { inputs: copy.inputs, data });
    } catch {
      // missing or unreadable: render it again
    }
  }
  return reusable;
}

export async function deliver(options: DeliverOptions): Promise<DeliverResult> {
  const started = performance.now();
  const pdf = (writers as Partial<typeof writers>)["pdf" as keyof typeof writers];
  if (!pdf) throw new ConfigError("This installation has no PDF writer");
  const resources = new ResourcePool(false, true);
  try {
    // With no earlier copies to reuse every copy is printed: the browser comes up while the
    // sources are parsed. Otherwise it starts only when a copy turns out to need printing (a
    // rerun that changes nothing, such as `--send` after `--dry-run`, never starts it).
    const previous = await previousCopies(options.outDir);
    if (previous.size === 0) await pdf.prepare?.(resources).catch(() => undefined);
    return await deliverWith(options, pdf, resources, previous, started);
  } finally {
    await resources.dispose();
  }
}

async function deliverWith(options: DeliverOptions, pdf: Writer, resources: ResourcePool, previous: ReusableCopies, started: number): Promise<DeliverResult> {
  const prepared = await prepareEditions({ ...options, langs: [] });
  if (!prepared.ok) return { ok: false, files: prepared.files, copies: [], reused: 0, ms: performance.now() - started };
  const { doc, files, publications, fileOf, hashOf } = prepared.editions;

  const missionsPath = options.missions ?? (doc.meta.missions ? path.resolve(path.dirname(doc.path), doc.meta.missions) : undefined);
  if (!missionsPath) throw new ConfigError("No missions file: name one with --missions or `missions:` in the front matter");
  const loaded = await loadMissions(missionsPath);
  files.push(loaded.file);
  if (!loaded.missions) return { ok: false, files, copies: [], reused: 0, ms: performance.now() - started };
  let missions: Mission[] = loaded.missions;
  if (options.only?.length) {
    const unknown = options.only.filter((c) => !missions.some((m) => m.code === c));
    if (unknown.length) throw new ConfigError(`Not in the missions file: ${unknown.join(", ")}`);
    missions = missions.filter((m) => options.only!.includes(m.code));
  }
  const byLang = new Map(publications.map((p) => [p.lang, p]));
  const missing = [...new Set(missions.map((m) => m.lang))].filter((l) => !byLang.has(l));
  if (missing.length && !options.fallback) {
    throw new ConfigError(`Missions work in ${missing.join(", ")}, but the document has no translation into ${missing.join(", ")}`, {
      hint: `send them the copy in another language with \`--fallback ${doc.meta.lang}\`, or translate the letter (\`letterpress translations update --lang ${missing[0]}\`)`,
    });
  }
  if (options.fallback && !byLang.has(options.fallback)) {
    throw new ConfigError(`The fallback language \`${options.fallback}\` is not one the document exists in (${[...byLang.keys()].join(", ")})`);
  }
  /** The language of a mission's copy. */
  const copyLang = (m: Mission) => (byLang.has(m.lang) ? m.lang : options.fallback!);

  // The duty station: the front matter's and the missions file's must agree.
  const station: DutyStation = doc.meta.dutyStation ?? loaded.station ?? "New York";
  if (doc.meta.dutyStation && loaded.station && doc.meta.dutyStation !== loaded.station) {
    throw new ConfigError(`The document is for the missions in ${doc.meta.dutyStation}, but ${path.basename(missionsPath)} lists the missions in ${loaded.station}`, {
      hint: "use the missions file of that duty station, or correct `duty-station:`",
    });
  }

  const mail = options.mail;
  const sender = mail ? (mail.from ?? doc.meta.from) : undefined;
  if (mail) {
    if (!sender) throw new ConfigError("No sender for the emails: give `from:` in the front matter or `--from`", { hint: "`--from \"Campaign <campaign@example.org>\"`" });
    parseSender(sender, mail.from ? "`--from`" : "`from:`");
    const replyTo = mail.replyTo ?? doc.meta.replyTo;
    if (replyTo) parseSender(replyTo, "The reply address");
    for (const m of missions.filter((m) => m.email.length === 0)) {
      loaded.file.message(`Mission \`${m.code}\` has no \`email\`: its copy is made but not sent`, {
        place: { line: m.line ?? 1, column: 1 },
        ruleId: "mission-no-address",
        source: "letterpress:deliver",
      });
    }
  }

  let reused = 0;
  const staging = await Staging.open(options.outDir, false);
  const copies: DeliverResult["copies"] = [];
  try {
    // Copies of one language share a pagination: split each language's missions into chunks,
    // each chunk laid out once, and run the chunks on as many workers as there are cores.
    const workers = Math.max(1, Math.min(availableParallelism(), missions.length));
    const chunkSize = Math.max(1, Math.ceil(missions.length / (workers * 2)));
    const chunks: Mission[][] = [];
    for (const lang of [...new Set(missions.map((m) => m.lang))]) {
      const group = missions.filter((m) => m.lang === lang);
      for (let i = 0; i < group.length; i += chunkSize) chunks.push(group.slice(i, i + chunkSize));
    }
    chunks.sort((a, b) => b.length - a.length);
    const deliverChunk = async (chunk: Mission[]) => {
      const lang = copyLang(chunk[0]!);
      const edition = byLang.get(lang)!;
      const dated = edition.meta.date ? [formatDate(edition.meta.date, lang)] : [];
      const notices = chunk.map((m) => (m.lang === lang ? [] : [edition.labels.get("delivery-fallback", { language: languageName(m.lang, lang) })]));
      const recipients = chunk.map((m, i) => ({
        code: m.code,
        name: m.lang === lang ? missionName(m) : stateName(m.code, lang),
        lines: [edition.labels.get(DUTY_STATIONS[station]), ...dated, ...notices[i]!],
      }));
      const ctx = { root: options.root, resources, file: fileOf.get(lang)! };
      // A copy depends on its edition's inputs and its address: unchanged ones are reused.
      const inputs = recipients.map((r) => createHash("sha256").update(hashOf(lang)).update(JSON.stringify(r)).digest("hex"));
      const fresh = chunk.map((m, i) => previous.get(m.code)?.inputs !== inputs[i]);
      const toRender = recipients.filter((_, i) => fresh[i]);
      const rendered = toRender.length === 0 ? [] : pdf.writeCopies
        ? await pdf.writeCopies(edition, toRender, ctx)
        : await Promise.all(toRender.map((recipient) => pdf.write({ ...edition, recipient }, ctx)));
      let k = 0;
      for (const [i, mission] of chunk.entries()) {
        const data = fresh[i] ? rendered[k++]!.data : previous.get(mission.code)!.data;
        if (!fresh[i]) reused++;
        const relative = path.posix.join(lang, `${doc.slug}-${mission.code}.pdf`);
        const written = await staging.write(relative, data);
        const bytes = written.byteLength;
        const sha256 = createHash("sha256").update(written).digest("hex");
        const copy: DeliveredCopy = { code: mission.code, state: stateName(mission.code, "en"), lang, ...(mission.lang === lang ? {} : { missionLang: mission.lang }), path: relative, bytes, sha256, inputs: inputs[i]! };
        if (mail && sender && mission.email.length > 0) {
          const replyTo = mail.replyTo ?? doc.meta.replyTo;
          copy.message = messageSpec({
            labels: edition.labels,
            title: edition.meta.title,
            shortTitle: edition.meta.shortTitle,
            author: edition.meta.author,
            state: recipients[i]!.name,
            code: mission.code,
            slug: doc.slug,
            revision: sha256,
            epoch: edition.epoch,
            from: sender,
            ...(replyTo ? { replyTo } : {}),
            to: mission.email,
            cc: mission.cc,
            notices: notices[i]!,
          });
          if (mail.eml) {
            copy.eml = relative.replace(/\.pdf$/, ".eml");
            await staging.write(copy.eml, await composeMessage(copy.message, written));
          }
        }
        copies.push(copy);
        options.onProgress?.({ code: mission.code, lang, path: relative, bytes, done: copies.length, total: missions.length });
      }
    };
    const halt: Halt = {};
    await runLimited(chunks, workers, deliverChunk, halt);
    if (halt.failure) throw halt.failure.error;
    if (files.some((f) => f.messages.some((m) => m.fatal))) {
      await staging.abort();
      return { ok: false, files, copies: [], reused: 0, ms: performance.now() - started };
    }
    copies.sort((a, b) => a.code.localeCompare(b.code));
    const record: DeliveryRecord = { document: doc.slug, title: doc.meta.title, station, copies };
    await staging.write(DELIVERY_RECORD, `${JSON.stringify(record, null, 2)}\n`);
    await staging.commit();
  } catch (error) {
    await staging.abort();
    throw error;
  }
  return { ok: true, files, copies, reused, ms: performance.now() - started, station };
}
