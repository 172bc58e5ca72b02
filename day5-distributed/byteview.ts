import type { Value } from './lru.js';

// A copy made here owns an ArrayBuffer of exactly its size. Buffer.from would
// hand out a slice of a shared 8 KiB pool, and one cached slice keeps the
// whole pool alive, so the cache would hold far more memory than it counts.
const encoder = new TextEncoder();
const decoder = new TextDecoder();

/**
 * An immutable view of a cached value's bytes.
 *
 * The bytes are copied in when the view is made and copied out by
 * `byteSlice()`, so no caller can change what the cache holds. The one
 * exception, `readOnlyBytes()`, is for writers only, by convention.
 */
export class ByteView implements Value {
  readonly #bytes: Uint8Array;

  /** Copies `data`; a string is stored as its UTF-8 bytes. */
  constructor(data: Uint8Array | string) {
    this.#bytes = typeof data === 'string' ? encoder.encode(data) : new Uint8Array(data);
  }

  /** The number of bytes. */
  len(): number {
    return this.#bytes.length;
  }

  /** A copy of the bytes: changing it changes nothing cached. */
  byteSlice(): Uint8Array {
    return new Uint8Array(this.#bytes);
  }

  /**
   * The bytes themselves, not a copy, for code that only reads them: a socket
   * that sends them, an encoder that copies them. A 64 KB hit is served about
   * twice as fast without the copy (BENCHMARKS.md). Anything else takes `byteSlice()`.
   */
  readOnlyBytes(): Readonly<Uint8Array> {
    return this.#bytes;
  }

  /** The bytes decoded as UTF-8. */
  toString(): string {
    return decoder.decode(this.#bytes);
  }
}
