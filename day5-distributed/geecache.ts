import { ByteView } from './byteview.js';
import { ByteViewCache, type CacheStats } from './cache.js';
import { Mutex } from './mutex.js';
import type { PeerGetter, PeerPicker } from './peers.js';

/** Loads the value of a key the cache does not hold, from wherever the data really lives. */
export type GetterFunc = (key: string) => Uint8Array | string | Promise<Uint8Array | string>;

/** An object that loads missing keys; a plain `GetterFunc` works too. */
export interface Getter {
  get: GetterFunc;
}

/** Thrown by a getter when the key does not exist, so callers can tell "missing" from "failed". */
export class NotFoundError extends Error {
  override name = 'NotFoundError';
}

/** What a group has done since it was made: groupcache's `Stats`, in camelCase. */
export interface GroupStats {
  /** Every `get`, hit or miss. */
  gets: number;
  /** Gets answered from the cache, including a miss that found the value there on a second look. */
  cacheHits: number;
  /** Gets that missed the cache at the first look. */
  loads: number;
  /** Loads through the getter that gave a value. */
  localLoads: number;
  /** Loads through the getter that failed (not found included). */
  localLoadErrs: number;
  /** Requests for the group that came over HTTP, to `HTTPPool`. */
  serverRequests: number;
  /** Values fetched from the owner, and owners' "no such key" answers. */
  peerLoads: number;
  /** Owners that failed to answer (down, slow, broken): the key was then loaded here. */
  peerErrors: number;
  /** The group's cache. */
  cache: CacheStats;
}

const groups = new Map<string, Group>();

/**
 * A named cache namespace: values live in an LRU of `cacheBytes` bytes, and
 * a miss is loaded through the getter. Create groups with `newGroup`.
 */
export class Group {
  /** The name the group is registered under. */
  readonly name: string;
  readonly #getter: GetterFunc;
  readonly #mainCache: ByteViewCache;
  readonly #mu = new Mutex();
  #peers: PeerPicker | undefined;
  // Plain numbers: counting costs a hit nothing measurable.
  readonly #stats = {
    gets: 0,
    cacheHits: 0,
    loads: 0,
    localLoads: 0,
    localLoadErrs: 0,
    serverRequests: 0,
    peerLoads: 0,
    peerErrors: 0,
  };

  /** Prefer `newGroup`, which also registers the group for `getGroup`. */
  constructor(name: string, cacheBytes: number, getter: Getter | GetterFunc) {
    if (typeof getter === 'function') this.#getter = getter;
    else if (typeof getter?.get === 'function') this.#getter = (key) => getter.get(key);
    else throw new TypeError(`group ${name}: a getter is required`);
    this.name = name;
    this.#mainCache = new ByteViewCache(cacheBytes);
  }

  /**
   * Lets the group ask the owner of a key before loading it here.
   * @throws Error when peers are already registered.
   */
  registerPeers(peers: PeerPicker): void {
    if (this.#peers !== undefined) throw new Error(`group ${this.name}: registerPeers called more than once`);
    this.#peers = peers;
  }

  /**
   * Resolves to the value of `key`: from the cache when it holds it, else
   * through the getter, and then cached. Rejects with the getter's error, which
   * is never cached, or with "key is required" for an empty key.
   * A miss asks the peer that owns the key first; that peer's `NotFoundError` is final.
   * @param options.fromPeer a peer picked this node as the owner: load here if missing, never ask a peer.
   */
  async get(key: string, options: { fromPeer?: boolean } = {}): Promise<ByteView> {
    if (key === '') throw new Error('key is required');
    this.#stats.gets++;
    const cached = this.#mainCache.get(key);
    if (cached !== undefined) {
      this.#stats.cacheHits++;
      return cached;
    }
    this.#stats.loads++;
    return this.#load(key, options.fromPeer === true);
  }

  /** Counts a request for this group that came over HTTP (called by `HTTPPool`). */
  countServerRequest(): void {
    this.#stats.serverRequests++;
  }

  /** A snapshot of the counters: changing it changes nothing. */
  stats(): GroupStats {
    return { ...this.#stats, cache: this.#mainCache.stats() };
  }

  async #load(key: string, fromPeer: boolean): Promise<ByteView> {
    const peer = fromPeer ? undefined : this.#peers?.pickPeer(key);
    if (peer !== undefined) {
      try {
        return await this.#getFromPeer(peer, key);
      } catch (err) {
        // The owner says the key does not exist: asking the database here would say the same.
        if (err instanceof NotFoundError) throw err;
        // Down, slow or broken (the peer client logged why): load it here instead.
      }
    }
    // The getter awaits, and while it does, other calls run. The lock makes a
    // second miss of this key wait here, then find the first caller's value.
    // A peer request is never made under the lock: two nodes each holding their
    // own lock while asking the other would wait for each other until timeout.
    return this.#mu.runExclusive(() => this.#lookupAgain(key) ?? this.#getLocally(key));
  }

  /** The cache once more, after a wait: another caller may have loaded the key meanwhile. */
  #lookupAgain(key: string): ByteView | undefined {
    const cached = this.#mainCache.get(key);
    if (cached !== undefined) this.#stats.cacheHits++;
    return cached;
  }

  async #getLocally(key: string): Promise<ByteView> {
    let bytes: Uint8Array | string;
    try {
      bytes = await this.#getter(key);
      if (typeof bytes !== 'string' && !(bytes instanceof Uint8Array)) {
        throw new TypeError(`group ${this.name}: the getter returned ${typeof bytes}, not bytes or a string`);
      }
    } catch (err) {
      this.#stats.localLoadErrs++;
      throw err;
    }
    this.#stats.localLoads++;
    const value = new ByteView(bytes);
    this.#mainCache.add(key, value);
    return value;
  }

  /** Asks the owner. Its value, or its "no such key", is a peer load; any other failure a peer error. */
  async #getFromPeer(peer: PeerGetter, key: string): Promise<ByteView> {
    try {
      const bytes = await peer.get(this.name, key);
      this.#stats.peerLoads++;
      return new ByteView(bytes);
    } catch (err) {
      this.#stats[err instanceof NotFoundError ? 'peerLoads' : 'peerErrors']++;
      throw err;
    }
  }
}

/**
 * Creates a group and registers it under `name`.
 * @throws TypeError without a getter; Error when the name is empty or taken;
 *   RangeError for a bad `cacheBytes` (see `Cache`).
 */
export function newGroup(name: string, cacheBytes: number, getter: Getter | GetterFunc): Group {
  if (name === '') throw new Error('a group name is required');
  if (groups.has(name)) throw new Error(`group ${name} already exists`);
  const group = new Group(name, cacheBytes, getter);
  groups.set(name, group);
  return group;
}

/** Returns the group registered under `name`, or `undefined`. */
export function getGroup(name: string): Group | undefined {
  return groups.get(name);
}

/** Every registered group, by name. */
export function allGroups(): ReadonlyMap<string, Group> {
  return groups;
}
