/**
 * The email that carries a delivered copy: one per mission, in the copy's language, with the
 * addressed PDF attached. The MIME is nodemailer's (RFC 2047 subjects, RFC 2231 file names,
 * multipart/alternative text and HTML); every header is fixed by the copy itself (the Date from
 * the build's epoch, the Message-ID and the multipart boundaries from the copy's hash), so the
 * same copy gives the same bytes, as an .eml file or sent.
 */
import { createHash } from "node:crypto";
import { h } from "hastscript";
import { toHtml } from "hast-util-to-html";
import MailComposer from "nodemailer/lib/mail-composer";
import addressparser from "nodemailer/lib/addressparser";
import { z } from "zod";
import { ConfigError } from "../errors.ts";
import { directionOf, type Labels } from "../i18n/labels.ts";

/** Everything a message needs except the PDF's bytes (kept in delivery.json with its copy). */
export interface MessageSpec {
  from: string;
  replyTo?: string;
  to: string[];
  cc: string[];
  lang: string;
  subject: string;
  /** Cover text: paragraphs separated by blank lines. */
  text: string;
  /** The attachment's file name, in the copy's language. */
  filename: string;
  messageId: string;
  /** ISO date: the build's epoch. */
  date: string;
}

const email = z.email();

/** One sender address (`Name <a@b.org>` or `a@b.org`), checked; its domain names the Message-IDs. */
export function parseSender(value: string, what: string): { address: string; domain: string } {
  const parsed = addressparser(value, { flatten: true });
  const first = parsed[0];
  if (parsed.length !== 1 || !first || !("address" in first) || !email.safeParse(first.address).success) {
    throw new ConfigError(`${what} \`${value}\` is not one email address`, { hint: "write it as `Name <name@example.org>` or `name@example.org`" });
  }
  return { address: first.address, domain: first.address.split("@")[1]!.toLowerCase() };
}

/** A file name without the characters file systems or mail clients refuse. */
function safeFileName(name: string): string {
  return name.replace(/[\u0000-\u001f\u007f/\\:*?"<>|]+/g, " ").replace(/\s+/g, " ").trim();
}

export interface MessageInput {
  labels: Labels;
  /** The edition's title and short title, already in the copy's language. */
  title: string;
  shortTitle: string;
  author: string;
  state: string;
  code: string;
  slug: string;
  /** The copy's PDF hash: its revision. */
  revision: string;
  epoch: number;
  from: string;
  replyTo?: string;
  to: string[];
  cc: string[];
  /** Lines said before the cover text (the language the mission works in is not available). */
  notices: string[];
}

export function messageSpec(input: MessageInput): MessageSpec {
  const { labels } = input;
  const sender = parseSender(input.from, "The sender");
  const body = labels.get("mail-body", { title: input.title, author: input.author });
  return {
    from: input.from,
    ...(input.replyTo ? { replyTo: input.replyTo } : {}),
    to: input.to,
    cc: input.cc,
    lang: labels.lang,
    subject: labels.get("mail-subject", { title: input.shortTitle }),
    text: [...input.notices, body].join("\n\n"),
    filename: `${safeFileName(`${input.shortTitle} – ${input.state}`)}.pdf`,
    messageId: `<${input.revision.slice(0, 20)}.${input.code.toLowerCase()}.${input.slug}@${sender.domain}>`,
    date: new Date(input.epoch * 1000).toISOString(),
  };
}

/** The HTML alternative: the same paragraphs, in the language and direction of the copy. */
function htmlOf(spec: MessageSpec): string {
  const paragraphs = spec.text.split(/\n{2,}/).map((p) => h("p", p.split("\n").flatMap((line, i) => (i ? [h("br"), line] : [line]))));
  const tree = h("html", { lang: spec.lang, dir: directionOf(spec.lang) }, [
    h("head", [h("meta", { charset: "utf-8" }), h("title", spec.subject)]),
    h("body", paragraphs),
  ]);
  return `<!doctype html>\n${toHtml(tree)}\n`;
}

/** The message's nodemailer options. */
export function mailOf(spec: MessageSpec, pdf: Uint8Array) {
  return {
    from: spec.from,
    ...(spec.replyTo ? { replyTo: spec.replyTo } : {}),
    to: spec.to,
    ...(spec.cc.length ? { cc: spec.cc } : {}),
    subject: spec.subject,
    messageId: spec.messageId,
    date: new Date(spec.date),
    headers: { "Content-Language": spec.lang },
    text: spec.text,
    html: htmlOf(spec),
    attachments: [{ filename: spec.filename, content: Buffer.from(pdf), contentType: "application/pdf" }],
    baseBoundary: createHash("sha256").update(spec.messageId).digest("hex").slice(0, 16),
    newline: "\r\n",
    disableFileAccess: true,
    disableUrlAccess: true,
  };
}

/** The whole message (RFC 5322, CRLF line ends): what is sent, and what an .eml file holds. */
export async function composeMessage(spec: MessageSpec, pdf: Uint8Array): Promise<Buffer> {
  return new MailComposer(mailOf(spec, pdf)).compile().build();
}
