import { describe, expect, test } from 'vitest';
import { parseFlags } from './flags.js';

test('defaults: port 9999, the three scores, no delay', () => {
  expect(parseFlags([])).toEqual({
    help: false,
    port: 9999,
    db: undefined,
    delayMs: 0,
  });
});

test('every flag', () => {
  const flags = parseFlags(['--port=8002', '--db', 'scores.json', '--delay', '250']);
  expect(flags).toEqual({
    help: false,
    port: 8002,
    db: 'scores.json',
    delayMs: 250,
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
    [['--bogus'], "Unknown option '--bogus'"],
    [['extra'], 'Unexpected argument'],
  ])('%j', (args, message) => {
    expect(() => parseFlags(args)).toThrow(message);
  });
});
