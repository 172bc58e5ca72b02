// Plays a learner through the whole course with `npm run learn`, in .learn-walk/ at the root
// (ignored by git, inside the repository so that node_modules resolves): start at day 1; each
// day, check fails, the day's reference code is copied in, check passes, next. At day 3 a missing
// file, a missing export and a type error each get one clear line; day 5's given code has its
// tests counted apart; day 6 names the file it deletes and fails first in the file written first. It runs every day's tests
// twice, so it has a run of its own (npm test runs it after the rest: tools/learn-walk.config.ts).
import { spawnSync } from 'node:child_process';
import { appendFileSync, cpSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { days, providedFiles } from './learn/course.js';

const root = join(import.meta.dirname, '..');
const dir = join(root, '.learn-walk');

/** Runs `npm run learn -- <args>` on the walk's folder: its exit code and all it printed. */
function learn(...args: string[]): { code: number | null; out: string } {
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('VITEST')));
  const run = spawnSync(process.execPath, ['--import', 'tsx', join(root, 'tools/learn/learn.ts'), ...args, '--dir', dir], {
    cwd: root,
    env,
    encoding: 'utf8',
  });
  return { code: run.status, out: run.stdout + run.stderr };
}

/** What a learner writes on `day`: its reference code, the tests and what comes with them aside. */
function copyReference(day: string): void {
  for (const file of readdirSync(join(root, day))) {
    if (file.endsWith('.ts') && !file.endsWith('.test.ts') && !providedFiles.includes(file) && file !== 'vitest.config.ts') {
      cpSync(join(root, day, file), join(dir, file));
    }
  }
}

/** The shared budget of day 6's Going further, in `#populate`: a learner who kept to the lesson has a plain add. */
const budget = /\n {4}const \[main, hot\] = [^\n]*\n {4}while [^\n]*\n[^\n]*\n {4}\}\n/;

const progress = (out: string, day: string) => new RegExp(`^${day}: (\\d+) of (\\d+) tests pass(?:, \\d+ not run yet \\(main\\.test\\.ts\\))?$`, 'm').exec(out);

