import { describe, expect, test } from 'vitest';
import { defaultPeers, parseFlags } from './flags.js';

test('defaults: port 8001 on 127.0.0.1, GeeCache\'s 2 KB cache, no API on 9999, the three demo peers, no delay, a log line per request, /_geecache/', () => {
  expect(parseFlags([])).toEqual({
    help: false,
    port: 8001,
    host: '127.0.0.1',
    cacheBytes: 2048,
    api: false,
    apiPort: 9999,
    peers: defaultPeers,
    db: undefined,
    delayMs: 0,
    self: undefined,
    basePath: '/_geecache/',
    log: 'requests',
  });
});

test('every flag', () => {
  const flags = parseFlags([
    '--port=8002',
    '--host',
    '::',
    '--cache-bytes',
    '0',
    '--api',
    '--api-port',
    '9000',
    '--peers',
    'http://a:1, http://b:2',
    '--db',
    'scores.json',
    '--delay',
    '250',
    '--self',
    'http://127.0.0.1:8002',
    '--base-path',
    '/_groupcache/',
    '--log',
    'errors',
  ]);
  expect(flags).toEqual({
    help: false,
    port: 8002,
    host: '::',
    cacheBytes: 0,
    api: true,
    apiPort: 9000,
    peers: ['http://a:1', 'http://b:2'],
    db: 'scores.json',
    delayMs: 250,
    self: 'http://127.0.0.1:8002',
    basePath: '/_groupcache/',
    log: 'errors',
  });
});

test('--base-path takes any path of plain segments, the root included', () => {
  for (const path of ['/', '/_groupcache/', '/a/b-c_d.e~/', '/.../']) expect(parseFlags(['--base-path', path]).basePath).toBe(path);
});

test('--help', () => {
  expect(parseFlags(['--help']).help).toBe(true);
});

describe('bad flags throw an error that says what is wrong', () => {
  test.each([
    [['--port', 'abc'], '--port must be a whole number from 0 to 65535, got "abc"'],
    [['--port', '65536'], '--port must be a whole number'],
    [['--api-port', '1.5'], '--api-port must be a whole number'],
    [['--delay', '-5'], 'ambiguous'],
    [['--delay', 'soon'], '--delay must be a whole number'],
    [['--peers', 'localhost:8001'], '--peers must list base URLs like http://localhost:8001, separated by commas, got "localhost:8001"'],
    [['--peers', 'http://a:1,,http://b:2'], '--peers must list base URLs'],
    [['--peers', 'https://a:1'], '--peers must list base URLs'],
    [['--peers', 'http://a:1/prefix'], '--peers must list base URLs'],
    [['--self', 'localhost:9999'], '--self must be a base URL like http://localhost:8001, nothing after the port, got "localhost:9999"'],
    [['--self', 'http://a:1/path'], '--self must be a base URL'],
    [['--self', 'http://localhost:8001/'], '--self must be a base URL like http://localhost:8001, nothing after the port, got "http://localhost:8001/"'],
    [['--self', 'http://localhost:8001\n'], 'got "http://localhost:8001\\n"'],
    [['--self', 'http://LOCALHOST:8001'], '--self must be a base URL'],
    [['--peers', 'http://localhost:8001/,http://localhost:8002'], '--peers must list base URLs'],
    [['--base-path', '_groupcache/'], '--base-path must be segments of letters, digits, -, _, . and ~ between slashes, got "_groupcache/"'],
    [['--base-path', '/_groupcache'], '--base-path must be segments'],
    [['--base-path', '/a b/'], 'got "/a b/"'],
    [['--base-path', '/x?/'], '--base-path must be segments'],
    [['--base-path', '/%2F/'], '--base-path must be segments'],
    [['--base-path', '/../'], '--base-path must be segments'],
    [['--base-path', '/./'], '--base-path must be segments'],
    [['--base-path', '/a/../b/'], '--base-path must be segments'],
    [['--base-path', '//'], '--base-path must be segments'],
    [['--log', 'verbose'], '--log must be requests or errors, got "verbose"'],
    [['--host', 'example.com'], '--host must be an IP address such as 127.0.0.1 or ::, got "example.com"'],
    [['--host', '127.0.0.1\n'], '--host must be an IP address'],
    [['--cache-bytes', '-1'], 'ambiguous'],
    [['--cache-bytes', '2KB'], '--cache-bytes must be a whole number from 0 to 9007199254740991, got "2KB"'],
    [['--bogus'], "Unknown option '--bogus'"],
    [['extra'], 'Unexpected argument'],
  ])('%j', (args, message) => {
    expect(() => parseFlags(args)).toThrow(message);
  });
});
