// What `npm run learn` does, in a learner's folder: start a day, check the learner's code
// against that day's tests, move on to the next day, say where the learner is.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import ts from 'typescript';
import { type Day, days, firstParts, frames, furtherOnly, givenBy, givenCode, groupOf, type Part, plumbing, providedFiles, slug, type TestId } from './course.js';

/** The repository's root, where the day folders are. */
export const root = join(import.meta.dirname, '..', '..');

/** A mistake in how the command was used: said in one line, exit code 2. */
export class UsageError extends Error {}

/** What the learn folder remembers: the day, and every test of the days so far. */
interface State {
  day: Day;
  tests: Partial<Record<Day, TestId[]>>;
  lastCheck?: string;
  /** The learner's files when a check last passed, so that `next` need not run it again. */
  passedWith?: string;
}

const stateFile = (dir: string) => join(dir, '.learn', 'state.json');
const readState = (dir: string): State => {
  if (!existsSync(stateFile(dir))) throw new UsageError(`${relative(process.cwd(), dir) || dir} is not started: npm run learn -- start`);
  return JSON.parse(readFileSync(stateFile(dir), 'utf8')) as State;
};
const writeState = (dir: string, state: State) => writeFileSync(stateFile(dir), `${JSON.stringify(state, null, 2)}\n`);

/** `day1-lru`, `day1`, `1`: the day folder it names. */
export function dayNamed(text: string): Day {
  const day = days.find((d) => d === text || d.startsWith(`day${text.replace(/^day/, '')}-`));
  if (!day) throw new UsageError(`no day is called "${text}"; the days are ${days.join(', ')}`);
  return day;
}

const isTest = (file: string) => file.endsWith('.test.ts');
const testKey = (test: TestId) => `${test.file} :: ${test.name} :: ${test.code}`;
const codeOf = (day: Day) =>
  readdirSync(join(root, day)).filter((f) => f.endsWith('.ts') && !isTest(f) && !providedFiles.includes(f) && f !== 'vitest.config.ts');

/** The day's tests and what comes with them (test helpers, generated code), copied in again. */
function bringTests(dir: string, day: Day, previous?: Day): string[] {
  if (previous) for (const file of readdirSync(join(root, previous)).filter(isTest)) rmSync(join(dir, file), { force: true });
  const brought = readdirSync(join(root, day)).filter((f) => isTest(f) || providedFiles.includes(f));
  for (const file of brought) cpSync(join(root, day, file), join(dir, file), { recursive: true });
  return brought;
}

/**
 * Every test of `day`, as vitest names them (the reference the learner's run is counted
 * against), each with a hash of its source: a test an earlier day has word for word is that day's.
 */
export function listTests(day: Day): TestId[] {
  const vitest = join(root, 'node_modules', 'vitest', 'vitest.mjs');
  const args = [vitest, 'list', '--json', '--includeTaskLocation', '--project', day];
  const run = spawnSync(process.execPath, args, { cwd: root, encoding: 'utf8', env: cleanEnv(), maxBuffer: 64 << 20 });
  if (run.status !== 0) throw new Error(`vitest list for ${day} failed: ${run.stderr}`);
  const listed = JSON.parse(run.stdout) as Array<{ name: string; file: string; location: { line: number; column: number } }>;
  const sources = new Map<string, ts.SourceFile>();
  return listed.map(({ name, file, location }) => {
    if (!sources.has(file)) sources.set(file, ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true));
    const source = sources.get(file)!;
    const at = source.getPositionOfLineAndCharacter(location.line - 1, location.column - 1);
    const code = callAt(source, at)?.getText(source) ?? '';
    return { file: basename(file), name, code: createHash('sha1').update(code).digest('hex').slice(0, 12), line: location.line };
  });
}

/** The outermost call expression that starts at `position`: a test, with its body. */
function callAt(node: ts.Node, position: number): ts.Node | undefined {
  if (ts.isCallExpression(node) && node.getStart() === position) return node;
  return node.forEachChild((child) => (child.getStart() <= position && position < child.getEnd() ? callAt(child, position) : undefined));
}

/** This process's environment, without the variables of a vitest that may be running us. */
function cleanEnv(): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('VITEST')));
}

const scaffolding = (day: Day) => ({
  'package.json': `${JSON.stringify({ name: 'learn', private: true, type: 'module', scripts: { start: 'tsx main.ts', demo: 'tsx demo.ts', learn: 'npm --prefix .. run learn --' } }, null, 2)}\n`,
  'vitest.config.ts': `import { defineConfig } from 'vitest/config';\n\n// Longer than vitest's default 40 characters, so that an expected message is shown whole.\nexport default defineConfig({ cacheDir: '../node_modules/.vite', test: { name: 'learn', testTimeout: 15_000, chaiConfig: { truncateThreshold: 300 } } });\n`,
  'tsconfig.json': `${JSON.stringify({ extends: '../tsconfig.json', include: ['**/*.ts'], exclude: ['node_modules'] }, null, 2)}\n`,
  'README.md': `# Build it yourself\n\nYou are on ${day}: read [its chapter](../${day}/README.md), write the code it describes here,\nthen \`npm run learn -- check\` (or \`check --watch\`). The tests (\`*.test.ts\`)${helpersOf(day).map((f) => ` and \`${f}\``).join('')} are\ngiven, and each check copies them in again: change your code, not them. A check runs the day's own tests\nfirst, the days before's once today's lesson passes, and \`main.test.ts\`, which starts \`main.ts\` as\na process, once the code compiles and the other tests pass; in this folder, \`npx vitest run lru.test\`\nruns one file alone, faster. \`npm run learn -- next\` moves on once every lesson test passes; Going\nfurther's tests are optional.\n`,
});

/** The test helpers and generated code that come with `day`'s tests. */
const helpersOf = (day: Day) => providedFiles.filter((f) => existsSync(join(root, day, f)));

/** Whether `day`'s version of `file` differs from the day before's (or the day before has none). */
function changedOn(day: Day, file: string): boolean {
  const previous = days[days.indexOf(day) - 1];
  if (!previous || !existsSync(join(root, previous, file))) return true;
  return readFileSync(join(root, day, file), 'utf8') !== readFileSync(join(root, previous, file), 'utf8');
}

/**
 * Copies in the code given on `day` or before (not the day's subject), in `day`'s version, and says
 * which files are new today or changed since the day before.
 */
function bringGiven(dir: string, day: Day, say: (line: string) => void): void {
  const given = givenBy(day).filter((f) => existsSync(join(root, day, f)));
  const fresh = given.filter((f) => (givenCode[day] ?? []).includes(f));
  const changed = given.filter((f) => !fresh.includes(f) && changedOn(day, f));
  for (const file of given) cpSync(join(root, day, file), join(dir, file));
  if (fresh.length > 0) say(`  given, not the day's subject (read them as you like): ${fresh.join(', ')}`);
  if (changed.length > 0) say(`  given, in this day's version: ${changed.join(', ')}`);
}

/**
 * The day's version of a framed file, with the bodies of the methods the learner writes replaced by
 * a line that throws, saying where the chapter teaches them.
 */
