import { describe, expect, test } from 'vitest';
import { parseFlags } from './flags.js';

test('defaults: port 9999, the three scores, no delay, /_geecache/, self from the port, a log line per request', () => {
  expect(parseFlags([])).toEqual({
    help: false,
    port: 9999,
    db: undefined,
    delayMs: 0,
    basePath: '/_geecache/',
    self: undefined,
    log: 'requests',
  });
});

test('every flag', () => {
  const flags = parseFlags([
    '--port=8002',
    '--db',
    'scores.json',
    '--delay',
    '250',
    '--base-path',
    '/_groupcache/',
    '--self',
    'http://127.0.0.1:8002',
    '--log',
    'errors',
  ]);
  expect(flags).toEqual({
    help: false,
    port: 8002,
    db: 'scores.json',
    delayMs: 250,
    basePath: '/_groupcache/',
    self: 'http://127.0.0.1:8002',
    log: 'errors',
  });
});

test('--help', () => {
  expect(parseFlags(['--help']).help).toBe(true);
});

describe('bad flags throw an error that says what is wrong', () => {
  test.each([
    [['--port', 'abc'], '--port must be a whole number from 0 to 65535, got "abc"'],
    [['--port', '65536'], '--port must be a whole number'],
    [['--delay', '-5'], 'ambiguous'],
    [['--delay', 'soon'], '--delay must be a whole number'],
    [['--base-path', '_groupcache/'], '--base-path must start and end with "/", got "_groupcache/"'],
    [['--base-path', '/_groupcache'], '--base-path must start and end with "/"'],
    [['--self', 'localhost:9999'], '--self must be a base URL like http://localhost:9999, got "localhost:9999"'],
    [['--self', 'http://a:1/path'], '--self must be a base URL'],
    [['--log', 'verbose'], '--log must be requests or errors, got "verbose"'],
    [['--bogus'], "Unknown option '--bogus'"],
    [['extra'], 'Unexpected argument'],
  ])('%j', (args, message) => {
    expect(() => parseFlags(args)).toThrow(message);
  });
});
