import type { ResourceHandling, SharedResources } from "../model.ts";

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
  /** Disposals of resources found gone, awaited by `dispose`. */
  private readonly retired: Array<Promise<unknown>> = [];

  async get<T>(key: string, create: () => Promise<T>, handling: ResourceHandling<T> = {}): Promise<T> {
    let renewed = false;
    for (;;) {
      let entry = this.entries.get(key);
      if (!entry) {
        entry = { value: create() };
        if (handling.dispose) entry.dispose = handling.dispose as (value: never) => Promise<void>;
        if (handling.trim) entry.trim = handling.trim as (value: never) => Promise<void>;
        this.entries.set(key, entry);
      }
      let value: T;
      try {
        value = (await entry.value) as T;
      } catch (error) {
        // One that could not be made is tried again by the next caller (a watch's next build),
        // not remembered as a failure.
        if (this.entries.get(key) === entry) this.entries.delete(key);
        throw error;
      }
      // A resource made again and still not working is returned as it is: its user reports why.
      if (!handling.alive || handling.alive(value) || renewed) return value;
      renewed = true;
      if (this.entries.get(key) === entry) {
        this.entries.delete(key);
        if (entry.dispose) this.retired.push(entry.dispose(value as never).catch(() => undefined));
      }
    }
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
    await Promise.allSettled([
      ...this.retired.splice(0),
      ...entries.map(async (e) => {
        if (e.dispose) await e.dispose((await e.value) as never);
      }),
    ]);
  }
}