export function frameOf(day: Day, frame: { file: string; section: string; write: string[] }): string {
  const text = readFileSync(join(root, day, frame.file), 'utf8');
  const source = ts.createSourceFile(frame.file, text, ts.ScriptTarget.Latest, true);
  const bodies: ts.Block[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isMethodDeclaration(node) && node.body && frame.write.includes(node.name.getText(source))) bodies.push(node.body);
    node.forEachChild(visit);
  };
  visit(source);
  if (bodies.length !== frame.write.length) throw new Error(`${day}/${frame.file} has not every method of ${frame.write.join(', ')}`);
  let result = text;
  for (const body of bodies.sort((a, b) => b.pos - a.pos)) {
    const method = body.parent as ts.MethodDeclaration;
    const indent = ' '.repeat(source.getLineAndCharacterOfPosition(method.getStart(source)).character);
    const name = method.name.getText(source);
    const thrown = `${indent}  throw new Error('${frame.file}: ${name} is not written yet (${day}/README.md#${slug(frame.section)})');`;
    result = `${result.slice(0, body.getStart(source))}{\n${indent}  // Yours to write.\n${thrown}\n${indent}}${result.slice(body.end)}`;
  }
  return result;
}

/** Writes the frames of `day` that the learner's folder has no file for yet, and says so. */
function giveFrames(dir: string, day: Day, say: (line: string) => void): void {
  for (const frame of frames[day] ?? []) {
    if (existsSync(join(dir, frame.file))) continue;
    writeFileSync(join(dir, frame.file), frameOf(day, frame));
    say(`  given as a frame: ${frame.file}, all but ${frame.write.join(', ')}, which you write (${day}/README.md#${slug(frame.section)})`);
  }
}

/**
 * The files a learner writes on `day`: the reference code its tests reach (through their imports,
 * and main.ts when a test starts it), less what is given; new ones, and ones the day changes.
 */
function workOf(day: Day): Array<{ file: string; fresh: boolean }> {
  const folder = join(root, day);
  // Files in the order they can be written: each after the files it imports.
  const reached: string[] = [];
  const seen = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file) || !existsSync(join(folder, file))) return;
    seen.add(file);
    for (const imported of importsOf(join(folder, file))) visit(imported);
    reached.push(file);
  };
  for (const file of readdirSync(folder).filter((f) => isTest(f) || f === 'testing.ts').sort()) visit(file);
  if (existsSync(join(folder, 'main.test.ts'))) visit('main.ts');
  const previous = days[days.indexOf(day) - 1];
  const mine = reached.filter((f) => !isTest(f) && !providedFiles.includes(f) && !givenBy(day).includes(f));
  const before = (f: string) => (previous && existsSync(join(root, previous, f)) ? readFileSync(join(root, previous, f), 'utf8') : undefined);
  return mine
    .filter((f) => before(f) !== readFileSync(join(folder, f), 'utf8'))
    .map((file) => ({ file, fresh: before(file) === undefined }));
}

/** The files of its folder that a .ts file imports, as `name.ts`; none when it does not exist. */
function importsOf(path: string): string[] {
  if (!existsSync(path)) return [];
  return [...readFileSync(path, 'utf8').matchAll(/from '\.\/([\w-]+)\.js'/g)].map(([, name]) => `${name}.ts`);
}

/** Says what the learner writes on `day`, and where to read about it. */
function sayWork(dir: string, day: Day, say: (line: string) => void): void {
  // In an order where each file comes after those it imports, so each can be checked as it comes.
  const later = furtherOnly[day] ?? [];
  const work = workOf(day);
  const framed = (file: string) => frames[day]?.find((f) => f.file === file);
  const listed = work
    .filter(({ file }) => !later.includes(file))
    .map(({ file, fresh }) => (framed(file) ? `${file} (its ${framed(file)!.write.join(', ')})` : fresh ? `${file} (new)` : file));
  if (listed.length > 0) say(`  to write or change, in this order: ${listed.join(', ')}`);
  // The day's own code uses what Going further adds to these files, so a copy of it needs them too.
  const further = work.filter(({ file }) => later.includes(file)).map(({ file }) => file);
  if (further.length > 0) say(`  then, for Going further: ${further.join(', ')} (the lesson's tests pass without it; ${day}'s own code uses it)`);
  const gone = goneOn(day);
  // After `start` the file was never copied in; after `next` it is the learner's own, still there.
  const what = gone.some((f) => existsSync(join(dir, f))) ? 'delete it once your code no longer imports it' : 'left out here: remove every import of it';
  if (gone.length > 0) say(`  no longer part of the code: ${gone.join(', ')} (${what})`);
  if (existsSync(join(root, day, 'main.ts'))) say(`  your node, to try by hand: cd ${basename(dir)} && npm start -- --help`);
  if (givenBy(day).includes('demo.ts')) say(`  the demo, on your nodes: cd ${basename(dir)} && npm run demo`);
  say(`read ${day}/README.md, write its code in ${basename(dir)}/, then: npm run learn -- check`);
}

/** Creates the learner's folder for `day`: the day before's code to build on, and `day`'s tests. */
export function start(dir: string, day: Day, force: boolean, say: (line: string) => void): void {
  if (existsSync(dir) && !force) {
    const where = existsSync(stateFile(dir)) ? ` (on ${readState(dir).day})` : '';
    throw new UsageError(`${basename(dir)}/ already exists${where}: go on with npm run learn -- check, or start again with --force (which deletes it, your code too)`);
  }
  if (existsSync(dir)) say(`learn: --force: ${basename(dir)}/ deleted, your code in it too`);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(join(dir, '.learn'), { recursive: true });
  for (const [file, text] of Object.entries(scaffolding(day))) writeFileSync(join(dir, file), text);
  const previous = days[days.indexOf(day) - 1];
  // The day before's code, given files apart (day 1's naive LRU stays behind): what this day keeps,
  // and what it drops (day 6's mutex.ts), which the day before's code still imports, as after `next`.
  const code = previous ? codeOf(previous).filter((f) => (existsSync(join(root, day, f)) || goneOn(day).includes(f)) && !givenBy(day).includes(f)) : [];
  for (const file of code) cpSync(join(root, previous!, file), join(dir, file));
  const tests = bringTests(dir, day).filter(isTest);
  const state: State = { day, tests: {} };
  for (const d of days.slice(0, days.indexOf(day) + 1)) state.tests[d] = listTests(d);
  writeState(dir, state);
  say(`learn: ${day} in ${basename(dir)}/`);
  say(previous ? `  the code of ${previous}, to build on: ${code.join(', ')}` : '  no code yet: day 1 starts from nothing');
  // Given before and unchanged today; one that changes today is named by bringGiven.
  const earlierGiven = givenBy(day).filter((f) => !(givenCode[day] ?? []).includes(f) && existsSync(join(root, day, f)) && !changedOn(day, f));
  if (earlierGiven.length > 0) say(`  given on the days before: ${earlierGiven.join(', ')}`);
  bringGiven(dir, day, say);
  giveFrames(dir, day, say);
  say(`  the tests of ${day}, to read, not to edit: ${tests.join(', ')}`);
  if (helpersOf(day).length > 0) say(`  given, for the tests: ${helpersOf(day).join(', ')}`);
  sayWork(dir, day, say);
}

/** The outcome of a check, in numbers. */
export interface CheckResult {
  /** The day's own lesson tests. */
  lesson: { passed: number; total: number };
  further: { passed: number; total: number };
  /** The tests of the code given on this day, not its subject. */
  given: { passed: number; total: number };
  /** The tests the day keeps from the days before. */
  before: { passed: number; total: number };
  compiles: boolean;
  ok: boolean;
}

/** The learner's files of the day before that `day` no longer has (day 6 drops `mutex.ts`). */
function goneOn(day: Day): string[] {
  const previous = days[days.indexOf(day) - 1];
  return previous ? codeOf(previous).filter((f) => !existsSync(join(root, day, f)) && !givenBy(previous).includes(f)) : [];
}

