// The learn command links each group of tests to a section of its day's chapter. Two checks keep
// the two in step: every section a rule names is a heading of the chapter, in the rule's part
// (the lesson, or "Going further"); and a test the chapter names (its exact title, in backticks)
// only in its lesson is a lesson test, one it names only in "Going further" a Going-further test
// (a test of given code excepted: it counts apart, wherever the chapter names it).
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ts from 'typescript';
import { expect, test } from 'vitest';
import { type Day, days, frames, furtherOnly, groupOf, plumbing, sectionsOf, slug } from './learn/course.js';
import { failureOf, frameOf, givePlumbing } from './learn/learner.js';

const root = join(import.meta.dirname, '..');
const chapterOf = (day: string) => readFileSync(join(root, day, 'README.md'), 'utf8').replace(/^```[\s\S]*?^```$/gm, '');

test.each(days)('%s: each section a test group names is a heading of the chapter, in its part', (day) => {
  const chapter = chapterOf(day);
  const lessonEnds = chapter.indexOf('\n## What you built');
  const furtherStarts = chapter.indexOf('\n## Going further');
  for (const { section, part } of sectionsOf(day)) {
    const at = chapter.search(new RegExp(`^#{2,4} ${section.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`, 'm'));
    expect(at, `${day}: no heading "${section}"`).toBeGreaterThan(0);
    // The tests of given code may point anywhere: they pass once the learner's names exist.
    if (part === 'lesson') expect(at, `${day}: "${section}" is not in the lesson`).toBeLessThan(lessonEnds);
    else if (part === 'further') expect(at, `${day}: "${section}" is not in Going further`).toBeGreaterThan(furtherStarts);
  }
});

/** The tests of a day folder as vitest names them (describe blocks and title, joined by ' > '), each with its source. */
function testsOf(day: string): Array<{ file: string; name: string; title: string; source: string }> {
  const found: Array<{ file: string; name: string; title: string; source: string }> = [];
  for (const file of readdirSync(join(root, day)).filter((f) => f.endsWith('.test.ts'))) {
    const source = ts.createSourceFile(file, readFileSync(join(root, day, file), 'utf8'), ts.ScriptTarget.Latest, true);
    const visit = (node: ts.Node, blocks: string[]): void => {
      if (ts.isCallExpression(node) && ts.isIdentifier(node.expression) && ts.isStringLiteralLike(node.arguments[0] ?? node)) {
        const title = (node.arguments[0] as ts.StringLiteralLike).text;
        if (node.expression.text === 'describe') return node.forEachChild((child) => visit(child, [...blocks, title]));
        if (node.expression.text === 'test' || node.expression.text === 'it') {
          found.push({ file, name: [...blocks, title].join(' > '), title, source: node.getText(source) });
          return;
        }
      }
      node.forEachChild((child) => visit(child, blocks));
    };
    visit(source, []);
  }
  return found;
}

test.each(days.map((day, i) => [day, days[i - 1]] as const))('%s: a test the chapter names in one part belongs to that part', (day, previous) => {
  const chapter = chapterOf(day);
  const lessonEnds = chapter.indexOf('\n## What you built');
  const [furtherStarts, exercisesStart] = [chapter.indexOf('\n## Going further'), chapter.indexOf('\n## Exercises')];
  const old = new Set(previous ? testsOf(previous).map((t) => `${t.file} ${t.name} ${t.source}`) : []);
  const mismatches: string[] = [];
  for (const t of testsOf(day).filter((t) => !old.has(`${t.file} ${t.name} ${t.source}`))) {
    // The title as the chapter may wrap it: any run of spaces and a line break between words.
    const pattern = t.title.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replaceAll(' ', '\\s+');
    const places = [...chapter.matchAll(new RegExp(`\`${pattern}\``, 'g'))].map((m) => m.index);
    const inLesson = places.some((at) => at < lessonEnds);
    const inFurther = places.some((at) => at > furtherStarts && at < exercisesStart);
    const expected = inLesson ? 'lesson' : inFurther ? 'further' : undefined;
    const group = groupOf({ file: t.file, name: t.name, code: '' }, day, new Map());
    if (expected && group?.part !== expected && group?.part !== 'given') mismatches.push(`${t.file} > ${t.name}: the chapter names it in ${expected === 'lesson' ? 'the lesson' : 'Going further'}`);
  }
  expect(mismatches).toEqual([]);
});

test.each(Object.entries(furtherOnly))('%s: a file learn lists for Going further changes that day, and the box says so', (day, files) => {
  const previous = days[days.indexOf(day as Day) - 1]!;
  const box = readFileSync(join(root, day, 'README.md'), 'utf8').match(/^> \*\*Build it yourself\.\*\*[\s\S]*?\n\n/m)?.[0].replaceAll('\n> ', ' ');
  for (const file of files) {
    expect(readFileSync(join(root, day, file), 'utf8')).not.toBe(readFileSync(join(root, previous, file), 'utf8'));
    expect(box).toMatch(new RegExp(`\`${file.replace('.', '\\.')}\`[^.]*Going further`));
  }
});

