/**
 * `letterpress deliver --send`: each mission's copy emailed through the SMTP server named by
 * LETTERPRESS_SMTP_URL, exactly once per revision. The plan compares the delivery with the send
 * ledger (./ledger.ts); the run records each message as `sending` before the server has it and
 * as `sent` after its 250. A 4xx answer or a dropped connection is tried again after a pause
 * (bounded); a 5xx is recorded as failed and the run goes on. One pooled connection, so at most
 * one message is in flight when the process is stopped.
 */
import { readFile } from "node:fs/promises";
import { isIP } from "node:net";
import path from "node:path";
import nodemailer from "nodemailer";
import { ConfigError } from "../errors.ts";
import type { DeliveredCopy } from "./deliver.ts";
import { Ledger, statesOf, type LedgerRecord, type MissionState } from "./ledger.ts";
import { composeMessage, type MessageSpec } from "./message.ts";

export interface SmtpServer {
  /** `host:port`, for people: never the credentials. */
  display: string;
  secure: boolean;
  options: Parameters<typeof nodemailer.createTransport>[0];
}

function isLoopback(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, "").toLowerCase();
  if (bare === "localhost" || bare.endsWith(".localhost")) return true;
  if (isIP(bare) === 4) return bare.startsWith("127.");
  return bare === "::1" || bare === "0:0:0:0:0:0:0:1" || /^::ffff:127\./.test(bare);
}

/** Messages per second from `5/s`, `30/min`, `600/h`. */
export function parseRate(value: string): { limit: number; delta: number } {
  const m = /^\s*(\d+)\s*\/\s*(s|sec|second|min|minute|h|hour)\s*$/i.exec(value);
  if (!m || Number(m[1]) < 1) throw new ConfigError(`\`--rate ${value}\` is not a rate`, { hint: "write it as messages per second, minute or hour: `5/s`, `30/min`, `600/h`" });
  const unit = m[2]!.toLowerCase();
  return { limit: Number(m[1]), delta: unit.startsWith("s") ? 1000 : unit.startsWith("m") ? 60_000 : 3_600_000 };
}

/**
 * The server from LETTERPRESS_SMTP_URL (`smtp://user:pass@host:port`, `smtps://…`). Credentials
 * go over TLS only: implicit (smtps) or STARTTLS, which is then required, except to this machine.
 * Certificates are verified; LETTERPRESS_SMTP_CA names a PEM file of further trusted authorities.
 */
export async function smtpServer(env: NodeJS.ProcessEnv, rate?: string): Promise<SmtpServer> {
  const value = env.LETTERPRESS_SMTP_URL;
  if (!value) {
    throw new ConfigError("No SMTP server: set LETTERPRESS_SMTP_URL", { hint: "`smtp://user:password@smtp.example.org:587` or `smtps://…:465`; or write the messages as .eml files with --dry-run" });
  }
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    // the value itself may hold a password: never repeat it
    throw new ConfigError("LETTERPRESS_SMTP_URL is not a URL", { hint: "`smtp://user:password@smtp.example.org:587` or `smtps://…:465`" });
  }
  if (url.protocol !== "smtp:" && url.protocol !== "smtps:") {
    throw new ConfigError(`LETTERPRESS_SMTP_URL must start with smtp:// or smtps:// (not ${url.protocol}//)`);
  }
  if (!url.hostname) throw new ConfigError("LETTERPRESS_SMTP_URL names no host");
  const secure = url.protocol === "smtps:";
  const port = Number(url.port || (secure ? 465 : 587));
  const user = decodeURIComponent(url.username);
  const pass = decodeURIComponent(url.password);
  const host = url.hostname.replace(/^\[|\]$/g, "");
  const ca = env.LETTERPRESS_SMTP_CA ? await readFile(env.LETTERPRESS_SMTP_CA).catch((error: NodeJS.ErrnoException) => {
    throw new ConfigError(`Cannot read LETTERPRESS_SMTP_CA (${error.code ?? String(error)})`);
  }) : undefined;
  const r = rate ? parseRate(rate) : undefined;
  return {
    display: `${url.hostname}:${port}`,
    secure,
    options: {
      pool: true,
      maxConnections: 1,
      host,
      port,
      secure,
      // Credentials never cross the network in clear: without implicit TLS, STARTTLS is required.
      requireTLS: !secure && !!user && !isLoopback(host),
      ...(user ? { auth: { user, pass } } : {}),
      tls: { rejectUnauthorized: true, servername: isIP(host) ? undefined : host, ...(ca ? { ca } : {}) },
      connectionTimeout: 30_000,
      greetingTimeout: 30_000,
      socketTimeout: 120_000,
      logger: false,
      debug: false,
      ...(r ? { rateLimit: r.limit, rateDelta: r.delta } : {}),
    },
  };
}

/** What a send run will do with each copy. */
export interface PlannedCopy {
  copy: DeliveredCopy;
  /** `send`; or why not: its revision was sent, or it was in flight when a run stopped. */
  action: "send" | "sent" | "unknown" | "no-address";
  /** A send of a revision that an earlier run failed to send, or left unknown (--resend-unknown). */
  again?: MissionState;
}