/** Type-checks the learner's code, runs the day's tests on it, and says how far it got. */
export function check(dir: string, sayNow: (line: string) => void): CheckResult {
  const state = readState(dir);
  const { day } = state;
  // A check that may put in the plumbing holds its lines back: once it does, they are out of date.
  const heldBack: string[] = [];
  const say = plumbingDue(dir, day) ? (line: string) => void heldBack.push(line) : sayNow;
  bringTests(dir, day);
  const { problems, optional, unusedImports } = compile(dir, day);
  // In part 1, what the plumbing adds (empty) once part 1 passes is not a step yet...
  const code = plumbing[day];
  const stubbed = code && plumbingDue(dir, day) ? [...code.owner.stubs.matchAll(/^ {2}(\w+)\(/gm)].map(([, name]) => name) : [];
  // ...unless part 2 is begun by hand: the check will not add the plumbing over it, so say where it is.
  const begun = code !== undefined && stubbed.some((name) => new RegExp(`^ +${name}\\(`, 'm').test(readFileSync(join(dir, code.file), 'utf8')));
  const partTwo = (line: string) => !begun && stubbed.some((name) => line.startsWith(`${code!.file}: ${code!.owner.name} has no ${name} yet`));
  for (const line of problems) say(partTwo(line) ? `${line} (part 2: the check adds it, empty, once part 1 passes)` : line);
  if (begun) say(`${code.file}: ${code.owner.name} has ${stubbed.join(' or ')} already, so the check leaves the rest of the pool's plumbing to you: copy it from ${day}/README.md#${slug(code.section)}`);
  // Nothing fails while it stays, so only this line says the step is still to do.
  for (const file of goneOn(day).filter((f) => existsSync(join(dir, f)))) {
    // Deleted while the learner's code still imports it, the code would not compile: say when.
    const importers = readdirSync(dir).filter((f) => f.endsWith('.ts') && !isTest(f) && importsOf(join(dir, f)).includes(file));
    const when = importers.length > 0 ? `once no file imports it (${importers.join(', ')} still ${importers.length > 1 ? 'do' : 'does'})` : 'now';
    say(`${file} is no longer part of the code: delete it ${when}`);
  }
  // main.test.ts starts main.ts as a process, test after test: seconds a check need not spend
  // while the code does not compile, or while another lesson test still fails.
  const earlier = new Map(days.slice(0, days.indexOf(day)).map((d) => [d, new Set((state.tests[d] ?? []).map(testKey))]));
  const otherLessonFails = (outcomes: Map<string, FileOutcome>, todayOnly = false) =>
    (state.tests[day] ?? []).some((test) => {
      const group = groupOf(test, day, earlier);
      if (test.file === 'main.test.ts' || group?.part === 'further' || (todayOnly && group !== undefined && group.day !== day)) return false;
      return !outcomes.get(test.file)?.tests[test.name]?.passed;
    });
  // The day's own test files run first, the days before's once the day's lesson passes: a
  // change to geecache.ts would otherwise run most of the course again at every check.
  const own = new Set((state.tests[day] ?? []).filter((test) => (groupOf(test, day, earlier)?.day ?? day) === day).map((test) => test.file));
  const beforeFiles = readdirSync(dir).filter((file) => isTest(file) && !own.has(file));
  let results = runTests(dir, new Set(['main.test.ts', ...beforeFiles]));
  if (!otherLessonFails(results, true)) results = runTests(dir, new Set(['main.test.ts']));
  if (problems.length === 0 && !otherLessonFails(results)) results = runTests(dir, new Set());
  const chapter = readFileSync(join(root, day, 'README.md'), 'utf8');
  // Where the chapter teaches a group: rows and the first failure follow the chapter's order.
  const taughtAt = (group: { day: Day; section: string }) => {
    const at = group.day === day && group.section ? chapter.indexOf(`# ${group.section}\n`) : -1;
    return at === -1 ? Infinity : at;
  };
  const rows = new Map<string, { day: Day; section: string; part: Part; file: string; passed: number; total: number; waiting: number; unloaded: number }>();
  let firstFailure: { test: TestId; message: string; at?: number; section: string; taughtIn?: string; day: Day; part: Part; file: string } | undefined;
  // The first failure is one of the files written first, as `start` lists them, then the
  // one taught first.
  const written = workOf(day).map(({ file }) => file);
  const writtenBy = (testFile: string) => {
    const needs = [...importsOf(join(dir, testFile)), ...(testFile === 'main.test.ts' ? ['main.ts'] : [])];
    const at = needs.map((f) => written.indexOf(f)).filter((i) => i >= 0);
    return at.length > 0 ? Math.max(...at) : Infinity;
  };
  type Place = { day: Day; section: string; part: Part; file: string };
  // What a learner must make pass comes first: the day's lesson, its given code's tests, the
  // days before; then what is optional: Going further, the day's and the days before's.
  const rank = (p: Place) => (p.part === 'further' ? 3 : 0) + (p.day !== day ? 2 : p.part === 'given' ? 1 : 0);
  const inChapterOrder = (a: Place, b: Place) => rank(a) - rank(b) || taughtAt(a) - taughtAt(b) || days.indexOf(a.day) - days.indexOf(b.day);
  const failsFirst = (a: Place, b: Place) =>
    rank(a) - rank(b) || (a.day === day && b.day === day ? writtenBy(a.file) - writtenBy(b.file) : 0) || inChapterOrder(a, b);
  // A test that has not run yet (main.test.ts, waiting) is named first only when nothing else fails.
  const waitsFor = (test: TestId) => (results.get(test.file)?.error?.startsWith('not run yet') ? 1 : 0);
  // A test whose file cannot load, for a file of the learner's not written yet: it waits too.
  const unloaded = (test: TestId) => {
    const file = results.get(test.file);
    return file?.tests[test.name] === undefined && /^Cannot find module '\.\//.test(file?.error ?? '') ? 1 : 0;
  };
  // A test file that cannot load yet fails whole: its first test, the simplest, is named first.
  const namedBefore = (a: Place, test: TestId, b: Place & { test: TestId }) =>
    a.file === b.file && rank(a) === rank(b) && unloaded(test) && unloaded(b.test) ? (test.line ?? 0) < (b.test.line ?? 0) : failsFirst(a, b) < 0;
  // The days before's tests that fail, and those of them that the lines at the top name or keep from loading.
  const namedAtTop = new Set(problems.flatMap((line) => line.match(/[\w-]+\.test\.ts/g) ?? []));
  let failingBefore = 0;
  let blockedBefore = 0;
  for (const test of state.tests[day] ?? []) {
    // A test no rule of course.ts names is still counted, in the lesson (the course walk checks there is none).
    const group = { ...(groupOf(test, day, earlier) ?? { day, section: '', part: 'lesson' as Part }), file: test.file };
    // The tests of given code are listed by file: which given file waits for which of your names.
    const label =
      group.day !== day ? `before|${group.day}|${group.part === 'further'}` : group.part === 'given' ? `given|${test.file}` : `${group.part}|${group.section || 'other'}`;
    const row = rows.get(label) ?? { ...group, passed: 0, total: 0, waiting: 0, unloaded: 0 };
    const file = results.get(test.file);
    const outcome = file?.tests[test.name] ?? { passed: false, message: file?.error ?? 'not run' };
    row.total++;
    row.waiting += waitsFor(test);
    row.unloaded += unloaded(test);
    if (group.day !== day && group.part !== 'further' && !outcome.passed && !waitsFor(test)) {
      failingBefore++;
      if (unloaded(test) || namedAtTop.has(test.file)) blockedBefore++;
    }
    if (outcome.passed) row.passed++;
    else if (!firstFailure || waitsFor(firstFailure.test) > waitsFor(test) || (waitsFor(firstFailure.test) === waitsFor(test) && namedBefore(group, test, firstFailure))) {
      firstFailure = { ...group, test, message: outcome.message, at: 'at' in outcome ? outcome.at : undefined };
    }
    rows.set(label, row);
  }
  const count = (pick: (row: { day: Day; part: Part }) => boolean) =>
    [...rows.values()]
      .filter(pick)
      .reduce((sum, r) => ({ passed: sum.passed + r.passed, total: sum.total + r.total, waiting: sum.waiting + r.waiting }), { passed: 0, total: 0, waiting: 0 });
  // Tests that have not run yet are not failures: the counts say how many wait.
  const waits = (c: { waiting: number }, why = 'main.test.ts') => (c.waiting > 0 ? `, ${c.waiting} not run yet (${why})` : '');
  const beforeWaits = (c: { waiting: number }) => waits(c, "they run once today's lesson tests pass");
  const lesson = count((r) => r.day === day && r.part === 'lesson');
  const further = count((r) => r.day === day && r.part === 'further');
  const given = count((r) => r.day === day && r.part === 'given');
  const before = count((r) => r.day !== day && r.part !== 'further');
  const beforeFurther = count((r) => r.day !== day && r.part === 'further');
  say(`${day}: ${lesson.passed} of ${lesson.total} tests pass${waits(lesson)}`);
  say(`  Going further: ${further.passed} of ${further.total} tests pass`);
  if (given.total > 0) say(`  the given code: ${given.passed} of ${given.total} tests pass`);
  // While some wait, those that ran are not yet "still" passing: nothing says the rest do.
  const stillPass = before.waiting > 0 ? 'ran and pass' : 'still pass';
  if (before.total > 0) say(`  the days before: ${before.passed} of ${before.total} tests ${stillPass}${beforeWaits(before)}`);
  // A missing file or export fails the earlier days' tests that reach it, through given code too.
  if (blockedBefore > 0) {
    const most = blockedBefore * 2 >= failingBefore;
    say(`    (${most ? 'most' : 'some'} fail only because of the lines at the top, and pass again once those are fixed${most ? '' : "; the others meet what today's code changes, and pass once it is written"})`);
  } else if (failingBefore > 0 && lesson.passed < lesson.total) {
    // Day 7's wire: an earlier day's test, word for word, that meets today's changed code or helpers.
    say("    (a test of the days before may fail until today's code is written, where it meets what today changes)");
  }
  // Its tests count as failing while they wait: say so, lest they read as something broken.
  const waiting = results.get('main.test.ts')?.error?.startsWith('not run yet') === true;
  if (waiting) say('    (main.test.ts has not run yet, in these counts or in Going further: it starts your node once the code compiles and the other tests pass; a row whose only failing tests wait shows …)');
  if (beforeFurther.total > 0) say(`  the days before, Going further: ${beforeFurther.passed} of ${beforeFurther.total} (optional, as on their days)`);
  const ordered = [...rows.values()].sort(inChapterOrder);
  // Said only while they fail: a given file's tests wait for what it imports from the learner's code.
  const givenWaits = given.passed < given.total ? ' (its tests pass once your code exports what it imports)' : '';
  // Going further's tests often need only the lesson's files: one that cannot load yet is not a step to take.
  const waitsInFurther = (row: { passed: number; total: number; waiting: number; unloaded: number }) =>
    row.unloaded > 0 && row.passed + row.waiting + row.unloaded === row.total;
  const furtherWaits = ordered.some((r) => r.day === day && r.part === 'further' && waitsInFurther(r))
    ? ' (optional; … also marks tests whose file cannot load until the files named at the top exist)'
    : ' (optional)';
  // An earlier day's Going further is optional, as it was on its day: ○, not ✗.
  const optionalBefore = (row: (typeof ordered)[number]) => row.day !== day && row.part === 'further' && row.passed < row.total;
  const beforeHeading = ordered.some(optionalBefore) ? '  the days before (○: Going further, optional as on its day)' : '  the days before';
  const headings = { lesson: '  the lesson', further: `  going further${furtherWaits}`, given: `  the given code${givenWaits}`, before: beforeHeading };
  // On a day in two parts, the second part's rows say so: they are not part 1's steps.
  const secondPart = (row: (typeof ordered)[number]) =>
    firstParts[day] && row.day === day && row.part === 'lesson' && !firstParts[day].sections.includes(row.section) ? ' (part 2)' : '';
  const titleOf = (row: (typeof ordered)[number]) =>
    row.part === 'given' && row.day === day
      ? row.file
      : row.section
        ? `${row.section}${secondPart(row)}`
        : row.day === day
          ? 'other tests of this day'
          : `${row.part === 'further' ? 'Going further of' : 'the tests of'} ${row.day}`;
  // A row with tests that have not run yet says how many, lest its count read as failures.
  const labelOf = (row: (typeof ordered)[number]) => {
    const title = titleOf(row);
    if (row.waiting === 0) return title;
    return title.endsWith(')') ? `${title.slice(0, -1)}; ${row.waiting} not run yet)` : `${title} (${row.waiting} not run yet)`;
  };
  const width = Math.max(44, ...ordered.map((row) => labelOf(row).length));
  for (const [kind, heading] of Object.entries(headings)) {
    const mine = ordered.filter((r) => (kind === 'before' ? r.day !== day : r.day === day && r.part === kind));
    if (mine.length > 0) say(heading);
    for (const row of mine) {
      const link = row.section ? `${row.day}/README.md#${slug(row.section)}` : `${row.day}/README.md`;
      const title = labelOf(row);
      // … marks a row whose only failures are tests that have not run yet.
      const waits = row.passed + row.waiting === row.total || (row.part === 'further' && waitsInFurther(row));
      const mark = row.passed === row.total ? '✓' : waits ? '…' : optionalBefore(row) ? '○' : '✗';
      say(`    ${mark} ${`${row.passed}/${row.total}`.padStart(7)}  ${title.padEnd(width)} ${link}`);
    }
  }
  const ok = problems.length === 0 && lesson.passed === lesson.total && given.passed === given.total && before.passed === before.total;
  // What only Going further's tests need is no step of the lesson: said after the rows, not at the top.
  for (const line of optional) say(`  optional: ${line}`);
  // An earlier day's optional test, skipped on its day, is no step once the lesson passes: the count above says it.
  if (firstFailure && !(ok && firstFailure.day !== day && firstFailure.part === 'further')) {
    const line = firstFailure.at ?? firstFailure.test.line;
    const at = line ? `${firstFailure.test.file}:${line}` : firstFailure.test.file;
    // Only optional tests fail (lesson tests come first): say so, lest it read as a step left.
    const optional = firstFailure.part === 'further' ? ' (Going further, optional)' : '';
    say(`first failing test${optional}: ${firstFailure.test.name} (${at})`);
    say(`  ${firstFailure.message || `(no message: npx vitest run ${basename(dir)}/${firstFailure.test.file} shows the whole failure)`}`);
    const section = firstFailure.section || firstFailure.taughtIn;
    const where = section ? `${firstFailure.day}/README.md#${slug(section)}` : `${firstFailure.day}/README.md`;
    say(`  taught in: ${where}`);
  }
  const done = day === days[days.length - 1] ? `the course is done: cd ${basename(dir)} && npm run demo runs your cluster (-- --web: a live page of it)` : 'npm run learn -- next';
  // A type error in a file is fixed where it is; a file or a name still to write comes in its turn.
  const typeErrors = problems.some((line) => /^\S+\.ts\(\d+,\d+\): /.test(line));
  // A line at the top about a file written later (day 7's http.ts) is not the next step: say the order.
  const order = written.filter((f) => !(furtherOnly[day] ?? []).includes(f));
  const fileOf = (line: string) => line.split(/[:( ]/)[0] ?? '';
  // Type errors in two of the files: one in a later file may follow from an earlier one.
  const filesWithErrors = new Set(problems.filter((line) => /^\S+\.ts\(\d+,\d+\): /.test(line)).map(fileOf).filter((f) => order.includes(f)));
  const laterFirst = typeErrors ? filesWithErrors.size > 1 : order.indexOf(fileOf(problems[0] ?? '')) > 0;
  const inTurn = laterFirst ? ` Write the files in this order: ${order.join(', ')}; a line at the top about a later file waits for its turn.` : '';
  // Type errors only in the tests: they call today's code as the lesson writes it, and go once it is.
  const inTestsOnly = problems.filter((line) => /^\S+\.ts\(\d+,\d+\): /.test(line)).every((line) => isTest(fileOf(line)));
  const notYet = typeErrors
    ? inTestsOnly
      ? `not yet: the type errors at the top are in the tests, which call your code as the lesson writes it; they go once it does (the files in order: ${order.join(', ')}). The first failing test is the next step`
      : laterFirst
      ? `not yet: fix the type errors at the top file by file, in the order the files are written: ${order.join(', ')}; an error in a later file may go away once the files before it are done`
      : 'not yet: first fix the type errors at the top of this check'
    : laterFirst
      ? `not yet: the first failing test is the next step.${inTurn}`
      : problems.length > 0
        ? 'not yet: the lines at the top name what is still to write; the first failing test, what comes next'
        : 'not yet: the first failing test above is what comes next';
  // A file the day dropped, still there, is the step left before the next day.
  const leftovers = goneOn(day).filter((f) => existsSync(join(dir, f)));
  const then = leftovers.length > 0 ? `delete ${leftovers.join(', ')} (see above), then ${done}` : done;
  // A day in two parts: its first part done is a place to stop, and the check says so.
  const firstPart = firstParts[day];
  const partRows = [...rows.values()].filter((r) => r.day === day && r.part === 'lesson' && firstPart?.sections.includes(r.section));
  const partDone = partRows.length > 0 && partRows.every((r) => r.passed === r.total);
  // ...and the second part not: a lesson test of its sections ran and failed.
  const secondPartFails = (state.tests[day] ?? []).some((test) => {
    const group = groupOf(test, day, earlier);
    const ran = results.get(test.file)?.tests[test.name];
    return group?.day === day && group.part === 'lesson' && !firstPart?.sections.includes(group.section) && ran !== undefined && !ran.passed;
  });
  const halfway = firstPart && partDone && secondPartFails && !typeErrors ? `part 1 of 2 done; part 2 starts at ${day}/README.md#${slug(firstPart.next)}` : undefined;
  // Tidying, once the day works: an import today's change left unused (day 5's getGroup).
  if (ok) for (const line of unusedImports) say(`${line}: you may remove it (the tests pass either way)`);
  say(ok ? `every lesson test passes: ${then}` : (halfway ?? notYet));
  const plumbed = halfway ? givePlumbing(dir, day) : undefined;
  if (plumbed?.added) {
    // The lines held back speak of a pool without it: check again, and say only that check.
    sayNow(`part 1 of 2 done: ${plumbed.message}; checking again with it in:`);
    return check(dir, sayNow);
  }
  if (plumbed) say(plumbed.message);
  const beforeText = before.total > 0 ? `; the days before: ${before.passed} of ${before.total}${beforeWaits(before)}` : '';
  const givenText = given.total > 0 ? `; the given code: ${given.passed} of ${given.total}` : '';
  state.lastCheck = `${day}: ${lesson.passed} of ${lesson.total} tests pass${waits(lesson)}; Going further: ${further.passed} of ${further.total}${givenText}${beforeText}`;
  state.passedWith = ok ? fingerprint(dir) : undefined;
  writeState(dir, state);
  for (const line of heldBack) sayNow(line);
  return { lesson, further, given, before, compiles: problems.length === 0, ok };
}

/**
 * One clear line per problem: a file the tests import that is missing, a name it does not
 * export, then the compiler's first errors, each as file(line,col): message.
 */
function compile(dir: string, day: Day): { problems: string[]; optional: string[]; unusedImports: string[] } {
  const files = readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.ts') && !f.startsWith('node_modules') && !f.endsWith('.d.ts'))
    .map((f) => join(dir, f));
  const config = ts.getParsedCommandLineOfConfigFile(join(dir, 'tsconfig.json'), {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => {} });
  // Unused names are reported too, to find imports a day's change left behind (never a failure).
  const program = ts.createProgram(files, { ...config?.options, noUnusedLocals: true });
  const diagnostics = ts.getPreEmitDiagnostics(program);
  const unused = (d: ts.Diagnostic) => [6133, 6192, 6196, 6198, 6199, 6205].includes(d.code);
  /** The import a diagnostic is in, if it is in one. */
  const importAt = (d: ts.Diagnostic) => {
    const statement = d.file?.statements.find((st) => st.pos <= d.start! && d.start! < st.end);
    return statement && ts.isImportDeclaration(statement) ? statement : undefined;
  };
  const checker = program.getTypeChecker();
  const lines: string[] = [];
  // What the learner did not write (tests, their helpers, given code), and what it imports.
  const given = (file: string) => isTest(file) || [...providedFiles, ...givenBy(day)].includes(basename(file));
  for (const file of files.filter(given)) {
    const source = program.getSourceFile(file)!;
    for (const statement of source.statements) {
      if (!ts.isImportDeclaration(statement) || !ts.isStringLiteral(statement.moduleSpecifier)) continue;
      const from = statement.moduleSpecifier.text;
      if (!from.startsWith('./') || from.startsWith('./geecachepb/')) continue;
      const bindings = statement.importClause?.namedBindings;
      const names = bindings && ts.isNamedImports(bindings) ? bindings.elements.map((e) => (e.propertyName ?? e.name).text) : [];
      const target = from.replace(/\.js$/, '.ts').slice(2);
      const module = program.getSourceFile(join(dir, target));
      if (!module) {
        lines.push(`${target} is missing: ${basename(file)} imports ${names.join(', ') || 'it'} from '${from}'`);
        continue;
      }
      const symbol = checker.getSymbolAtLocation(module);
      const exported = new Set(symbol ? checker.getExportsOfModule(symbol).map((s) => s.name) : []);
      for (const name of names.filter((n) => !exported.has(n))) {
        lines.push(`${target} does not export ${name}: ${basename(file)} imports it from '${from}'`);
      }
    }
  }
  // Missing files and names are said above; the compiler's own words for them would repeat it.
  if (existsSync(join(dir, 'main.test.ts')) && !existsSync(join(dir, 'main.ts'))) lines.push('main.ts is missing: main.test.ts starts it as a node');
  // A file of the learner's (a frame) may import one still to write: said the same way.
  const missingModule = (d: ts.Diagnostic) => {
    const from = d.code === 2307 ? /'\.\/([\w-]+)\.js'/.exec(ts.flattenDiagnosticMessageText(d.messageText, ' '))?.[1] : undefined;
    return from !== undefined && !existsSync(join(dir, `${from}.ts`)) ? `${from}.ts` : undefined;
  };
  for (const d of diagnostics) {
    const target = d.file && !given(d.file.fileName) ? missingModule(d) : undefined;
    if (!target) continue;
    const bindings = importAt(d)?.importClause?.namedBindings;
    const names = bindings && ts.isNamedImports(bindings) ? bindings.elements.map((e) => e.name.text).join(', ') : 'it';
    lines.push(`${target} is missing: ${basename(d.file!.fileName)} imports ${names} from './${target.replace(/\.ts$/, '.js')}'`);
  }
  // The tests of a file that this day or one before changes only for Going further fail on their
  // own, as optional: a learner who kept to the lessons has the file as it was before.
  const furtherFiles = days.slice(0, days.indexOf(day) + 1).flatMap((d) => furtherOnly[d] ?? []);
  const optional = (d: ts.Diagnostic) => furtherFiles.includes(basename(d.file!.fileName).replace(/\.test\.ts$/, '.ts'));
  // A member that the given code or a test uses, missing from the learner's class: say where it goes.
  const missingMembers = new Map<string, Set<string>>();
  const optionalMembers = new Map<string, Set<string>>();
  for (const d of diagnostics) {
    if (d.code !== 2339 || !d.file || !given(d.file.fileName)) continue;
    // Only the tests of a Going-further file use it: the lesson does not wait for it.
    const members = isTest(d.file.fileName) && optional(d) ? optionalMembers : missingMembers;
    const [, member, type] = /^Property '(\w+)' does not exist on type '(\w+)'/.exec(ts.flattenDiagnosticMessageText(d.messageText, ' ')) ?? [];
    const declares = new RegExp(`^export (class|interface) ${type}\\b`, 'm');
    const home = type && files.find((f) => !given(f) && declares.test(program.getSourceFile(f)?.text ?? ''));
    if (!home) continue;
    const said = `${basename(home)}: ${type} has no ${member} yet`;
    members.set(said, (members.get(said) ?? new Set()).add(basename(d.file.fileName)));
  }
  for (const [said, users] of missingMembers) lines.push(`${said}: ${[...users].join(', ')} ${users.size > 1 ? 'use' : 'uses'} it`);
  // The learner's own code may use it too (day 6's geecache.ts copied whole): then it is not only Going further's.
  const ownUsers = (said: string) => {
    const [, type, member] = /: (\w+) has no (\w+) yet$/.exec(said) ?? [];
    const text = `Property '${member}' does not exist on type '${type}'`;
    const users = diagnostics.filter((d) => d.code === 2339 && d.file && !given(d.file.fileName) && ts.flattenDiagnosticMessageText(d.messageText, ' ').startsWith(text));
    return [...new Set(users.map((d) => basename(d.file!.fileName)))];
  };
  const optionalLines = [...optionalMembers].map(([said, users]) => {
    const own = ownUsers(said);
    const tests = `${[...users].join(', ')} (Going further, optional)`;
    return own.length > 0 ? `${said}: ${tests} and your ${own.join(', ')} use it` : `${said}: only ${tests} uses it`;
  });
  // In the order the learner writes the files (as start lists them): the first line is the next step.
  const order = workOf(day).map(({ file }) => file);
  const rankOf = (line: string) => {
    const at = order.indexOf(line.split(/[: ]/)[0]!);
    return at === -1 ? order.length : at;
  };
  lines.sort((a, b) => rankOf(a) - rankOf(b));
  // With a file or a name missing, what the learner did not write fails in many ways for that
  // one reason: only the lines above, and the errors in the learner's own files, are shown.
  const echo = (d: ts.Diagnostic) => given(d.file!.fileName) && (lines.length > 0 || [2305, 2307, 2614, 2724].includes(d.code));
  // An unused name in an import: named when it is one ('getGroup'), else the import's line.
  const unusedImport = (d: ts.Diagnostic) => {
    const name = /^'([^']+)' is declared/.exec(ts.flattenDiagnosticMessageText(d.messageText, ' '))?.[1];
    const line = d.file!.getLineAndCharacterOfPosition(d.start!).line + 1;
    return `${basename(d.file!.fileName)}: ${name ? `'${name}' is imported but not used` : `the import on line ${line} is not used`}`;
  };
  const unusedImports = [...new Set(diagnostics.filter((d) => d.file && !given(d.file.fileName) && unused(d) && importAt(d)).map(unusedImport))];
  const errors = diagnostics.filter((d) => d.file && !unused(d) && !echo(d) && !missingModule(d) && !(isTest(d.file.fileName) && optional(d)));
  // An error in the learner's own code comes first (those in the tests often follow from it), in
  // the order the files are written: an error in a later file may follow from an earlier one.
  errors.sort((a, b) => Number(isTest(a.file!.fileName)) - Number(isTest(b.file!.fileName)) || rankOf(basename(a.file!.fileName)) - rankOf(basename(b.file!.fileName)));
  for (const d of errors.slice(0, 5)) {
    const { line, character } = d.file!.getLineAndCharacterOfPosition(d.start ?? 0);
    const message = typeof d.messageText === 'string' ? d.messageText : d.messageText.messageText; // the head of a chain
    lines.push(`${relative(dir, d.file!.fileName)}(${line + 1},${character + 1}): ${message}`);
    // The line itself: in a test, it says what the test expects of the learner's code.
    lines.push(`  ${d.file!.text.split('\n')[line]!.trim()}`);
  }
  if (errors.length > 5) lines.push(`(and ${errors.length - 5} more type errors)`);
  // The day's code may lean on what a Going-further file gains: say so where the learner's code trips on it.
  for (const file of furtherFiles) {
    const module = program.getSourceFile(join(dir, file));
    const symbol = module && checker.getSymbolAtLocation(module);
    const names = symbol ? checker.getExportsOfModule(symbol).map((s) => s.name) : [];
    const trips = (d: ts.Diagnostic) => !isTest(d.file!.fileName) && names.some((n) => ts.flattenDiagnosticMessageText(d.messageText, ' ').includes(`'${n}'`));
    if (errors.some(trips)) lines.push(`the lines above use what ${file} gains in Going further (${file.replace(/\.ts$/, '.test.ts')} says what): write that too, or keep your code to the lesson's`);
  }
  return { problems: [...new Set(lines)], optional: optionalLines, unusedImports };
}

