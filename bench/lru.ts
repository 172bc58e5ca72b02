// Day 1: get-hit and set-with-eviction throughput of our Cache, against
// lru-cache (the reference, counting bytes like ours) and the naive Map LRU.
// Run: npm run bench -w day1-lru   (or npm run bench for everything)
import { LRUCache } from 'lru-cache';
import { Bench } from 'tinybench';
import { Cache, type Value } from '../day1-lru/lru.js';
import { NaiveLRU } from '../day1-lru/naive-lru.js';
import { opsPerSecond, printTable, rate } from './table.js';

const value: Value = { len: () => 10 };
const entryBytes = 9 + 10; // 'k' + 8 digits, and the value

/** The three caches behind one small interface. */
interface AnyCache {
  add(key: string, value: Value): void;
  get(key: string): Value | undefined;
}
const makers: Record<string, (maxBytes: number) => AnyCache> = {
  Cache: (maxBytes) => new Cache(maxBytes),
  'lru-cache': (maxBytes) => {
    const lru = new LRUCache<string, Value>({
      maxSize: maxBytes,
      sizeCalculation: (v, k) => Buffer.byteLength(k) + v.len(),
    });
    return { add: (k, v) => lru.set(k, v), get: (k) => lru.get(k) };
  },
  NaiveLRU: (maxBytes) => new NaiveLRU(maxBytes),
};

const rows: string[][] = [];
for (const size of [1_000, 10_000, 100_000]) {
  // Twice as many keys as fit: cycling through them, every add is a miss that evicts.
  const keys = Array.from({ length: 2 * size }, (_, i) => `k${String(i).padStart(8, '0')}`);
  const bench = new Bench({ time: 400, warmupTime: 100 });
  for (const [name, make] of Object.entries(makers)) {
    const hits = make(size * entryBytes);
    for (let i = 0; i < size; i++) hits.add(keys[i]!, value);
    let h = 0;
    bench.add(`get ${name}`, () => {
      hits.get(keys[h]!);
      h = h + 1 === size ? 0 : h + 1;
    });
    const churn = make(size * entryBytes);
    for (let i = 0; i < size; i++) churn.add(keys[i]!, value);
    let c = size;
    bench.add(`set ${name}`, () => {
      churn.add(keys[c]!, value);
      c = c + 1 === keys.length ? 0 : c + 1;
    });
  }
  await bench.run();
  for (const op of ['get', 'set']) {
    const hz = (name: string) => opsPerSecond(bench, `${op} ${name}`);
    rows.push([
      String(size),
      op === 'get' ? 'get (hit)' : 'set (evicts)',
      rate(hz('Cache')),
      rate(hz('lru-cache')),
      rate(hz('NaiveLRU')),
      `${(hz('Cache') / hz('lru-cache')).toFixed(2)}`,
    ]);
  }
}
printTable(
  'LRU: operations per second (higher is better)',
  ['entries', 'operation', 'Cache', 'lru-cache', 'NaiveLRU', 'Cache / lru-cache'],
  rows,
);
