// The live page's server answers every request clearly: the page, the ring, and bad requests.
import { afterAll, beforeAll, expect, test } from 'vitest';
import { freePort } from '../bench/processes.js';
import { type Live, startLive } from './live.js';

let live: Live;

beforeAll(async () => {
  live = await startLive({ ports: [await freePort(), await freePort(), await freePort()], apiPort: await freePort(), webPort: 0 });
}, 30_000);

afterAll(() => live?.close());

const ask = async (path: string, method = 'GET') => {
  const res = await fetch(new URL(path, live.url), { method });
  return [res.status, res.headers.get('content-type'), await res.text()] as const;
};

test('the page and its two files, from this machine only', async () => {
  expect((await ask('/'))[1]).toBe('text/html; charset=utf-8');
  expect((await ask('/page.js'))[1]).toBe('text/javascript; charset=utf-8');
  expect((await ask('/page.css'))[1]).toBe('text/css; charset=utf-8');
  const [, , html] = await ask('/');
  expect(html).not.toMatch(/(src|href)="(https?:)?\/\//); // no asset from elsewhere
});

test('the ring: 50 virtual nodes per node, in ring order', async () => {
  const ring = JSON.parse((await ask('/ring'))[2]) as { nodes: unknown[]; points: Array<{ hash: number }> };
  expect(ring.nodes).toHaveLength(3);
  expect(ring.points).toHaveLength(150);
  expect(ring.points.map((p) => p.hash)).toEqual(ring.points.map((p) => p.hash).sort((a, b) => a - b));
});

test.each([
  ['/nope', 'GET', 404, 'not found'],
  ['/get?key=Tom', 'GET', 405, 'method not allowed: POST'],
  ['/get', 'POST', 400, 'key is required: ?key=K'],
  ['/get?key=', 'POST', 400, 'key is required: ?key=K'],
  ['/where', 'GET', 400, 'key is required: ?key=K'],
  ['/nodes/1/stop', 'POST', 404, 'not found'],
  ['/nodes/x/stop', 'POST', 404, 'not found'],
  ['/', 'POST', 404, 'not found'],
])('%s %s: %i', async (path, method, status, message) => {
  expect(await ask(path, method)).toEqual([status, 'text/plain; charset=utf-8', `${message}\n`]);
});

test('the node the API runs beside cannot be stopped from the page', async () => {
  const [status, , text] = await ask(`/nodes/${live.cluster.apiNode.port}/stop`, 'POST');
  expect([status, text]).toEqual([409, `the API runs beside ${live.cluster.apiNode.port}: the page needs it\n`]);
  expect(live.cluster.isUp(live.cluster.apiNode.port)).toBe(true);
});

test('a key full of odd characters gets its answer and its path', async () => {
  const key = 'a b/%?#\u0000é';
  const result = JSON.parse((await ask(`/get?key=${encodeURIComponent(key)}`, 'POST'))[2]) as { key: string; answers: Array<{ status: number }>; steps: unknown[] };
  expect(result.key).toBe(key);
  expect(result.answers).toEqual([{ status: 404, body: `${key} not exist\n` }]);
  expect(result.steps.length).toBeGreaterThan(0);
});

test('a port that is taken is named in the error', async () => {
  const taken = live.cluster.apiPort;
  await expect(startLive({ ports: [await freePort()], apiPort: await freePort(), webPort: taken })).rejects.toThrow(
    `port ${taken} is already in use: stop what holds it, then run the demo again`,
  );
});
