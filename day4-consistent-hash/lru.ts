/** Anything the cache can hold: it says how many bytes it counts for. */
export interface Value {
  /** Bytes this value counts for against the cache's `maxBytes`. */
  len(): number;
}

/** One node of the recency list; the map points straight at it. */
class Entry<V> {
  prev: Entry<V> = this;
  next: Entry<V> = this;
  constructor(
    readonly key: string,
    public value: V,
    public size: number, // bytes of key and value, kept so eviction needs no recount
  ) {}
}

/**
 * A least-recently-used cache bounded by bytes.
 *
 * A `Map` finds an entry by key; a doubly linked list keeps entries in order of
 * use, most recent first. Both are O(1) per operation, at any size.
 */
export class Cache<V extends Value = Value> {
  readonly #maxBytes: number;
  readonly #onEvicted: ((key: string, value: V) => void) | undefined;
  readonly #map = new Map<string, Entry<V>>();
  // A sentinel closes the list into a ring: head.next is the newest, head.prev the oldest.
  readonly #head: Entry<V>;
  #nbytes = 0;

  /**
   * @param maxBytes the most bytes the entries may count for; 0 means no limit.
   * @param onEvicted called with each evicted entry, after it has left the cache.
   * @throws RangeError when `maxBytes` is negative, fractional or not finite.
   */
  constructor(maxBytes: number, onEvicted?: (key: string, value: V) => void) {
    if (!Number.isSafeInteger(maxBytes) || maxBytes < 0) {
      throw new RangeError(`maxBytes must be an integer from 0 to 2^53 - 1, got ${maxBytes}`);
    }
    this.#maxBytes = maxBytes;
    this.#onEvicted = onEvicted;
    this.#head = new Entry<V>('', undefined as unknown as V, 0); // its value is never read
  }

  /**
   * Adds or replaces `key`, makes it the most recent entry, then evicts the
   * oldest entries while the cache counts more than `maxBytes`.
   * An entry bigger than `maxBytes` on its own is not stored, and evicts only an older value under its key.
   */
  add(key: string, value: V): void {
    const valueBytes = value.len();
    if (!Number.isSafeInteger(valueBytes) || valueBytes < 0) {
      throw new RangeError(`value.len() must be an integer from 0 to 2^53 - 1, got ${valueBytes}`);
    }
    const size = Buffer.byteLength(key) + valueBytes;
    const old = this.#map.get(key);
    if (this.#maxBytes !== 0 && size > this.#maxBytes) {
      // Keeping the old value would answer later gets with stale data.
      if (old !== undefined) this.#evict(old);
      return;
    }
    if (old !== undefined) {
      this.#nbytes += size - old.size;
      old.value = value;
      old.size = size;
      this.#unlink(old);
      this.#pushFront(old);
    } else {
      const entry = new Entry(key, value, size);
      this.#map.set(key, entry);
      this.#nbytes += size;
      this.#pushFront(entry);
    }
    while (this.#maxBytes !== 0 && this.#nbytes > this.#maxBytes) {
      this.removeOldest();
    }
  }

  /** Returns the value under `key` and makes it the most recent entry, or `undefined`. */
  get(key: string): V | undefined {
    const entry = this.#map.get(key);
    if (entry === undefined) return undefined;
    this.#unlink(entry);
    this.#pushFront(entry);
    return entry.value;
  }

  /** Evicts the least recently used entry; does nothing when the cache is empty. */
  removeOldest(): void {
    const oldest = this.#head.prev;
    if (oldest !== this.#head) this.#evict(oldest);
  }

  /** The number of entries. */
  len(): number {
    return this.#map.size;
  }

  /** The bytes the entries count for: each key's UTF-8 length plus its value's `len()`. */
  get nbytes(): number {
    return this.#nbytes;
  }

  #evict(entry: Entry<V>): void {
    this.#unlink(entry);
    this.#map.delete(entry.key);
    this.#nbytes -= entry.size;
    this.#onEvicted?.(entry.key, entry.value);
  }

  #pushFront(entry: Entry<V>): void {
    const head = this.#head;
    entry.prev = head;
    entry.next = head.next;
    head.next.prev = entry;
    head.next = entry;
  }

  #unlink(entry: Entry<V>): void {
    entry.prev.next = entry.next;
    entry.next.prev = entry.prev;
  }
}
