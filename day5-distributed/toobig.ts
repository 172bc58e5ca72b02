import type { GetterFunc } from './geecache.js';
import { printable } from './log.js';

/** How many keys `warnIfTooBig` names, so that a flood of big values cannot flood the log. */
export const maxTooBigKeysLogged = 100;

/**
 * Wraps `getter` to say when a value is too big for a cache of `cacheBytes`: the cache
 * refuses it, so it is loaded again on every request. Said once per key, for the
 * first `maxTooBigKeysLogged` keys.
 */
export function warnIfTooBig(getter: GetterFunc, cacheBytes: number, log: (line: string) => void): GetterFunc {
  const named = new Set<string>();
  return async (key) => {
    const value = await getter(key);
    const bytes = Buffer.byteLength(key) + (typeof value === 'string' ? Buffer.byteLength(value) : value.length);
    if (cacheBytes > 0 && bytes > cacheBytes && !named.has(key) && named.size < maxTooBigKeysLogged) {
      named.add(key);
      const last = named.size === maxTooBigKeysLogged ? ' (the last key named: more are not logged)' : '';
      log(`[GeeCache] ${printable(key)}: ${bytes} bytes will not fit in the cache of ${cacheBytes}, so it is loaded on every request${last}`);
    }
    return value;
  };
}
