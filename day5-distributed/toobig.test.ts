import { expect, test } from 'vitest';
import { maxTooBigKeysLogged, warnIfTooBig } from './toobig.js';

const values: Record<string, string> = { small: 'x'.repeat(10), big: 'x'.repeat(100) };

test('a value too big for the cache is said once per key, and passed on unchanged', async () => {
  const lines: string[] = [];
  const getter = warnIfTooBig((key) => values[key]!, 50, (line) => lines.push(line));
  for (let i = 0; i < 3; i++) expect(await getter('big')).toBe(values.big);
  expect(await getter('small')).toBe(values.small);
  expect(lines).toEqual(['[GeeCache] big: 103 bytes will not fit in the cache of 50, so it is loaded on every request']);
});

test('key and value count in UTF-8 bytes, as the cache counts them; bytes are measured as they are', async () => {
  const lines: string[] = [];
  const getter = warnIfTooBig((key) => (key === 'é' ? 'é'.repeat(24) : new Uint8Array(49)), 50, (line) => lines.push(line));
  await getter('é'); // 2 + 48 bytes: fits exactly
  await getter('a'); // 1 + 49: fits exactly
  await getter('ab'); // 2 + 49: one byte too many
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(/^\[GeeCache\] ab: 51 bytes/);
});

test(`only the first ${maxTooBigKeysLogged} keys are named, so big values cannot flood the log`, async () => {
  const lines: string[] = [];
  const getter = warnIfTooBig(() => values.big!, 50, (line) => lines.push(line));
  for (let i = 0; i < maxTooBigKeysLogged + 50; i++) await getter(`k${i}`);
  expect(lines).toHaveLength(maxTooBigKeysLogged);
  expect(lines.at(-1)).toMatch(/\(the last key named: more are not logged\)$/);
});

test('with no limit (0), nothing is too big; a key cannot forge a log line', async () => {
  const lines: string[] = [];
  await warnIfTooBig(() => values.big!, 0, (line) => lines.push(line))('big');
  await warnIfTooBig(() => values.big!, 50, (line) => lines.push(line))('a\nb');
  expect(lines).toEqual(['[GeeCache] a\\u000ab: 103 bytes will not fit in the cache of 50, so it is loaded on every request']);
});
