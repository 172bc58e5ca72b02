// Day 6: a hot key through a node that does not own it. Two day-6 nodes, A and B; the API
// runs beside A. Each round asks A's API, from cold, for a fresh key that B owns, with the
// default randomness (one peer answer in ten kept in A's hot cache), and then for a key A owns
// (a local hit, the reference), for the same time and connections. It prints both rates, their
// ratio, and how many requests B served while the hot key was measured (GET /stats, before and
// after). The load generator (wrk, or autocannon) runs in a process of its own.
// Run: npm run bench -w day6-singleflight   (or npm run bench for everything)
// Settings: BENCH_SECONDS (default 4), BENCH_ROUNDS (default 3).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { HashRing } from '../day6-singleflight/consistenthash.js';
import { loadGenerator, scratchDir, type Target } from './loadgen.js';
import { freePort, start, stopAll, waitForPort } from './processes.js';
import { printTable, rate } from './table.js';

const seconds = Number(process.env.BENCH_SECONDS ?? 4);
const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
const connections = 32;
const generator = loadGenerator();

const db = join(scratchDir(), 'hotkey-db.json');
writeFileSync(db, JSON.stringify(Object.fromEntries(Array.from({ length: 200 }, (_, i) => [`k${i}`, `value ${i}`]))));

/** B's requests from peers so far, from its counters. */
async function servedBy(port: number): Promise<number> {
  const stats = (await (await fetch(`http://127.0.0.1:${port}/stats`)).json()) as { groups: { scores: { serverRequests: number } } };
  return stats.groups.scores.serverRequests;
}

const rows: string[][] = [];
try {
  const [portA, portB, api] = [await freePort(), await freePort(), await freePort()];
  const peers = [`http://localhost:${portA}`, `http://localhost:${portB}`];
  const ring = new HashRing(50);
  ring.add(...peers);
  const ownedBy = (peer: string) => Array.from({ length: 200 }, (_, i) => `k${i}`).filter((k) => ring.get(k) === peer);
  const [hotKeys, localKey] = [ownedBy(peers[1]!), ownedBy(peers[0]!)[0]!];
  const common = ['--peers', peers.join(','), '--db', db, '--log', 'errors'];
  const a = start('day6-singleflight/main.ts', ['--port', String(portA), '--api', '--api-port', String(api), ...common], { stdout: 'drain', stderr: 'drain' });
  const b = start('day6-singleflight/main.ts', ['--port', String(portB), ...common], { stdout: 'drain', stderr: 'drain' });
  await Promise.all([waitForPort(api, a), waitForPort(portB, b)]);
  const url = `http://127.0.0.1:${api}`;
  await generator.load({ url, paths: [`/api?key=${localKey}`] }, connections, 1); // warms the local key and the process
  for (let round = 0; round < rounds; round++) {
    const hot: Target = { url, paths: [`/api?key=${hotKeys[round]}`] }; // a key no round asked for: cold
    const before = await servedBy(portB);
    const hotResult = await generator.load(hot, connections, seconds);
    const served = (await servedBy(portB)) - before;
    const localResult = await generator.load({ url, paths: [`/api?key=${localKey}`] }, connections, seconds);
    const [hotRate, localRate] = [hotResult.requests / hotResult.seconds, localResult.requests / localResult.seconds];
    rows.push([
      String(round + 1),
      rate(hotRate),
      rate(localRate),
      (hotRate / localRate).toFixed(2),
      `${served} of ${hotResult.requests}`,
    ]);
  }
} finally {
  await stopAll();
}

console.log(`\nA hot key through a non-owner (day 6): ${generator.description}, ${connections} connections, ${seconds} s per row`);
printTable(
  'each round: a cold key owned by B, asked through A\'s API; then a key A owns (a local hit)',
  ['round', 'hot key via A, req/s', 'local hit on A, req/s', 'hot / local', 'requests B served'],
  rows,
);
