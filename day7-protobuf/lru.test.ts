import { describe, expect, test, vi } from 'vitest';
import { Cache, type Value } from './lru.js';

/** A test value that counts its UTF-8 bytes, like the `String` type of geektutu's `lru_test.go`. */
class Str implements Value {
  constructor(readonly s: string) {}
  len(): number {
    return Buffer.byteLength(this.s);
  }
}

const str = (s: string) => new Str(s);

describe('ported from GeeCache', () => {
  test('TestGet: a hit returns the value, a miss returns undefined', () => {
    const lru = new Cache<Str>(0);
    lru.add('key1', str('1234'));
    expect(lru.get('key1')?.s).toBe('1234');
    expect(lru.get('key2')).toBeUndefined();
  });

  test('TestRemoveoldest: the oldest entry goes when the cache is full', () => {
    const [k1, k2, k3] = ['key1', 'key2', 'key3'];
    const [v1, v2, v3] = ['value1', 'value2', 'value3'];
    const lru = new Cache<Str>((k1 + k2 + v1 + v2).length);
    lru.add(k1, str(v1));
    lru.add(k2, str(v2));
    lru.add(k3, str(v3));
    expect(lru.get(k1)).toBeUndefined();
    expect(lru.len()).toBe(2);
  });

  test('TestOnEvicted: the callback sees each evicted key, oldest first', () => {
    const keys: string[] = [];
    const lru = new Cache<Str>(10, (key) => keys.push(key));
    lru.add('key1', str('123456'));
    lru.add('k2', str('k2'));
    lru.add('k3', str('k3'));
    lru.add('k4', str('k4'));
    expect(keys).toEqual(['key1', 'k2']);
  });

  // TestAdd is in the lru_test.go of geektutu's later days; his day-1 file has the three above.
  test('TestAdd: replacing a value counts the difference in bytes', () => {
    const lru = new Cache<Str>(0);
    lru.add('key', str('1'));
    lru.add('key', str('111'));
    expect(lru.nbytes).toBe('key'.length + '111'.length);
    expect(lru.len()).toBe(1);
  });
});

describe('byte accounting', () => {
  test('a key counts its UTF-8 bytes, not its string length', () => {
    const lru = new Cache<Str>(0);
    lru.add('é', str('')); // one UTF-16 unit, two UTF-8 bytes
    lru.add('😀', str('')); // two UTF-16 units, four UTF-8 bytes
    expect(lru.nbytes).toBe(6);
  });

  test('eviction gives its bytes back', () => {
    const lru = new Cache<Str>(0);
    lru.add('a', str('12'));
    lru.add('b', str('345'));
    lru.removeOldest();
    expect(lru.nbytes).toBe(4);
    lru.removeOldest();
    expect(lru.nbytes).toBe(0);
  });

  test('maxBytes 0 means no limit', () => {
    const evicted: string[] = [];
    const lru = new Cache<Str>(0, (key) => evicted.push(key));
    for (let i = 0; i < 10_000; i++) lru.add(`key${i}`, str('x'.repeat(100)));
    expect(lru.len()).toBe(10_000);
    expect(evicted).toEqual([]);
  });

  test('a cache exactly at its limit keeps everything', () => {
    const lru = new Cache<Str>(8); // 'k1'+'v1' + 'k2'+'v2' = 8 bytes
    lru.add('k1', str('v1'));
    lru.add('k2', str('v2'));
    expect(lru.len()).toBe(2);
    expect(lru.get('k1')?.s).toBe('v1');
  });

  test('one add may evict several entries', () => {
    const evicted: string[] = [];
    const lru = new Cache<Str>(12, (key) => evicted.push(key));
    lru.add('a', str('1'));
    lru.add('b', str('2'));
    lru.add('c', str('3'));
    lru.add('big', str('123456789')); // 12 bytes: everything else must go
    expect(evicted).toEqual(['a', 'b', 'c']);
    expect(lru.len()).toBe(1);
    expect(lru.nbytes).toBe(12);
  });

  test("an entry gives back the bytes it was added with, even if its value's len() changes", () => {
    let size = 5;
    const lru = new Cache(0);
    lru.add('k', { len: () => size });
    size = 1000;
    lru.removeOldest();
    expect(lru.nbytes).toBe(0);
  });

  test('a value that grows on replacement can push older entries out', () => {
    const lru = new Cache<Str>(10);
    lru.add('a', str('1'));
    lru.add('b', str('2'));
    lru.add('b', str('12345678')); // b is now 9 bytes; a (2 bytes) no longer fits
    expect(lru.get('a')).toBeUndefined();
    expect(lru.get('b')?.s).toBe('12345678');
    expect(lru.nbytes).toBe(9);
  });
});

