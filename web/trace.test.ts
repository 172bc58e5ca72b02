// The path of a request, read from log lines as day-7 nodes write them.
import { expect, test } from 'vitest';
import type { GroupCounters, NodeInfo } from './cluster.js';
import { trace } from './trace.js';

const nodes: NodeInfo[] = [8001, 8002, 8003].map((port) => ({ port, url: `http://localhost:${port}`, api: port === 8003 }));
const t = '2026/12/01 12:00:00.000';
const pick = (owner: number, key: string) => `${t} [Server http://localhost:8003] Pick peer http://localhost:${owner} for ${key}`;
const served = (port: number, path: string) => `${t} [Server http://localhost:${port}] GET /_geecache/scores/${path}`;
const load = (key: string) => `${t} [SlowDB] search key ${key}`;

function counters(hotHits = 0, hotItems = 0): GroupCounters {
  const zero = { gets: 0, cacheHits: 0, loads: 0, loadsDeduped: 0, localLoads: 0, localLoadErrs: 0, peerLoads: 0, peerErrors: 0, serverRequests: 0 };
  return { ...zero, cache: { items: 0, hits: 0 }, hotCache: { items: hotItems, hits: hotHits } };
}

const run = (key: string, lines: Record<number, string[]>, before = counters(), after = counters()) =>
  trace({ key, nodes, apiPort: 8003, lines: new Map(Object.entries(lines).map(([p, l]) => [Number(p), l])), before, after });

test('a hop to the owner, which loads from its database', () => {
  const path = run('Tom', { 8003: [pick(8001, 'Tom')], 8001: [served(8001, 'Tom'), load('Tom')] });
  expect(path.steps.map((s) => [s.port, s.kind])).toEqual([
    [8003, 'pick-peer'],
    [8001, 'db-load'],
  ]);
  expect(path.dbLoads).toEqual({ 8001: 1 });
  expect(path.peerRequests).toBe(1);
});

test('a hop to an owner that has the key cached', () => {
  const path = run('Tom', { 8003: [pick(8001, 'Tom')], 8001: [served(8001, 'Tom')] });
  expect(path.steps.map((s) => s.kind)).toEqual(['pick-peer', 'owner-hit']);
});

test('a key the API node owns: a load there, no hop', () => {
  const path = run('Sam', { 8003: [load('Sam')] });
  expect(path.steps).toEqual([{ port: 8003, kind: 'db-load', text: 'owns it: loaded it from its database' }]);
});

test('no line for the key is a hit; the hot cache counter says which cache', () => {
  expect(run('Jack', {}).steps.map((s) => s.kind)).toEqual(['hit']);
  expect(run('Tom', {}, counters(0), counters(1)).steps.map((s) => s.kind)).toEqual(['hot-hit']);
});

test('a failed owner, then a load beside the API', () => {
  const failed = `${t} [Server http://localhost:8003] peer http://localhost:8001 failed: connect ECONNREFUSED 127.0.0.1:8001`;
  const path = run('Tom', { 8003: [pick(8001, 'Tom'), failed, load('Tom')] });
  expect(path.steps.map((s) => [s.kind, s.text])).toEqual([
    ['pick-peer', 'asked the owner, 8001'],
    ['peer-failed', 'the owner failed: connect ECONNREFUSED 127.0.0.1:8001'],
    ['db-load', 'loaded it from its own database instead'],
  ]);
});

test('a hot copy kept after the hop is a step of its own', () => {
  const path = run('Tom', { 8003: [pick(8001, 'Tom')], 8001: [served(8001, 'Tom')] }, counters(0, 0), counters(0, 1));
  expect(path.steps.at(-1)).toEqual({ port: 8003, kind: 'hot-copy', text: 'kept a hot copy (the one-in-ten draw)' });
});

test('a burst: ten requests, one hop, one load', () => {
  const path = run('player7', { 8003: [pick(8002, 'player7')], 8002: [served(8002, 'player7'), load('player7')] });
  expect([path.peerRequests, path.dbLoads]).toEqual([1, { 8002: 1 }]);
});

test('lines of other keys, and keys that merely start alike, are not this key', () => {
  const path = run('Tom', { 8003: [pick(8001, 'Tommy'), load('Tommy')], 8001: [load('Tom2')] });
  expect(path.steps.map((s) => s.kind)).toEqual(['hit']);
  expect(path.dbLoads).toEqual({});
});

test('a key with odd characters is matched as the nodes print and send it', () => {
  const key = 'a b/c?\n';
  const shown = 'a b/c?\\u000a'; // printable(): a control character cannot forge a line
  const path = run(key, { 8003: [pick(8001, shown)], 8001: [served(8001, encodeURIComponent(key)), load(shown)] });
  expect(path.steps.map((s) => s.kind)).toEqual(['pick-peer', 'db-load']);
});