test('a learner walks the course, day 1 to day 7', { timeout: 20 * 60_000 }, () => {
  rmSync(dir, { recursive: true, force: true });
  try {
    expect(learn('start').code).toBe(0);
    const again = learn('start');
    expect([again.code, again.out]).toEqual([2, expect.stringContaining('.learn-walk/ already exists (on day1-lru)')]);
    const early = learn('next');
    expect([early.code, early.out]).toEqual([1, expect.stringContaining("day1-lru's lesson tests must all pass before day2-single-node")]);

    for (const [i, day] of days.entries()) {
      const before = learn('check');
      const [, passed, total] = progress(before.out, day) ?? [];
      expect(before.code, before.out).toBe(1);
      expect(Number(passed)).toBeLessThan(Number(total));
      if (day === 'day5-distributed') {
        // The given API's tests count apart, listed by file (they pass once the learner's code
        // exports what the given code imports: day 4's already does).
        expect(before.out).toMatch(/^ {2}the given code: \d+ of \d+ tests pass$/m);
        expect(before.out).toMatch(/^ +✓ +\d+\/\d+ +api\.test\.ts /m);
        // The days before's test files wait while the day's own tests fail: a check stays short.
        expect(before.out).toMatch(/^ {2}the days before: \d+ of \d+ tests ran and pass, \d+ not run yet \(they run once today's lesson tests pass\)$/m);
        // Part 1 not begun: what the plumbing will add is named, and marked as part 2's.
        expect(before.out).toContain('http.ts: HTTPPool has no set yet: distributed.test.ts, main.ts use it (part 2: the check adds it, empty, once part 1 passes)');
        // httpgetter.ts is given as a frame: all but #get, which throws until it is written.
        expect(before.out).toMatch(/^peers\.ts is missing: httpgetter\.ts imports PeerGetter from '\.\/peers\.js'$/m);
        for (const file of ['peers.ts', 'geecache.ts']) cpSync(join(root, day, file), join(dir, file));
        const framed = learn('check');
        expect(framed.out).toMatch(/^first failing test: .*\(httpgetter\.test\.ts:\d+\)$/m);
        expect(framed.out).toContain('Error: httpgetter.ts: #get is not written yet (day5-distributed/README.md#asking-over-http)');
        // The first part written, the pool not yet changed.
        cpSync(join(root, day, 'httpgetter.ts'), join(dir, 'httpgetter.ts'));
        // Part 1 is the group and its client: the check puts the pool's plumbing into the learner's
        // http.ts, once (part 2 is set, pickPeer and #serve), and checks again with it in.
        const half = learn('check');
        expect(half.out).toMatch(
          /^part 1 of 2 done: the pool's plumbing .* is now in your http\.ts, with set and pickPeer empty, #fromPeer and sendValue's not-found header\. Part 2: fill in set and pickPeer, then change #serve/m,
        );
        const plumbed = readFileSync(join(dir, 'http.ts'), 'utf8');
        expect(plumbed).toContain('this.#client = { self: this.#self, basePath: this.#basePath, log: this.#log, ...peerLimits(options) };');
        expect(plumbed).toContain('    return req.headers[peerHeader] !== undefined;\n');
        expect(plumbed).toMatch(/ catch \(err\) \{\n {4}\/\/ The header tells a peer[^\n]*\n {4}if \(err instanceof NotFoundError\) res\.setHeader\(notFoundHeader, '1'\);\n/);
        // What the first run found of a pool without it is not said: only the check that follows.
        expect(half.out).not.toContain('HTTPPool has no set yet');
        expect(half.out).toMatch(/^part 1 of 2 done; part 2 starts at day5-distributed\/README\.md#part-2-the-pool-and-a-cluster$/m);
        expect(half.out).toContain('taught in: day5-distributed/README.md#the-pool-picks-the-owner');
        // It compiles, the days before pass again, and the first failure is part 2's first section.
        const again = learn('check');
        expect(again.out).not.toMatch(/^http\.ts\(\d+,\d+\)/m);
        const [, passedBefore, totalBefore, waitingBefore] = /^ {2}the days before: (\d+) of (\d+) tests (?:still pass|ran and pass)(?:, (\d+) not run yet)?/m.exec(again.out) ?? [];
        expect(Number(passedBefore) + Number(waitingBefore ?? 0)).toBe(Number(totalBefore));
        expect(again.out).toContain('taught in: day5-distributed/README.md#the-pool-picks-the-owner');
        expect(again.out).not.toContain('is now in your http.ts');
      }
      if (day === 'day7-protobuf') {
        // The first line at the top is about http.ts, written last: the check says the order.
        expect(before.out).toMatch(/^http\.ts does not export responseHead/m);
        expect(before.out).toContain('not yet: the first failing test is the next step. Write the files in this order: peers.ts, geecache.ts, httpgetter.ts, http.ts;');
        // A Content-Length that leaves out the protobuf head: the test's decoding says what the node sent, and where to look.
        copyReference(day);
        const http = join(dir, 'http.ts');
        writeFileSync(http, readFileSync(http, 'utf8').replace("'Content-Length': head.length + bytes.length,", "'Content-Length': bytes.length,"));
        const short = learn('check');
        expect(short.out).toMatch(/^ {2}Error: the node answered 200 with a body that is not a whole protobuf Response .*see sendValue and responseHead in http\.ts/m);
      }
      if (day === 'day6-singleflight') {
        // The first failure is in the file written first (start lists singleflight.ts before geecache.ts).
        expect(before.out).toMatch(/^first failing test: .*\(singleflight\.test\.ts:\d+\)$/m);
        // The day's geecache.ts, without the Going-further cache.ts it leans on: the check says so.
        for (const file of ['singleflight.ts', 'geecache.ts']) cpSync(join(root, day, file), join(dir, file));
        const leaning = learn('check');
        expect(leaning.out).toMatch(/^geecache\.ts\(\d+,\d+\): Property 'bytes' does not exist/m);
        expect(leaning.out).toContain('the lines above use what cache.ts gains in Going further (cache.test.ts says what)');
        // Kept to the lesson (no budget, day 5's cache.ts): the lesson passes, and cache.ts's tests are optional.
        const geecache = readFileSync(join(root, day, 'geecache.ts'), 'utf8');
        expect(geecache).toMatch(budget);
        writeFileSync(join(dir, 'geecache.ts'), geecache.replace(budget, '\n'));
        const lessonOnly = learn('check');
        expect(lessonOnly.out).toContain('cache.ts: ByteViewCache has no removeOldest yet: only cache.test.ts (Going further, optional) uses it');
        expect(lessonOnly.out).toContain('every lesson test passes: delete mutex.ts (see above), then npm run learn -- next');
        // newGroup without its fourth argument yet: the type error is in a test, which waits for the code.
        const threeArguments = geecache.replace(budget, '\n').replace(', options?: GroupOptions): Group {', '): Group {').replace('getter, options);', 'getter);');
        writeFileSync(join(dir, 'geecache.ts'), threeArguments);
        const inTests = learn('check');
        expect(inTests.out).toMatch(/^geecache\.test\.ts\(\d+,\d+\): Expected 3 arguments, but got 4\.$/m);
        expect(inTests.out).toContain('not yet: the type errors at the top are in the tests, which call your code as the lesson writes it');
      }

      if (day === 'day1-lru') {
        // The given naive LRU's tests pass from the start: its heading does not say they wait.
        expect(before.out).toMatch(/^ {2}the given code$/m);
        // lru.ts missing, lru.test.ts fails whole: its first test, GeeCache's TestGet, is named first.
        expect(before.out).toMatch(/^first failing test: ported from GeeCache > TestGet: .*\(lru\.test\.ts:\d+\)$/m);
      }
      if (day === 'day3-http-server') {
        expect(before.out).toMatch(/^http\.ts is missing: http\.test\.ts imports /m);
        // Going further's tests that cannot load before http.ts exists wait: they are no step to take.
        expect(before.out).toMatch(/^ {2}going further \(optional; … also marks tests whose file cannot load/m);
        expect(before.out).toMatch(/^ {4}… +0\/\d+ +The limits of a node's port /m);
        copyReference(day);
        // A name the tests import, gone: one line names the file and the name.
        const http = join(dir, 'http.ts');
        writeFileSync(http, readFileSync(http, 'utf8').replace('export const defaultBasePath', 'export const basePath'));
        // A type error: one line, file(line,col): message.
        appendFileSync(join(dir, 'slowdb.ts'), "\nexport const oops: number = 'not a number';\n");
        const broken = learn('check');
        expect(broken.code).toBe(1);
        expect(broken.out).toContain("http.ts does not export defaultBasePath: http.test.ts imports it from './http.js'");
        expect(broken.out).toMatch(/^slowdb\.ts\(\d+,\d+\): Type 'string' is not assignable to type 'number'\.$/m);
        expect(broken.out).not.toMatch(/^\s+at /m); // no stack trace
      }

      copyReference(day);
      const after = learn('check');
      expect(after.code, after.out).toBe(0);
      const [, all, count] = progress(after.out, day) ?? [];
      expect(all).toBe(count);
      const [, further, furtherCount] = /^ {2}Going further: (\d+) of (\d+) tests pass$/m.exec(after.out) ?? [];
      expect(further).toBe(furtherCount);
      expect(after.out).not.toContain('other tests of this day'); // every test has its chapter section
      if (i === days.length - 1) {
        expect(after.out).toContain('every lesson test passes: the course is done');
        // A learner who kept day 6 to its lesson (day 5's cache.ts, no shared budget) finishes too.
        writeFileSync(join(dir, 'cache.ts'), readFileSync(join(root, 'day5-distributed', 'cache.ts')));
        writeFileSync(join(dir, 'geecache.ts'), readFileSync(join(root, day, 'geecache.ts'), 'utf8').replace(budget, '\n'));
        const lessonOnly = learn('check');
        expect(lessonOnly.out).toContain('every lesson test passes: the course is done');
      }
      if (day === 'day6-singleflight') {
        // Day 5's mutex.ts, still there: the last step before the next day is to delete it.
        expect(after.out).toContain('every lesson test passes: delete mutex.ts (see above), then npm run learn -- next');
        const early = learn('next');
        expect([early.code, early.out]).toEqual([1, expect.stringContaining('learn: not yet: delete mutex.ts first')]);
        rmSync(join(dir, 'mutex.ts'));
      }

      if (i < days.length - 1) {
        const moved = learn('next');
        expect(moved.code, moved.out).toBe(0);
        expect(moved.out).toContain(`learn: ${days[i + 1]}: your code stays`);
        if (days[i + 1] === 'day6-singleflight') expect(moved.out).toContain('no longer part of the code: mutex.ts (delete it once your code no longer imports it)');
        expect(learn('status').out).toContain('not checked yet');
      }
    }
    expect(learn('status').out).toContain('learn: day7-protobuf, day 7 of 7');
    const git = spawnSync('git', ['status', '--porcelain'], { cwd: root, encoding: 'utf8' });
    expect(git.stdout).not.toContain('.learn-walk');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
