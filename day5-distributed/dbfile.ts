// The --db file: a JSON object of key to value, read into the Map that slowDB serves.
import { readFileSync } from 'node:fs';

/**
 * Reads a JSON object of key to value into a Map (a Map, so that a key such
 * as `constructor` is a miss, not a property of every object).
 * @throws Error with a message naming the file and what is wrong with it.
 */
export function readDB(file: string): Map<string, string> {
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new Error(`cannot read --db ${file}: ${(err as Error).message}`);
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    throw new Error(`--db ${file} must hold a JSON object of key to value`);
  }
  const bad = Object.entries(data).find(([, value]) => typeof value !== 'string');
  if (bad) throw new Error(`--db ${file}: the value of "${bad[0]}" must be a string, not ${JSON.stringify(bad[1])}`);
  return new Map(Object.entries(data as Record<string, string>));
}
