// Keeps each day the size of one sitting: the code lines a day adds or removes
// against the day before, as tools/day-sizes.sh counts them, stay under a limit.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from 'vitest';

const script = join(import.meta.dirname, 'day-sizes.sh');
const rows = execFileSync('bash', [script], { encoding: 'utf8' })
  .split('\n')
  .map((line) => /^\| (day\S+) \| (day\S+) \| (\d+) \|$/.exec(line))
  .filter((match) => match !== null)
  .map(([, from, to, lines]) => [from!, to!, Number(lines)] as const);

// Days 3 and 5 may go further: a node ready for the network, a client ready for failing peers.
// Their lines over 300 are "Going further" code in functions or files of its own, named in the chapter.
const limitFor = (day: string) => (/^day[35]-/.test(day) ? 450 : 300);

test('every pair of neighbouring days is measured', () => {
  expect(rows.length).toBe(6);
});

test.each(rows)('%s -> %s: %i code lines, within the limit', (_, to, lines) => {
  expect(lines).toBeLessThanOrEqual(limitFor(to));
});

test("the top README's table is what tools/day-sizes.sh prints", () => {
  const readme = readFileSync(join(import.meta.dirname, '..', 'README.md'), 'utf8');
  const printed = execFileSync('bash', [script], { encoding: 'utf8' }).trim();
  expect(readme).toContain(printed);
});

test('a chapter that counts its own lines counts what tools/day-sizes.sh prints', () => {
  for (const [, day, lines] of rows) {
    const chapter = readFileSync(join(import.meta.dirname, '..', day, 'README.md'), 'utf8');
    for (const [, said] of chapter.matchAll(/The day (?:adds|changes) (\d+) lines of code/g)) {
      expect(Number(said), day).toBe(lines);
    }
  }
});
