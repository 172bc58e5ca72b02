import { describe, expect, test } from 'vitest';
import { ByteView } from './byteview.js';
import { type Getter, type GetterFunc, getGroup, newGroup, NotFoundError } from './geecache.js';
import type { PeerPicker } from './peers.js';

const db: Record<string, string> = { Tom: '630', Jack: '589', Sam: '567' };

/** A getter over `db` that counts its loads per key, like the Go test's loadCount. */
function countingDB() {
  const loads = new Map<string, number>();
  const getter: GetterFunc = (key) => {
    loads.set(key, (loads.get(key) ?? 0) + 1);
    const value = db[key];
    if (value === undefined) throw new NotFoundError(`${key} not exist`);
    return value;
  };
  return { loads, getter };
}

/** A promise with its resolve function, to decide in a test when a load finishes. */
function deferred<T>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

let groupCount = 0;
/** The registry is global, so each test takes a name of its own. */
const uniqueName = (base: string) => `${base}-${++groupCount}`;

describe('ported from GeeCache', () => {
  test('TestGetter: a plain function serves as a getter', async () => {
    const f: GetterFunc = (key) => Buffer.from(key);
    const group = newGroup(uniqueName('g'), 0, f);
    expect((await group.get('key')).toString()).toBe('key');
  });

  test('TestGet: each key is loaded once, then served from the cache', async () => {
    const { loads, getter } = countingDB();
    const gee = newGroup(uniqueName('scores'), 2 << 10, getter);
    for (const [key, value] of Object.entries(db)) {
      expect((await gee.get(key)).toString()).toBe(value);
      expect((await gee.get(key)).toString()).toBe(value);
      expect(loads.get(key)).toBe(1);
    }
    await expect(gee.get('unknown')).rejects.toThrow('unknown not exist');
  });

  test('TestGetGroup: a group is found by its name, an unknown name finds nothing', () => {
    const name = uniqueName('scores');
    const group = newGroup(name, 2 << 10, () => '');
    expect(getGroup(name)).toBe(group);
    expect(getGroup(name)?.name).toBe(name);
    expect(getGroup(`${name}xxx`)).toBeUndefined();
  });
});

describe('Group.get', () => {
  test('an empty key rejects with "key is required" and never reaches the getter', async () => {
    const { loads, getter } = countingDB();
    const group = newGroup(uniqueName('g'), 0, getter);
    await expect(group.get('')).rejects.toThrow('key is required');
    expect(loads.size).toBe(0);
  });

  test('a getter may be an object with a get method, called with its this', async () => {
    const source = {
      prefix: 'v:',
      get(key: string) {
        return this.prefix + key;
      },
    };
    const group = newGroup(uniqueName('g'), 0, source);
    expect((await group.get('k')).toString()).toBe('v:k');
  });

  test('a getter may be async and may return bytes', async () => {
    const group = newGroup(uniqueName('g'), 0, async (key) => new Uint8Array([key.length, 0xff]));
    expect([...(await group.get('abc')).byteSlice()]).toEqual([3, 0xff]);
  });

  test('NotFoundError reaches the caller as a NotFoundError', async () => {
    const { getter } = countingDB();
    const group = newGroup(uniqueName('g'), 0, getter);
    const error = await group.get('Nobody').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NotFoundError);
    expect((error as Error).message).toBe('Nobody not exist');
  });

  test('a failed load is not cached: the next get asks again', async () => {
    let calls = 0;
    const group = newGroup(uniqueName('g'), 0, async () => {
      calls++;
      if (calls === 1) throw new Error('database down');
      return 'ok';
    });
    await expect(group.get('k')).rejects.toThrow('database down');
    expect((await group.get('k')).toString()).toBe('ok');
    expect(calls).toBe(2);
  });

  test('a getter that throws synchronously makes get reject, not throw', async () => {
    const group = newGroup(uniqueName('g'), 0, () => {
      throw new Error('sync failure');
    });
    const pending = group.get('k'); // must not throw here
    await expect(pending).rejects.toThrow('sync failure');
  });

  test('a getter that returns neither bytes nor a string is an error, not a crash', async () => {
    const group = newGroup(uniqueName('g'), 0, (() => undefined) as unknown as GetterFunc);
    await expect(group.get('k')).rejects.toThrow(TypeError);
  });

  test('bytes from the getter are copied: changing them later changes nothing cached', async () => {
    const bytes = Buffer.from('original');
    const group = newGroup(uniqueName('g'), 0, () => bytes);
    await group.get('k');
    bytes.write('MUTATED!');
    expect((await group.get('k')).toString()).toBe('original');
  });

  test('a value evicted from a small cache is loaded again', async () => {
    const { loads, getter } = countingDB();
    const group = newGroup(uniqueName('g'), 12, getter); // room for two of 'Tom630', 'Sam567', ...
    await group.get('Tom');
    await group.get('Sam');
    await group.get('Jack'); // 'Jack589' (7 bytes) pushes Tom out
    await group.get('Tom');
    expect(loads.get('Tom')).toBe(2);
  });
});

