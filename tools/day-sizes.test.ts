// Keeps each day the size of one sitting: the code lines a day adds or removes
// against the day before, as tools/day-sizes.sh counts them, stay under a limit.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { expect, test } from 'vitest';

const script = join(import.meta.dirname, 'day-sizes.sh');
const rows = execFileSync('bash', [script], { encoding: 'utf8' })
  .split('\n')
  .map((line) => /^\| (day\S+) \| (day\S+) \| (\d+) \|$/.exec(line))
  .filter((match) => match !== null)
  .map(([, from, to, lines]) => [from!, to!, Number(lines)] as const);

// Day 5 brings a cluster at once (the client, the picker, the API, the demo), so it gets more.
const limitFor = (day: string) => (day.startsWith('day5-') ? 400 : 300);

test('every pair of neighbouring days is measured', () => {
  expect(rows.length).toBe(6);
});

test.each(rows)('%s -> %s: %i code lines, within the limit', (_, to, lines) => {
  expect(lines).toBeLessThanOrEqual(limitFor(to));
});
