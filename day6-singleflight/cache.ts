import { ByteView } from './byteview.js';
import { Cache } from './lru.js';

/** groupcache's `CacheStats`, in camelCase. */
export interface CacheStats {
  /** Bytes in use: keys and values, as the LRU counts them. */
  bytes: number;
  /** Entries held. */
  items: number;
  /** Lookups. */
  gets: number;
  /** Lookups that found the key. */
  hits: number;
  /** Entries pushed out to make room. */
  evictions: number;
}

/**
 * The values of one group: an LRU of `ByteView`s bounded by `cacheBytes`.
 *
 * Go's GeeCache puts a mutex around each call here, because goroutines can
 * call in at the same instant. `get` and `add` are synchronous, and JavaScript
 * runs one of them at a time to the end, so this class needs no lock.
 */
export class ByteViewCache {
  readonly #lru: Cache<ByteView>;
  #gets = 0;
  #hits = 0;
  #evictions = 0;

  /** @param cacheBytes the most bytes to hold; 0 means no limit. */
  constructor(cacheBytes: number) {
    this.#lru = new Cache<ByteView>(cacheBytes, () => this.#evictions++);
  }

  /** Stores `value` under `key` as the most recent entry. */
  add(key: string, value: ByteView): void {
    this.#lru.add(key, value);
  }

  /** Evicts the least recently used entry, counted as an eviction. */
  removeOldest(): void {
    this.#lru.removeOldest();
  }

  /** Bytes in use: keys and values, as the LRU counts them. */
  get bytes(): number {
    return this.#lru.nbytes;
  }

  /** Returns the value under `key`, or `undefined`. */
  get(key: string): ByteView | undefined {
    this.#gets++;
    const value = this.#lru.get(key);
    if (value !== undefined) this.#hits++;
    return value;
  }

  /** What the cache holds now, and what it has done since it was made. */
  stats(): CacheStats {
    const lru = this.#lru;
    return { bytes: lru.nbytes, items: lru.len(), gets: this.#gets, hits: this.#hits, evictions: this.#evictions };
  }
}