describe('singleflight', () => {
  test('concurrent misses of one key call the getter once', async () => {
    let loads = 0;
    const group = newGroup(uniqueName('g'), 0, async (key) => {
      loads++;
      await tick(); // while this load awaits, the other gets run
      return `value of ${key}`;
    });
    const values = await Promise.all(Array.from({ length: 10 }, () => group.get('hot')));
    expect(values.map(String)).toEqual(Array(10).fill('value of hot'));
    expect(loads).toBe(1);
  });

  test('overlapping misses share a failed load: one call, and every caller gets the error', async () => {
    let loads = 0;
    const group = newGroup(uniqueName('g'), 0, async () => {
      loads++;
      await tick();
      throw new Error('database down');
    });
    const results = await Promise.allSettled(Array.from({ length: 10 }, () => group.get('k')));
    expect(results.every((r) => r.status === 'rejected' && String(r.reason).includes('database down'))).toBe(true);
    expect(loads).toBe(1);
  });

  test('a miss of one key does not wait for the load of another', async () => {
    const slow = deferred<string>();
    const started: string[] = [];
    let inside = 0;
    let most = 0;
    const group = newGroup(uniqueName('g'), 0, async (key) => {
      started.push(key);
      inside++;
      most = Math.max(most, inside);
      const value = await (key === 'a' ? slow.promise : 'b-value');
      inside--;
      return value;
    });
    const a = group.get('a');
    const b = group.get('b');
    expect(String(await b)).toBe('b-value'); // while a is still loading
    expect(started).toEqual(['a', 'b']);
    expect(most).toBe(2);
    slow.resolve('a-value');
    expect(String(await a)).toBe('a-value');
  });

  test('a hit does not wait for a slow load of another key', async () => {
    const slow = deferred<string>();
    const group = newGroup(uniqueName('g'), 0, (key) => (key === 'slow' ? slow.promise : 'fast'));
    await group.get('cached');
    const pending = group.get('slow');
    expect((await group.get('cached')).toString()).toBe('fast');
    slow.resolve('done');
    await pending;
  });
});

describe('the registry', () => {
  test('newGroup without a getter throws', () => {
    expect(() => newGroup(uniqueName('g'), 0, undefined as unknown as GetterFunc)).toThrow(
      'a getter is required',
    );
    expect(() => newGroup(uniqueName('g'), 0, {} as Getter)).toThrow('a getter is required');
  });

  test('a name already taken throws and leaves the first group in place', () => {
    const name = uniqueName('taken');
    const first = newGroup(name, 0, () => '1');
    expect(() => newGroup(name, 0, () => '2')).toThrow(`group ${name} already exists`);
    expect(getGroup(name)).toBe(first);
  });

  test('an empty name throws', () => {
    expect(() => newGroup('', 0, () => '')).toThrow('a group name is required');
  });

  test('a bad cacheBytes throws and registers nothing', () => {
    const name = uniqueName('bad');
    expect(() => newGroup(name, -1, () => '')).toThrow(RangeError);
    expect(getGroup(name)).toBeUndefined();
  });

  test('values are ByteViews', async () => {
    const group = newGroup(uniqueName('g'), 0, () => 'x');
    expect(await group.get('k')).toBeInstanceOf(ByteView);
  });
});

