// Day 4: how long a lookup on the hash ring takes, and how long building it takes.
// Run: npm run bench -w day4-consistent-hash   (or npm run bench for everything)
import { Bench } from 'tinybench';
import { HashRing } from '../day4-consistent-hash/consistenthash.js';
import { opsPerSecond, printTable } from './table.js';

const keys = Array.from({ length: 10_000 }, (_, i) => `user:${i}`);
const nodesOf = (n: number) => Array.from({ length: n }, (_, i) => `http://10.0.0.${i + 1}:8001`);

const bench = new Bench({ time: 400, warmupTime: 100 });
for (const n of [3, 30]) {
  const ring = new HashRing(50);
  ring.add(...nodesOf(n));
  let i = 0;
  bench.add(`get ${n}`, () => {
    ring.get(keys[i]!);
    i = i + 1 === keys.length ? 0 : i + 1;
  });
  bench.add(`build ${n}`, () => new HashRing(50).add(...nodesOf(n)));
}
await bench.run();

const ns = (name: string) => `${(1e9 / opsPerSecond(bench, name)).toFixed(0)} ns`;
const us = (name: string) => `${(1e6 / opsPerSecond(bench, name)).toFixed(0)} µs`;
printTable(
  'Hash ring, 50 virtual nodes per node (lower is better)',
  ['nodes', 'virtual nodes', 'get(key)', 'build (new HashRing + add)'],
  [3, 30].map((n) => [String(n), String(n * 50), ns(`get ${n}`), us(`build ${n}`)]),
);