test("the plumbing a check puts in is the day's code, word for word, and its chapter shows it", () => {
  for (const [day, code] of Object.entries(plumbing)) {
    const text = readFileSync(join(root, day, code.file), 'utf8');
    for (const part of [code.options.members, code.owner.fields, code.owner.constructorEnd]) expect(text).toContain(part);
    expect(text).toContain(`interface ${code.options.name} extends ${code.options.extends} {`);
    expect(text).toContain(`class ${code.owner.name} implements ${code.owner.implements} {`);
    for (const { from, names } of code.imports) {
      const line = new RegExp(`^import (type )?\\{ ([^}]*) \\} from '${from.replace(/\./g, '\\.')}';$`, 'm').exec(text);
      const imported = (line?.[2] ?? '').split(', ').map((n) => (line?.[1] ? `type ${n}` : n));
      for (const name of names) expect(imported, `${day}/${code.file} imports ${name} from ${from}`).toContain(name);
    }
    if (code.inCatch) {
      const indented = code.inCatch.line('err').replace(/^/gm, '    ');
      expect(text, `${day}/${code.file}'s ${code.inCatch.function}`).toContain(indented);
    }
    expect(readFileSync(join(root, day, 'README.md'), 'utf8')).toContain(`### ${code.section}\n`);
  }
});

test("a frame is the day's file with the bodies it names emptied, and its chapter teaches them", () => {
  for (const [day, list] of Object.entries(frames)) {
    for (const frame of list) {
      const code = readFileSync(join(root, day, frame.file), 'utf8');
      const framed = frameOf(day as Day, frame);
      for (const name of frame.write) expect(framed).toContain(`throw new Error('${frame.file}: ${name} is not written yet (${day}/README.md#${slug(frame.section)})');`);
      // Every line of the frame but the thrown ones is the day's own, in its order.
      const own = framed.split('\n').filter((line) => !/Yours to write\.|is not written yet/.test(line));
      let at = 0;
      for (const line of own) {
        at = code.indexOf(line, at);
        expect(at, `${day}/${frame.file}: ${line}`).toBeGreaterThanOrEqual(0);
      }
      expect(readFileSync(join(root, day, 'README.md'), 'utf8')).toContain(`### ${frame.section}\n`);
    }
  }
});

test("a test an earlier day had counts with that day, and still names the section that teaches it", () => {
  const test = { file: 'distributed.test.ts', name: 'limits and odd addresses > a client that sends the peer header is not taken for a peer', code: 'same' };
  const group = groupOf(test, 'day6-singleflight', new Map([['day5-distributed', new Set([`${test.file} :: ${test.name} :: same`])]]));
  expect(group).toEqual({ day: 'day5-distributed', section: '', part: 'further', taughtIn: 'A request from a peer is never forwarded' });
});

test("the plumbing goes inside an interface or a constructor written on one line, not before it", () => {
  const dir = mkdtempSync(join(tmpdir(), 'plumbing-'));
  try {
    // Day 4's http.ts, as a learner may write it: the options on one line, the constructor's brace after its last statement.
    const day4 = readFileSync(join(root, 'day4-consistent-hash', 'http.ts'), 'utf8');
    const compact = day4
      .replace(/export interface HTTPPoolOptions \{[\s\S]*?\n\}/, 'export interface HTTPPoolOptions { basePath?: string; log?: (line: string) => void; logLevel?: LogLevel; }')
      .replace(/(this\.#logRequests = [^\n]*)\n {2}\}/, '$1 }');
    expect(compact).not.toBe(day4);
    writeFileSync(join(dir, 'http.ts'), compact);
    expect(givePlumbing(dir, 'day5-distributed')?.added).toBe(true);
    const source = ts.createSourceFile('http.ts', readFileSync(join(dir, 'http.ts'), 'utf8'), ts.ScriptTarget.Latest, true);
    const options = source.statements.find((s): s is ts.InterfaceDeclaration => ts.isInterfaceDeclaration(s) && s.name.text === 'HTTPPoolOptions');
    expect(options?.members.map((m) => m.name?.getText(source))).toEqual(['basePath', 'log', 'logLevel', 'replicas', 'groups']);
    const pool = source.statements.find((s): s is ts.ClassDeclaration => ts.isClassDeclaration(s) && s.name?.text === 'HTTPPool');
    const constructor = pool?.members.find(ts.isConstructorDeclaration);
    expect(constructor?.body?.statements.map((st) => st.getText(source))).toContainEqual(expect.stringMatching(/^this\.#client = /));
    // Nothing was put between the declarations: every statement of the file is one of them.
    expect(source.statements.every((s) => !ts.isExpressionStatement(s))).toBe(true);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("a failure is said whole up to its stack, though the error in it holds a newline", () => {
  // vitest's message for expect(err).not.toBeInstanceOf(NotFoundError), where err's message ends in "\n".
  const report = 'AssertionError: expected Error: no such group: scores\n to not be an instance of NotFoundError\n    at Proxy.<anonymous> (file:///x/index.js:1:1)\n    at file:///x/y.js:2:2';
  expect(failureOf(report)).toBe('AssertionError: expected Error: no such group: scores to not be an instance of NotFoundError');
  expect(failureOf('Error: STACK_TRACE_ERROR\n    at x')).toMatch(/^timed out: /);
});
