// Day 5: the price of a deadline on each peer request, the mechanism alone:
// AbortSignal.timeout; an AbortController whose timer is cleared once the
// answer is in; and a plain timer, cleared the same way, that destroys the
// request when it fires (what day 5 uses). The signal also costs inside
// http.request, which wires listeners onto each request that carries one;
// that part shows only on a real request path (BENCHMARKS.md, the peer-hop A/B).
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
bench.add('cleared timer that destroys the request', () => {
  const deadline: { passed: boolean; request?: { destroy(): void } } = { passed: false };
  const timer = setTimeout(() => {
    deadline.passed = true;
    deadline.request?.destroy();
  }, 2000).unref();
  clearTimeout(timer);
  return deadline;
});
await bench.run();

printTable(
  'A deadline per peer request, the mechanism alone (lower is better)',
  ['mechanism', 'cost per request'],
  ['AbortSignal.timeout', 'AbortController + cleared timer', 'cleared timer that destroys the request'].map((name) => [
    name,
    `${(1e6 / opsPerSecond(bench, name)).toFixed(2)} µs`,
  ]),
);
