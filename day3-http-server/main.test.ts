import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterEach, expect, onTestFinished, test } from 'vitest';
import { send, sendRaw } from './testing.js';

/** A db.json in a folder of its own, removed when the test ends. */
function dbFile(): string {
  const dir = mkdtempSync(join(tmpdir(), 'geecache-main-'));
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  return join(dir, 'db.json');
}

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

/** Resolves with the port once the node says it is running. */
async function portOf(node: Node): Promise<number> {
  const line = await lineOf(node, (l) => l.startsWith('geecache is running at '));
  return Number(line.split(':').pop());
}

/** The node's exit code, or the signal that killed it (a node with no handler for SIGTERM dies of it). */
async function exitCode(node: Node): Promise<number | NodeJS.Signals | null> {
  if (node.child.exitCode === null && node.child.signalCode === null) await once(node.child, 'exit');
  return node.child.exitCode ?? node.child.signalCode;
}

test('serves scores, logs each request and each database load, and stops on SIGTERM', async () => {
  const node = start('--port', '0');
  const port = await portOf(node);
  expect((await send(port, '/_geecache/scores/Tom')).body.toString()).toBe('630');
  expect((await send(port, '/_geecache/scores/Tom')).body.toString()).toBe('630');
  const missing = await send(port, '/_geecache/scores/Katyusha');
  expect([missing.status, missing.body.toString()]).toEqual([404, 'Katyusha not exist\n']);
  const self = `http://localhost:${port}`;
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
  const port = await portOf(start('--port', '0'));
  for (const key of ['Tom', 'Tom', 'Katyusha']) await send(port, `/_geecache/scores/${key}`);
  const stats = JSON.parse((await send(port, '/stats')).body.toString());
  expect(stats.groups.scores).toMatchObject({ gets: 3, cacheHits: 1, loads: 2, localLoads: 1, localLoadErrs: 1, serverRequests: 3 });
});

test('a key named like an object property is a miss, not a crash', async () => {
  const node = start('--port', '0');
  const port = await portOf(node);
  for (const key of ['constructor', 'toString', '__proto__']) {
    expect((await send(port, `/_geecache/scores/${key}`)).status).toBe(404);
  }
});

test('a key cannot forge a log line: control characters are escaped', async () => {
  const node = start('--port', '0');
  const port = await portOf(node);
  await send(port, `/_geecache/scores/${encodeURIComponent('a\n[SlowDB] forged\u001b[31m')}`);
  const line = await lineOf(node, (l) => l.startsWith('[SlowDB] search key a'));
  expect(line).toBe('[SlowDB] search key a\\u000a[SlowDB] forged\\u001b[31m');
  expect(node.stdout.filter((l) => l.startsWith('[SlowDB] forged'))).toEqual([]);
});

test('CONNECT is answered with 405, not left hanging', async () => {
  const port = await portOf(start('--port', '0'));
  const answer = await sendRaw(port, 'CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n');
  expect(answer).toMatch(/^HTTP\/1\.1 405 Method Not Allowed\r\n/);
});

test('--db serves a JSON file instead of the scores', async () => {
  const file = dbFile();
  writeFileSync(file, JSON.stringify({ 'a b': 'spaced', Tom: 'not 630' }));
  const port = await portOf(start('--port', '0', '--db', file));
  expect((await send(port, '/_geecache/scores/a%20b')).body.toString()).toBe('spaced');
  expect((await send(port, '/_geecache/scores/Tom')).body.toString()).toBe('not 630');
});

