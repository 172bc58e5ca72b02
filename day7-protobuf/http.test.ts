import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { allGroups, Group, newGroup, NotFoundError } from './geecache.js';
import { defaultBasePath, HTTPPool } from './http.js';
import { withStats } from './stats.js';
import { listen, send, sendRaw, type TestServer, unwrap } from './testing.js';

const db = new Map([
  ['Tom', '630'],
  ['Jack', '589'],
  ['Sam', '567'],
]);
const loads: string[] = [];
newGroup('scores', 2 << 10, (key) => {
  loads.push(key);
  const value = db.get(key);
  if (value === undefined) throw new NotFoundError(`${key} not exist`);
  return value;
});
// Echoes the key it was asked for, so a test sees exactly what reached the getter.
newGroup('echo', 0, (key) => key);
newGroup('binary', 0, () => new Uint8Array([0, 13, 10, 255, 0]));
let failures = 0;
newGroup('flaky', 0, () => {
  failures++;
  throw new Error(`database down (${failures})`);
});
newGroup('throws-a-string', 0, () => {
  throw 'not an Error'; // eslint-disable-line no-throw-literal
});

const logs: string[] = [];
let node: TestServer;
beforeAll(async () => {
  // A node as main.ts makes it: the pool, behind the given /stats (stats.ts).
  node = await listen(withStats(new HTTPPool('http://test-node', { log: (line) => logs.push(line) }).handler, allGroups()));
});
afterAll(() => node.close());

// Values arrive wrapped in a protobuf Response; most tests compare the value inside.
const get = (path: string, method?: string) => send(node.port, path, method).then(unwrap);
const text = (path: string, method?: string) =>
  get(path, method).then(({ status, body }) => [status, body.toString()]);

describe('the answer table', () => {
  test('found: 200 with a protobuf Response holding exactly the value bytes', async () => {
    const answer = await send(node.port, '/_geecache/scores/Tom');
    expect(answer.status).toBe(200);
    expect(answer.headers['content-type']).toBe('application/x-protobuf');
    // Field 1 (value), length-delimited: tag 0x0a, length 3, then '630'.
    expect([...answer.body]).toEqual([0x0a, 0x03, 0x36, 0x33, 0x30]);
  });

  test('binary values arrive byte for byte', async () => {
    const answer = await get('/_geecache/binary/x');
    expect([...answer.body]).toEqual([0, 13, 10, 255, 0]);
  });

  test('a second request is served from the cache', async () => {
    await get('/_geecache/scores/Jack');
    await get('/_geecache/scores/Jack');
    expect(loads.filter((key) => key === 'Jack')).toEqual(['Jack']);
  });

  test('HEAD answers like GET, without a body', async () => {
    const answer = await get('/_geecache/scores/Sam', 'HEAD');
    expect(answer.status).toBe(200);
    expect(answer.headers['content-length']).toBe('5'); // 2 bytes of protobuf framing + 3
    expect(answer.body.length).toBe(0);
  });

  test('getter threw NotFoundError: 404 with its message', async () => {
    expect(await text('/_geecache/scores/Katyusha')).toEqual([404, 'Katyusha not exist\n']);
  });

  test('getter failed otherwise: 500 with its message, and nothing is cached', async () => {
    expect(await text('/_geecache/flaky/k')).toEqual([500, 'database down (1)\n']);
    expect(await text('/_geecache/flaky/k')).toEqual([500, 'database down (2)\n']);
  });

  test('a getter that throws something other than an Error: 500', async () => {
    expect(await text('/_geecache/throws-a-string/k')).toEqual([500, 'not an Error\n']);
  });

  test('unknown group: 404 no such group', async () => {
    expect(await text('/_geecache/nope/Tom')).toEqual([404, 'no such group: nope\n']);
  });

  test.each(['/favicon.ico', '/', '/_geecache', '/_geecachescores/Tom', '/other/_geecache/scores/Tom'])(
    'a path outside the base path (%s): 404',
    async (path) => {
      expect((await get(path)).status).toBe(404);
    },
  );

  test.each([
    '/_geecache/',
    '/_geecache/scores',
    '/_geecache/scores/',
    '/_geecache//Tom',
    '/_geecache/%ZZ/Tom',
    '/_geecache/scores/%E0%A4%A',
    '/_geecache/scores/100%',
  ])('no group, no key or bad percent-encoding (%s): 400', async (path) => {
    expect((await get(path)).status).toBe(400);
  });

  test.each(['POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS'])('%s: 405 with Allow', async (method) => {
    const answer = await get('/_geecache/scores/Tom', method);
    expect(answer.status).toBe(405);
    expect(answer.headers.allow).toBe('GET, HEAD');
  });

  test('errors are plain text, never sniffed as HTML', async () => {
    const answer = await get('/_geecache/%3Cscript%3E/x');
    expect(answer.headers['content-type']).toBe('text/plain; charset=utf-8');
    expect(answer.headers['x-content-type-options']).toBe('nosniff');
  });
});

