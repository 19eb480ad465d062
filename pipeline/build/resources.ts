import type { SharedResources } from "../model.ts";

/** Resources shared by the writers of a build, or of every build of a watch (one browser), disposed at the end. */
export class ResourcePool implements SharedResources {
  /** See `SharedResources.lasting`. */
  constructor(readonly lasting = false) {}

  private readonly entries = new Map<string, { value: Promise<unknown>; dispose?: (value: never) => Promise<void> }>();

  get<T>(key: string, create: () => Promise<T>, dispose?: (value: T) => Promise<void>): Promise<T> {
    let entry = this.entries.get(key);
    if (!entry) {
      entry = { value: create(), ...(dispose ? { dispose: dispose as (value: never) => Promise<void> } : {}) };
      this.entries.set(key, entry);
    }
    return entry.value as Promise<T>;
  }

  async dispose(): Promise<void> {
    const entries = [...this.entries.values()];
    this.entries.clear();
    await Promise.allSettled(
      entries.map(async (e) => {
        if (e.dispose) await e.dispose((await e.value) as never);
      }),
    );
  }
}
