import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterEach, expect, onTestFinished, test } from 'vitest';
import { HashRing } from './consistenthash.js';
import { send as sendAnswer, sendRaw, unwrap } from './testing.js';

/** A db.json in a folder of its own, removed when the test ends. */
function dbFile(): string {
  const dir = mkdtempSync(join(tmpdir(), 'geecache-main-'));
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  return join(dir, 'db.json');
}

// Peers answer protobuf; these tests compare the values inside.
const send = (port: number, path: string) => sendAnswer(port, path).then(unwrap);

/** A running `main.ts`, with everything it has printed so far. */
interface Node {
  child: ChildProcess;
  /** Each line on stdout, without the time a log line starts with. */
  stdout: string[];
  /** The lines on stdout that did not start with the time. */
  unstamped: string[];
  stderr: string[];
}

/** The time at the start of every log line, as Go's `log` prints it (with milliseconds). */
const stamp = /^\d{4}\/\d\d\/\d\d \d\d:\d\d:\d\d\.\d{3} /;

const started: ChildProcess[] = [];
afterEach(() => {
  for (const child of started.splice(0)) child.kill('SIGKILL');
});

function start(...args: string[]): Node {
  const child = spawn(process.execPath, ['--import', 'tsx', 'main.ts', ...args], {
    cwd: import.meta.dirname,
  });
  started.push(child);
  const node: Node = { child, stdout: [], unstamped: [], stderr: [] };
  createInterface({ input: child.stdout }).on('line', (line) => {
    if (!stamp.test(line)) node.unstamped.push(line);
    node.stdout.push(line.replace(stamp, ''));
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => node.stderr.push(chunk));
  return node;
}

const handedOut = new Set<number>();

/**
 * A port that was free a moment ago. Only for child processes that must know
 * each other's ports before they start; a server in the test itself listens on 0.
 * It is drawn below 32768, outside the range Linux takes the ports of outgoing
 * connections and of listen(0) from, so no other socket of the run takes it first;
 * and never twice, since a port handed out is free until its node starts.
 */
async function freePort(): Promise<number> {
  for (;;) {
    const port = 20_000 + Math.floor(Math.random() * 12_000);
    if (handedOut.has(port)) continue;
    const server = createServer();
    const free = await new Promise<boolean>((resolve) => {
      server.once('error', () => resolve(false));
      server.listen(port, '127.0.0.1', () => resolve(true));
    });
    if (!free) continue;
    await new Promise((resolve) => server.close(resolve));
    handedOut.add(port);
    return port;
  }
}

/** Resolves with the first line of output that passes `match` (the pipe may lag behind HTTP answers). */
async function lineOf(node: Node, match: (line: string) => boolean): Promise<string> {
  for (;;) {
    const line = node.stdout.find(match);
    if (line !== undefined) return line;
    if (node.child.exitCode !== null) {
      // One line that says why: the error's own line of the node's stderr, not the stack around it.
      const stderr = node.stderr.join('').split('\n');
      const why = stderr.find((l) => /error/i.test(l)) ?? stderr.find((l) => l.trim() !== '') ?? '';
      throw new Error(`main.ts exited with code ${node.child.exitCode} before the line this test waits for: ${why.trim()}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Resolves with the port once the node says `<what> is running at http://localhost:<port>`. */
async function portOf(node: Node, what = 'geecache'): Promise<number> {
  const line = await lineOf(node, (l) => l.startsWith(`${what} is running at `));
  return Number(line.split(':').pop());
}

/** Starts a node on a free port that is its own only peer. */
async function startAlone(...args: string[]): Promise<{ node: Node; port: number; self: string }> {
  const port = await freePort();
  const self = `http://localhost:${port}`;
  const node = start('--port', String(port), '--peers', self, ...args);
  await portOf(node);
  return { node, port, self };
}

/** The node's exit code, or the signal that killed it (a node with no handler for SIGTERM dies of it). */
async function exitCode(node: Node): Promise<number | NodeJS.Signals | null> {
  if (node.child.exitCode === null && node.child.signalCode === null) await once(node.child, 'exit');
  return node.child.exitCode ?? node.child.signalCode;
}

test('serves scores, logs each request and each database load, and stops on SIGTERM', async () => {
  const { node, port, self } = await startAlone();
  expect((await send(port, '/_geecache/scores/Tom')).body.toString()).toBe('630');
  expect((await send(port, '/_geecache/scores/Tom')).body.toString()).toBe('630');
  const missing = await send(port, '/_geecache/scores/Katyusha');
  expect([missing.status, missing.body.toString()]).toEqual([404, 'Katyusha not exist\n']);
  await lineOf(node, (line) => line === '[SlowDB] search key Katyusha');
  expect(node.stdout.filter((line) => line !== `geecache is running at ${self}`)).toEqual([
    `[Server ${self}] GET /_geecache/scores/Tom`,
    '[SlowDB] search key Tom',
    `[Server ${self}] GET /_geecache/scores/Tom`,
    `[Server ${self}] GET /_geecache/scores/Katyusha`,
    '[SlowDB] search key Katyusha',
  ]);
  expect(node.unstamped).toEqual([]); // every line starts with the time
  node.child.kill('SIGTERM');
  expect(await exitCode(node)).toBe(0);
});

test('GET /stats tells what the node did, in numbers: the same story as its log', async () => {
  const { port } = await startAlone();
  for (const key of ['Tom', 'Tom', 'Katyusha']) await send(port, `/_geecache/scores/${key}`);
  const stats = JSON.parse((await send(port, '/stats')).body.toString());
  expect(stats.groups.scores).toMatchObject({ gets: 3, cacheHits: 1, loads: 2, localLoads: 1, localLoadErrs: 1, serverRequests: 3 });
});

test('a key named like an object property is a miss, not a crash', async () => {
  const { port } = await startAlone();
  for (const key of ['constructor', 'toString', '__proto__']) {
    expect((await send(port, `/_geecache/scores/${key}`)).status).toBe(404);
  }
});

test('a key cannot forge a log line: control characters are escaped', async () => {
  const { node, port } = await startAlone();
  await send(port, `/_geecache/scores/${encodeURIComponent('a\n[SlowDB] forged\u001b[31m')}`);
  const line = await lineOf(node, (l) => l.startsWith('[SlowDB] search key a'));
  expect(line).toBe('[SlowDB] search key a\\u000a[SlowDB] forged\\u001b[31m');
  expect(node.stdout.filter((l) => l.startsWith('[SlowDB] forged'))).toEqual([]);
});

test('--api serves GET /api?key=K on --api-port, and SIGTERM closes both ports', async () => {
  const apiPort = await freePort();
  const { node } = await startAlone('--api', '--api-port', String(apiPort));
  const api = await portOf(node, 'api');
  expect(api).toBe(apiPort);
  expect((await send(api, '/api?key=Jack')).body.toString()).toBe('589');
  expect((await send(api, '/api?key=Nobody')).status).toBe(404);
  expect((await send(api, '/api')).status).toBe(400);
  node.child.kill('SIGTERM');
  expect(await exitCode(node)).toBe(0);
});

test('CONNECT is answered with 405 on both ports, not left hanging', async () => {
  const apiPort = await freePort();
  const { node, port } = await startAlone('--api', '--api-port', String(apiPort));
  await portOf(node, 'api');
  for (const p of [port, apiPort]) {
    const answer = await sendRaw(p, 'CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n');
    expect(answer).toMatch(/^HTTP\/1\.1 405 Method Not Allowed\r\n/);
  }
});

test('--db serves a JSON file instead of the scores', async () => {
  const file = dbFile();
  writeFileSync(file, JSON.stringify({ 'a b': 'spaced', Tom: 'not 630' }));
  const { port } = await startAlone('--db', file);
  expect((await send(port, '/_geecache/scores/a%20b')).body.toString()).toBe('spaced');
  expect((await send(port, '/_geecache/scores/Tom')).body.toString()).toBe('not 630');
});

test('three nodes: three requests at once, one request to the owner, one database load', async () => {
  const ports = [await freePort(), await freePort(), await freePort()];
  const urls = ports.map((port) => `http://localhost:${port}`);
  const ring = new HashRing(50);
  ring.add(...urls);
  const owner = urls.indexOf(ring.get('Tom'));
  const apiNode = (owner + 1) % 3;
  // Each load waits 300 ms, so the three requests surely overlap on the API node.
  const nodes = ports.map((port, i) =>
    start('--port', String(port), '--peers', urls.join(','), '--delay', '300', ...(i === apiNode ? ['--api', '--api-port', '0'] : [])),
  );
  await Promise.all(nodes.map((node) => portOf(node)));
  const api = await portOf(nodes[apiNode]!, 'api');
  const answers = await Promise.all([1, 2, 3].map(() => send(api, '/api?key=Tom')));
  expect(answers.map((a) => a.body.toString())).toEqual(['630', '630', '630']);
  await lineOf(nodes[owner]!, (line) => line === '[SlowDB] search key Tom');
  expect(nodes[apiNode]!.stdout.filter((line) => line.endsWith(`Pick peer ${urls[owner]} for Tom`))).toHaveLength(1);
  expect(nodes.flatMap((node) => node.stdout).filter((line) => line.startsWith('[SlowDB]'))).toEqual([
    '[SlowDB] search key Tom',
  ]);
  // GET /stats on each node tells the same story in numbers.
  const stats = await Promise.all(ports.map(async (port) => JSON.parse((await send(port, '/stats')).body.toString()).groups.scores));
  expect(stats[apiNode]).toMatchObject({ gets: 3, loads: 3, peerLoads: 1, localLoads: 0 });
  expect(stats[owner]).toMatchObject({ serverRequests: 1, localLoads: 1 });
});

test('a hot key: 200 requests through a non-owner, and its hot cache takes most of them off the owner', async () => {
  const ports = [await freePort(), await freePort()];
  const urls = ports.map((port) => `http://localhost:${port}`);
  const ring = new HashRing(50);
  ring.add(...urls);
  const [asker, owner] = ring.get('Tom') === urls[1] ? [0, 1] : [1, 0];
  const nodes = ports.map((port, i) =>
    start('--port', String(port), '--peers', urls.join(','), '--log', 'errors', ...(i === asker ? ['--api', '--api-port', '0'] : [])),
  );
  await Promise.all(nodes.map((node) => portOf(node)));
  const api = await portOf(nodes[asker]!, 'api');
  for (let i = 0; i < 200; i++) expect((await send(api, '/api?key=Tom')).body.toString()).toBe('630');
  const stats = async (i: number) => JSON.parse((await send(ports[i]!, '/stats')).body.toString()).groups.scores;
  // Each peer load keeps the value with probability 1/10: about 10 reach the owner, 150 would be a
  // run of bad luck that comes about once in ten million.
  expect((await stats(owner)).serverRequests).toBeLessThan(150);
  expect((await stats(asker)).hotCache.items).toBe(1);
});

test('--delay holds each database load', async () => {
  const { node, port } = await startAlone('--delay', '60000');
  let tomAnswered = false;
  void send(port, '/_geecache/scores/Tom').then(
    () => (tomAnswered = true),
    () => {}, // the node is killed at the end of the test
  );
  await lineOf(node, (line) => line === '[SlowDB] search key Tom');
  // A request sent after Tom's load began is answered while Tom's is still held.
  expect((await send(port, '/_geecache/nope/x')).status).toBe(404);
  expect(tomAnswered).toBe(false);
});

test('a node left out of --peers says so: it owns no key', async () => {
  const port = await freePort();
  const node = start('--port', String(port), '--peers', 'http://localhost:1');
  const self = `http://localhost:${port}`;
  expect(await lineOf(node, (line) => line.startsWith('warning:'))).toBe(
    `warning: --peers does not list this node (${self}), so it owns no key`,
  );
});

test('--self: a node listed as http://127.0.0.1:PORT knows itself, owns its keys and asks nobody for them', async () => {
  const port = await freePort();
  const self = `http://127.0.0.1:${port}`;
  const node = start('--port', String(port), '--peers', self, '--self', self);
  expect(await lineOf(node, (l) => l.startsWith('geecache is running at '))).toBe(
    `geecache is running at http://localhost:${port} as ${self}`,
  );
  await send(port, '/_geecache/scores/Tom');
  await lineOf(node, (l) => l === '[SlowDB] search key Tom');
  expect(node.stdout.filter((l) => l.startsWith('warning:') || l.includes('Pick peer'))).toEqual([]);
});

test('--base-path: a cluster that speaks /_groupcache/ asks the owner there, and loads each key once', async () => {
  const ports = [await freePort(), await freePort()];
  const urls = ports.map((port) => `http://localhost:${port}`);
  const ring = new HashRing(50);
  ring.add(...urls);
  const owner = urls.indexOf(ring.get('Tom'));
  const asker = 1 - owner;
  const nodes = ports.map((port, i) =>
    start('--port', String(port), '--peers', urls.join(','), '--base-path', '/_groupcache/', ...(i === asker ? ['--api', '--api-port', '0'] : [])),
  );
  await Promise.all(nodes.map((node) => portOf(node)));
  expect((await send(await portOf(nodes[asker]!, 'api'), '/api?key=Tom')).body.toString()).toBe('630');
  await lineOf(nodes[owner]!, (l) => l === '[SlowDB] search key Tom');
  expect(nodes[owner]!.stdout).toContain(`[Server ${urls[owner]}] GET /_groupcache/scores/Tom`);
  expect(nodes[asker]!.stdout.filter((l) => l.startsWith('[SlowDB]'))).toEqual([]);
});

test('--log errors: no line per request, per pick or per load, but a failed peer is still said', async () => {
  const port = await freePort();
  const self = `http://localhost:${port}`;
  const down = 'http://127.0.0.1:1';
  const node = start('--port', String(port), '--peers', `${self},${down}`, '--log', 'errors');
  await portOf(node);
  const ring = new HashRing(50);
  ring.add(self, down);
  let away = 0;
  while (ring.get(`key${away}`) !== down) away++;
  // Tom, Jack, Sam and a key the down node owns: found here or not, each is answered.
  const keys = ['Tom', 'Jack', 'Sam', `key${away}`];
  for (const key of keys) expect([200, 404]).toContain((await send(port, `/_geecache/scores/${key}`)).status);
  const failed = keys.filter((key) => ring.get(key) === down).length;
  await lineOf(node, (l) => l.includes(`peer ${down} failed`));
  node.child.kill('SIGTERM');
  await exitCode(node);
  const quiet = node.stdout.filter((l) => !l.startsWith('geecache is running') && !l.startsWith('SIGTERM'));
  expect(quiet.filter((l) => !l.startsWith(`[Server ${self}] peer ${down} failed: connect ECONNREFUSED`))).toEqual([]);
  expect(quiet).toHaveLength(failed);
});

test('--host: the node listens on 127.0.0.1 by default, on every address with --host 0.0.0.0', async () => {
  /** Whether a connection to `host`:`port` is accepted. */
  const reaches = (host: string, port: number) =>
    new Promise<boolean>((resolve) => {
      const socket = connect(port, host, () => (socket.destroy(), resolve(true)));
      socket.on('error', () => resolve(false));
    });
  // 127.0.0.2 is this machine too, but not the address a default node listens on.
  const { port: local } = await startAlone();
  expect([await reaches('127.0.0.1', local), await reaches('127.0.0.2', local)]).toEqual([true, false]);
  const { port: everywhere } = await startAlone('--host', '0.0.0.0');
  expect([await reaches('127.0.0.1', everywhere), await reaches('127.0.0.2', everywhere)]).toEqual([true, true]);
});

test('--cache-bytes: a value too big for the cache is loaded on every request, and said once', async () => {
  const file = dbFile();
  writeFileSync(file, JSON.stringify({ big: 'x'.repeat(3000) }));
  const { node: small, port } = await startAlone('--db', file); // GeeCache's 2048 bytes
  for (let i = 0; i < 3; i++) expect((await send(port, '/_geecache/scores/big')).body.length).toBe(3000);
  await lineOf(small, (line) => line.startsWith('[Server') && small.stdout.filter((l) => l.startsWith('[SlowDB]')).length === 3);
  expect(small.stdout.filter((line) => line.startsWith('[GeeCache]'))).toEqual([
    '[GeeCache] big: 3003 bytes will not fit in the cache of 2048, so it is loaded on every request',
  ]);
  const { port: port2 } = await startAlone('--db', file, '--cache-bytes', '10000');
  for (let i = 0; i < 3; i++) await send(port2, '/_geecache/scores/big');
  const stats = JSON.parse((await send(port2, '/stats')).body.toString());
  expect(stats.groups.scores).toMatchObject({ localLoads: 1, cacheHits: 2 });
});

test('a stdout whose reader has gone (as with | head) does not stop the node', async () => {
  const { node, port } = await startAlone();
  node.child.stdout!.destroy(); // the node's next log line fails with EPIPE
  for (let i = 0; i < 20; i++) expect((await send(port, '/_geecache/scores/Tom')).status).toBe(200);
  expect(node.child.exitCode).toBe(null);
});

test('a stdout nobody reads: log lines past the limit are dropped and counted, and the count said once read', async () => {
  const { node, port } = await startAlone();
  node.child.stdout!.pause(); // nobody reads: the pipe fills, then the node's own buffer
  // Each request logs two lines of about 4 KB (the request, the load): 300 of them fill far more than 1 MiB.
  for (let i = 0; i < 300; i++) await send(port, `/_geecache/scores/${i}-${'k'.repeat(4000)}`);
  const { log } = JSON.parse((await send(port, '/stats')).body.toString());
  expect(log.droppedLines).toBeGreaterThan(0);
  node.child.stdout!.resume();
  const said = await lineOf(node, (line) => line.endsWith('log lines dropped: stdout was not being read'));
  expect(Number(said.split(' ')[0])).toBe(log.droppedLines);
});

test('clients that pipeline GETs for a 1 MiB value and never read cannot make the node hold a copy per answer', async () => {
  const file = dbFile();
  writeFileSync(file, JSON.stringify({ big: 'x'.repeat(1 << 20), Tom: '630' }));
  const { node, port } = await startAlone('--cache-bytes', String(64 << 20), '--db', file, '--log', 'errors');
  const rss = () => Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${node.child.pid}/status`, 'utf8'))![1]) * 1024;
  expect((await send(port, '/_geecache/scores/big')).body.length).toBe(1 << 20); // cached from now on
  const idle = rss();
  // 10 sockets x 40 pipelined GETs: with a protobuf copy per answer, 400 MiB of answers.
  const request = 'GET /_geecache/scores/big HTTP/1.1\r\nHost: x\r\n\r\n';
  const sockets = Array.from({ length: 10 }, () => connect(port, '127.0.0.1').on('error', () => {}));
  for (const socket of sockets) socket.pause().write(request.repeat(40));
  let peak = idle;
  for (let i = 0; i < 30; i++, await new Promise((resolve) => setTimeout(resolve, 50))) peak = Math.max(peak, rss());
  expect(peak - idle).toBeLessThan(150 << 20);
  expect((await send(port, '/_geecache/scores/Tom')).body.toString()).toBe('630'); // still answers
  for (const socket of sockets) socket.destroy();
  await new Promise((resolve) => setTimeout(resolve, 200));
  expect(rss() - idle).toBeLessThan(150 << 20);
  node.child.kill('SIGTERM');
  expect(await exitCode(node)).toBe(0);
}, 20_000);

test('--help prints the flags and exits 0', async () => {
  const node = start('--help');
  expect(await exitCode(node)).toBe(0);
  const help = node.stdout.join('\n');
  for (const flag of ['--port', '--host', '--cache-bytes', '--api', '--api-port', '--peers', '--db', '--delay', '--self', '--base-path', '--log']) {
    expect(help).toContain(flag);
  }
});

test.each(['--port abc', '--port 70000', '--host x', '--cache-bytes 1e3', '--api-port -1', '--delay soon', '--peers localhost:8001', '--self x', '--base-path x', '--log x', '--bogus'])(
  'a bad flag (%s) is a clear error and exit code 2',
  async (flags) => {
    const node = start(...flags.split(' '));
    expect(await exitCode(node)).toBe(2);
    expect(node.stderr.join('')).toMatch(/^error: [^]+\nUsage: /);
  },
);

test('a --db file that is not a JSON object of strings: exit code 2, saying why', async () => {
  const file = dbFile();
  writeFileSync(file, '{"Tom": 630}');
  const node = start('--db', file);
  expect(await exitCode(node)).toBe(2);
  expect(node.stderr.join('')).toContain('the value of "Tom" must be a string, not 630');
});

test('a port already in use is named, and the exit code is 1', async () => {
  const blocker = createServer();
  await new Promise<void>((resolve) => blocker.listen(0, resolve));
  const { port } = blocker.address() as { port: number };
  try {
    const node = start('--port', String(port));
    expect(await exitCode(node)).toBe(1);
    expect(node.stderr.join('')).toContain(`port ${port} is already in use`);
  } finally {
    blocker.close();
  }
});
