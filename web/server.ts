// The live page's server: the page itself, the ring as day 7's HashRing computes it, the nodes'
// counters, and the actions the page offers (a get, a burst, stopping and starting a node).
import { readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import { HashRing } from '../day7-protobuf/consistenthash.js';
import type { Cluster } from './cluster.js';
import { trace } from './trace.js';

/** HTTPPool's default: each node's virtual nodes on the ring. */
const replicas = 50;

/** How many requests the burst button sends at once, for one cold key. */
export const burstSize = 10;

const page = join(import.meta.dirname, 'page');
const files: Record<string, [file: string, type: string]> = {
  '/': ['index.html', 'text/html; charset=utf-8'],
  '/page.css': ['page.css', 'text/css; charset=utf-8'],
  '/page.js': ['page.js', 'text/javascript; charset=utf-8'],
};

/** A mistake in the request: answered with its status and message. */
class BadRequest extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/**
 * The request listener of the page's server. `coldKeys` yields keys of the database that no one
 * has asked for yet, for the burst. Actions run one at a time, so the log lines between two
 * marks belong to one action.
 */
export function liveHandler(cluster: Cluster, coldKeys: Iterator<string>): (req: IncomingMessage, res: ServerResponse) => void {
  const ring = new HashRing(replicas);
  ring.add(...cluster.nodes.map((n) => n.url));
  let queue: Promise<unknown> = Promise.resolve();
  const oneAtATime = <T>(action: () => Promise<T>): Promise<T> => {
    const run = queue.then(action, action);
    queue = run.catch(() => undefined);
    return run;
  };

  /** Sends `count` concurrent requests for `key` to the API and reads what they did from the log. */
  async function ask(key: string, count: number) {
    const { port: apiPort } = cluster.apiNode;
    const before = await cluster.mark();
    const started = performance.now();
    const answers = await Promise.all(
      Array.from({ length: count }, async () => {
        try {
          const res = await fetch(`http://localhost:${cluster.apiPort}/api?key=${encodeURIComponent(key)}`, { signal: AbortSignal.timeout(10_000) });
          return { status: res.status, body: (await res.text()).slice(0, 200) };
        } catch (err) {
          return { status: 0, body: `no answer: ${(err as Error).message}` };
        }
      }),
    );
    const ms = Math.round(performance.now() - started);
    const after = await cluster.mark();
    const lines = new Map(cluster.nodes.map(({ port }) => [port, cluster.linesBetween(port, before.get(port)!.lines, after.get(port)!.lines)]));
    const path = trace({ key, nodes: cluster.nodes, apiPort, lines, before: before.get(apiPort)!.counters, after: after.get(apiPort)!.counters });
    return { key, owner: ring.get(key), answers, ms, ...path };
  }

  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const key = url.searchParams.get('key');
    const file = files[url.pathname];
    if (file && req.method === 'GET') {
      res.writeHead(200, { 'Content-Type': file[1], 'Cache-Control': 'no-store' });
      return void res.end(readFileSync(join(page, file[0])));
    }
    if (url.pathname === '/ring' && req.method === 'GET') {
      return json(res, { nodes: cluster.nodes, points: ring.points() });
    }
    if (url.pathname === '/where' && req.method === 'GET') return json(res, where(ring, required(key)));
    if (url.pathname === '/state' && req.method === 'GET') {
      const nodes = await Promise.all(cluster.nodes.map(async (n) => ({ ...n, up: cluster.isUp(n.port), counters: await cluster.counters(n.port) })));
      return json(res, { nodes, log: cluster.recentLines(30) });
    }
    if (req.method !== 'POST') {
      throw /^\/(get|burst|nodes\/)/.test(url.pathname) ? new BadRequest(405, 'method not allowed: POST') : new BadRequest(404, 'not found');
    }
    if (url.pathname === '/get') return json(res, await oneAtATime(() => ask(required(key), 1)));
    if (url.pathname === '/burst') {
      const cold = coldKeys.next();
      if (cold.done) throw new BadRequest(409, 'no cold key is left: restart the demo');
      return json(res, await oneAtATime(() => ask(cold.value, burstSize)));
    }
    const action = /^\/nodes\/(\d+)\/(stop|start)$/.exec(url.pathname);
    const node = cluster.nodes.find((n) => n.port === Number(action?.[1]));
    if (!action || !node) throw new BadRequest(404, 'not found');
    if (node.api) throw new BadRequest(409, `the API runs beside ${node.port}: the page needs it`);
    await oneAtATime(() => (action[2] === 'stop' ? cluster.stop(node.port) : cluster.restart(node.port)));
    return json(res, { port: node.port, up: cluster.isUp(node.port) });
  }

  return (req, res) => {
    route(req, res).catch((err: unknown) => {
      const status = err instanceof BadRequest ? err.status : 500;
      if (res.headersSent) return void res.destroy();
      res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8' });
      res.end(`${(err as Error).message}\n`);
    });
  };
}

/** Where a key sits on the ring: its hash, its owner, and the virtual node that owns it. */
export function where(ring: HashRing, key: string) {
  const hash = crc32(key); // the ring's own hash (CRC-32, as groupcache)
  const points = ring.points();
  const point = points.find((p) => p.hash >= hash) ?? points[0]!;
  const owner = ring.get(key);
  // The point is found here only to draw the arrow; the owner is the ring's own answer.
  if (point.node !== owner) throw new Error(`the page and the ring disagree on ${key}: ${point.node} vs ${owner}`);
  return { key, hash, owner, point };
}

function required(key: string | null): string {
  if (!key) throw new BadRequest(400, 'key is required: ?key=K');
  return key;
}

function json(res: ServerResponse, value: unknown): void {
  const body = JSON.stringify(value);
  res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body), 'Cache-Control': 'no-store' });
  res.end(body);
}
