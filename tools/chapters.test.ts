// Keeps the chapters honest: every ```ts block in a day's README.md must appear,
// line for line, in one of that day's .ts files (indentation aside, so an excerpt
// from inside a class can be shown flush left). Snippets that are not excerpts
// use another fence (```sh, ```text, ```mermaid).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';

const root = join(import.meta.dirname, '..');
const days = readdirSync(root).filter((name) => /^day\d-/.test(name)).sort();

const unindent = (text: string) =>
  text
    .split('\n')
    .map((line) => line.trim())
    .join('\n');

function sourcesOf(dir: string): string {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.ts') && !file.includes('node_modules'))
    .map((file) => unindent(readFileSync(join(dir, file), 'utf8')))
    .join('\n');
}

function excerptsOf(markdown: string): string[] {
  return [...markdown.matchAll(/^```ts\n([\s\S]*?)^```$/gm)].map((m) => m[1]!.trimEnd());
}

test('there are day folders to check', () => {
  expect(days.length).toBeGreaterThan(0);
});

describe.each(days)('%s/README.md', (day) => {
  const dir = join(root, day);
  const sources = sourcesOf(dir);
  const excerpts = excerptsOf(readFileSync(join(dir, 'README.md'), 'utf8'));

  test('has code excerpts', () => {
    expect(excerpts.length).toBeGreaterThan(0);
  });

  test.each(excerpts.map((text, i) => [i + 1, text] as const))(
    'excerpt %i matches the code',
    (_, text) => {
      expect(sources.includes(unindent(text)), `not found in ${day}/*.ts:\n${text}`).toBe(true);
    },
  );
});
