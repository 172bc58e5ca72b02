// Every chapter has a "Build it yourself" box for `npm run learn`, after its lesson (at the top of
// "What you built"): how to start the day, the files and names its tests import that the day
// before's tests did not, and the code that is given. The list is checked against the tests' own
// imports, so it cannot fall behind them.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { expect, test } from 'vitest';
import { days, givenBy, givenCode } from './learn/course.js';

const root = join(import.meta.dirname, '..');

/** `file.ts name` for every name the day's tests, test helpers and given code import from its code. */
function importsOf(day: (typeof days)[number]): Set<string> {
  const found = new Set<string>();
  const files = readdirSync(join(root, day)).filter((f) => f.endsWith('.test.ts') || f === 'testing.ts' || givenBy(day).includes(f));
  for (const file of files) {
    const source = ts.createSourceFile(file, readFileSync(join(root, day, file), 'utf8'), ts.ScriptTarget.Latest);
    for (const statement of source.statements) {
      if (!ts.isImportDeclaration(statement) || !ts.isStringLiteral(statement.moduleSpecifier)) continue;
      const from = statement.moduleSpecifier.text;
      if (!from.startsWith('./') || from === './testing.js' || from.startsWith('./geecachepb/')) continue;
      const bindings = statement.importClause?.namedBindings;
      if (!bindings || !ts.isNamedImports(bindings)) continue;
      for (const element of bindings.elements) found.add(`${from.slice(2).replace(/\.js$/, '.ts')} ${(element.propertyName ?? element.name).text}`);
    }
  }
  return found;
}

/** The box: the blockquote that starts with **Build it yourself.** */
const boxOf = (day: string) => /^> \*\*Build it yourself\.\*\*[^\n]*(?:\n>[^\n]*)*/m.exec(readFileSync(join(root, day, 'README.md'), 'utf8'))?.[0] ?? '';

test.each(days.map((day, i) => [day, days[i - 1]] as const))('%s: the box names the command, the new imports of its tests, and what is given', (day, previous) => {
  const box = boxOf(day).replace(/\n> ?/g, ' ');
  expect(box, `${day}/README.md has no "Build it yourself" box`).not.toBe('');
  const chapter = readFileSync(join(root, day, 'README.md'), 'utf8');
  expect(chapter.indexOf('> **Build it yourself.**'), 'the box comes after the lesson').toBeGreaterThan(chapter.indexOf('\n## What you built'));
  expect(box).toContain(day === 'day1-lru' ? 'npm run learn -- start' : `npm run learn -- start ${day}`);
  const before = previous ? importsOf(previous) : new Set<string>();
  const given = givenBy(day);
  const expected = [...importsOf(day)].filter((entry) => !before.has(entry) && !given.includes(entry.split(' ')[0]!)).sort();
  // Named in the box as `file.ts` (`name`, `name`, ...).
  const named = [...box.matchAll(/`([\w-]+\.ts)` \(((?:`\w+`(?:, )?)+)\)/g)].flatMap(([, file, names]) =>
    [...names!.matchAll(/`(\w+)`/g)].map(([, name]) => `${file} ${name}`),
  );
  expect(named.sort()).toEqual(expected);
  // Code given on this day (not its subject) is named after "Given:", file by file.
  const givenPart = box.split('Given:')[1] ?? '';
  for (const file of givenCode[day] ?? []) expect(givenPart, `${day}: the box does not say ${file} is given`).toContain(`\`${file}\``);
});

test('the box is lesson-sized: a few lines', () => {
  for (const day of days) expect(boxOf(day).split('\n').length, day).toBeLessThanOrEqual(6);
});
