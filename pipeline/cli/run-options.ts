/**
 * What the commands that build share: reading option values, the build options of `build`,
 * `watch` and `preview`, and stopping on Ctrl-C.
 */
import path from "node:path";
import { projectRoot } from "../api.ts";
import { leaveSignalsToCaller } from "../browser/signals.ts";
import { parseFormats } from "../writers/index.ts";
import type { OptionValues } from "./command.ts";

export const str = (values: OptionValues, name: string): string | undefined => {
  const v = values[name];
  return typeof v === "string" ? v : undefined;
};
export const flag = (values: OptionValues, name: string): boolean => values[name] === true;
export const list = (s: string | undefined) => (s ? s.split(",").map((x) => x.trim()).filter(Boolean) : undefined);

/** The options `build`, `watch` and `preview` share, for the build module. */
export function buildOptionsOf(values: OptionValues, input: string, formats?: string[]) {
  const langs = list(str(values, "lang"));
  return {
    input,
    outDir: str(values, "out")!,
    root: projectRoot(path.dirname(input)),
    ...(langs ? { langs } : {}),
    formats: parseFormats(list(str(values, "format")) ?? formats),
    strict: flag(values, "strict"),
  };
}

/** Stop on Ctrl-C or SIGTERM: returns the signal and a function that removes the handlers. */
export function stopOnSignals(): { signal: AbortSignal; release: () => void } {
  leaveSignalsToCaller();
  const controller = new AbortController();
  const stop = () => controller.abort();
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
  return {
    signal: controller.signal,
    release: () => {
      process.off("SIGINT", stop);
      process.off("SIGTERM", stop);
    },
  };
}