test('--delay holds each database load', async () => {
  const node = start('--port', '0', '--delay', '60000');
  const port = await portOf(node);
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

test('--log errors: no line per request or per load, the same answers, and start and stop still said', async () => {
  const node = start('--port', '0', '--log', 'errors');
  const port = await portOf(node);
  expect((await send(port, '/_geecache/scores/Tom')).body.toString()).toBe('630');
  expect((await send(port, '/_geecache/scores/Katyusha')).status).toBe(404);
  node.child.kill('SIGTERM');
  expect(await exitCode(node)).toBe(0);
  expect(node.stdout).toEqual([`geecache is running at http://localhost:${port}`, 'SIGTERM: shutting down']);
});

test('--host: the node listens on 127.0.0.1 by default, on every address with --host 0.0.0.0', async () => {
  /** Whether a connection to `host`:`port` is accepted. */
  const reaches = (host: string, port: number) =>
    new Promise<boolean>((resolve) => {
      const socket = connect(port, host, () => (socket.destroy(), resolve(true)));
      socket.on('error', () => resolve(false));
    });
  // 127.0.0.2 is this machine too, but not the address a default node listens on.
  const local = await portOf(start('--port', '0'));
  expect([await reaches('127.0.0.1', local), await reaches('127.0.0.2', local)]).toEqual([true, false]);
  const everywhere = await portOf(start('--port', '0', '--host', '0.0.0.0'));
  expect([await reaches('127.0.0.1', everywhere), await reaches('127.0.0.2', everywhere)]).toEqual([true, true]);
});

test('--cache-bytes: a value too big for the cache is loaded on every request, and said once', async () => {
  const file = dbFile();
  writeFileSync(file, JSON.stringify({ big: 'x'.repeat(3000) }));
  const small = start('--port', '0', '--db', file); // GeeCache's 2048 bytes
  const port = await portOf(small);
  for (let i = 0; i < 3; i++) expect((await send(port, '/_geecache/scores/big')).body.length).toBe(3000);
  await lineOf(small, (line) => line.startsWith('[Server') && small.stdout.filter((l) => l.startsWith('[SlowDB]')).length === 3);
  expect(small.stdout.filter((line) => line.startsWith('[GeeCache]'))).toEqual([
    '[GeeCache] big: 3003 bytes will not fit in the cache of 2048, so it is loaded on every request',
  ]);
  const large = start('--port', '0', '--db', file, '--cache-bytes', '10000');
  const port2 = await portOf(large);
  for (let i = 0; i < 3; i++) await send(port2, '/_geecache/scores/big');
  const stats = JSON.parse((await send(port2, '/stats')).body.toString());
  expect(stats.groups.scores).toMatchObject({ localLoads: 1, cacheHits: 2 });
});

test('a stdout whose reader has gone (as with | head) does not stop the node', async () => {
  const node = start('--port', '0');
  const port = await portOf(node);
  node.child.stdout!.destroy(); // the node's next log line fails with EPIPE
  for (let i = 0; i < 20; i++) expect((await send(port, '/_geecache/scores/Tom')).status).toBe(200);
  expect(node.child.exitCode).toBe(null);
});

test('a stdout nobody reads: log lines past the limit are dropped and counted, and the count said once read', async () => {
  const node = start('--port', '0');
  const port = await portOf(node);
  node.child.stdout!.pause(); // nobody reads: the pipe fills, then the node's own buffer
  // Each request logs two lines of about 4 KB (the request, the load): 300 of them fill far more than 1 MiB.
  for (let i = 0; i < 300; i++) await send(port, `/_geecache/scores/${i}-${'k'.repeat(4000)}`);
  const { log } = JSON.parse((await send(port, '/stats')).body.toString());
  expect(log.droppedLines).toBeGreaterThan(0);
  node.child.stdout!.resume();
  const said = await lineOf(node, (line) => line.endsWith('log lines dropped: stdout was not being read'));
  expect(Number(said.split(' ')[0])).toBe(log.droppedLines);
});

test('--help prints the flags and exits 0', async () => {
  const node = start('--help');
  expect(await exitCode(node)).toBe(0);
  const help = node.stdout.join('\n');
  for (const flag of ['--port', '--host', '--cache-bytes', '--db', '--delay', '--log']) expect(help).toContain(flag);
});

test.each(['--port abc', '--port 70000', '--port -1', '--port 1.5', '--host x', '--cache-bytes 1e3', '--delay soon', '--log x', '--bogus'])(
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
