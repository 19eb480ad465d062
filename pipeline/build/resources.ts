import type { SharedResources } from "../model.ts";

interface Entry {
  value: Promise<unknown>;
  dispose?: (value: never) => Promise<void>;
  trim?: (value: never) => Promise<void>;
}

/** Resources shared by the writers of a build, or of every build of a watch (one browser), disposed at the end. */
export class ResourcePool implements SharedResources {
  /** See `SharedResources.lasting` and `SharedResources.printOnly`. */
  constructor(
    readonly lasting = false,
    readonly printOnly = false,
  ) {}

  private readonly entries = new Map<string, Entry>();

  get<T>(key: string, create: () => Promise<T>, dispose?: (value: T) => Promise<void>, trim?: (value: T) => Promise<void>): Promise<T> {
    let entry = this.entries.get(key);
    if (!entry) {
      entry = { value: create() };
      if (dispose) entry.dispose = dispose as (value: never) => Promise<void>;
      if (trim) entry.trim = trim as (value: never) => Promise<void>;
      this.entries.set(key, entry);
    }
    return entry.value as Promise<T>;
  }

  /** Have each resource give back the memory it holds without need (see `SharedResources.get`). */
  async trim(): Promise<void> {
    await Promise.allSettled(
      [...this.entries.values()].map(async (e) => {
        if (e.trim) await e.trim((await e.value) as never);
      }),
    );
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
