import { afterEach, describe, expect, test } from 'vitest';
import { HashRing } from './consistenthash.js';
import { Group, NotFoundError } from './geecache.js';
import { HTTPPool } from './http.js';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer as createTCPServer, type Socket } from 'node:net';
import { geecachepb } from './geecachepb/geecachepb.js';
import { listen, send, type TestServer, unwrap } from './testing.js';

/** One node of an in-process cluster, with what its database and its log saw. */
interface TestNode {
  url: string;
  /** Set `hold.until` to make this node's database loads wait for a promise. */
  hold: { until?: Promise<void> };
  server: TestServer;
  pool: HTTPPool;
  group: Group;
  loads: string[];
  logs: string[];
}

/** Whether this machine can listen on `host` (some have no IPv6 loopback). */
async function canListenOn(host: string): Promise<boolean> {
  try {
    const probe = await listen(() => {}, host);
    await probe.close();
    return true;
  } catch {
    return false;
  }
}

// Some machines have no IPv6 loopback; the IPv6 test is skipped there.
const hasIPv6 = await canListenOn('::1');

const running: TestServer[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((server) => server.close()));
});

/**
 * Every key exists, with the value `v:<key>`, except keys that start with
 * "missing" (not found) or "empty" (an empty value). A load waits for `hold`,
 * if the test set one.
 */
function database(loads: string[], hold: { until?: Promise<void> }) {
  return async (key: string) => {
    loads.push(key);
    await hold.until;
    if (key.includes('missing')) throw new NotFoundError(`${key} not exist`);
    return key.startsWith('empty') ? '' : `v:${key}`;
  };
}

/** What a test may set on one node. */
interface NodeOptions {
  timeoutMs?: number;
  maxBodyBytes?: number;
  host?: string;
  /** The hot cache's draw; by default 0.99, so no value from a peer is kept unless a test says so. */
  random?: () => number;
}

/**
 * Starts a node on port 0. Each node has its own `scores` group, found through
 * the pool's `groups`, because the module's registry holds one group per name.
 */
async function startNode({ timeoutMs, maxBodyBytes, host, random = () => 0.99 }: NodeOptions = {}): Promise<TestNode> {
  let pool: HTTPPool | undefined;
  const server = await listen((req, res) => pool!.handler(req, res), host);
  running.push(server);
  const loads: string[] = [];
  const logs: string[] = [];
  const hold: { until?: Promise<void> } = {};
  const group = new Group('scores', 0, database(loads, hold), { random });
  pool = new HTTPPool(server.baseURL, {
    log: (line) => logs.push(line),
    groups: new Map([['scores', group]]),
    timeoutMs,
    maxBodyBytes,
  });
  group.registerPeers(pool);
  return { url: server.baseURL, hold, server, pool, group, loads, logs };
}

/** Starts `size` nodes that all know each other. */
async function startCluster(size: number, options: NodeOptions = {}): Promise<TestNode[]> {
  const nodes = await Promise.all(Array.from({ length: size }, () => startNode(options)));
  for (const node of nodes) node.pool.set(...nodes.map((n) => n.url));
  return nodes;
}

/** The owner of `key` among `urls`, computed as every node computes it. */
function ownerOf(key: string, urls: string[]): string {
  const ring = new HashRing(50);
  ring.add(...urls);
  return ring.get(key);
}

/** The first key `key0`, `key1`, ... with the given prefix that `owner` owns. */
function keyOwnedBy(owner: string, urls: string[], prefix = 'key'): string {
  for (let i = 0; ; i++) if (ownerOf(`${prefix}${i}`, urls) === owner) return `${prefix}${i}`;
}

const ask = (node: TestNode, key: string) =>
  send(node.server.port, `/_geecache/scores/${encodeURIComponent(key)}`).then(unwrap);
const gets = (node: TestNode) => node.logs.filter((line) => / GET /.test(line));

/** Waits until `ready()`; should `work` settle first (the code went another way), the test's checks fail at once, not at its timeout. */
async function waitUntil(ready: () => boolean, work: Promise<unknown>): Promise<void> {
  let settled = false;
  void work.then(() => (settled = true), () => (settled = true));
  while (!ready() && !settled) await new Promise((resolve) => setTimeout(resolve, 5));
}

