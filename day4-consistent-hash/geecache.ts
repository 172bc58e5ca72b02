import { ByteView } from './byteview.js';
import { ByteViewCache } from './cache.js';
import { Mutex } from './mutex.js';

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

  /** Prefer `newGroup`, which also registers the group for `getGroup`. */
  constructor(name: string, cacheBytes: number, getter: Getter | GetterFunc) {
    if (typeof getter === 'function') this.#getter = getter;
    else if (typeof getter?.get === 'function') this.#getter = (key) => getter.get(key);
    else throw new TypeError(`group ${name}: a getter is required`);
    this.name = name;
    this.#mainCache = new ByteViewCache(cacheBytes);
  }

  /**
   * Resolves to the value of `key`: from the cache when it holds it, else
   * through the getter, and then cached. Rejects with the getter's error, which
   * is never cached, or with "key is required" for an empty key.
   */
  async get(key: string): Promise<ByteView> {
    if (key === '') throw new Error('key is required');
    const cached = this.#mainCache.get(key);
    if (cached !== undefined) return cached;
    return this.#load(key);
  }

  #load(key: string): Promise<ByteView> {
    // The getter awaits, and while it does, other calls run. The lock makes a
    // second miss of this key wait here, then find the first caller's value.
    return this.#mu.runExclusive(() => this.#mainCache.get(key) ?? this.#getLocally(key));
  }

  async #getLocally(key: string): Promise<ByteView> {
    const bytes = await this.#getter(key);
    if (typeof bytes !== 'string' && !(bytes instanceof Uint8Array)) {
      throw new TypeError(`group ${this.name}: the getter returned ${typeof bytes}, not bytes or a string`);
    }
    const value = new ByteView(bytes);
    this.#populateCache(key, value);
    return value;
  }

  #populateCache(key: string, value: ByteView): void {
    this.#mainCache.add(key, value);
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
