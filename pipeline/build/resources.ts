import type { SharedResources } from "../model.ts";

/** Resources shared by all writers of one build (one browser, font data), disposed at the end. */
export class ResourcePool implements SharedResources {
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