describe('keys', () => {
  test.each([
    ['a space', 'a b'],
    ['a slash', 'a/b'],
    ['a percent sign', '100%'],
    ['a plus', 'a+b'],
    ['a question mark', 'why?'],
    ['a hash', 'a#b'],
    ['non-ASCII', 'Jürgen 北京'],
    ['an emoji', '😀'],
    ['dot segments', '..'],
    ['a prototype name', 'constructor'],
  ])('%s reaches the getter unchanged', async (_, key) => {
    const answer = await get(`/_geecache/echo/${encodeURIComponent(key)}`);
    expect(answer.status).toBe(200);
    expect(answer.body.toString()).toBe(key);
  });

  test('a key may also hold raw slashes', async () => {
    expect(await text('/_geecache/echo/a/b/c')).toEqual([200, 'a/b/c']);
  });

  test('an encoded slash stays in the group name: the path is split first, then decoded', async () => {
    expect(await text('/_geecache/a%2Fb/k')).toEqual([404, 'no such group: a/b\n']);
  });

  test('a plus is a plus, not a space', async () => {
    expect(await text('/_geecache/echo/a+b')).toEqual([200, 'a+b']);
  });

  test('the query string is not part of the key', async () => {
    expect(await text('/_geecache/scores/Tom?fresh=1')).toEqual([200, '630']);
  });

  test('group names are percent-decoded too', async () => {
    newGroup('my group', 0, () => 'spaced');
    expect(await text('/_geecache/my%20group/k')).toEqual([200, 'spaced']);
  });
});

describe('GET /stats: the counters of every group, as JSON', () => {
  test('each group with groupcache\'s counters; a request over HTTP is a server request', async () => {
    const name = `stats-${Date.now()}`;
    newGroup(name, 2 << 10, (key) => `v:${key}`);
    await send(node.port, `/_geecache/${name}/a`);
    await send(node.port, `/_geecache/${name}/a`);
    const answer = await send(node.port, '/stats');
    expect([answer.status, answer.headers['content-type']]).toEqual([200, 'application/json']);
    const stats = JSON.parse(answer.body.toString());
    expect(stats.log).toEqual({ droppedLines: 0 }); // the log's lines: see main.test.ts
    expect(stats.groups[name]).toEqual({
      gets: 2,
      cacheHits: 1,
      loads: 1,
      localLoads: 1,
      localLoadErrs: 0,
      serverRequests: 2,
      peerLoads: 0,
      peerErrors: 0,
      loadsDeduped: 1,
      cache: { bytes: 4, items: 1, gets: 4, hits: 1, evictions: 0 },
      hotCache: { bytes: 0, items: 0, gets: 3, hits: 0, evictions: 0 },
    });
  });

  test('a request for an unknown group counts nowhere; a wrong method gets 405', async () => {
    const before = JSON.parse((await send(node.port, '/stats')).body.toString());
    await send(node.port, '/_geecache/no-such-group/a');
    expect(JSON.parse((await send(node.port, '/stats')).body.toString())).toEqual(before);
    const post = await send(node.port, '/stats', 'POST');
    expect([post.status, post.headers.allow]).toEqual([405, 'GET, HEAD']);
  });

  test('a group named "stats" is still served under the base path', async () => {
    newGroup('stats', 0, (key) => `stat ${key}`);
    expect((await get('/_geecache/stats/x')).body.toString()).toBe('stat x');
    expect(JSON.parse((await send(node.port, '/stats')).body.toString()).groups.stats.serverRequests).toBe(1);
  });

  test('a pool given its own groups serves those alone, and withStats lists the groups it is given: nodes can share a process', async () => {
    const own = new Map([['scores', new Group('scores', 0, () => 'its own')]]);
    const alone = await listen(withStats(new HTTPPool('http://alone', { groups: own, log: () => {} }).handler, own));
    try {
      expect((await send(alone.port, '/_geecache/scores/Tom').then(unwrap)).body.toString()).toBe('its own');
      expect((await send(alone.port, '/_geecache/echo/Tom')).status).toBe(404);
      expect(Object.keys(JSON.parse((await send(alone.port, '/stats')).body.toString()).groups)).toEqual(['scores']);
    } finally {
      await alone.close();
    }
  });
});

