import { expect, test } from 'vitest';
import { ByteView } from './byteview.js';
import { ByteViewCache } from './cache.js';

test('holds values up to cacheBytes, evicting the least recently used', () => {
  const cache = new ByteViewCache(8); // 'a' + 3 bytes = 4 bytes an entry
  cache.add('a', new ByteView('111'));
  cache.add('b', new ByteView('222'));
  cache.get('a');
  cache.add('c', new ByteView('333'));
  expect(cache.get('b')).toBeUndefined();
  expect(cache.get('a')?.toString()).toBe('111');
  expect(cache.get('c')?.toString()).toBe('333');
});

test('a bad cacheBytes throws at once', () => {
  expect(() => new ByteViewCache(-1)).toThrow(RangeError);
});

test('removeOldest evicts the least recently used entry, and counts the eviction', () => {
  const cache = new ByteViewCache(0);
  cache.add('a', new ByteView('111'));
  cache.add('b', new ByteView('222'));
  cache.get('a');
  cache.removeOldest();
  expect(cache.get('b')).toBeUndefined();
  expect(cache.get('a')?.toString()).toBe('111');
  expect(cache.stats().evictions).toBe(1);
});

test('bytes counts the keys and values held', () => {
  const cache = new ByteViewCache(0);
  expect(cache.bytes).toBe(0);
  cache.add('a', new ByteView('111'));
  cache.add('bb', new ByteView('22'));
  expect(cache.bytes).toBe(8);
  cache.removeOldest();
  expect(cache.bytes).toBe(4);
});
