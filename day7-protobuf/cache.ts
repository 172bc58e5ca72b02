import { ByteView } from './byteview.js';
import { Cache } from './lru.js';

/**
 * The values of one group: an LRU of `ByteView`s bounded by `cacheBytes`.
 *
 * Go's GeeCache puts a mutex around each call here, because goroutines can
 * call in at the same instant. `get` and `add` are synchronous, and JavaScript
 * runs one of them at a time to the end, so this class needs no lock.
 */
export class ByteViewCache {
  readonly #lru: Cache<ByteView>;

  /** @param cacheBytes the most bytes to hold; 0 means no limit. */
  constructor(cacheBytes: number) {
    this.#lru = new Cache<ByteView>(cacheBytes);
  }

  /** Stores `value` under `key` as the most recent entry. */
  add(key: string, value: ByteView): void {
    this.#lru.add(key, value);
  }

  /** Returns the value under `key`, or `undefined`. */
  get(key: string): ByteView | undefined {
    return this.#lru.get(key);
  }
}