export function planSend(copies: readonly DeliveredCopy[], records: readonly LedgerRecord[], options: { resendUnknown?: boolean } = {}): PlannedCopy[] {
  const states = statesOf(records);
  return copies.map((copy): PlannedCopy => {
    if (!copy.message) return { copy, action: "no-address" };
    const state = states.get(`${copy.code} ${copy.sha256}`);
    if (state === "sent") return { copy, action: "sent" };
    if (state === "unknown" && !options.resendUnknown) return { copy, action: "unknown" };
    return { copy, action: "send", ...(state ? { again: state } : {}) };
  });
}

export interface SendEvent {
  code: string;
  outcome: "sent" | "failed" | "retry";
  /** The server's answer, or what went wrong. */
  response: string;
  attempt: number;
}

export interface SendOptions {
  /** Folder of the delivery (the copies' paths are relative to it). */
  outDir: string;
  ledger: string;
  server: SmtpServer;
  /** Pause before the first retry; doubled each time (default 250 ms). */
  backoffMs?: number;
  /** Attempts per message, the first included (default 5). */
  attempts?: number;
  onEvent?: (event: SendEvent) => void;
}

export interface SendResult {
  sent: string[];
  failed: Array<{ code: string; response: string }>;
  /** Not tried: the run stopped (the server could not be reached, or refused the credentials). */
  notTried: string[];
}

const CONNECTION_CODES = new Set(["ECONNECTION", "ETIMEDOUT", "ESOCKET", "EDNS"]);

interface SmtpError extends Error {
  code?: string;
  responseCode?: number;
  response?: string;
}

/** Transient: a 4xx answer or a connection that dropped or could not be made. */
function transient(error: SmtpError): boolean {
  return (error.responseCode !== undefined && error.responseCode >= 400 && error.responseCode < 500) || (error.responseCode === undefined && CONNECTION_CODES.has(error.code ?? ""));
}

/** Problems that would fail every message alike: the run stops. */
function fatalForRun(error: SmtpError): boolean {
  return ["EAUTH", "ENOAUTH", "ETLS"].includes(error.code ?? "") || (error.responseCode === undefined && CONNECTION_CODES.has(error.code ?? ""));
}

function answer(error: SmtpError): string {
  const text = (error.response ?? error.message).replace(/\s+/g, " ").trim();
  if (error.code === "ETLS") return `no TLS connection (STARTTLS refused or failed), and credentials go over TLS only: ${text}`;
  return text;
}

export async function sendPlanned(plan: readonly PlannedCopy[], options: SendOptions): Promise<SendResult> {
  const result: SendResult = { sent: [], failed: [], notTried: [] };
  const todo = plan.filter((p) => p.action === "send");
  if (todo.length === 0) return result;
  const ledger = await Ledger.open(options.ledger);
  const transport = nodemailer.createTransport(options.server.options as Parameters<typeof nodemailer.createTransport>[0]);
  const attempts = options.attempts ?? 5;
  const backoff = options.backoffMs ?? 250;
  try {
    for (const [index, { copy }] of todo.entries()) {
      const spec = copy.message as MessageSpec;
      const raw = await composeMessage(spec, await readFile(path.join(options.outDir, copy.path)));
      const record = { mission: copy.code, revision: copy.sha256, lang: copy.lang, to: [...spec.to, ...spec.cc], messageId: spec.messageId };
      await ledger.append({ event: "sending", ...record });
      let stop: SmtpError | undefined;
      for (let attempt = 1; ; attempt++) {
        try {
          const info = await transport.sendMail({ raw, envelope: { from: spec.from, to: [...spec.to, ...spec.cc] } });
          const rejected = (info.rejected ?? []).map(String);
          const response = `${String(info.response ?? "").trim()}${rejected.length ? ` (refused: ${rejected.join(", ")})` : ""}`;
          await ledger.append({ event: "sent", ...record, response });
          result.sent.push(copy.code);
          options.onEvent?.({ code: copy.code, outcome: "sent", response, attempt });
          break;
        } catch (caught) {
          const error = caught as SmtpError;
          if (transient(error) && attempt < attempts) {
            options.onEvent?.({ code: copy.code, outcome: "retry", response: answer(error), attempt });
            await new Promise((resolve) => setTimeout(resolve, backoff * 2 ** (attempt - 1)));
            continue;
          }
          await ledger.append({ event: "failed", ...record, response: answer(error) });
          result.failed.push({ code: copy.code, response: answer(error) });
          options.onEvent?.({ code: copy.code, outcome: "failed", response: answer(error), attempt });
          if (fatalForRun(error)) stop = error;
          break;
        }
      }
      if (stop) {
        result.notTried.push(...todo.slice(index + 1).map((p) => p.copy.code));
        break;
      }
    }
  } finally {
    transport.close();
    await ledger.close();
  }
  return result;
}
