// The learn command links each group of tests to a section of its day's chapter: every such
// section exists, and sits where the rule says, in the lesson or in "Going further".
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { days, sectionsOf } from './learn/course.js';

const root = join(import.meta.dirname, '..');

test.each(days)('%s: each section a test group names is a heading of the chapter, in its part', (day) => {
  const chapter = readFileSync(join(root, day, 'README.md'), 'utf8').replace(/^```[\s\S]*?^```$/gm, '');
  const lessonEnds = chapter.indexOf('\n## What you built');
  const furtherStarts = chapter.indexOf('\n## Going further');
  for (const { section, part } of sectionsOf(day)) {
    const at = chapter.search(new RegExp(`^#{2,4} ${section.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`, 'm'));
    expect(at, `${day}: no heading "${section}"`).toBeGreaterThan(0);
    if (part === 'lesson') expect(at, `${day}: "${section}" is not in the lesson`).toBeLessThan(lessonEnds);
    else expect(at, `${day}: "${section}" is not in Going further`).toBeGreaterThan(furtherStarts);
  }
});
