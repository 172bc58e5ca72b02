import { expect, test } from 'vitest';
import { NaiveLRU } from './naive-lru.js';

// The naive LRU is only a foil for churn.ts, but a fair race needs a correct runner.
const value = (n: number) => ({ len: () => n });

test('NaiveLRU evicts the least recently used key', () => {
  const lru = new NaiveLRU(6); // room for three 2-byte entries
  lru.add('a', value(1));
  lru.add('b', value(1));
  lru.add('c', value(1));
  lru.get('a');
  lru.add('d', value(1));
  expect(lru.get('b')).toBeUndefined();
  expect(lru.get('a')).toBeDefined();
  expect(lru.len()).toBe(3);
});

test('NaiveLRU counts a replaced value once', () => {
  const lru = new NaiveLRU(4);
  lru.add('a', value(1));
  lru.add('a', value(1));
  lru.add('b', value(1));
  expect(lru.len()).toBe(2);
});
