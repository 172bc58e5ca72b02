import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, test, vi } from 'vitest';
import { NotFoundError } from './geecache.js';
import { readDB, scores, slowDB } from './slowdb.js';

describe('slowDB', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  test('logs each load and answers from the map', async () => {
    const lines: string[] = [];
    const getter = slowDB(scores, { log: (line) => lines.push(line) });
    expect(await getter('Tom')).toBe('630');
    await expect(getter('Katyusha')).rejects.toThrow(new NotFoundError('Katyusha not exist'));
    expect(lines).toEqual(['[SlowDB] search key Tom', '[SlowDB] search key Katyusha']);
  });

  test('a key cannot forge a log line: control characters are escaped', async () => {
    const lines: string[] = [];
    const getter = slowDB(scores, { log: (line) => lines.push(line) });
    await expect(getter('a\n[SlowDB] forged\u001b[31m')).rejects.toBeInstanceOf(NotFoundError);
    expect(lines).toEqual(['[SlowDB] search key a\\u000a[SlowDB] forged\\u001b[31m']);
  });

  test('logLevel errors: no line for a load', async () => {
    const lines: string[] = [];
    const getter = slowDB(scores, { logLevel: 'errors', log: (line) => lines.push(line) });
    expect(await getter('Tom')).toBe('630');
    await expect(getter('Katyusha')).rejects.toBeInstanceOf(NotFoundError);
    expect(lines).toEqual([]);
  });

  test('a key named like an object property is a miss', async () => {
    const getter = slowDB(scores, { log: () => {} });
    await expect(getter('constructor')).rejects.toBeInstanceOf(NotFoundError);
    await expect(getter('__proto__')).rejects.toBeInstanceOf(NotFoundError);
  });

  test('waits delayMs before it answers', async () => {
    vi.useFakeTimers();
    const getter = slowDB(scores, { delayMs: 500, log: () => {} });
    let answered = false;
    const pending = Promise.resolve(getter('Tom')).then(() => (answered = true));
    await vi.advanceTimersByTimeAsync(499);
    expect(answered).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    await pending;
    expect(answered).toBe(true);
  });
});

describe('readDB', () => {
  const dir = mkdtempSync(join(tmpdir(), 'geecache-db-'));
  const file = (name: string, text: string) => {
    const path = join(dir, name);
    writeFileSync(path, text);
    return path;
  };

  test('reads a JSON object of strings into a Map', () => {
    const db = readDB(file('ok.json', '{"Tom": "630", "constructor": "a key like any other"}'));
    expect([...db]).toEqual([
      ['Tom', '630'],
      ['constructor', 'a key like any other'],
    ]);
  });

  test.each([
    ['not JSON', 'not json', /cannot read --db .*bad\.json: .*JSON/],
    ['an array', '["Tom"]', /must hold a JSON object of key to value/],
    ['null', 'null', /must hold a JSON object of key to value/],
    ['a number value', '{"Tom": 630}', /the value of "Tom" must be a string, not 630/],
  ])('%s is a clear error', (_, text, message) => {
    expect(() => readDB(file('bad.json', text))).toThrow(message);
  });

  test('a missing file is a clear error', () => {
    expect(() => readDB(join(dir, 'nope.json'))).toThrow(/cannot read --db .*nope\.json: ENOENT/);
  });
});