describe("the hot cache: copies of other nodes' keys", () => {
  /**
   * A group of `cacheBytes` whose keys starting with "far" belong to a fake peer; the rest are
   * its own. Its own values are 18 bytes (20 with a two-letter key), the peer's `farValue`.
   */
  function groupWithPeer(cacheBytes: number, random: () => number, farValue = 'y'.repeat(6)) {
    const asked: string[] = [];
    const group = newGroup(uniqueName('hot'), cacheBytes, () => 'x'.repeat(18), { random });
    group.registerPeers({
      pickPeer: (key) =>
        key.startsWith('far') ? { get: async (_, far) => (asked.push(far), Buffer.from(farValue)) } : undefined,
    });
    return { group, asked };
  }

  test('a value from a peer is kept when the draw is under 1/10, then served without asking the peer', async () => {
    const { group, asked } = groupWithPeer(0, () => 0.099);
    expect((await group.get('far1')).toString()).toBe('yyyyyy');
    expect((await group.get('far1')).toString()).toBe('yyyyyy');
    expect(asked).toEqual(['far1']);
    const { cache, hotCache, cacheHits } = group.stats();
    expect([cache.items, hotCache.items, hotCache.hits, cacheHits]).toEqual([0, 1, 1, 1]);
  });

  test('a draw of 1/10 or more keeps nothing: the peer is asked every time', async () => {
    const { group, asked } = groupWithPeer(0, () => 0.1);
    await group.get('far1');
    await group.get('far1');
    expect(asked).toEqual(['far1', 'far1']);
    expect(group.stats().hotCache.items).toBe(0);
  });

  test('one value in ten, draw by draw', async () => {
    let draw = 0;
    const { group } = groupWithPeer(0, () => (draw++ % 10) / 10); // 0, 0.1, ..., 0.9, 0, ...
    for (let i = 0; i < 30; i++) await group.get(`far${i}`);
    expect(group.stats().hotCache.items).toBe(3);
  });

  test('both caches share one budget: past it, the hot cache gives way while it holds more than 1/8 of the main', async () => {
    const { group } = groupWithPeer(95, () => 0);
    for (const key of ['k0', 'k1', 'k2', 'k3']) await group.get(key); // main: 4 x 20 = 80 bytes
    for (const key of ['far0', 'far1']) await group.get(key); // hot: 10 bytes each
    // 80 + 20 > 95, and 20 > 80 / 8 (though not 80 / 4): the hot cache's oldest goes.
    const { cache, hotCache } = group.stats();
    expect(cache).toMatchObject({ bytes: 80, items: 4, evictions: 0 });
    expect(hotCache).toMatchObject({ bytes: 10, items: 1, evictions: 1 });
    expect(group.stats().peerLoads).toBe(2);
    await group.get('far0'); // evicted from the hot cache: the peer again
    expect(group.stats().peerLoads).toBe(3);
  });

  test('while the hot cache holds 1/8 of the main cache or less, the main cache gives way', async () => {
    const { group } = groupWithPeer(100, () => 0);
    for (const key of ['k0', 'k1', 'k2', 'k3']) await group.get(key); // main: 80 bytes
    await group.get('far0'); // hot: 10 bytes, total 90
    await group.get('k4'); // main: 100, total 110; 10 <= 100 / 8: the main cache's oldest, k0, goes
    const { cache, hotCache } = group.stats();
    expect(cache).toMatchObject({ bytes: 80, items: 4, evictions: 1 });
    expect(hotCache).toMatchObject({ bytes: 10, items: 1, evictions: 0 });
  });

  test('a value bigger than the whole budget is kept in neither cache, and evicts nothing', async () => {
    const { group, asked } = groupWithPeer(100, () => 0, 'z'.repeat(200));
    for (const key of ['k0', 'k1', 'k2', 'k3']) await group.get(key);
    expect((await group.get('far0')).len()).toBe(200);
    await group.get('far0');
    expect(asked).toEqual(['far0', 'far0']);
    const { cache, hotCache } = group.stats();
    expect(cache).toMatchObject({ items: 4, evictions: 0 });
    expect(hotCache).toMatchObject({ items: 0, evictions: 0 });
  });

  test("its counters, groupcache's CacheStats(HotCache): bytes, items, gets, hits, evictions", async () => {
    const { group } = groupWithPeer(0, () => 0);
    await group.get('far1'); // a miss: the main cache and the hot cache each looked at twice (get, flight)
    await group.get('far1'); // a hit in the hot cache, after a miss in the main cache
    expect(group.stats().hotCache).toEqual({ bytes: 10, items: 1, gets: 3, hits: 1, evictions: 0 });
    expect(group.stats().cache).toEqual({ bytes: 0, items: 0, gets: 3, hits: 0, evictions: 0 });
  });
});

