import type { Value } from './lru.js';

/**
 * The tempting LRU: a `Map` remembers insertion order, so delete and re-insert
 * on each hit, and evict `map.keys().next()`, the first key.
 *
 * It is correct, and it is a trap in V8. Deleting from a `Map` leaves a hole
 * that stays until the table is rebuilt, and `keys().next()` walks over every
 * hole at the front. Under churn each eviction gets slower as the cache grows.
 * Kept here only to measure against `Cache` (see `churn.ts` and the chapter).
 */
export class NaiveLRU<V extends Value = Value> {
  readonly #maxBytes: number;
  readonly #map = new Map<string, V>();
  #nbytes = 0;

  /** @param maxBytes the most bytes the entries may count for; 0 means no limit. */
  constructor(maxBytes: number) {
    this.#maxBytes = maxBytes;
  }

  /** Adds or replaces `key` as the most recent entry, then evicts the oldest while over the limit. */
  add(key: string, value: V): void {
    const old = this.#map.get(key);
    if (old !== undefined) {
      this.#nbytes -= Buffer.byteLength(key) + old.len();
      this.#map.delete(key);
    }
    this.#map.set(key, value);
    this.#nbytes += Buffer.byteLength(key) + value.len();
    while (this.#maxBytes !== 0 && this.#nbytes > this.#maxBytes) {
      const oldest = this.#map.keys().next().value as string; // the slow step
      this.#nbytes -= Buffer.byteLength(oldest) + this.#map.get(oldest)!.len();
      this.#map.delete(oldest);
    }
  }

  /** Returns the value under `key` and makes it the most recent entry. */
  get(key: string): V | undefined {
    const value = this.#map.get(key);
    if (value !== undefined) {
      this.#map.delete(key);
      this.#map.set(key, value);
    }
    return value;
  }

  /** The number of entries. */
  len(): number {
    return this.#map.size;
  }
}
