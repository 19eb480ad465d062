/**
 * `letterpress deliver [doc.md]`: the printing side of pipeline/deliver/. Makes the addressed
 * PDFs; with `--dry-run` also each mission's email as an .eml file beside its PDF; with `--send`
 * shows what will be sent (each mission's language and addresses), asks on a terminal (or takes
 * `--yes`), sends, and ends with a table. `--status` reads the send ledger only.
 *
 * Exit codes: 0 when every message that was to be sent was sent (or nothing was to be sent);
 * 1 when a message failed or was not tried, the input is invalid, or the send was not confirmed.
 */
import path from "node:path";
import { createInterface } from "node:readline/promises";
import { deliver, readDelivery, type DeliveredCopy } from "../deliver/deliver.ts";
import { ledgerPath, readLedger } from "../deliver/ledger.ts";
import { stateName } from "../deliver/missions.ts";
import { planSend, sendPlanned, smtpServer, type PlannedCopy } from "../deliver/send.ts";
import { ConfigError } from "../errors.ts";
import { plural, progress, reportFiles, table, type Io } from "./io.ts";

export interface DeliverCliOptions {
  out: string;
  strict: boolean;
  quiet: boolean;
  missions?: string | undefined;
  only?: string[] | undefined;
  fallback?: string | undefined;
  send?: boolean | undefined;
  "dry-run"?: boolean | undefined;
  yes?: boolean | undefined;
  status?: boolean | undefined;
  "resend-unknown"?: boolean | undefined;
  from?: string | undefined;
  "reply-to"?: string | undefined;
  rate?: string | undefined;
}

/** Ask on the terminal; never without one. */
async function confirm(question: string, io: Io): Promise<boolean> {
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    const answer = await rl.question(question);
    return /^(y|yes)$/i.test(answer.trim());
  } catch {
    io.stderr("\n");
    return false;
  } finally {
    rl.close();
  }
}

const languageOf = (c: DeliveredCopy) => (c.missionLang ? `${c.lang} (works in ${c.missionLang})` : c.lang);

export async function deliverCommand(input: string, root: string, options: DeliverCliOptions, io: Io, isTerminal = !!process.stdin.isTTY): Promise<number> {
  const out = options.out === "dist" ? path.join("dist", "delivery") : options.out;
  const ledger = ledgerPath(input);
  if (options.status) return status(ledger, out, io);
  if (options.send && options["dry-run"]) throw new ConfigError("`--send` and `--dry-run` exclude each other: --dry-run writes the messages as files instead of sending them");
  // The server's address is checked before the copies are made: a mistake there costs nothing.
  const server = options.send ? await smtpServer(process.env, options.rate) : undefined;
  if (options.rate && !options.send) throw new ConfigError("`--rate` applies to `--send` only");
  const mail = options.send || options["dry-run"];
  const bar = progress(io, options.quiet);
  const result = await deliver({
    input,
    root,
    outDir: out,
    strict: options.strict,
    ...(options.missions ? { missions: options.missions } : {}),
    ...(options.only?.length ? { only: options.only } : {}),
    ...(options.fallback ? { fallback: options.fallback } : {}),
    ...(mail ? { mail: { ...(options.from ? { from: options.from } : {}), ...(options["reply-to"] ? { replyTo: options["reply-to"] } : {}), eml: !!options["dry-run"] } } : {}),
    onProgress: (e) => bar.update(`Delivering… ${e.done}/${e.total}  ${e.path}`),
  }).finally(() => bar.done());
  reportFiles(result.files, io);
  if (!result.ok) {
    io.stderr(`letterpress: delivery failed; ${out}/ was left unchanged\n`);
    return 1;
  }
  const copies = result.copies;
  const langs = [...new Set(copies.map((c) => c.lang))].sort();
  io.stdout(`Delivered ${copies.length} addressed PDFs (${langs.map((l) => `${l} ${copies.filter((c) => c.lang === l).length}`).join(", ")}) for the missions in ${result.station ?? "New York"} into ${out}/ in ${(result.ms / 1000).toFixed(1)} s${result.reused ? ` (${result.reused} unchanged, reused)` : ""}\n`);
  const fallbacks = copies.filter((c) => c.missionLang);
  if (fallbacks.length) {
    const missing = [...new Set(fallbacks.map((c) => c.missionLang!))].sort();
    io.stdout(`Fallback: ${plural(fallbacks.length, "mission gets its copy", "missions get their copies")} in ${options.fallback} (no translation into ${missing.join(", ")}): ${fallbacks.map((c) => c.code).join(", ")}\n`);
  }
  const unaddressed = mail ? copies.filter((c) => !c.message).map((c) => c.code) : [];
  if (options["dry-run"]) {
    const written = copies.filter((c) => c.eml).length;
    io.stdout(`Wrote ${plural(written, "message")} as .eml files beside the PDFs (nothing was sent)${unaddressed.length ? `; no address for ${unaddressed.join(", ")}` : ""}\n`);
    return 0;
  }
  if (!server) return 0;

  const plan = planSend(copies, await readLedger(ledger), { resendUnknown: !!options["resend-unknown"] });
  const todo = plan.filter((p) => p.action === "send");
  const count = (action: PlannedCopy["action"]) => plan.filter((p) => p.action === action).length;
  if (todo.length > 0) {
    io.stdout(`\nTo send through ${server.display}${server.secure ? " (TLS)" : ""}, from ${todo[0]!.copy.message!.from}:\n`);
    io.stdout(`${table([
      ["mission", "state", "language", "to", "cc", "note"],
      ...todo.map(({ copy, again }) => [copy.code, stateName(copy.code, "en"), languageOf(copy), copy.message!.to.join(", "), copy.message!.cc.join(", "), again === "unknown" ? "sent before? (resent: --resend-unknown)" : again === "failed" ? "failed before" : ""]),
    ])}\n`);
    io.stdout("The missions' languages come from the missions file: confirm them before sending.\n");
  }
  const skipped = [`${count("sent")} already sent (this revision)`, `${count("unknown")} unknown`, `${count("no-address")} without an address`].filter((s) => !s.startsWith("0 "));
  if (todo.length === 0) {
    io.stdout(`Nothing to send${skipped.length ? `: ${skipped.join(", ")}` : ""}\n`);
    printUnknown(plan, io);
    return 0;
  }
  if (!options.yes) {
    if (!isTerminal) {
      io.stderr(`letterpress: error: not sending ${todo.length} messages without confirmation: this is not a terminal (confirm with --yes)\n`);
      return 1;
    }
    if (!(await confirm(`Send ${plural(todo.length, "message")}${skipped.length ? ` (skipping ${skipped.join(", ")})` : ""}? [y/N] `, io))) {
      io.stderr("letterpress: nothing was sent\n");
      return 1;
    }
  }
  const sent = await sendPlanned(plan, {
    outDir: out,
    ledger,
    server,
    onEvent: (e) => {
      if (e.outcome === "retry") io.stderr(`  ${e.code}: ${e.response}; trying again\n`);
      else if (!options.quiet || e.outcome === "failed") io.stderr(`  ${e.code}: ${e.outcome} (${e.response})\n`);
    },
  });
  io.stdout(`\n${table([
    ["sent", "unchanged", "failed", "unknown", "no address", "not tried"],
    [sent.sent.length, count("sent"), sent.failed.length, count("unknown"), count("no-address"), sent.notTried.length].map(String),
  ])}\n`);
  for (const f of sent.failed) io.stdout(`failed ${f.code}: ${f.response}\n`);
  if (sent.notTried.length) io.stdout(`not tried (the run stopped): ${sent.notTried.join(", ")}\n`);
  printUnknown(plan, io);
  io.stdout(`Ledger: ${path.relative(process.cwd(), ledger) || ledger}\n`);
  return sent.failed.length || sent.notTried.length ? 1 : 0;
}

