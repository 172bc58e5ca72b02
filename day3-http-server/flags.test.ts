import { describe, expect, test } from 'vitest';
import { parseFlags } from './flags.js';

test('defaults: port 9999 on 127.0.0.1, GeeCache\'s 2 KB cache, the three scores, no delay, a log line per request', () => {
  expect(parseFlags([])).toEqual({
    help: false,
    port: 9999,
    host: '127.0.0.1',
    cacheBytes: 2048,
    db: undefined,
    delayMs: 0,
    log: 'requests',
  });
});

test('every flag', () => {
  const flags = parseFlags(['--port=8002', '--host', '::', '--cache-bytes', '0', '--db', 'scores.json', '--delay', '250', '--log', 'errors']);
  expect(flags).toEqual({
    help: false,
    port: 8002,
    host: '::',
    cacheBytes: 0,
    db: 'scores.json',
    delayMs: 250,
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
