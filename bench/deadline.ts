// Day 5: the price of a deadline on each peer request. AbortSignal.timeout
// against an AbortController whose timer is cleared once the answer is in.
// Run: npm run bench -w day5-distributed   (or npm run bench for everything)
import { Bench } from 'tinybench';
import { opsPerSecond, printTable } from './table.js';

const bench = new Bench({ time: 400, warmupTime: 100 });
bench.add('AbortSignal.timeout', () => AbortSignal.timeout(2000));
bench.add('AbortController + cleared timer', () => {
  const deadline = new AbortController();
  const timer = setTimeout(() => deadline.abort(), 2000).unref();
  clearTimeout(timer);
  return deadline.signal;
});
await bench.run();

printTable(
  'A deadline per peer request (lower is better)',
  ['mechanism', 'cost per request'],
  ['AbortSignal.timeout', 'AbortController + cleared timer'].map((name) => [
    name,
    `${(1e6 / opsPerSecond(bench, name)).toFixed(2)} µs`,
  ]),
);
