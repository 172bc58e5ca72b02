import { afterEach, describe, expect, test, vi } from 'vitest';
import { NotFoundError } from './geecache.js';
import { scores, slowDB } from './slowdb.js';

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
