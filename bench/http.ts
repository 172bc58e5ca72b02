// Day 7: requests per second and latency of cache hits, through the API of one
// node and of a three-node cluster, against a bare node:http server (the floor)
// and a golang/groupcache node. The load generator is wrk (or autocannon) in a
// process of its own, never this one; every server runs in its own process.
// All servers start first and stay up; then each round measures every row in
// turn, so that a slow moment of the machine touches all rows alike. A row's
// ratio is to the floor measured in the same round.
// Run: npm run bench -w day7-protobuf   (with protobuf.ts; or npm run bench for everything)
// Settings: BENCH_SECONDS (per measurement, default 4), BENCH_ROUNDS (default 3),
// BENCH_CONNECTIONS (default 32,1,128; the first is the main figure),
// BENCH_GENERATOR=autocannon to use autocannon even when wrk is installed.
import { type ChildProcess, execFile, spawnSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { HashRing } from '../day4-consistent-hash/consistenthash.js';
import { type LoadResult, loadGenerator, scratchDir, type Target } from './loadgen.js';
import { drainedBytes, drainedTail, freePort, root, start, startProgram, stopAll, waitForPort } from './processes.js';
import { printTable, rate } from './table.js';

function setting(name: string, fallback: string, valid: (n: number) => boolean): number[] {
  const text = process.env[name] ?? fallback;
  const values = text.split(',').map(Number);
  if (!values.every(valid)) throw new Error(`${name} must be ${fallback.includes(',') ? 'a list like' : 'like'} ${fallback}, got "${text}"`);
  return values;
}
const wholePositive = (n: number) => Number.isInteger(n) && n > 0;
const [seconds] = setting('BENCH_SECONDS', '4', wholePositive) as [number];
const [rounds] = setting('BENCH_ROUNDS', '3', wholePositive) as [number];
const connectionCounts = setting('BENCH_CONNECTIONS', '32,1,128', wholePositive);
const warmSeconds = 1;

const generator = loadGenerator();
const started = Date.now();

// 2000 keys, so that one row can ask for many different keys: kN, whose value
// is N's last digit. Short keys and values, because a day-7 node caches at most
// 2 KiB by default (--cache-bytes 2048, GeeCache's figure; an entry counts its key's
// and its value's bytes): the 500 keys must fit in their owners' caches, else
// cycling through them misses every time, and the row measures database loads.
const day7CacheBytes = 2 << 10;
const manyKeys = 500;
const db = join(scratchDir(), 'db.json');
writeFileSync(db, JSON.stringify(Object.fromEntries(Array.from({ length: 2000 }, (_, i) => [`k${i}`, String(i % 10)]))));
const valueOf = (path: string) => /(?:key=|\/)k(\d+)$/.exec(path)?.[1]?.slice(-1) ?? '?';
const hitPath = '/api?key=k1';
// The peer port answers a protobuf Response: field 1, length 1, then the value.
const peerHitPath = '/_geecache/scores/k1';
const goPeerHitPath = '/_groupcache/scores/k1';
const isPeerPath = (path: string) => path.includes('/scores/');
const expectedBody = (path: string) =>
  isPeerPath(path) ? Buffer.from([0x0a, 0x01, ...Buffer.from(valueOf(path))]) : Buffer.from(valueOf(path));

/** A line of the table: a target, the processes that serve it, and what it answers. */
interface Row {
  name: string;
  logging: string;
  target: Target;
  servers: ChildProcess[];
}

/** Lines printed before the table: which generator, which rows were skipped and why. */
const notes: string[] = [`load generator: ${generator.description}`];

/** Whether day 7's main.ts has the --log flag (it says so in --help). */
function day7HasLogFlag(): boolean {
  const help = spawnSync(process.execPath, ['--import', 'tsx', join(root, 'day7-protobuf/main.ts'), '--help'], {
    cwd: join(root, 'day7-protobuf'),
    encoding: 'utf8',
  });
  return /--log\b/.test(help.stdout);
}
const hasLog = day7HasLogFlag();

/** A node of day 7 on `port`, in a cluster of `peers`, with the API on `apiPort` if given. */
function startNode(port: number, peers: string[], log: 'requests' | 'errors' | undefined, apiPort?: number, extra: string[] = []) {
  const api = apiPort === undefined ? [] : ['--api', '--api-port', String(apiPort)];
  const logFlag = log === undefined ? [] : ['--log', log];
  const args = ['--port', String(port), '--peers', peers.join(','), '--db', db, ...api, ...logFlag, ...extra];
  return start('day7-protobuf/main.ts', args, { stdout: 'drain', stderr: 'drain' });
}

async function bareServer(): Promise<Row> {
  const port = await freePort();
  const server = start('bench/bare-server.ts', [String(port)], { stdout: 'drain', stderr: 'drain' });
  await waitForPort(port, server);
  return {
    name: 'bare node:http (floor)',
    logging: 'none',
    target: { url: `http://127.0.0.1:${port}`, paths: [hitPath] },
    servers: [server],
  };
}

/** One node; its rows: a hit on the peer port (a line per request with --log requests), and one through the API. */
async function oneNode(log: 'requests' | 'errors' | undefined): Promise<Row[]> {
  const [port, apiPort] = [await freePort(), await freePort()];
  const node = startNode(port, [`http://localhost:${port}`], log, apiPort);
  await waitForPort(apiPort, node);
  const logging = log === undefined ? 'default (no --log flag yet)' : `--log ${log}`;
  return [
    {
      name: 'one day-7 node, GET /_geecache/scores/k1 (hit)',
      logging,
      target: { url: `http://127.0.0.1:${port}`, paths: [peerHitPath] },
      servers: [node],
    },
    {
      name: 'one day-7 node, GET /api (hit)',
      logging,
      target: { url: `http://127.0.0.1:${apiPort}`, paths: [hitPath] },
      servers: [node],
    },
  ];
}

/** Three nodes; the API runs beside a node that does not own k1. Two rows share it. */
async function cluster(log: 'requests' | 'errors' | undefined): Promise<Row[]> {
  const ports = [await freePort(), await freePort(), await freePort()];
  const peers = ports.map((port) => `http://localhost:${port}`);
  const owners = new HashRing(50);
  owners.add(...peers);
  const apiNode = (peers.indexOf(owners.get('k1')) + 1) % 3;
  const apiPort = await freePort();
  // The asking node caches nothing (--cache-bytes 1 refuses every entry), so no hot copy (day 6)
  // answers for an owner: every request that is not shared with another is a peer request.
  const nodes = ports.map((port, i) => (i === apiNode ? startNode(port, peers, log, apiPort, ['--cache-bytes', '1']) : startNode(port, peers, log)));
  await Promise.all([...ports, apiPort].map((port, i) => waitForPort(port, nodes[i] ?? nodes[apiNode])));
  const keys = Array.from({ length: 2000 }, (_, i) => `k${i}`)
    .filter((k) => owners.get(k) !== peers[apiNode])
    .slice(0, manyKeys);
  for (const peer of peers) {
    const mine = keys.filter((k) => owners.get(k) === peer);
    const bytes = mine.reduce((sum, k) => sum + k.length + 1, 0);
    if (bytes > day7CacheBytes) throw new Error(`${mine.length} keys of ${bytes} B do not fit in one node's ${day7CacheBytes} B cache`);
  }
  const url = `http://127.0.0.1:${apiPort}`;
  const logging = log === undefined ? 'default (no --log flag yet)' : `--log ${log}, all three`;
  return [
    // Every request is a peer request (the asker keeps no hot copy): the real cost of the hop.
    {
      name: `three nodes, ${manyKeys} keys owned by other nodes`,
      logging,
      target: { url, paths: keys.map((k) => `/api?key=${k}`) },
      servers: nodes,
    },
    // Concurrent requests for one key share one flight, hence one peer request per flight.
    { name: 'three nodes, one key owned by another node', logging, target: { url, paths: [hitPath] }, servers: nodes },
  ];
}

/** A golang/groupcache node built by interop/build-gcnode.sh, or the reason there is none. */
async function goNode(): Promise<Row | string> {
  const script = join(root, 'interop/build-gcnode.sh');
  if (!existsSync(script)) return 'interop/build-gcnode.sh does not exist';
  let binary: string;
  try {
    const { stdout } = await promisify(execFile)('bash', [script], { cwd: root, timeout: 600_000 });
    binary = stdout.trim().split('\n').at(-1) ?? '';
  } catch (err) {
    const e = err as { stderr?: string; message: string };
    return (e.stderr?.trim().split('\n').at(-1) || e.message.split('\n')[0]) ?? 'build failed';
  }
  if (!binary || !existsSync(binary)) return `interop/build-gcnode.sh printed "${binary}", which is not a file`;
  const [port, apiPort] = [await freePort(), await freePort()];
  const self = `http://127.0.0.1:${port}`;
  const args = ['-self', self, '-peers', self, '-base-path', '/_groupcache/', '-api-port', String(apiPort), '-db', db];
  const node = startProgram(binary, args, root, { stdout: 'drain', stderr: 'drain' });
  try {
    await waitForPort(apiPort, node);
    await checkAnswers({ url: self, paths: [goPeerHitPath] });
  } catch (err) {
    node.kill('SIGKILL');
    const tail = drainedTail(node).trim().split('\n').at(-1);
    return `${(err as Error).message}${tail ? ` (its last output: ${tail})` : ''}`;
  }
  return {
    name: 'golang/groupcache node, GET /_groupcache/scores/k1 (hit)',
    logging: 'its default (a line per database load)',
    target: { url: self, paths: [goPeerHitPath] },
    servers: [node],
  };
}

/** Asks for every path once: each must answer 200 and its value. Fills the caches, too. */
async function checkAnswers({ url, paths }: Target): Promise<void> {
  for (const path of paths) {
    const res = await fetch(new URL(path, url));
    const body = Buffer.from(await res.arrayBuffer());
    if (res.status !== 200 || !body.equals(expectedBody(path))) {
      throw new Error(`${url}${path} answered ${res.status} ${JSON.stringify(body.toString('latin1').slice(0, 80))}, expected 200 ${JSON.stringify(expectedBody(path).toString('latin1'))}`);
    }
  }
}

/** Stops the benchmark if a server has died (its last output says why). */
function checkAlive(row: Row): void {
  for (const server of row.servers) {
    if (server.exitCode !== null || server.signalCode !== null) {
      throw new Error(`a server of "${row.name}" exited (${server.exitCode ?? server.signalCode}):\n${drainedTail(server)}`);
    }
  }
}

interface Sample extends LoadResult {
  ratio: number;
  logBytes: number;
}

const rows: Row[] = [];
const samples = new Map<Row, Map<number, Sample[]>>();
try {
  // Start everything, then check and warm each row.
  rows.push(await bareServer());
  const [peerHitLoud, apiHitLoud] = await oneNode(hasLog ? 'requests' : undefined);
  rows.push(peerHitLoud!);
  if (hasLog) rows.push(...(await oneNode('errors')));
  else notes.push('quiet one-node rows skipped: day7-protobuf/main.ts has no --log flag yet (not in its --help)');
  rows.push(apiHitLoud!);
  const go = await goNode();
  if (typeof go === 'string') notes.push(`golang/groupcache row skipped: ${go}`);
  else rows.push(go);
  const [manyKeysQuiet, oneKeyQuiet] = await cluster(hasLog ? 'errors' : undefined);
  rows.push(manyKeysQuiet!);
  // On one node, --log requests writes nothing for a hit; here it writes a line per peer request.
  if (hasLog) rows.push((await cluster('requests'))[0]!);
  rows.push(oneKeyQuiet!);
  for (const row of rows) {
    await checkAnswers(row.target);
    await generator.load(row.target, 32, warmSeconds);
    checkAlive(row);
    samples.set(row, new Map(connectionCounts.map((c) => [c, []])));
  }

  const total = rows.length * connectionCounts.length * rounds * seconds;
  process.stderr.write(`Request path: ${rows.length} rows x ${connectionCounts.length} connection counts x ${rounds} rounds x ${seconds} s = ${total} s of load\n`);
  for (let round = 1; round <= rounds; round++) {
    for (const connections of connectionCounts) {
      let floor = 0;
      for (const row of rows) {
        const before = row.servers.reduce((sum, s) => sum + drainedBytes(s), 0);
        const result = await generator.load(row.target, connections, seconds);
        checkAlive(row);
        const logBytes = row.servers.reduce((sum, s) => sum + drainedBytes(s), 0) - before;
        const perSecond = result.requests / result.seconds;
        if (row === rows[0]) floor = perSecond;
        samples.get(row)!.get(connections)!.push({ ...result, ratio: perSecond / floor, logBytes });
      }
      process.stderr.write(`  round ${round}/${rounds}, ${connections} connections: done\n`);
    }
  }
} finally {
  await stopAll();
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}
const ms = (value: number) =>
  generator.wholeMs ? `${value.toFixed(0)} ms` : value >= 10 ? `${value.toFixed(1)} ms` : `${value.toFixed(2)} ms`;

console.log(`\nRequest path: cache hits, ${rounds} rounds of ${seconds} s per row and connection count, rows interleaved in each round`);
for (const note of notes) console.log(note);
console.log(
  'Every server runs in its own process; its stdout and stderr are pipes that this benchmark reads and discards as they come, as a log collector would. "log/request": the bytes they wrote per request.',
);
if (rows.some((row) => row.name.startsWith('golang/'))) {
  const procs = process.env.GOMAXPROCS ?? `${availableParallelism()}, the number of cores`;
  console.log(
    `The golang/groupcache node is a Go program: its runtime runs goroutines on up to GOMAXPROCS threads at once (GOMAXPROCS ${procs}), so it can use more than one core; each Node server runs its JavaScript on one thread.`,
  );
}
console.log(
  '"vs floor": requests/s over the bare node:http floor\'s requests/s of the same round; the median over the rounds and, under "range", the lowest and highest. requests/s, p50 and p99: medians over the rounds.',
);
for (const connections of connectionCounts) {
  printTable(
    `${connections} connection${connections === 1 ? '' : 's'}${connections === connectionCounts[0] ? ' (the main figure)' : ''}`,
    ['server', 'logging', 'requests/s', 'vs floor', 'range', 'p50', 'p99', 'log/request'],
    rows.map((row) => {
      const s = samples.get(row)!.get(connections)!;
      const ratios = s.map((x) => x.ratio);
      const requests = s.reduce((sum, x) => sum + x.requests, 0);
      const logBytes = s.reduce((sum, x) => sum + x.logBytes, 0);
      return [
        row.name,
        row.logging,
        rate(median(s.map((x) => x.requests / x.seconds))),
        median(ratios).toFixed(2),
        `${Math.min(...ratios).toFixed(2)} – ${Math.max(...ratios).toFixed(2)}`,
        ms(median(s.map((x) => x.p50Ms))),
        ms(median(s.map((x) => x.p99Ms))),
        `${(logBytes / requests).toFixed(0)} B`,
      ];
    }),
  );
}
console.log(`\nTotal time: ${((Date.now() - started) / 1000).toFixed(0)} s`);
