import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { readDB } from './dbfile.js';

describe('readDB', () => {
  const dir = mkdtempSync(join(tmpdir(), 'geecache-db-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
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
