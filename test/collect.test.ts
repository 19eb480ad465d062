/**
 * `collectGarbageNow` (pipeline/collect.ts) is what a build calls while Chromium lays out a long
 * document: it must really collect, here and now, without `--expose-gc` on the command line.
 */
import { describe, expect, it } from "vitest";
import { collectGarbageNow } from "../pipeline/collect.ts";

/** A megabyte-sized object nobody holds, watched through a weak reference. */
function garbage(): WeakRef<object> {
  return new WeakRef({ rows: Array.from({ length: 100_000 }, (_, i) => ({ i })) });
}

describe("collectGarbageNow", () => {
  it("frees what nothing holds, on the spot", async () => {
    const watched = garbage();
    // A weak reference's target lives at least until the end of the task that made or read it.
    await new Promise((resolve) => setImmediate(resolve));
    collectGarbageNow();
    expect(watched.deref()).toBeUndefined();
  });

  it("leaves what is held, and can be called again", async () => {
    const held = { rows: [1, 2, 3] };
    const watched = new WeakRef(held);
    await new Promise((resolve) => setImmediate(resolve));
    collectGarbageNow();
    collectGarbageNow();
    expect(watched.deref()).toBe(held);
  });
});
