import { afterAll, beforeAll, expect, test } from 'vitest';
import { apiHandler } from './api.js';
import { Group, NotFoundError } from './geecache.js';
import { listen, send, sendRaw, type TestServer } from './testing.js';

const loads: string[] = [];
const group = new Group('api-test', 0, (key) => {
  loads.push(key);
  if (key === 'boom') throw new Error('database down');
  if (key.startsWith('missing')) throw new NotFoundError(`${key} not exist`);
  return `v:${key}`;
});

let api: TestServer;
beforeAll(async () => {
  api = await listen(apiHandler(group));
});
afterAll(() => api.close());

const text = (path: string, method?: string) =>
  send(api.port, path, method).then(({ status, body }) => [status, body.toString()]);

test('GET /api?key=K answers the raw value', async () => {
  const answer = await send(api.port, '/api?key=Tom');
  expect([answer.status, answer.body.toString()]).toEqual([200, 'v:Tom']);
  expect(answer.headers['content-type']).toBe('application/octet-stream');
});

test('a missing key is a 404, a failed load a 500', async () => {
  expect(await text('/api?key=missing1')).toEqual([404, 'missing1 not exist\n']);
  expect(await text('/api?key=boom')).toEqual([500, 'database down\n']);
});

test.each(['/api', '/api?key=', '/api?other=1'])('no key (%s): 400', async (path) => {
  expect(await text(path)).toEqual([400, 'key is required: GET /api?key=K\n']);
});

test('the key is form-decoded: + is a space, %2B a plus', async () => {
  expect(await text('/api?key=a+b')).toEqual([200, 'v:a b']);
  expect(await text('/api?key=a%2Bb')).toEqual([200, 'v:a+b']);
  expect(await text(`/api?key=${encodeURIComponent('北京/?#%')}`)).toEqual([200, 'v:北京/?#%']);
});

test('other paths: 404; other methods: 405', async () => {
  expect((await send(api.port, '/favicon.ico')).status).toBe(404);
  expect((await send(api.port, '/_geecache/api-test/Tom')).status).toBe(404);
  const post = await send(api.port, '/api?key=Tom', 'POST');
  expect([post.status, post.headers.allow]).toEqual([405, 'GET, HEAD']);
});

test('broken percent-encoding in the query: 400, not a key with U+FFFD in it', async () => {
  expect(await text('/api?key=%C3%28')).toEqual([400, 'bad percent-encoding in the query\n']);
  expect(await text('/api?key=100%')).toEqual([400, 'bad percent-encoding in the query\n']);
  expect(loads.some((key) => key.includes('\ufffd'))).toBe(false);
});

test('a key longer than 4096 bytes: 414', async () => {
  expect(await text(`/api?key=${'k'.repeat(4097)}`)).toEqual([414, 'a key may be at most 4096 bytes\n']);
});

test('a request target that is not a path gets a 404, and the API still serves', async () => {
  const answer = await sendRaw(api.port, 'GET http://[ HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
  expect(answer).toMatch(/^HTTP\/1\.1 404 /);
  expect(await text('/api?key=Tom')).toEqual([200, 'v:Tom']);
});