describe('peers', () => {
  /** A picker that sends every key to one fake peer, and records what it was asked. */
  function fakePeer(answer: (key: string) => Promise<Uint8Array>) {
    const asked: string[] = [];
    const picker: PeerPicker = {
      pickPeer: () => ({
        get: (group, key) => {
          asked.push(`${group}/${key}`);
          return answer(key);
        },
      }),
    };
    return { asked, picker };
  }

  test('a miss asks the owner, and the getter is not called', async () => {
    const { loads, getter } = countingDB();
    const group = newGroup(uniqueName('g'), 0, getter);
    const { asked, picker } = fakePeer(async (key) => Buffer.from(`remote ${key}`));
    group.registerPeers(picker);
    expect((await group.get('Tom')).toString()).toBe('remote Tom');
    expect(asked).toEqual([`${group.name}/Tom`]);
    expect(loads.size).toBe(0);
    expect(group.stats()).toMatchObject({ loads: 1, peerLoads: 1, peerErrors: 0, localLoads: 0 });
  });

  test('a failing owner: the key is loaded here', async () => {
    const { loads, getter } = countingDB();
    const group = newGroup(uniqueName('g'), 0, getter);
    group.registerPeers(fakePeer(() => Promise.reject(new Error('peer down'))).picker);
    expect((await group.get('Tom')).toString()).toBe('630');
    expect(loads.get('Tom')).toBe(1);
    expect(group.stats()).toMatchObject({ loads: 1, peerLoads: 0, peerErrors: 1, localLoads: 1 });
  });

  test("the owner's NotFoundError is final: the getter is not called", async () => {
    const { loads, getter } = countingDB();
    const group = newGroup(uniqueName('g'), 0, getter);
    group.registerPeers(fakePeer(() => Promise.reject(new NotFoundError('Tom not exist'))).picker);
    await expect(group.get('Tom')).rejects.toBeInstanceOf(NotFoundError);
    expect(loads.size).toBe(0);
    // The owner answered: a peer load, not a peer error (groupcache has no "not found").
    expect(group.stats()).toMatchObject({ peerLoads: 1, peerErrors: 0, localLoads: 0, localLoadErrs: 0 });
  });

  test('a request from a peer is never forwarded', async () => {
    const { loads, getter } = countingDB();
    const group = newGroup(uniqueName('g'), 0, getter);
    const { asked, picker } = fakePeer(async () => Buffer.from('remote'));
    group.registerPeers(picker);
    expect((await group.get('Tom', { fromPeer: true })).toString()).toBe('630');
    expect(asked).toEqual([]);
    expect(loads.get('Tom')).toBe(1);
  });

  test('a slow owner does not hold up a local miss of another key', async () => {
    const slow = deferred<Uint8Array>();
    const { loads, getter } = countingDB();
    const group = newGroup(uniqueName('g'), 0, getter);
    group.registerPeers({ pickPeer: (key) => (key === 'Tom' ? { get: () => slow.promise } : undefined) });
    const tom = group.get('Tom');
    expect((await group.get('Jack')).toString()).toBe('589');
    expect(loads.get('Jack')).toBe(1);
    slow.resolve(Buffer.from('630'));
    expect((await tom).toString()).toBe('630');
  });

  test('registerPeers twice throws', () => {
    const group = newGroup(uniqueName('g'), 0, () => '');
    group.registerPeers({ pickPeer: () => undefined });
    expect(() => group.registerPeers({ pickPeer: () => undefined })).toThrow('registerPeers called more than once');
  });
});