describe('routing', () => {
  test('each key is loaded exactly once in the cluster, by its owner, whichever node is asked', async () => {
    const nodes = await startCluster(3);
    const urls = nodes.map((n) => n.url);
    const keys = ['Tom', 'Jack', 'Sam', ...Array.from({ length: 12 }, (_, i) => `user${i}`)];
    for (const key of keys) {
      for (const node of nodes) {
        const answer = await ask(node, key);
        expect([answer.status, answer.body.toString()]).toEqual([200, `v:${key}`]);
      }
    }
    for (const key of keys) {
      const loadedBy = nodes.filter((n) => n.loads.includes(key)).map((n) => n.url);
      expect(loadedBy).toEqual([ownerOf(key, urls)]);
    }
    expect(nodes.flatMap((n) => n.loads)).toHaveLength(keys.length);
  });

  test('the owner answers by itself, without asking anyone', async () => {
    const nodes = await startCluster(3);
    const urls = nodes.map((n) => n.url);
    const key = keyOwnedBy(nodes[2]!.url, urls);
    expect((await ask(nodes[2]!, key)).body.toString()).toBe(`v:${key}`);
    expect(nodes[2]!.logs.filter((line) => line.includes('Pick peer'))).toEqual([]);
    expect(nodes[0]!.logs).toEqual([]);
    expect(nodes[1]!.logs).toEqual([]);
  });

  test('a node that is not the owner logs the peer it picks, and keeps no copy unless the draw says so', async () => {
    const [a, b] = await startCluster(2);
    const key = keyOwnedBy(b!.url, [a!.url, b!.url]);
    await ask(a!, key);
    await ask(a!, key);
    expect(a!.logs.filter((line) => line === `[Server ${a!.url}] Pick peer ${b!.url} for ${key}`)).toHaveLength(2);
    expect(gets(b!)).toHaveLength(2); // as in GeeCache, only the owner caches the value
    expect(b!.loads).toEqual([key]);
  });

  test('a hot key: a value from its owner kept in the hot cache is served here, and the owner rests', async () => {
    const [a, b] = await startCluster(2, { random: () => 0 }); // every draw keeps
    const key = keyOwnedBy(b!.url, [a!.url, b!.url]);
    for (let i = 0; i < 200; i++) expect((await ask(a!, key)).body.toString()).toBe(`v:${key}`);
    expect(gets(b!)).toHaveLength(1);
    expect(a!.group.stats()).toMatchObject({ peerLoads: 1, cacheHits: 199, hotCache: { items: 1, hits: 199 } });
    expect(b!.group.stats().hotCache.items).toBe(0); // the owner keeps its own keys in its main cache
  });

  test('the counters tell the same story: peer loads on the asker, server requests on the owner', async () => {
    const [a, b] = await startCluster(2);
    const key = keyOwnedBy(b!.url, [a!.url, b!.url]);
    await ask(a!, key);
    await ask(a!, key);
    expect(a!.group.stats()).toMatchObject({ gets: 2, cacheHits: 0, loads: 2, peerLoads: 2, peerErrors: 0, localLoads: 0 });
    expect(a!.group.stats()).toMatchObject({ serverRequests: 2 }); // the test asked a over HTTP
    expect(b!.group.stats()).toMatchObject({ gets: 2, cacheHits: 1, loads: 1, localLoads: 1, serverRequests: 2 });
    await b!.server.close(); // the owner goes away: a peer error, then a load here
    await a!.group.get(`${key}`).catch(() => {});
    expect(a!.group.stats()).toMatchObject({ peerLoads: 2, peerErrors: 1, localLoads: 1 });
  });

  test("an owner's 404 is a 404 here, and the database is asked once in the whole cluster", async () => {
    const [a, b] = await startCluster(2);
    const key = keyOwnedBy(b!.url, [a!.url, b!.url], 'missing');
    const answer = await ask(a!, key);
    expect([answer.status, answer.body.toString()]).toEqual([404, `${key} not exist\n`]);
    expect(a!.loads, "the asker's database").toEqual([]);
    expect(b!.loads, "the owner's database").toEqual([key]);
  });
});

