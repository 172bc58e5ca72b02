import { type AddressInfo, connect } from 'node:net';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { createNodeServer } from './server.js';
import { listen, send, sendRaw, type TestServer } from './testing.js';

let node: TestServer;
beforeAll(async () => {
  node = await listen((_, res) => res.end('ok'));
});
afterAll(() => node.close());

test('CONNECT gets 405 with Allow: GET, HEAD, and the connection is closed', async () => {
  // sendRaw resolves only once the server closes the connection: without the 405, this hangs.
  const answer = await sendRaw(node.port, 'CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n');
  expect(answer).toMatch(/^HTTP\/1\.1 405 Method Not Allowed\r\n/);
  expect(answer).toContain('\r\nAllow: GET, HEAD\r\n');
  expect(answer.endsWith('\r\n\r\nmethod not allowed\n')).toBe(true);
});

test('a CONNECT client that resets its socket does not take the node down', async () => {
  const socket = connect(node.port, '127.0.0.1');
  socket.write('CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n');
  socket.resetAndDestroy();
  await new Promise((resolve) => socket.once('close', resolve));
  expect((await send(node.port, '/')).body.toString()).toBe('ok');
});

test('a request head, and a whole request, must arrive within 10 s (Node allows 60 s and 300 s)', () => {
  const server = createNodeServer();
  expect([server.headersTimeout, server.requestTimeout]).toEqual([10_000, 10_000]);
});

test('a client that sends nothing, or half a head, is answered 408 and cut off', async () => {
  // The same limits, scaled down so the test does not wait 10 s; only what happens is checked.
  const server = createNodeServer(() => {});
  server.headersTimeout = server.requestTimeout = 50;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  /** Writes `text` without ending the request, and resolves with what arrives before the server closes. */
  const stall = (text: string) =>
    new Promise<string>((resolve) => {
      let answer = '';
      const socket = connect(port, '127.0.0.1', () => socket.write(text));
      socket.setEncoding('latin1').on('data', (chunk: string) => (answer += chunk));
      socket.on('close', () => resolve(answer));
    });
  try {
    const answers = await Promise.all([stall(''), stall('GET /_geecache/scores/Tom HTTP/1.1\r\nHo')]);
    for (const answer of answers) expect(answer).toMatch(/^HTTP\/1\.1 408 Request Timeout\r\n/);
  } finally {
    server.close();
  }
});