describe('stats: groupcache counters', () => {
  const counters = (gee: ReturnType<typeof newGroup>) => {
    const { cache, ...group } = gee.stats();
    return { ...group, cache };
  };

  test('a miss is a load through the getter; a hit is a hit, and never a load', async () => {
    const gee = newGroup(uniqueName('scores'), 2 << 10, countingDB().getter);
    await gee.get('Tom');
    await gee.get('Tom');
    expect(counters(gee)).toEqual({
      gets: 2,
      cacheHits: 1,
      loads: 1,
      localLoads: 1,
      localLoadErrs: 0,
      serverRequests: 0, // only HTTPPool counts these (day 3)
      peerLoads: 0,
      peerErrors: 0,
      loadsDeduped: 1,
      // Four lookups: the miss, a second look in the flight, a third in the local flight, the hit.
      cache: { bytes: 6, items: 1, gets: 4, hits: 1, evictions: 0 },
      // Each of the three looks that missed the main cache looked in the hot cache too.
      hotCache: { bytes: 0, items: 0, gets: 3, hits: 0, evictions: 0 },
    });
  });

  test('a failed load is a local load error, whatever failed: not found, a throw, a wrong type', async () => {
    let answer: unknown = 42;
    const gee = newGroup(uniqueName('g'), 0, (key) => {
      if (key === 'missing') throw new NotFoundError('missing not exist');
      if (key === 'broken') throw new Error('database down');
      return answer as string;
    });
    for (const key of ['missing', 'broken', 'odd']) await expect(gee.get(key)).rejects.toThrow();
    answer = 'fine';
    await gee.get('odd');
    expect(gee.stats()).toMatchObject({ gets: 4, cacheHits: 0, loads: 4, localLoads: 1, localLoadErrs: 3 });
  });

  test('misses of one key that overlap share one flight: three loads, one deduplicated, one local load', async () => {
    const db = deferred<string>();
    const gee = newGroup(uniqueName('g'), 0, () => db.promise);
    const gets = [gee.get('k'), gee.get('k'), gee.get('k')];
    await tick();
    db.resolve('v');
    await Promise.all(gets);
    // A get that joins a flight is a load, and not a deduplicated one: that counts the flight.
    expect(gee.stats()).toMatchObject({ gets: 3, cacheHits: 0, loads: 3, loadsDeduped: 1, localLoads: 1 });
  });

  test('a peer\'s request that joins a load of the same key: one deduplicated load, one local load', async () => {
    const db = deferred<string>();
    const gee = newGroup(uniqueName('g'), 0, () => db.promise);
    const gets = [gee.get('k', { fromPeer: true }), gee.get('k', { fromPeer: true })];
    await tick();
    db.resolve('v');
    await Promise.all(gets);
    expect(gee.stats()).toMatchObject({ loads: 2, loadsDeduped: 1, localLoads: 1 });
  });

  test('an owner that failed, then the load here: two loads ran (groupcache counts the two as one)', async () => {
    const gee = newGroup(uniqueName('g'), 0, () => 'v');
    gee.registerPeers({ pickPeer: () => ({ get: () => Promise.reject(new Error('peer down')) }) });
    await gee.get('k');
    expect(gee.stats()).toMatchObject({ loads: 1, peerErrors: 1, localLoads: 1, loadsDeduped: 2 });
  });

  test('the cache counts its evictions, bytes and items', async () => {
    const gee = newGroup(uniqueName('g'), 8, () => '111'); // 'a' + '111' = 4 bytes an entry
    for (const key of ['a', 'b', 'c']) await gee.get(key);
    expect(gee.stats().cache).toMatchObject({ bytes: 8, items: 2, evictions: 1 });
  });

  test('a snapshot: changing it changes nothing', async () => {
    const gee = newGroup(uniqueName('g'), 0, () => 'v');
    await gee.get('k');
    const stats = gee.stats();
    stats.gets = 100;
    stats.cache.items = 100;
    expect(gee.stats()).toMatchObject({ gets: 1, cache: { items: 1 } });
  });
});
