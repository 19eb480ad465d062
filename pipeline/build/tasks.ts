/**
 * Running a build's outputs (or a delivery's copies) a few at a time, so that a failure ends the
 * run cleanly: no task starts after the first failure, and the run settles only when every task
 * started has ended, so nothing is still writing into the staging folder when it is removed.
 */

/** The first failure of a set of task runs: once set, no run starts another task. */
export interface Halt {
  failure?: { error: unknown };
}

/**
 * Run tasks with at most `limit` in flight (writers overlap with Chromium's own processes). A task
 * that throws is recorded in `halt`; this settles when every task started has ended.
 */
export async function runLimited<T>(tasks: readonly T[], limit: number, run: (task: T) => Promise<void>, halt: Halt): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (!halt.failure && next < tasks.length) {
      const task = tasks[next++]!;
      try {
        await run(task);
      } catch (error) {
        halt.failure ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, tasks.length) }, worker));
}
