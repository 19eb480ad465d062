/**
 * A real SMTP server for the delivery tests (smtp-server, which implements the protocol), on a
 * loopback port, with STARTTLS (a self-signed certificate for localhost and 127.0.0.1,
 * test/fixtures/smtp/) and AUTH, which it accepts only over TLS. Each message is kept whole, as
 * the server received it, with the envelope and whether the session was encrypted.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import type { AddressInfo } from "node:net";
import { SMTPServer, type SMTPServerOptions } from "smtp-server";

export const CA = path.join(import.meta.dirname, "fixtures/smtp/cert.pem");
export const USER = "campaign";
export const PASSWORD = "s3cret-Pa55-not-in-output";

export interface Received {
  to: string[];
  from: string;
  raw: Buffer;
  secure: boolean;
  user: string | undefined;
}

export interface TestSmtp {
  port: number;
  received: Received[];
  /** An answer for a recipient instead of accepting it (`451`, `550`), decided per RCPT TO. */
  refuse: (address: string) => { code: number; text: string } | undefined;
  /** Called when a message has arrived, before the server answers it. */
  onMessage: (message: Received) => void;
  url: (host?: string) => string;
  close: () => Promise<void>;
}

export async function startSmtp(options: { host?: string; starttls?: boolean } = {}): Promise<TestSmtp> {
  const state: TestSmtp = {
    port: 0,
    received: [],
    refuse: () => undefined,
    onMessage: () => undefined,
    url: (host = "127.0.0.1") => `smtp://${USER}:${encodeURIComponent(PASSWORD)}@${host}:${state.port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
  const config: SMTPServerOptions = {
    key: readFileSync(path.join(import.meta.dirname, "fixtures/smtp/key.pem")),
    cert: readFileSync(CA),
    ...(options.starttls === false ? { disabledCommands: ["STARTTLS"] } : {}),
    authMethods: ["PLAIN", "LOGIN"],
    size: 20 * 1024 * 1024,
    logger: false,
    onAuth(auth, session, callback) {
      if (auth.username === USER && auth.password === PASSWORD) callback(null, { user: auth.username });
      else callback(new Error("Invalid username or password"));
      void session;
    },
    onRcptTo(address, _session, callback) {
      const refusal = state.refuse(address.address);
      if (!refusal) return callback();
      const error = new Error(refusal.text) as Error & { responseCode: number };
      error.responseCode = refusal.code;
      callback(error);
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (chunk: Buffer) => chunks.push(chunk));
      stream.on("end", () => {
        const message: Received = {
          to: session.envelope.rcptTo.map((r) => r.address),
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : "",
          raw: Buffer.concat(chunks),
          secure: session.secure,
          user: session.user as string | undefined,
        };
        state.received.push(message);
        state.onMessage(message);
        callback(null, "Queued as test");
      });
    },
  };
  const server = new SMTPServer(config);
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, options.host ?? "127.0.0.1", () => resolve());
  });
  state.port = (server.server.address() as AddressInfo).port;
  return state;
}
