import { once } from 'node:events';
import type { RequestListener } from 'node:http';
import { type AddressInfo, connect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createNodeServer, nodeLimits } from './server.js';
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

describe('a client cannot make the node hold answers for it', () => {
  /**
   * A node's server with `limits`: `firstClosed` settles when the node closes the first connection
   * it accepted, however long the machine takes to accept it.
   */
  async function serve(handler: RequestListener, limits: Partial<typeof nodeLimits>) {
    const server = createNodeServer(handler, { ...nodeLimits, ...limits });
    const firstClosed = once(server, 'connection').then(([socket]) => once(socket as Socket, 'close'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const stop = () => (server.close(), server.closeAllConnections());
    return { port, firstClosed, stop };
  }
  /** Resolves true if `promise` settles within 10 s, so a missing limit fails the test instead of hanging it. */
  const settles = (promise: Promise<unknown>) =>
    Promise.race([promise.then(() => true), new Promise((resolve) => setTimeout(() => resolve(false), 10_000))]);
  const get = (path: string) => `GET ${path} HTTP/1.1\r\nHost: x\r\n\r\n`;

  test('more than maxPipelined requests waiting on one socket: the node closes it', { timeout: 15_000 }, async () => {
    const node = await serve(() => {}, { maxPipelined: 4 }); // never answers, so every request waits
    try {
      connect(node.port, '127.0.0.1').on('error', () => {}).write(['/1', '/2', '/3', '/4', '/5'].map(get).join(''));
      expect(await settles(node.firstClosed)).toBe(true);
    } finally {
      node.stop();
    }
  });

  test('maxPipelined requests on one socket are all answered, in order', async () => {
    const node = await serve((req, res) => res.end(req.url), { maxPipelined: 4 });
    try {
      const text = get('/1') + get('/2') + get('/3') + get('/4').replace('Host: x', 'Host: x\r\nConnection: close');
      const answer = await sendRaw(node.port, text);
      expect(answer.match(/\r\n\r\n\/\d/g)?.map((m) => m.slice(4))).toEqual(['/1', '/2', '/3', '/4']);
    } finally {
      node.stop();
    }
  });

  test('answers the client does not read: the node closes the socket after unreadAnswerMs', { timeout: 15_000 }, async () => {
    const big = Buffer.alloc(32 << 20); // more than the kernel buffers of both ends can take
    const node = await serve((_, res) => res.end(big), { unreadAnswerMs: 50 });
    try {
      const client = connect(node.port, '127.0.0.1').on('error', () => {});
      client.pause(); // never reads
      client.write(get('/big'));
      expect(await settles(node.firstClosed)).toBe(true);
      client.destroy();
    } finally {
      node.stop();
    }
  });

  test('a client that reads its answers keeps its socket, and can ask again', async () => {
    const node = await serve((_, res) => res.end(Buffer.alloc(8 << 20)), { unreadAnswerMs: 1000 });
    try {
      const client = connect(node.port, '127.0.0.1');
      let received = 0;
      const twoAnswers = new Promise<void>((resolve) =>
        client.on('data', (chunk: Buffer) => (received += chunk.length) > 16 << 20 && resolve()),
      );
      client.write(get('/big'));
      await new Promise((resolve) => setTimeout(resolve, 1500)); // longer than unreadAnswerMs
      client.write(get('/big'));
      await twoAnswers;
      expect(client.destroyed).toBe(false);
      client.destroy();
    } finally {
      node.stop();
    }
  });
});