describe('singleflight across the cluster', () => {
  test('1000 concurrent gets of one cold key: one request to the owner, one database load', async () => {
    const nodes = await startCluster(3);
    const urls = nodes.map((n) => n.url);
    const owner = nodes.find((n) => n.url === ownerOf('Tom', urls))!;
    const asker = nodes.find((n) => n !== owner)!;
    const values = await Promise.all(Array.from({ length: 1000 }, () => asker.group.get('Tom')));
    expect(new Set(values.map(String))).toEqual(new Set(['v:Tom']));
    expect(gets(owner)).toHaveLength(1);
    expect(asker.logs.filter((line) => line.includes('Pick peer'))).toHaveLength(1);
    expect(nodes.flatMap((n) => n.loads)).toEqual(['Tom']);
    // In numbers: 1000 gets and 1000 loads on the asker, but one load ran, one peer load.
    expect(asker.group.stats()).toMatchObject({ gets: 1000, loads: 1000, loadsDeduped: 1, peerLoads: 1 });
    expect(owner.group.stats()).toMatchObject({ serverRequests: 1, loadsDeduped: 1, localLoads: 1 });
  });

  test('100 concurrent HTTP requests to a non-owner: one request to the owner', async () => {
    const nodes = await startCluster(3);
    const urls = nodes.map((n) => n.url);
    const owner = nodes.find((n) => n.url === ownerOf('Jack', urls))!;
    const asker = nodes.find((n) => n !== owner)!;
    // The owner's load waits until all 100 requests have reached the asker, so they overlap.
    let arrived!: () => void;
    owner.hold.until = new Promise((resolve) => (arrived = resolve));
    asker.server.server.on('request', () => gets(asker).length === 100 && arrived());
    const answers = await Promise.all(Array.from({ length: 100 }, () => ask(asker, 'Jack')));
    expect(answers.every((a) => a.status === 200 && a.body.toString() === 'v:Jack')).toBe(true);
    expect(gets(owner)).toHaveLength(1);
    expect(owner.loads).toEqual(['Jack']);
  });

  test("on the owner, a client's miss and a peer's request for the same key share one load", async () => {
    const [owner, asker] = await startCluster(2);
    const key = keyOwnedBy(owner!.url, [owner!.url, asker!.url]);
    let release!: () => void;
    owner!.hold.until = new Promise((resolve) => (release = resolve));
    const fromClient = owner!.group.get(key); // the owner's own client flight, loading locally
    const fromPeer = ask(asker!, key); // the asker's request, a peer's on the owner
    await waitUntil(() => gets(owner!).length > 0, fromPeer);
    release();
    expect(String(await fromClient)).toBe(`v:${key}`);
    expect((await fromPeer).body.toString()).toBe(`v:${key}`);
    expect(owner!.loads).toEqual([key]);
  });
});

describe('protobuf between peers', () => {
  test('an empty value travels as an empty Response, not as a failure', async () => {
    const [a, b] = await startCluster(2);
    const key = keyOwnedBy(b!.url, [a!.url, b!.url], 'empty');
    const answer = await ask(a!, key);
    expect([answer.status, answer.body.length]).toEqual([200, 0]);
    expect(b!.loads).toEqual([key]);
    // What the asker logged of the owner's answer says why it failed (a content type, a body).
    expect(a!.logs.filter((line) => line.includes('answered')), "the asker's log of the owner's answer").toEqual([]);
    expect(a!.loads, 'keys the asker loaded itself, as it does when the owner fails').toEqual([]);
  });
});

describe('how an answer is framed', () => {
  test('an owner that answers in chunks, as Go does for bodies over 2 KB: accepted, no second load', async () => {
    const [a, b] = await startCluster(2);
    const key = keyOwnedBy(b!.url, [a!.url, b!.url]);
    b!.server.server.removeAllListeners('request');
    b!.server.server.on('request', (req: IncomingMessage, res: ServerResponse) => {
      // The owner's own answer, sent in chunks instead of with a length.
      const writeHead = res.writeHead.bind(res) as (status: number, headers: Record<string, unknown>) => ServerResponse;
      res.writeHead = ((status: number, headers: Record<string, unknown>) => {
        delete headers['Content-Length'];
        return writeHead(status, { ...headers, 'Transfer-Encoding': 'chunked' });
      }) as typeof res.writeHead;
      b!.pool.handler(req, res);
    });
    expect((await ask(a!, key)).body.toString()).toBe(`v:${key}`);
    expect([a!.loads, b!.loads]).toEqual([[], [key]]);
    expect(a!.logs.filter((line) => line.includes('answered'))).toEqual([]);
  });
});

describe('keys of any characters', () => {
  test.each([
    ['a space', 'a b'],
    ['a slash', 'a/b/c'],
    ['a percent sign', '100%'],
    ['a plus', 'a+b'],
    ['a question mark', 'why?'],
    ['a hash', 'a#b'],
    ['non-ASCII', 'Jürgen 北京 😀'],
    ['a dot-dot segment', '..'],
    ['an encoded-looking key', '%2F%41'],
  ])('%s reaches the owner unchanged', async (_, key) => {
    const nodes = await startCluster(3);
    const urls = nodes.map((n) => n.url);
    const owner = nodes.find((n) => n.url === ownerOf(key, urls))!;
    const asker = nodes.find((n) => n !== owner)!;
    const answer = await ask(asker, key);
    expect([answer.status, answer.body.toString()]).toEqual([200, `v:${key}`]);
    expect(owner.loads).toEqual([key]);
    expect(asker.loads).toEqual([]);
  });
});