describe('recency', () => {
  test('get makes an entry the most recent', () => {
    const lru = new Cache<Str>(6); // room for three 2-byte entries
    lru.add('a', str('1'));
    lru.add('b', str('2'));
    lru.add('c', str('3'));
    lru.get('a');
    lru.add('d', str('4'));
    expect(lru.get('b')).toBeUndefined();
    expect(lru.get('a')?.s).toBe('1');
  });

  test('replacing a value makes the entry the most recent', () => {
    const lru = new Cache<Str>(6);
    lru.add('a', str('1'));
    lru.add('b', str('2'));
    lru.add('c', str('3'));
    lru.add('a', str('9'));
    lru.add('d', str('4'));
    expect(lru.get('b')).toBeUndefined();
    expect(lru.get('a')?.s).toBe('9');
  });

  test('a miss changes nothing', () => {
    const lru = new Cache<Str>(4);
    lru.add('a', str('1'));
    lru.add('b', str('2'));
    expect(lru.get('zzz')).toBeUndefined();
    lru.add('c', str('3'));
    expect(lru.get('a')).toBeUndefined();
    expect(lru.get('b')?.s).toBe('2');
  });

  test('removeOldest on an empty cache does nothing', () => {
    const evicted: string[] = [];
    const lru = new Cache<Str>(0, (key) => evicted.push(key));
    lru.removeOldest();
    expect(lru.len()).toBe(0);
    expect(lru.nbytes).toBe(0);
    expect(evicted).toEqual([]);
  });

  test('entries leave in least-recently-used order', () => {
    const evicted: string[] = [];
    const lru = new Cache<Str>(0, (key) => evicted.push(key));
    for (const k of ['a', 'b', 'c', 'd']) lru.add(k, str(''));
    lru.get('b');
    lru.get('a');
    for (let i = 0; i < 4; i++) lru.removeOldest();
    expect(evicted).toEqual(['c', 'd', 'b', 'a']);
  });
});

describe('O(1) at any size', () => {
  test('no operation iterates over the map', () => {
    // Time is not something a test should assert; the absence of a scan is.
    const spies = (['keys', 'values', 'entries', 'forEach', Symbol.iterator] as const).map((method) =>
      vi.spyOn(Map.prototype, method),
    );
    try {
      const lru = new Cache<Str>(100);
      for (let i = 0; i < 1000; i++) {
        lru.add(`k${i}`, str('value'));
        lru.get(`k${i - 3}`);
        if (i % 10 === 0) lru.removeOldest();
      }
      for (const spy of spies) expect(spy).not.toHaveBeenCalled();
    } finally {
      for (const spy of spies) spy.mockRestore();
    }
  });
});

describe('onEvicted', () => {
  test('runs after the entry has left the cache', () => {
    const seen: Array<[string, string, boolean, number]> = [];
    const lru: Cache<Str> = new Cache<Str>(4, (key, value) => {
      seen.push([key, value.s, lru.get(key) !== undefined, lru.nbytes]);
    });
    lru.add('a', str('1'));
    lru.add('b', str('2'));
    lru.add('c', str('3'));
    // When 'a' is evicted it is already gone, and its bytes already given back.
    expect(seen).toEqual([['a', '1', false, 4]]);
  });

  test('is not called when a value is replaced in place', () => {
    const evicted: string[] = [];
    const lru = new Cache<Str>(0, (key) => evicted.push(key));
    lru.add('a', str('1'));
    lru.add('a', str('2'));
    expect(evicted).toEqual([]);
  });
});

describe('bad input', () => {
  test.each([-1, 1.5, Number.POSITIVE_INFINITY, Number.NaN, 2 ** 53])(
    'maxBytes %s throws a RangeError',
    (maxBytes) => {
      expect(() => new Cache(maxBytes)).toThrow(RangeError);
    },
  );

  test('an entry larger than maxBytes is refused and evicts nothing', () => {
    const evicted: string[] = [];
    const lru = new Cache<Str>(10, (key) => evicted.push(key));
    lru.add('a', str('1'));
    lru.add('b', str('2'));
    lru.add('huge', str('1234567')); // 11 bytes > 10
    expect(lru.get('huge')).toBeUndefined();
    expect(lru.len()).toBe(2);
    expect(lru.nbytes).toBe(4);
    expect(evicted).toEqual([]);
  });

  test('an oversized value removes the older value under its key', () => {
    const evicted: Array<[string, string]> = [];
    const lru = new Cache<Str>(10, (key, value) => evicted.push([key, value.s]));
    lru.add('a', str('1'));
    lru.add('k', str('old'));
    lru.add('k', str('far too big')); // the stale 'old' must not be served any more
    expect(lru.get('k')).toBeUndefined();
    expect(lru.get('a')?.s).toBe('1');
    expect(lru.nbytes).toBe(2);
    expect(evicted).toEqual([['k', 'old']]);
  });

  test.each([-1, 0.5, Number.NaN])('a value whose len() is %s throws and changes nothing', (n) => {
    const lru = new Cache(0);
    expect(() => lru.add('a', { len: () => n })).toThrow(RangeError);
    expect(lru.len()).toBe(0);
    expect(lru.nbytes).toBe(0);
  });
});
