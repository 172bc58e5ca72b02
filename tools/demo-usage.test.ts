// The demos' flags: day 7's --help answers with what they do, an unknown one with an error and the
// usage. Neither starts a node, so no port is taken.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { expect, test } from 'vitest';

const root = join(import.meta.dirname, '..');
// Each test starts one process through tsx: seconds on a busy machine, more than vitest's default 5.
const spawnTimeout = 60_000;
const demo = (...args: string[]) =>
  spawnSync(process.execPath, ['--import', 'tsx', join(root, 'day7-protobuf', 'demo.ts'), ...args], { cwd: root, encoding: 'utf8' });

test('--help prints the usage and what each flag does, and exits 0', { timeout: spawnTimeout }, () => {
  const run = demo('--help');
  expect([run.status, run.stderr]).toEqual([0, '']);
  expect(run.stdout).toMatch(/^Usage: npm run demo \[-- --keep \| --web\]\n {2}--keep .*\n {2}--web .*\n$/);
});

test('an unknown flag is named, with the usage, and exits 2', { timeout: spawnTimeout }, () => {
  const run = demo('--bogus');
  expect([run.status, run.stdout]).toEqual([2, '']);
  expect(run.stderr).toMatch(/^demo: Unknown option '--bogus'[^\n]*\nUsage: npm run demo \[-- --keep \| --web\]\n$/);
});

// Days 5 and 6's demos take no flags: one given is answered with the usage before any node starts
// (taken as a start, --help would bind the fixed ports 8001-8003 and 9999).
const usage = 'Usage: npm run demo (no flags: three nodes on 8001-8003, the API on 9999)\n';
const plainDemo = (day: string, arg: string) =>
  spawnSync(process.execPath, ['--import', 'tsx', join(root, day, 'demo.ts'), arg], { cwd: root, encoding: 'utf8' });

test.each(['day5-distributed', 'day6-singleflight'])('%s: --help prints the usage and exits 0', { timeout: spawnTimeout }, (day) => {
  const help = plainDemo(day, '--help');
  expect([help.status, help.stdout, help.stderr]).toEqual([0, usage, '']);
});

test.each(['day5-distributed', 'day6-singleflight'])('%s: any other flag gets the usage on stderr and exits 2', { timeout: spawnTimeout }, (day) => {
  const bogus = plainDemo(day, '--bogus');
  expect([bogus.status, bogus.stdout, bogus.stderr]).toEqual([2, '', usage]);
});
