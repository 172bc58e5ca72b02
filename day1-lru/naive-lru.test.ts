import { expect, test, vi } from 'vitest';
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

test('NaiveLRU iterates the map to evict', () => {
  // The spies of lru.test.ts's "no operation iterates over the map": the trap is caught.
  const spies = (['keys', 'values', 'entries', 'forEach', Symbol.iterator] as const).map((method) =>
    vi.spyOn(Map.prototype, method),
  );
  try {
    const lru = new NaiveLRU(6); // room for three 2-byte entries
    for (const key of ['a', 'b', 'c']) lru.add(key, value(1));
    lru.get('a');
    const callsBeforeEviction = spies.map((spy) => spy.mock.calls.length);
    lru.add('d', value(1)); // over the limit: evicts 'b', the oldest
    expect(callsBeforeEviction).toEqual([0, 0, 0, 0, 0]); // adds and hits do not iterate...
    expect(Map.prototype.keys).toHaveBeenCalledTimes(1); // ...but finding the oldest key does
  } finally {
    for (const spy of spies) spy.mockRestore();
  }
});