function printUnknown(plan: readonly PlannedCopy[], io: Io): void {
  const unknown = plan.filter((p) => p.action === "unknown").map((p) => p.copy.code);
  if (unknown.length) {
    io.stdout(`unknown: ${unknown.join(", ")}: a run stopped while sending this revision, so it may have arrived; not sent again unless --resend-unknown\n`);
  }
}

/** Per mission: the revision it last received and when; what became of a later attempt. */
async function status(ledger: string, out: string, io: Io): Promise<number> {
  const records = await readLedger(ledger);
  if (records.length === 0) {
    io.stdout(`Nothing was sent yet (no records in ${path.relative(process.cwd(), ledger) || ledger})\n`);
    return 0;
  }
  // Without a delivery in this folder the revisions are shown without comparing.
  const current = new Map(((await readDelivery(out))?.copies ?? []).map((c) => [c.code, c.sha256]));
  const byMission = new Map<string, { sent?: (typeof records)[number]; last: (typeof records)[number] }>();
  for (const r of records) {
    const entry = byMission.get(r.mission) ?? { last: r };
    entry.last = r;
    if (r.event === "sent") entry.sent = r;
    byMission.set(r.mission, entry);
  }
  const rows = [["mission", "state", "received", "when", "to", current.size ? "current" : "", "last attempt"]];
  for (const [code, { sent, last }] of [...byMission].sort(([a], [b]) => a.localeCompare(b))) {
    const latest = last.event === "sent" ? "" : `${last.event === "sending" ? "unknown" : "failed"}: revision ${last.revision.slice(0, 12)}${last.response ? ` (${last.response})` : ""}`;
    rows.push([
      code,
      stateName(code, "en"),
      sent ? sent.revision.slice(0, 12) : "nothing",
      sent ? sent.at.replace("T", " ").slice(0, 19) + " UTC" : "",
      sent ? sent.to.join(", ") : "",
      current.size ? (sent && current.get(code) === sent.revision ? "yes" : "no") : "",
      latest,
    ]);
  }
  io.stdout(`${table(rows)}\n`);
  return 0;
}

