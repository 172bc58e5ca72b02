import { crc32 } from 'node:zlib';

/** Maps bytes to a number that the ring reads as an unsigned 32-bit integer. */
export type Hash = (data: Uint8Array) => number;

/**
 * A consistent-hash ring: it picks which node owns a key, so that every
 * machine with the same nodes picks the same one, and adding or removing a
 * node moves only the keys that must move.
 *
 * Each node is placed on the ring `replicas` times (its virtual nodes); a key
 * belongs to the first virtual node at or after the key's hash, going round.
 * With the default hash it picks the same owners as Go's groupcache.
 */
export class HashRing {
  readonly #replicas: number;
  readonly #hashString: (s: string) => number;
  // Insertion order is kept, but owners never depend on it: see #rebuild.
  readonly #nodes = new Set<string>();
  // The ring itself: virtual-node hashes sorted ascending, and who owns each.
  #hashes = new Uint32Array(0);
  #owners: string[] = [];

  /**
   * @param replicas how many virtual nodes each node gets on the ring.
   * @param hash hashes the UTF-8 bytes of a string; defaults to CRC-32 (IEEE), as groupcache does.
   * @throws RangeError when `replicas` is not a whole number >= 1.
   */
  constructor(replicas: number, hash?: Hash) {
    if (!Number.isSafeInteger(replicas) || replicas < 1) {
      throw new RangeError(`replicas must be a whole number >= 1, got ${replicas}`);
    }
    this.#replicas = replicas;
    // zlib.crc32 encodes a string as UTF-8 itself, so a lookup allocates no Buffer.
    this.#hashString =
      hash === undefined ? (s) => crc32(s) : (s) => hash(Buffer.from(s)) >>> 0;
  }

  /**
   * Puts each node on the ring. A node already there is left as it is.
   * @throws RangeError when a node name is empty, as `get` answers '' for "no node";
   *   then none of the nodes is added.
   */
  add(...nodes: string[]): void {
    if (nodes.includes('')) {
      throw new RangeError('a node name must not be empty');
    }
    for (const node of nodes) this.#nodes.add(node);
    this.#rebuild();
  }

  /** Takes the node and all its virtual nodes off the ring. An unknown node is ignored. */
  remove(node: string): void {
    if (this.#nodes.delete(node)) this.#rebuild();
  }

  /** Returns the node that owns `key`, or '' when the ring is empty. */
  get(key: string): string {
    const hashes = this.#hashes;
    if (hashes.length === 0) return '';
    const hash = this.#hashString(key);
    // Binary search for the first virtual node whose hash is >= the key's.
    let lo = 0;
    let hi = hashes.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (hashes[mid]! < hash) lo = mid + 1;
      else hi = mid;
    }
    // Past the last virtual node, the ring wraps round to the first.
    return this.#owners[lo === hashes.length ? 0 : lo]!;
  }

  /** The ring's virtual nodes in ring order: each one's hash and the node it belongs to (for pictures and debugging). */
  points(): Array<{ hash: number; node: string }> {
    return Array.from(this.#hashes, (hash, i) => ({ hash, node: this.#owners[i]! }));
  }

  /** Recomputes the sorted ring from the node set; add and remove are rare, get is not. */
  #rebuild(): void {
    const points: { hash: number; node: string }[] = [];
    for (const node of this.#nodes) {
      for (let i = 0; i < this.#replicas; i++) {
        // The same string as groupcache's strconv.Itoa(i) + key, so the same ring.
        points.push({ hash: this.#hashString(`${i}${node}`), node });
      }
    }
    // On equal hashes the smaller name comes first and wins every lookup, so
    // a collision resolves the same way on every machine, whatever the order of add.
    points.sort((a, b) => a.hash - b.hash || (a.node < b.node ? -1 : a.node > b.node ? 1 : 0));
    this.#hashes = Uint32Array.from(points, (p) => p.hash);
    this.#owners = points.map((p) => p.node);
  }
}
