/**
 * Results kept between the builds of one builder (`letterpress watch`): each slot holds the last
 * result made in it and the key of what it was made from, and gives it back while the key is the
 * same. The diagnostics made with a result are reported again with it, so a kept result reads
 * exactly as a fresh one would.
 */
import { createHash } from "node:crypto";
import type { VFile } from "vfile";
import type { VFileMessage } from "vfile-message";

export class Memo {
  private readonly slots = new Map<string, { key: string; value: unknown; messages: VFileMessage[] }>();

  /**
   * The result of `make` for `key`, made now or kept from an earlier build. `file` is where
   * `make` reports. With `copy`, the caller gets its own copy (for results it goes on to change).
   */
  run<T>(slot: string, key: string, file: VFile, make: () => T, copy?: (value: T) => T): T {
    const kept = this.slots.get(slot);
    if (kept?.key === key) {
      file.messages.push(...kept.messages);
      return copy ? copy(kept.value as T) : (kept.value as T);
    }
    const before = file.messages.length;
    const value = make();
    this.slots.set(slot, { key, value: copy ? copy(value) : value, messages: file.messages.slice(before) });
    return value;
  }
}

/** A key from the parts a result depends on. */
export function keyOf(...parts: string[]): string {
  const hash = createHash("sha256");
  for (const part of parts) hash.update(part).update("\0");
  return hash.digest("hex");
}
