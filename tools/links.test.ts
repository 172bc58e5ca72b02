// Every relative link in the course's Markdown files leads somewhere: the file exists, and an
// anchor names a heading of that file (as GitHub turns headings into anchors).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { expect, test } from 'vitest';
import { slug } from './learn/course.js';

const root = join(import.meta.dirname, '..');
const markdownFiles = readdirSync(root, { recursive: true, encoding: 'utf8' })
  .filter((file) => file.endsWith('.md') && !/node_modules|^\.?learn/.test(file))
  .map((file) => join(root, file));

function anchorsOf(file: string): Set<string> {
  const text = readFileSync(file, 'utf8').replace(/^```[\s\S]*?^```$/gm, '');
  return new Set([...text.matchAll(/^#{1,6} (.+)$/gm)].map((m) => slug(m[1]!)));
}

const links = markdownFiles.flatMap((file) => {
  const text = readFileSync(file, 'utf8').replace(/^```[\s\S]*?^```$/gm, '');
  return [...text.matchAll(/\]\(([^)\s]+)\)/g)]
    .map((m) => m[1]!)
    .filter((target) => !/^[a-z]+:/.test(target))
    .map((target) => [relative(root, file), target] as const);
});

test('there are links to check', () => {
  expect(links.length).toBeGreaterThan(20);
});

test.each(links)('%s -> %s', (from, target) => {
  const [path, anchor] = target.split('#') as [string, string | undefined];
  const file = path === '' ? join(root, from) : join(dirname(join(root, from)), path);
  expect(existsSync(file), `${file} does not exist`).toBe(true);
  if (anchor !== undefined) expect([...anchorsOf(file)]).toContain(anchor);
});
