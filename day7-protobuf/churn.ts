// Fills each cache to `size` entries, then adds fresh keys so that every add
// evicts one entry, and prints how many such adds run per second.
// Run from this folder: npm run churn
import { Cache, type Value } from './lru.js';
import { NaiveLRU } from './naive-lru.js';

const value: Value = { len: () => 10 };
const adds = 200_000;

function addsPerSecond(cache: { add(key: string, value: Value): void }, keys: string[], size: number): number {
  for (let i = 0; i < size; i++) cache.add(keys[i]!, value);
  const start = performance.now();
  for (let i = size; i < keys.length; i++) cache.add(keys[i]!, value);
  return (keys.length - size) / ((performance.now() - start) / 1000);
}

const keysFor = (size: number) =>
  Array.from({ length: size + adds }, (_, i) => `key${String(i).padStart(6, '0')}`);

// An untimed round first, so that the first timed row does not pay for the JIT's warm-up.
addsPerSecond(new Cache(1_000 * 19), keysFor(1_000), 1_000);
addsPerSecond(new NaiveLRU(1_000 * 19), keysFor(1_000), 1_000);

console.log('entries   Cache (adds/s)   NaiveLRU (adds/s)   Cache / NaiveLRU');
for (const size of [1_000, 10_000, 100_000]) {
  const keys = keysFor(size);
  const maxBytes = size * 19; // each entry: a 9-byte key and a 10-byte value
  const linked = addsPerSecond(new Cache(maxBytes), keys, size);
  const naive = addsPerSecond(new NaiveLRU(maxBytes), keys, size);
  const row = [
    String(size).padStart(7),
    Math.round(linked).toLocaleString('en-US').padStart(16),
    Math.round(naive).toLocaleString('en-US').padStart(19),
    `${(linked / naive).toFixed(1)}x`.padStart(18),
  ];
  console.log(row.join(' '));
}
