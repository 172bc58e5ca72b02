import { readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { Reporter, TestModule } from 'vitest/node';

/**
 * Checks, at the end of a run, the test counts that each chapter quotes from `npm test -w <day>`
 * (lines such as ` ✓ |day1-lru| lru.test.ts (29 tests)` and `Tests  31 passed (31)`) against
 * the tests this run collected. A stale count fails the run and says what to write instead.
 * Files the run left out (`vitest run lru`) are not checked.
 */
export default class ChapterCountsReporter implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>): void {
    const collected = new Map<string, Map<string, number>>(); // day -> file -> tests
    for (const module of testModules) {
      const day = module.project.name;
      if (!/^day\d-/.test(day)) continue;
      const files = collected.get(day) ?? new Map<string, number>();
      files.set(basename(module.moduleId), [...module.children.allTests()].length);
      collected.set(day, files);
    }
    const stale: string[] = [];
    for (const [day, files] of collected) {
      const chapter = readFileSync(join(import.meta.dirname, '..', day, 'README.md'), 'utf8');
      for (const [, file, quoted] of chapter.matchAll(/^ ✓ \|day\d-[a-z-]+\| (\S+) \((\d+) tests?\)$/gm)) {
        const actual = files.get(file!);
        if (actual !== undefined && actual !== Number(quoted)) stale.push(`${day}: ${file} (${actual} tests), not ${quoted}`);
      }
      const total = [...files.values()].reduce((a, b) => a + b, 0);
      for (const [, quotedFiles, quoted] of chapter.matchAll(/^ Test Files {2}(\d+) passed \(\d+\)\n {6}Tests {2}(\d+) passed \(\d+\)$/gm)) {
        if (files.size !== Number(quotedFiles)) continue; // a partial run: the totals cannot be compared
        if (total !== Number(quoted)) stale.push(`${day}: Tests  ${total} passed (${total}), not ${quoted}`);
      }
      // And in the prose: "16 files, 354 tests".
      for (const [, quotedFiles, quoted] of chapter.matchAll(/\b(\d+) files, (\d+) tests\b/g)) {
        if (files.size !== Number(quotedFiles)) continue;
        if (total !== Number(quoted)) stale.push(`${day}: ${files.size} files, ${total} tests, not ${quoted}`);
      }
    }
    if (stale.length === 0) return;
    console.log(`\nchapters: test counts out of date; write in the chapter:\n  ${stale.join('\n  ')}`);
    process.exitCode = 1;
  }
}
