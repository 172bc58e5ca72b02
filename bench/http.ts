// Day 7: requests per second and latency of cache hits, through the API of one
// node and of a three-node cluster, against a bare node:http server (the floor).
// Run: npm run bench:http -w day7-protobuf   (or npm run bench for everything)
import autocannon from 'autocannon';
import { HashRing } from '../day4-consistent-hash/consistenthash.js';
import { freePort, start, stopAll, waitForPort } from './processes.js';
import { printTable, rate } from './table.js';

const seconds = Number(process.env.BENCH_SECONDS ?? 5);
const connectionCounts = [1, 32, 128];

async function load(url: string, connections: number) {
  await fetch(url); // the first request fills the cache; measure hits only
  const result = await autocannon({ url, connections, duration: seconds });
  if (result.non2xx > 0 || result.errors > 0) throw new Error(`${url}: ${result.non2xx} non-2xx, ${result.errors} errors`);
  return result;
}

/** A node of day 7 on `port`, in a cluster of `peers`, with the API on `apiPort` if given. */
function startNode(port: number, peers: string[], apiPort?: number) {
  const api = apiPort === undefined ? [] : ['--api', '--api-port', String(apiPort)];
  return start('day7-protobuf/main.ts', ['--port', String(port), '--peers', peers.join(','), ...api]);
}

const setups: Array<{ name: string; url: () => Promise<string> }> = [
  {
    name: 'bare node:http (floor)',
    url: async () => {
      const port = await freePort();
      start('bench/bare-server.ts', [String(port)]);
      await waitForPort(port);
      return `http://127.0.0.1:${port}/api?key=Tom`;
    },
  },
  {
    name: 'one node, GET /api (hit)',
    url: async () => {
      const [port, apiPort] = [await freePort(), await freePort()];
      startNode(port, [`http://localhost:${port}`], apiPort);
      await waitForPort(apiPort);
      return `http://127.0.0.1:${apiPort}/api?key=Tom`;
    },
  },
  {
    name: 'three nodes, GET /api, Tom owned by another node',
    url: async () => {
      const ports = [await freePort(), await freePort(), await freePort()];
      const peers = ports.map((port) => `http://localhost:${port}`);
      const ring = new HashRing(50);
      ring.add(...peers);
      const apiNode = (peers.indexOf(ring.get('Tom')) + 1) % 3; // not the owner
      const apiPort = await freePort();
      ports.forEach((port, i) => startNode(port, peers, i === apiNode ? apiPort : undefined));
      await Promise.all([...ports, apiPort].map(waitForPort));
      return `http://127.0.0.1:${apiPort}/api?key=Tom`;
    },
  },
];

const rows: string[][] = [];
const floor = new Map<number, number>();
try {
  for (const setup of setups) {
    const url = await setup.url();
    for (const connections of connectionCounts) {
      const result = await load(url, connections);
      if (setup === setups[0]) floor.set(connections, result.requests.average);
      rows.push([
        setup.name,
        String(connections),
        rate(result.requests.average),
        `${(result.requests.average / floor.get(connections)!).toFixed(2)}`,
        `${result.latency.average.toFixed(2)} ms`,
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
  `Request path: cache hits, ${seconds} s per row, autocannon in this process, servers in their own`,
  ['server', 'connections', 'requests/s', 'vs floor', 'mean latency', 'p50', 'p99'],
  rows,
);
