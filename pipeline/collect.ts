/**
 * A full, compacting garbage collection in this process, for the moments a command knows it is
 * about to wait: a build that has made a long document's print source waits seconds for Chromium
 * to lay it out and print it, while V8, which collects only when it allocates, keeps the parse's
 * and the writers' garbage and the pages that held it. Compacting lets V8 give those pages back.
 *
 * V8 hands the collection to a context made once `--expose-gc` is set; where it does not, this
 * does nothing.
 */
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";

let gc: (() => void) | null | undefined;

export function collectGarbageNow(): void {
  if (gc === undefined) {
    try {
      setFlagsFromString("--expose-gc");
      gc = runInNewContext("gc") as () => void;
    } catch {
      gc = null;
    }
  }
  if (!gc) return;
  setFlagsFromString("--compact-on-every-full-gc");
  try {
    gc();
  } finally {
    setFlagsFromString("--no-compact-on-every-full-gc");
  }
}
