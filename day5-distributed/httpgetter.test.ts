import type { ServerResponse } from 'node:http';
import { afterEach, expect, test } from 'vitest';
import { NotFoundError } from './geecache.js';
import { HTTPGetter, notFoundHeader, peerHeader } from './httpgetter.js';
import { peerLimits } from './peerrequest.js';
import { listen, type TestServer } from './testing.js';

const running: TestServer[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((server) => server.close()));
});

/**
 * A getter for a fake peer that answers every request with `answer`, and records
 * what it was asked and what the getter logged.
 */
async function getterFor(answer: (res: ServerResponse) => void) {
  const asked: Array<{ url: string; from: unknown }> = [];
  const peer = await listen((req, res) => {
    asked.push({ url: req.url!, from: req.headers[peerHeader] });
    answer(res);
  });
  running.push(peer);
  const logged: string[] = [];
  const options = { self: 'http://localhost:8003', basePath: '/_geecache/', log: (line: string) => logged.push(line), ...peerLimits({}) };
  return { getter: new HTTPGetter(peer.baseURL, options), peer: peer.baseURL, asked, logged };
}

test('asks GET <peer>/_geecache/<group>/<key>, each part encoded, naming itself in x-geecache-from', async () => {
  const { getter, asked } = await getterFor((res) => res.end('630'));
  expect(Buffer.from(await getter.get('scores', 'a b/?#%')).toString()).toBe('630');
  expect(asked).toEqual([{ url: '/_geecache/scores/a%20b%2F%3F%23%25', from: 'http://localhost:8003' }]);
});

test('a 404 marked x-geecache-not-found rejects with NotFoundError, and logs nothing', async () => {
  const { getter, logged } = await getterFor((res) => res.writeHead(404, { [notFoundHeader]: '1' }).end('Tom not exist\n'));
  const failure = getter.get('scores', 'Tom');
  await expect(failure).rejects.toBeInstanceOf(NotFoundError);
  await expect(failure).rejects.toThrow('Tom not exist');
  expect(logged).toEqual([]);
});

test('any other answer is a failed peer: an Error that names the peer, and a log line', async () => {
  const { getter, peer, logged } = await getterFor((res) => res.writeHead(404).end('no such group: scores\n'));
  const failure = getter.get('scores', 'Tom');
  await expect(failure).rejects.not.toBeInstanceOf(NotFoundError);
  await expect(failure).rejects.toThrow(`peer ${peer} answered 404: no such group: scores`);
  expect(logged).toEqual([`[Server http://localhost:8003] peer ${peer} answered 404: no such group: scores`]);
});

test('a peer that is down is a failed peer', async () => {
  const { getter, peer, logged } = await getterFor((res) => res.end('630'));
  await running.pop()!.close();
  await expect(getter.get('scores', 'Tom')).rejects.toThrow(`peer ${peer} failed: connect ECONNREFUSED`);
  expect(logged).toHaveLength(1);
});