describe('a failing owner: the key is loaded here', () => {
  /** A node whose only other peer is `peer`, and a key that `peer` owns. */
  async function nodeBeside(peer: { baseURL: string }, options: NodeOptions = {}) {
    const node = await startNode(options);
    node.pool.set(node.url, peer.baseURL);
    return { node, key: keyOwnedBy(peer.baseURL, [node.url, peer.baseURL]) };
  }

  test('an owner that is down', async () => {
    const dead = await listen(() => {});
    await dead.close();
    const { node, key } = await nodeBeside(dead);
    const answer = await ask(node, key);
    expect([answer.status, answer.body.toString()]).toEqual([200, `v:${key}`]);
    expect(node.loads).toEqual([key]);
    expect(node.logs).toContainEqual(expect.stringContaining(`peer ${dead.baseURL} failed: connect ECONNREFUSED`));
  });

  test('an owner that does not answer within timeoutMs', async () => {
    const silent = await listen(() => {}); // takes the request, never answers
    running.push(silent);
    const { node, key } = await nodeBeside(silent, { timeoutMs: 100 });
    const answer = await ask(node, key);
    expect(answer.body.toString()).toBe(`v:${key}`);
    expect(node.logs).toContain(`[Server ${node.url}] peer ${silent.baseURL} did not answer within 100 ms`);
  });

  test('an owner that starts an answer and stalls', async () => {
    const stalling = await listen((_, res) => {
      res.writeHead(200, { 'Content-Length': 10 });
      res.write('abc');
    });
    running.push(stalling);
    const { node, key } = await nodeBeside(stalling, { timeoutMs: 100 });
    expect((await ask(node, key)).body.toString()).toBe(`v:${key}`);
    expect(node.logs).toContain(`[Server ${node.url}] peer ${stalling.baseURL} did not answer within 100 ms`);
  });

  test('an owner that cuts the connection in the middle of an answer', async () => {
    const cutting = await listen((_, res) => {
      res.writeHead(200, { 'Content-Length': 10 });
      res.write('abc', () => res.socket?.destroy());
    });
    running.push(cutting);
    const { node, key } = await nodeBeside(cutting);
    expect((await ask(node, key)).body.toString()).toBe(`v:${key}`);
    expect(node.logs).toContainEqual(expect.stringContaining(`peer ${cutting.baseURL} failed:`));
  });

  test('an owner that answers a body that is not a protobuf Response', async () => {
    const garbage = await listen((_, res) => {
      res.writeHead(200, { 'Content-Type': 'application/x-protobuf', 'Content-Length': 12 });
      res.end('not protobuf');
    });
    running.push(garbage);
    const { node, key } = await nodeBeside(garbage);
    expect((await ask(node, key)).body.toString()).toBe(`v:${key}`);
    expect(node.loads).toEqual([key]);
    expect(node.logs).toContain(
      `[Server ${node.url}] peer ${garbage.baseURL} answered a body that is not a protobuf Response: invalid wire type 6 at offset 1`,
    );
  });

  test('an owner that answers an empty 200 that is not protobuf: not taken for an empty value', async () => {
    // An empty body decodes as a Response with an empty value; only the content type tells.
    const empty = await listen((_, res) => {
      res.writeHead(200, { 'Content-Type': 'application/octet-stream', 'Content-Length': 0 });
      res.end();
    });
    running.push(empty);
    const { node, key } = await nodeBeside(empty);
    expect((await ask(node, key)).body.toString()).toBe(`v:${key}`);
    expect(node.loads).toEqual([key]);
  });

  test('an owner that answers 200 but not protobuf (a day-6 node, say)', async () => {
    const raw = await listen((_, res) => {
      res.writeHead(200, { 'Content-Type': 'application/octet-stream', 'Content-Length': 3 });
      res.end('630');
    });
    running.push(raw);
    const { node, key } = await nodeBeside(raw);
    expect((await ask(node, key)).body.toString()).toBe(`v:${key}`);
    expect(node.logs).toContain(
      `[Server ${node.url}] peer ${raw.baseURL} answered application/octet-stream, not application/x-protobuf`,
    );
  });

  test('an owner whose content type holds control characters: escaped in the log', async () => {
    // \x9b is a terminal's control sequence introducer, as ESC [ is.
    const peer = await rawPeer('HTTP/1.1 200 OK\r\nContent-Type: text/\x9b31mred\r\nContent-Length: 0\r\n\r\n', () => {});
    try {
      const { node, key } = await nodeBeside(peer);
      expect((await ask(node, key)).body.toString()).toBe(`v:${key}`);
      const line = node.logs.find((l) => l.includes(' answered text/'))!;
      expect(line).toMatch(/answered text\/.*\\u009b31mred, not application\/x-protobuf$/);
      expect(line).not.toMatch(/[\x00-\x1f\x7f-\x9f]/);
    } finally {
      peer.close();
    }
  });

  test('an owner whose body ends with the connection, and stalls: never a cut-off value', async () => {
    // No Content-Length: the body ends when the connection closes, so a deadline
    // that closes it must not turn 'abc' into a complete answer.
    const sockets: Socket[] = [];
    const raw = createTCPServer((socket) => {
      sockets.push(socket);
      socket.write('HTTP/1.1 200 OK\r\nConnection: close\r\n\r\nabc');
    });
    await new Promise<void>((resolve) => raw.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(raw.address() as { port: number }).port}`;
    try {
      const { node, key } = await nodeBeside({ baseURL: url }, { timeoutMs: 100 });
      expect((await ask(node, key)).body.toString()).toBe(`v:${key}`);
      expect(node.loads).toEqual([key]);
      expect(node.logs).toContain(`[Server ${node.url}] peer ${url} did not answer within 100 ms`);
    } finally {
      for (const socket of sockets) socket.destroy();
      raw.close();
    }
  });

  /** A raw TCP peer that writes `answer` to each request, then runs `after` on the socket. */
  async function rawPeer(answer: string, after: (socket: Socket) => void) {
    const sockets: Socket[] = [];
    const raw = createTCPServer((socket) => {
      sockets.push(socket);
      socket.once('data', () => socket.write(answer, () => after(socket)));
    });
    await new Promise<void>((resolve) => raw.listen(0, '127.0.0.1', resolve));
    const close = () => {
      for (const socket of sockets) socket.destroy();
      raw.close();
    };
    return { baseURL: `http://127.0.0.1:${(raw.address() as { port: number }).port}`, close };
  }

  test('an owner that answers 200 framed by the connection closing: refused, never a value', async () => {
    const peer = await rawPeer('HTTP/1.1 200 OK\r\nConnection: close\r\n\r\nabc', (socket) => socket.end());
    try {
      const { node, key } = await nodeBeside(peer);
      expect((await ask(node, key)).body.toString()).toBe(`v:${key}`);
      expect(node.loads).toEqual([key]);
      expect(node.logs).toContain(`[Server ${node.url}] peer ${peer.baseURL} answered 200 with neither a Content-Length nor chunks`);
    } finally {
      peer.close();
    }
  });

  test('an owner that cuts a chunked answer short', async () => {
    const peer = await rawPeer('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n', (socket) => socket.destroy());
    try {
      const { node, key } = await nodeBeside(peer);
      expect((await ask(node, key)).body.toString()).toBe(`v:${key}`);
      expect(node.loads).toEqual([key]);
      expect(node.logs).toContain(`[Server ${node.url}] peer ${peer.baseURL} failed: aborted`);
    } finally {
      peer.close();
    }
  });

  test('an owner whose answer is longer than maxBodyBytes, said or streamed', async () => {
    const huge = await listen((req, res) => {
      if (req.url!.includes('said')) {
        res.writeHead(200, { 'Content-Length': 5000 });
        res.end('x'.repeat(5000));
      } else {
        res.writeHead(200);
        for (let i = 0; i < 10; i++) res.write('x'.repeat(500));
        res.end();
      }
    });
    running.push(huge);
    const node = await startNode({ maxBodyBytes: 1000 });
    node.pool.set(node.url, huge.baseURL);
    const urls = [node.url, huge.baseURL];
    for (const prefix of ['said', 'streamed']) {
      const key = keyOwnedBy(huge.baseURL, urls, prefix);
      expect((await ask(node, key)).body.toString()).toBe(`v:${key}`);
      expect(node.logs).toContain(`[Server ${node.url}] peer ${huge.baseURL} failed: the body is longer than 1000 bytes`);
      node.logs.length = 0;
    }
  });

  test.each([
    ['101 Switching Protocols, and an upgrade', 'HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: x\r\n\r\n'],
    ['102 Processing, then nothing', 'HTTP/1.1 102 Processing\r\n\r\n'],
    ['nothing at all', ''],
  ])('an owner that ends the exchange with %s: loaded here, and the owner is asked again next time', async (_, answer) => {
    let requests = 0;
    const peer = await rawPeer(answer, (socket) => (requests++ === 0 ? socket.end() : socket.destroy()));
    try {
      const { node, key } = await nodeBeside(peer);
      // Without a settled request, this get would wait for ever: no deadline reaches a request that has ended.
      expect((await ask(node, key)).body.toString()).toBe(`v:${key}`);
      expect(node.loads).toEqual([key]);
      expect(node.logs.filter((line) => line.startsWith(`[Server ${node.url}] peer ${peer.baseURL} failed: `))).toHaveLength(1);
      const other = keyOwnedBy(peer.baseURL, [node.url, peer.baseURL], 'other');
      await ask(node, other);
      expect(requests).toBe(2);
    } finally {
      peer.close();
    }
  });

  test('answers read at once from peers share one budget: twice maxBodyBytes, past it a peer fails', async () => {
    // Each answer sends 900 of its 1000 bytes, then waits: three at once would hold 2700 bytes.
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    const body = Buffer.from(geecachepb.Response.encode({ value: Buffer.alloc(997, 'x') }).finish()); // 1000 bytes
    const slow = await listen((req, res) => {
      res.writeHead(200, { 'Content-Length': 1000, 'Content-Type': 'application/x-protobuf' });
      res.write(body.subarray(0, 900));
      void released.then(() => res.end(body.subarray(900)));
    });
    running.push(slow);
    const node = await startNode({ maxBodyBytes: 1000 });
    node.pool.set(node.url, slow.baseURL);
    const urls = [node.url, slow.baseURL];
    const keys = ['a', 'b', 'c'].map((prefix) => keyOwnedBy(slow.baseURL, urls, prefix));
    const answers = keys.map((key) => ask(node, key));
    // The third answer's first 900 bytes pass the budget of 2000: that peer request fails at once.
    await waitUntil(() => node.loads.length > 0, Promise.allSettled(answers));
    release();
    const bodies = (await Promise.all(answers)).map((answer) => answer.body.length);
    expect(bodies.sort()).toEqual([997, 997, `v:${node.loads[0]}`.length].sort());
    expect(node.loads).toHaveLength(1);
    expect(node.logs).toContain(`[Server ${node.url}] peer ${slow.baseURL} failed: answers being read from peers exceed 2000 bytes`);
  });

  test('an owner whose 404 is not about the key (no such group): the key is loaded here', async () => {
    const other = await listen((_, res) => {
      res.writeHead(404, { 'Content-Length': 22 });
      res.end('no such group: scores\n');
    });
    running.push(other);
    const { node, key } = await nodeBeside(other);
    expect((await ask(node, key)).body.toString()).toBe(`v:${key}`);
    expect(node.logs).toContain(`[Server ${node.url}] peer ${other.baseURL} answered 404: no such group: scores`);
  });

  test('an owner that answers 500', async () => {
    const broken = await listen((_, res) => {
      res.writeHead(500);
      res.end('database down');
    });
    running.push(broken);
    const { node, key } = await nodeBeside(broken);
    expect((await ask(node, key)).body.toString()).toBe(`v:${key}`);
    expect(node.logs).toContain(`[Server ${node.url}] peer ${broken.baseURL} answered 500: database down`);
  });
});

describe('a kept-alive socket the owner closes just as it is reused', () => {
  /**
   * Makes `owner` answer through `serve`, which is told how many requests came
   * before on the same connection (0 on a fresh one). Returns how many it saw.
   */
  function interpose(owner: TestNode, serve: (before: number, req: IncomingMessage, res: ServerResponse) => void) {
    const before = new WeakMap<Socket, number>();
    const seen = { requests: 0 };
    owner.server.server.removeAllListeners('request');
    owner.server.server.on('request', (req: IncomingMessage, res: ServerResponse) => {
      seen.requests++;
      const count = before.get(req.socket) ?? 0;
      before.set(req.socket, count + 1);
      serve(count, req, res);
    });
    return seen;
  }

  test('is sent once more, on a fresh socket: one load in the cluster, not two', async () => {
    const [a, b] = await startCluster(2);
    const urls = [a!.url, b!.url];
    const [k1, k2] = [keyOwnedBy(b!.url, urls, 'first'), keyOwnedBy(b!.url, urls, 'second')];
    let dropped = false;
    // The second request on a connection finds it closed, as when the idle timeout fires just then.
    const seen = interpose(b!, (before, req, res) => {
      if (before === 1 && !dropped) {
        dropped = true;
        return req.socket.destroy();
      }
      b!.pool.handler(req, res);
    });
    for (const key of [k1, k2]) expect((await ask(a!, key)).body.toString()).toBe(`v:${key}`);
    expect(dropped).toBe(true);
    expect(seen.requests).toBe(3);
    expect(b!.loads).toEqual([k1, k2]);
    expect(a!.loads).toEqual([]); // without the retry, a would have loaded k2 too
    expect(a!.logs.filter((line) => line.includes('failed'))).toEqual([]);
  });

  test('never twice: an owner that drops the fresh socket too is a failed owner', async () => {
    const [a, b] = await startCluster(2);
    const urls = [a!.url, b!.url];
    const [k1, k2] = [keyOwnedBy(b!.url, urls, 'first'), keyOwnedBy(b!.url, urls, 'second')];
    let served = 0;
    const seen = interpose(b!, (_, req, res) => (served++ === 0 ? b!.pool.handler(req, res) : req.socket.destroy()));
    for (const key of [k1, k2]) expect((await ask(a!, key)).body.toString()).toBe(`v:${key}`);
    expect(seen.requests).toBe(3); // k1; k2 on the reused socket; k2 once more, fresh
    expect(a!.loads).toEqual([k2]);
  });

  test('never once part of an answer came: a reused socket cut mid-answer is a failed owner', async () => {
    const [a, b] = await startCluster(2);
    const urls = [a!.url, b!.url];
    const [k1, k2] = [keyOwnedBy(b!.url, urls, 'first'), keyOwnedBy(b!.url, urls, 'second')];
    const seen = interpose(b!, (before, req, res) =>
      before === 0 ? b!.pool.handler(req, res) : req.socket.end('HTTP/1.1 200 OK\r\nContent-Le'),
    );
    for (const key of [k1, k2]) expect((await ask(a!, key)).body.toString()).toBe(`v:${key}`);
    expect(seen.requests).toBe(2);
    expect(a!.loads).toEqual([k2]);
  });

  test('never after a timeout: a reused socket that stalls is not tried again', async () => {
    const [b, slowA] = [await startNode(), await startNode({ timeoutMs: 100 })];
    const urls = [slowA.url, b.url];
    for (const node of [b, slowA]) node.pool.set(...urls);
    const [k1, k2] = [keyOwnedBy(b.url, urls, 'first'), keyOwnedBy(b.url, urls, 'second')];
    const seen = interpose(b, (before, req, res) => (before === 0 ? b.pool.handler(req, res) : undefined));
    for (const key of [k1, k2]) expect((await ask(slowA, key)).body.toString()).toBe(`v:${key}`);
    expect(seen.requests).toBe(2);
    expect(slowA.loads).toEqual([k2]);
    expect(slowA.logs).toContainEqual(expect.stringContaining('did not answer within 100 ms'));
  });
});

describe('limits and odd addresses', () => {
  test("the not-found message is the owner's, to the byte", async () => {
    const [a, b] = await startCluster(2);
    const key = keyOwnedBy(b!.url, [a!.url, b!.url], '  missing ');
    expect((await ask(a!, key)).body.toString()).toBe(`${key} not exist\n`);
    expect((await ask(b!, key)).body.toString()).toBe(`${key} not exist\n`);
  });

  test('a key of 4096 bytes travels to its owner; one of 4097 bytes is refused with 414', async () => {
    const [a, b] = await startCluster(2);
    const urls = [a!.url, b!.url];
    let key = 'é'.repeat(2048); // 4096 UTF-8 bytes, 12 KB once percent-encoded
    for (let i = 0; ownerOf(key, urls) !== b!.url; i++) key = `${'é'.repeat(2046)}k${i}`.padEnd(2048 + 2, 'k');
    expect(Buffer.byteLength(key)).toBeLessThanOrEqual(4096);
    expect((await ask(a!, key)).body.toString()).toBe(`v:${key}`);
    expect(b!.loads).toEqual([key]);
    const tooLong = await ask(a!, 'k'.repeat(4097));
    expect(tooLong.status, 'the status for a key of 4097 bytes').toBe(414);
    expect(tooLong.body.toString()).toBe('a key may be at most 4096 bytes\n');
  });

  test.runIf(hasIPv6)('a peer on IPv6, [::1] in its URL', async () => {
    const a = await startNode();
    const b = await startNode({ host: '::1' });
    for (const node of [a, b]) node.pool.set(a.url, b.url);
    const key = keyOwnedBy(b.url, [a.url, b.url]);
    expect((await ask(a, key)).body.toString()).toBe(`v:${key}`);
    expect(b.loads).toEqual([key]);
    expect(a.loads).toEqual([]);
  });

  test('a client that sends the peer header is not taken for a peer', async () => {
    const [a, b] = await startCluster(2);
    const key = keyOwnedBy(b!.url, [a!.url, b!.url]);
    const path = `/_geecache/scores/${encodeURIComponent(key)}`;
    const answer = await fetch(`${a!.server.baseURL}${path}`, { headers: { 'x-geecache-from': 'http://pretender:1' } });
    expect([answer.status, (await answer.arrayBuffer()).byteLength > 0]).toEqual([200, true]);
    expect(b!.loads).toEqual([key]); // forwarded to the owner as usual
    expect(a!.loads).toEqual([]);
  });
});


describe('no forwarding loops', () => {
  test('two nodes whose rings disagree, missing one key at the same moment, do not wait for each other', async () => {
    // A deadline of a minute: if the two flights waited for each other, the test would time out.
    const a = await startNode({ timeoutMs: 60_000 });
    const b = await startNode({ timeoutMs: 60_000 });
    a.pool.set(b.url); // a thinks b owns everything
    b.pool.set(a.url); // and b thinks a does
    // Both flights start in this tick, before either peer request arrives.
    const values = await Promise.all([a.group.get('Tom'), b.group.get('Tom')]);
    expect(values.map(String)).toEqual(['v:Tom', 'v:Tom']);
    expect([a.loads, b.loads]).toEqual([['Tom'], ['Tom']]); // each answered the other's request itself
    expect([...a.logs, ...b.logs].some((line) => line.includes('did not answer'))).toBe(false);
  });

  test('two nodes with different peer lists: the key is forwarded once, then served', async () => {
    const a = await startNode();
    const b = await startNode();
    a.pool.set(b.url); // a thinks b owns everything
    b.pool.set(a.url); // and b thinks a does
    const answer = await ask(a, 'Tom');
    expect(answer.body.toString()).toBe('v:Tom');
    expect(b.loads, "b's database: b answers a peer's request itself").toEqual(['Tom']);
    expect(a.loads, "a's database").toEqual([]);
    expect(gets(a)).toHaveLength(1); // the client's request
    expect(gets(b)).toHaveLength(1); // a's request, answered by b itself
  });

  test('a node listed under another name than its own: it asks itself once, then serves', async () => {
    const node = await startNode();
    const alias = node.url.replace('127.0.0.1', 'localhost');
    node.pool.set(alias); // the ring names it 'localhost', its self is '127.0.0.1'
    const answer = await ask(node, 'Tom');
    expect(answer.body.toString()).toBe('v:Tom');
    expect(node.loads).toEqual(['Tom']);
    expect(gets(node)).toHaveLength(2);
    // Its own request, named as from itself, was served at once: no deadline passed, no peer failed.
    expect(node.group.stats()).toMatchObject({ peerLoads: 1, peerErrors: 0 });
    expect(node.logs.filter((line) => line.includes('did not answer'))).toEqual([]);
  });
});

test('connections to a peer are kept alive and reused', async () => {
  const [a, b] = await startCluster(2);
  let connections = 0;
  b!.server.server.on('connection', () => connections++);
  const urls = [a!.url, b!.url];
  const keys = Array.from({ length: 200 }, (_, i) => `k${i}`).filter((k) => ownerOf(k, urls) === b!.url);
  for (const key of keys.slice(0, 5)) await ask(a!, key);
  expect(b!.loads).toHaveLength(5);
  expect(connections).toBe(1);
});

describe('HTTPPool as a peer picker', () => {
  test('picks nobody for its own keys or without peers, and the owner of any other key', () => {
    const pool = new HTTPPool('http://self:1', { log: () => {} });
    expect(pool.pickPeer('Tom')).toBeUndefined();
    pool.set('http://self:1');
    expect(pool.pickPeer('Tom')).toBeUndefined();
    pool.set('http://self:1', 'http://other:2');
    const key = keyOwnedBy('http://other:2', ['http://self:1', 'http://other:2']);
    expect(pool.pickPeer(key), `${key} is owned by http://other:2: pickPeer returns its getter`).toBeDefined();
  });

  test.each([
    'localhost:8001',
    'https://localhost:8001',
    'not a url',
    '',
    'http://localhost:8001/prefix',
    'http://user@localhost:8001',
    'http://localhost:8001?x=1',
    'http://localhost:8001/',
    'http://localhost:8001\n',
    'http://LOCALHOST:8001',
  ])(
    'set rejects %j and keeps the old list',
    (peer) => {
      const pool = new HTTPPool('http://self:1', { log: () => {} });
      pool.set('http://self:1', 'http://other:2');
      const key = keyOwnedBy('http://other:2', ['http://self:1', 'http://other:2']);
      expect(() => pool.set('http://self:1', peer)).toThrow('a peer must be a base URL like http://host:port');
      expect(pool.pickPeer(key), `${key} is owned by http://other:2: pickPeer returns its getter`).toBeDefined();
    },
  );

  test.each([0, -1, 1.5])('replicas %s throws a RangeError', (replicas) => {
    expect(() => new HTTPPool('http://self:1', { replicas })).toThrow(RangeError);
  });

  test.each([0, -5, Number.NaN, 2 ** 31])('timeoutMs %s throws a RangeError', (timeoutMs) => {
    expect(() => new HTTPPool('http://self:1', { timeoutMs })).toThrow(RangeError);
  });

  test.each([-1, 1.5, Number.POSITIVE_INFINITY])('maxBodyBytes %s throws a RangeError', (maxBodyBytes) => {
    expect(() => new HTTPPool('http://self:1', { maxBodyBytes })).toThrow(RangeError);
  });
});