describe('logging', () => {
  test('each request logs one line with the node, the method and the path', async () => {
    logs.length = 0;
    await get('/_geecache/scores/Tom');
    await get('/stats'); // answered in front of the pool (stats.ts), and not logged
    await get('/favicon.ico', 'HEAD');
    expect(logs).toEqual([
      '[Server http://test-node] GET /_geecache/scores/Tom',
      '[Server http://test-node] HEAD /favicon.ico',
    ]);
  });

  test('logLevel errors: no line per request, and the answers are the same', async () => {
    const lines: string[] = [];
    const quiet = await listen(new HTTPPool('http://quiet', { log: (line) => lines.push(line), logLevel: 'errors' }).handler);
    try {
      expect((await send(quiet.port, '/_geecache/scores/Tom').then(unwrap)).body.toString()).toBe('630');
      expect((await send(quiet.port, '/favicon.ico')).status).toBe(404);
      expect(lines).toEqual([]);
    } finally {
      await quiet.close();
    }
  });
});

describe('a bug inside the handler', () => {
  test('answers 500 and leaves the server running', async () => {
    let calls = 0;
    const pool = new HTTPPool('http://buggy', {
      log: () => {
        if (++calls === 1) throw new Error('log failed');
      },
    });
    const buggy = await listen(pool.handler);
    try {
      expect((await send(buggy.port, '/_geecache/scores/Tom')).status).toBe(500);
      expect((await send(buggy.port, '/_geecache/scores/Tom').then(unwrap)).body.toString()).toBe('630');
    } finally {
      await buggy.close();
    }
  });
});

describe('basePath', () => {
  test('a custom base path is served, and the default one is not', async () => {
    const custom = await listen(new HTTPPool('http://custom', { basePath: '/cache/', log: () => {} }).handler);
    try {
      expect((await send(custom.port, '/cache/scores/Tom').then(unwrap)).body.toString()).toBe('630');
      expect((await send(custom.port, `${defaultBasePath}scores/Tom`)).status).toBe(404);
    } finally {
      await custom.close();
    }
  });

  test.each(['cache/', '/cache', ''])('a base path must start and end with "/" (%j)', (basePath) => {
    expect(() => new HTTPPool('http://x', { basePath })).toThrow('basePath must start and end with "/"');
  });
});

describe('malformed requests over a raw socket', () => {
  test.each([
    ['an unknown method', 'BREW /_geecache/scores/Tom HTTP/1.1\r\nHost: x\r\n\r\n'],
    ['no Host header', 'GET /_geecache/scores/Tom HTTP/1.1\r\n\r\n'],
    ['a space in the path', 'GET /_geecache/scores/T om HTTP/1.1\r\nHost: x\r\n\r\n'],
    ['binary garbage', '\x00\x01\x02\xff\r\n\r\n'],
    ['a truncated request line', 'GET /_geecache/sco'],
    ['a header without a colon', 'GET /_geecache/scores/Tom HTTP/1.1\r\nHost x\r\n\r\n'],
    ['an oversized header', `GET /_geecache/scores/Tom HTTP/1.1\r\nHost: x\r\nX: ${'a'.repeat(20_000)}\r\n\r\n`],
    ['an absolute URL', 'GET http://elsewhere/x HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n'],
  ])('%s gets an error answer or a closed connection, never a crash', async (_, request) => {
    const answer = await sendRaw(node.port, request);
    expect(answer === '' || /^HTTP\/1\.1 4\d\d /.test(answer)).toBe(true);
  });

  test('after all of them the node still serves', async () => {
    expect(await text('/_geecache/scores/Tom')).toEqual([200, '630']);
  });
});