/**
 * Puts the plumbing that `day`'s chapter says to copy as is into the learner's file, once: the
 * options interface's new members, the class's fields, the constructor's last lines, the imports,
 * and empty methods for the learner to fill in.
 * Says what it did, or why it left the file alone; undefined when the day has none, or the file
 * has it already (the learner wrote it).
 */
export function givePlumbing(dir: string, day: Day): { added: boolean; message: string } | undefined {
  const code = plumbing[day];
  if (!code || !plumbingDue(dir, day)) return undefined;
  const path = join(dir, code.file);
  const text = readFileSync(path, 'utf8');
  const where = `${day}/README.md#${slug(code.section)}`;
  const source = ts.createSourceFile(code.file, text, ts.ScriptTarget.Latest, true);
  const options = source.statements.find((s): s is ts.InterfaceDeclaration => ts.isInterfaceDeclaration(s) && s.name.text === code.options.name);
  const owner = source.statements.find((s): s is ts.ClassDeclaration => ts.isClassDeclaration(s) && s.name?.text === code.owner.name);
  const constructor = owner?.members.find((m): m is ts.ConstructorDeclaration => ts.isConstructorDeclaration(m) && m.body !== undefined);
  if (!options || !owner?.name || !constructor?.body) {
    return { added: false, message: `${code.file}: copy the pool's plumbing in by hand (${where}): no ${options ? code.owner.name : code.options.name} of the usual shape here` };
  }
  // A method the stubs would add is there already: the learner is writing part 2 their own way.
  const stubbed = [...code.owner.stubs.matchAll(/^ {2}(\w+)\(/gm)].map(([, name]) => name);
  if (owner.members.some((m) => m.name && ts.isIdentifier(m.name) && stubbed.includes(m.name.text))) return undefined;
  const imported = new Set(
    source.statements.flatMap((s) => {
      const bindings = ts.isImportDeclaration(s) ? s.importClause?.namedBindings : undefined;
      return bindings && ts.isNamedImports(bindings) ? bindings.elements.map((e) => e.name.text) : [];
    }),
  );
  const importDeclarations = source.statements.filter(ts.isImportDeclaration);
  // A module the file imports already gains the names in that import; another gets a line of its own.
  const namedImportOf = (from: string) =>
    importDeclarations
      .filter((d) => ts.isStringLiteral(d.moduleSpecifier) && d.moduleSpecifier.text === from && !d.importClause?.isTypeOnly)
      .map((d) => d.importClause?.namedBindings)
      .find((b): b is ts.NamedImports => b !== undefined && ts.isNamedImports(b) && b.elements.length > 0);
  const wanted = code.imports
    .map(({ from, names }) => ({ from, names: names.filter((n) => !imported.has(n.replace(/^type /, ''))), into: namedImportOf(from) }))
    .filter(({ names }) => names.length > 0);
  const imports = wanted
    .filter(({ into }) => !into)
    .map(({ from, names }) =>
      names.every((n) => n.startsWith('type '))
        ? `import type { ${names.map((n) => n.slice('type '.length)).join(', ')} } from '${from}';`
        : `import { ${names.join(', ')} } from '${from}';`,
    );
  // A method of the stubs the learner wrote already (part 2's #fromPeer) stays theirs.
  const has = (name: string) => owner.members.some((m) => m.name?.getText(source) === name);
  const stubs = code.owner.stubs
    .split(/\n(?=\n)/)
    .filter((stub) => !has(/^ {2}(?:async )?(#?\w+)\(/m.exec(stub)?.[1] ?? ''))
    .join('\n');
  const lastImport = importDeclarations.at(-1);
  const lineStart = (at: number) => text.lastIndexOf('\n', at - 1) + 1;
  // Lines for a block whose closing brace ends at `end`: above the brace on a line of its own; in a
  // block written on one line (an interface or a constructor), the brace moves below them.
  const beforeBrace = (end: number, lines: string): [number, string] => {
    const start = lineStart(end - 1);
    const before = text.slice(start, end - 1);
    return before.trim() === '' ? [start, lines] : [end - 1, `\n${lines}${/^\s*/.exec(before)![0]}`];
  };
  // The fields go after the last one declared before the constructor (a handler may come later).
  const lastField = owner.members.filter((m) => ts.isPropertyDeclaration(m) && m.pos < constructor.pos).at(-1);
  // Each edit is a place and the text it adds there; applied from the end, each keeps its place.
  const edits: Array<[number, string]> = [
    [lastImport?.end ?? 0, imports.map((line) => `\n${line}`).join('')],
    beforeBrace(options.end, code.options.members),
    beforeBrace(constructor.body.end, code.owner.constructorEnd),
    [text.indexOf('\n', constructor.end) + 1, stubs],
    [text.indexOf('\n', lastField?.end ?? owner.members.pos) + 1, code.owner.fields],
  ];
  for (const { names, into } of wanted) if (into) edits.push([into.elements.at(-1)!.end, `, ${names.join(', ')}`]);
  const added = ['set and pickPeer empty', ...(stubs.includes('#fromPeer(') ? ['#fromPeer'] : [])];
  // The line for a function's catch block, unless the block has it: first in the block, at its indent.
  let byHand = '';
  if (code.inCatch) {
    const fn = source.statements.find((st): st is ts.FunctionDeclaration => ts.isFunctionDeclaration(st) && st.name?.text === code.inCatch!.function);
    const find = (node: ts.Node): ts.CatchClause | undefined => (ts.isCatchClause(node) ? node : node.forEachChild(find));
    const clause = fn && find(fn);
    const error = clause?.variableDeclaration?.name.getText(source);
    const line = error ? code.inCatch.line(error) : '';
    if (!clause || !error) byHand = `; no catch (err) in your ${code.inCatch.function}: add its line by hand (${where})`;
    else if (!clause.block.getText(source).includes(line.split('\n').at(-1)!)) {
      const first = clause.block.statements[0];
      const indent = first ? ' '.repeat(source.getLineAndCharacterOfPosition(first.getStart(source)).character) : '    ';
      edits.push([lineStart(first ? first.getStart(source) : clause.block.end - 1), line.split('\n').map((l) => `${indent}${l}\n`).join('')]);
      added.push(`${code.inCatch.function}'s not-found header`);
    }
  }
  if (!options.heritageClauses) edits.push([options.name.end, ` extends ${code.options.extends}`]);
  if (!owner.heritageClauses) edits.push([owner.name.end, ` implements ${code.owner.implements}`]);
  let result = text;
  for (const [at, added] of edits.sort((a, b) => b[0] - a[0])) result = result.slice(0, at) + added + result.slice(at);
  writeFileSync(path, result);
  const listed = added.length > 1 ? `${added.slice(0, -1).join(', ')} and ${added.at(-1)}` : added[0];
  return { added: true, message: `the pool's plumbing (${where}) is now in your ${code.file}, with ${listed}${byHand}. Part 2: fill in set and pickPeer, then change #serve` };
}

/** Whether `day` has plumbing that its file, in the learner's folder, does not hold yet. */
function plumbingDue(dir: string, day: Day): boolean {
  const code = plumbing[day];
  if (!code || !existsSync(join(dir, code.file))) return false;
  const firstField = code.owner.fields.trim().split('\n')[0]!;
  return !readFileSync(join(dir, code.file), 'utf8').includes(firstField.replace(/:.*/, ''));
}

/** What one test file gave: each test's outcome, and the file's own error when it did not load. */
interface FileOutcome {
  tests: Record<string, { passed: boolean; message: string; at?: number }>;
  error?: string;
}

/**
 * Runs the test files of `dir` with vitest and reads each test's outcome from its JSON report.
 * A test file whose text, and the code it runs against, are what they were at the last check
 * gave the same outcome then: it is not run again (after `next`, only the day's new tests run).
 * A file in `waiting` that would run is not run this time: its tests fail, saying why.
 */
function runTests(dir: string, waiting: ReadonlySet<string>): Map<string, FileOutcome> {
  const cacheFile = join(dir, '.learn', 'outcomes.json');
  const cache = (existsSync(cacheFile) ? JSON.parse(readFileSync(cacheFile, 'utf8')) : {}) as Record<string, FileOutcome & { key: string }>;
  // A test file runs again only when it, or code it reaches, changed: the config and the helpers,
  // the files it imports and theirs, and main.ts's for main.test.ts, which starts it.
  const shared = contentHash(dir, (f) => /^(package\.json|tsconfig\.json|vitest\.config\.ts|testing\.ts|geecachepb\/)/.test(f));
  const keyOf = (file: string) => {
    const reached = reachedFrom(dir, file === 'main.test.ts' ? [file, 'main.ts'] : [file]);
    return `${shared} ${contentHash(dir, (f) => reached.has(f))}`;
  };
  const testFiles = readdirSync(dir).filter(isTest);
  const due = testFiles.filter((file) => cache[file]?.key !== keyOf(file));
  const stale = due.filter((file) => !waiting.has(file));
  if (stale.length > 0) {
    const out = join(dir, '.learn', 'results.json');
    rmSync(out, { force: true });
    const vitest = join(root, 'node_modules', 'vitest', 'vitest.mjs');
    const args = [vitest, 'run', '--config', join(dir, 'vitest.config.ts'), '--reporter=json', `--outputFile=${out}`, ...stale.map((f) => join(dir, f))];
    spawnSync(process.execPath, args, { cwd: dir, encoding: 'utf8', env: cleanEnv(), maxBuffer: 64 << 20 });
    const report = (existsSync(out) ? JSON.parse(readFileSync(out, 'utf8')) : { testResults: [] }) as {
      testResults: Array<{ name: string; message?: string; assertionResults: Array<{ ancestorTitles: string[]; title: string; status: string; failureMessages: string[] }> }>;
    };
    for (const file of stale) {
      const result = report.testResults.find((r) => basename(r.name) === file);
      // The file's own error: a failed import, or a beforeAll that threw (its tests are then skipped).
      const error = result ? (result.message ? firstLine(result.message) : undefined) : 'not run';
      const tests: FileOutcome['tests'] = {};
      for (const test of result?.assertionResults ?? []) {
        const message = failureOf(test.failureMessages[0] ?? '') || (error ? `the file failed before its tests: ${error}` : '');
        // The line in the test file where it failed, from the stack: the assertion, not the test's first line.
        const at = new RegExp(`/${file.replace(/\./g, '\\.')}:(\\d+):\\d+`).exec(test.failureMessages[0] ?? '')?.[1];
        tests[[...test.ancestorTitles, test.title].join(' > ')] = { passed: test.status === 'passed', message, ...(at ? { at: Number(at) } : {}) };
      }
      // A run that reported nothing for a file (vitest itself failed) is not kept: the next check runs it again.
      cache[file] = { key: result ? keyOf(file) : '', tests, error };
    }
    writeFileSync(cacheFile, JSON.stringify(cache));
  }
  const waits = (file: string): FileOutcome => ({
    tests: {},
    error:
      file === 'main.test.ts'
        ? 'not run yet: it starts your node, so it runs once the code compiles and the other tests pass'
        : "not run yet: the days before's tests run once today's lesson tests pass",
  });
  return new Map(testFiles.map((file) => [file, waiting.has(file) && due.includes(file) ? waits(file) : cache[file]!]));
}

/** `files` and every file of `dir` they import, directly or through another. */
function reachedFrom(dir: string, files: string[]): Set<string> {
  const reached = new Set<string>();
  const visit = (file: string) => {
    if (reached.has(file)) return;
    reached.add(file);
    for (const imported of importsOf(join(dir, file))) visit(imported);
  };
  for (const file of files) visit(file);
  return reached;
}

/** A hash of the content of the files of `dir` that `pick` picks (the learn folder's own aside). */
function contentHash(dir: string, pick: (file: string) => boolean): string {
  const hash = createHash('sha1');
  const files = readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => !/^(\.learn|node_modules)/.test(f) && pick(f)).sort();
  for (const file of files) {
    const path = join(dir, file);
    if (statSync(path).isFile()) hash.update(file).update(readFileSync(path));
  }
  return hash.digest('hex');
}

/** The learner's own files, by name, size and time of change: what a check ran against. */
function fingerprint(dir: string): string {
  const hash = createHash('sha1');
  const files = readdirSync(dir, { recursive: true, encoding: 'utf8' }).sort();
  for (const file of files.filter((f) => !/^(\.learn|node_modules|geecachepb|testing\.ts)|\.test\.ts$/.test(f))) {
    const { size, mtimeMs } = statSync(join(dir, file));
    hash.update(`${file} ${size} ${mtimeMs}\n`);
  }
  return hash.digest('hex');
}

/** What a failed test says, in one line; a timeout, which vitest's report names only by its stack, said plainly. */
export function failureOf(message: string): string {
  const line = firstLine(message);
  if (line === 'Error: STACK_TRACE_ERROR' || /timed out/i.test(line)) {
    return 'timed out: the test waited for something your code never did (a log line, an answer); its code says what';
  }
  // The whole message, up to the stack: an error's own newline splits an assertion's message in two.
  const lines = message.replace(/\x1b\[[0-9;]*m/g, '').split('\n');
  const stack = lines.findIndex((l) => /^\s+at /.test(l));
  const whole = lines.slice(0, stack === -1 ? lines.length : stack).map((l) => l.trim()).filter((l) => l !== '').join(' ');
  return whole.length > 600 ? `${whole.slice(0, 600)}…` : whole;
}

/** The first line of an error, without colours or the stack below it. */
const firstLine = (text: string) => text.replace(/\x1b\[[0-9;]*m/g, '').split('\n').find((l) => l.trim() !== '')?.trim() ?? '';

/** Moves to the next day once every lesson test of this one passes; says what fails otherwise. */
export function next(dir: string, say: (line: string) => void): boolean {
  const state = readState(dir);
  const { day } = state;
  const following = days[days.indexOf(day) + 1];
  if (!following) {
    const built = state.passedWith === fingerprint(dir);
    say(`learn: ${day} is the last day; ${built ? 'its check passed: the course is built' : 'once npm run learn -- check passes, the course is built'}`);
    say(`  cd ${basename(dir)} && npm run demo -- --web shows your cluster at work, live`);
    return false;
  }
  // A check that passed with the learner's files as they are now need not run again.
  // Its last line would say to run next, which is running: leave it out.
  const passed = state.passedWith === fingerprint(dir) || check(dir, (line) => line.startsWith('every lesson test passes:') || say(line)).ok;
  if (!passed) {
    say(`learn: not yet: ${day}'s lesson tests must all pass before ${following}`);
    return false;
  }
  const leftovers = goneOn(day).filter((f) => existsSync(join(dir, f)));
  if (leftovers.length > 0) {
    say(`learn: not yet: delete ${leftovers.join(', ')} first (${day} no longer has it)`);
    return false;
  }
  const tests = bringTests(dir, following, day).filter(isTest);
  // Given code the next day no longer has (day 1's naive LRU) is ours to take back.
  for (const file of givenBy(day).filter((f) => !existsSync(join(root, following, f)))) rmSync(join(dir, file), { force: true });
  state.day = following;
  state.tests[following] = listTests(following);
  state.lastCheck = undefined;
  state.passedWith = undefined;
  writeState(dir, state);
  writeFileSync(join(dir, 'README.md'), scaffolding(following)['README.md']);
  say(`learn: ${following}: your code stays, and its tests are in: ${tests.join(', ')}`);
  bringGiven(dir, following, say);
  giveFrames(dir, following, say);
  sayWork(dir, following, say);
  return true;
}

/** Says which day the learner is on, and how its last check went. */
export function status(dir: string, say: (line: string) => void): void {
  const state = readState(dir);
  const position = days.indexOf(state.day) + 1;
  say(`learn: ${state.day}, day ${position} of ${days.length}`);
  say(state.lastCheck ? `  last check: ${state.lastCheck}` : '  not checked yet: npm run learn -- check');
}
