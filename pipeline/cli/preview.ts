/** `letterpress preview`: the printing side of `preview/server.ts`. */
import path from "node:path";
import { ConfigError } from "../errors.ts";
import { preview } from "../preview/server.ts";
import type { OptionValues } from "./command.ts";
import { buildOptionsOf, stopOnSignals } from "./run-options.ts";
import type { Io } from "./io.ts";

export async function previewCommand(input: string, values: OptionValues, io: Io): Promise<number> {
  const portText = typeof values.port === "string" ? values.port : "0";
  const port = Number(portText);
  if (!/^\d+$/.test(portText) || port > 65535) throw new ConfigError(`\`--port\` must be a port number (0–65535), not \`${portText}\``);
  const options = buildOptionsOf(values, input, ["html", "pdf"]);
  if (!options.formats.includes("html")) options.formats.unshift("html");
  const { signal, release } = stopOnSignals();
  try {
    await preview({
      ...options,
      port,
      signal,
      onListening: (url) => {
        io.stdout(`${url}\n`);
        if (!values.quiet) io.stderr(`Previewing ${input}: building into ${options.outDir}/ and rebuilding on every change (Ctrl-C to stop)\n`);
      },
      onBuild: (event, state) => {
        const stamp = new Date().toTimeString().slice(0, 8);
        const what = event.changed.length ? event.changed.map((f) => path.relative(process.cwd(), f)).join(", ") : "start";
        const errors = state.messages.filter((m) => m.severity === "error").length;
        if (values.quiet && state.ok) return;
        io.stderr(`[${stamp}] ${what}: ${state.ok ? `built, ${state.messages.length} message(s)` : `failed (${state.error ?? `${errors} error(s)`}); the page shows the last good editions`}\n`);
      },
    });
  } finally {
    release();
  }
  return 0;
}
