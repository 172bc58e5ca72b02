// Day 7: requests per second and latency of cache hits, through the API of one
// node and of a three-node cluster, against a bare node:http server (the floor).
// Run: npm run bench -w day7-protobuf   (with protobuf.ts; or npm run bench for everything)
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { HashRing } from '../day4-consistent-hash/consistenthash.js';
import { freePort, start, stopAll, waitForPort } from './processes.js';
import { printTable, rate } from './table.js';

const seconds = Number(process.env.BENCH_SECONDS ?? 5);
const connectionCounts = [1, 32, 128];

/** A URL to load, and optionally many paths on it to cycle through. */
interface Target {
  url: string;
  paths?: string[];
}

async function load({ url, paths }: Target, connections: number) {
  // The first request for each key fills the owner's cache: measure hits only.
  for (const path of paths ?? [new URL(url).pathname + new URL(url).search]) await fetch(new URL(path, url));
  const requests = paths?.map((path) => ({ path }));
  const result = await autocannon({ url, connections, duration: seconds, requests });
  if (result.non2xx > 0 || result.errors > 0) throw new Error(`${url}: ${result.non2xx} non-2xx, ${result.errors} errors`);
  return result;
}

// 2000 keys, so that one test can ask for many different keys.
const db = join(tmpdir(), 'geecache-bench-db.json');
writeFileSync(db, JSON.stringify(Object.fromEntries(Array.from({ length: 2000 }, (_, i) => [`key${i}`, String(i)]))));

/** A node of day 7 on `port`, in a cluster of `peers`, with the API on `apiPort` if given. */
function startNode(port: number, peers: string[], apiPort?: number) {
  const api = apiPort === undefined ? [] : ['--api', '--api-port', String(apiPort)];
  return start('day7-protobuf/main.ts', ['--port', String(port), '--peers', peers.join(','), '--db', db, ...api]);
}

/** Three nodes; the API runs beside a node that does not own `key`. */
async function startCluster(key: string): Promise<{ apiPort: number; owners: HashRing; apiPeer: string }> {
  const ports = [await freePort(), await freePort(), await freePort()];
  const peers = ports.map((port) => `http://localhost:${port}`);
  const owners = new HashRing(50);
  owners.add(...peers);
  const apiNode = (peers.indexOf(owners.get(key)) + 1) % 3;
  const apiPort = await freePort();
  ports.forEach((port, i) => startNode(port, peers, i === apiNode ? apiPort : undefined));
  await Promise.all([...ports, apiPort].map(waitForPort));
  return { apiPort, owners, apiPeer: peers[apiNode]! };
}

const setups: Array<{ name: string; target: () => Promise<Target> }> = [
  {
    name: 'bare node:http (floor)',
    target: async () => {
      const port = await freePort();
      start('bench/bare-server.ts', [String(port)]);
      await waitForPort(port);
      return { url: `http://127.0.0.1:${port}/api?key=key1` };
    },
  },
  {
    name: 'one node, GET /api (hit)',
    target: async () => {
      const [port, apiPort] = [await freePort(), await freePort()];
      startNode(port, [`http://localhost:${port}`], apiPort);
      await waitForPort(apiPort);
      return { url: `http://127.0.0.1:${apiPort}/api?key=key1` };
    },
  },
  {
    // Concurrent requests for one key share one flight, hence one peer request.
    name: 'three nodes, one key owned by another node',
    target: async () => {
      const { apiPort } = await startCluster('key1');
      return { url: `http://127.0.0.1:${apiPort}/api?key=key1` };
    },
  },
  {
    // Every request is a peer request: the real cost of the hop.
    name: 'three nodes, 500 keys owned by other nodes',
    target: async () => {
      const { apiPort, owners, apiPeer } = await startCluster('key1');
      const keys = Array.from({ length: 2000 }, (_, i) => `key${i}`).filter((k) => owners.get(k) !== apiPeer);
      return { url: `http://127.0.0.1:${apiPort}`, paths: keys.slice(0, 500).map((k) => `/api?key=${k}`) };
    },
  },
];

const rows: string[][] = [];
const floor = new Map<number, number>();
try {
  for (const setup of setups) {
    const target = await setup.target();
    for (const connections of connectionCounts) {
      const result = await load(target, connections);
      if (setup === setups[0]) floor.set(connections, result.requests.average);
      rows.push([
        setup.name,
        String(connections),
        rate(result.requests.average),
        `${(result.requests.average / floor.get(connections)!).toFixed(2)}`,
        `${result.latency.p50} ms`,
        `${result.latency.p99} ms`,
      ]);
    }
    await stopAll();
  }
} finally {
  await stopAll();
}
printTable(
  `Request path: cache hits, ${seconds} s per row, autocannon in this process, servers in their own (latency in whole ms)`,
  ['server', 'connections', 'requests/s', 'vs floor', 'p50', 'p99'],
  rows,
);
