/**
 * `runLimited` (pipeline/build/tasks.ts) runs a build's outputs and a delivery's copies: after a
 * failure nothing new starts, and it settles only once every task started has ended, so the
 * staging folder is never removed under a writer still writing into it.
 */
import { describe, expect, it } from "vitest";
import { type Halt, runLimited } from "../pipeline/build/tasks.ts";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("runLimited", () => {
  it("runs every task, at most `limit` at a time", async () => {
    let running = 0;
    let most = 0;
    const done: number[] = [];
    const halt: Halt = {};
    await runLimited([1, 2, 3, 4, 5, 6, 7], 3, async (n) => {
      most = Math.max(most, ++running);
      await sleep(5);
      running--;
      done.push(n);
    }, halt);
    expect(done.sort()).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(most).toBe(3);
    expect(halt.failure).toBeUndefined();
  });

  it("after a failure starts nothing new and settles when the tasks in flight have ended", async () => {
    const events: string[] = [];
    const halt: Halt = {};
    const slow = runLimited(["slow", "after-slow"], 1, async (name) => {
      events.push(`start ${name}`);
      await sleep(name === "slow" ? 80 : 1);
      events.push(`end ${name}`);
    }, halt);
    const failing = runLimited(["fails", "after-fail"], 1, async (name) => {
      events.push(`start ${name}`);
      await sleep(10);
      if (name === "fails") throw new Error("writer failed");
    }, halt);
    await Promise.all([slow, failing]);
    // The slow task, in flight when the other failed, was waited for; no task started after.
    expect(events).toEqual(["start slow", "start fails", "end slow"]);
    expect((halt.failure?.error as Error).message).toBe("writer failed");
  });

  it("keeps the first failure", async () => {
    const halt: Halt = {};
    await runLimited([1, 2], 2, async (n) => {
      await sleep(n * 10);
      throw new Error(`failure ${n}`);
    }, halt);
    expect((halt.failure?.error as Error).message).toBe("failure 1");
  });
});
