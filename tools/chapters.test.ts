// Keeps the chapters honest:
// - every ```ts block in a day's README.md appears, line for line, in one of that day's
//   .ts files (indentation aside, so an excerpt from inside a class can be shown flush
//   left); snippets that are not excerpts use another fence (```sh, ```text, ```mermaid, ```js);
// - every chapter has the course's shape and sizes: the lesson, then "What you built",
//   "Going further" and "Exercises", and a link onward; a lesson of at most 12,000
//   characters in a chapter of at most 24,000;
// - output a test can regenerate is what the code prints today: each day's --help, the
//   table of answers of day 3, the protobuf bytes of day 7.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';

const root = join(import.meta.dirname, '..');
const days = readdirSync(root).filter((name) => /^day\d-/.test(name)).sort();
const chapter = (day: string) => readFileSync(join(root, day, 'README.md'), 'utf8');

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

/** The bodies of the fenced blocks of one kind (`ts`, `text`, ...). */
function blocksOf(markdown: string, kind: string): string[] {
  return [...markdown.matchAll(new RegExp(`^\`\`\`${kind}\\n([\\s\\S]*?)^\`\`\`$`, 'gm'))].map((m) => m[1]!.trimEnd());
}

test('there are day folders to check', () => {
  expect(days.length).toBe(7);
});

describe.each(days)('%s/README.md', (day) => {
  const markdown = chapter(day);
  const sources = sourcesOf(join(root, day));
  const excerpts = blocksOf(markdown, 'ts');

  test('has code excerpts', () => {
    expect(excerpts.length).toBeGreaterThan(0);
  });

  test.each(excerpts.map((text, i) => [i + 1, text] as const))('excerpt %i matches the code', (_, text) => {
    expect(sources.includes(unindent(text)), `not found in ${day}/*.ts:\n${text}`).toBe(true);
  });

  test('has the shape of a chapter: the lesson, What you built, Going further, Exercises, a link onward', () => {
    const headings = [...markdown.matchAll(/^## (What you built|Going further|Exercises|The course)$/gm)].map((m) => m[1]);
    expect(headings).toEqual(['What you built', 'Going further', 'Exercises', ...(day.startsWith('day7') ? ['The course'] : [])]);
    const next = day.startsWith('day7') ? /\[.+\]\(\.\.\/README\.md\)/ : /Next: \[.+\]\(\.\.\/day\d-[a-z-]+\/README\.md\)/;
    expect(markdown.trimEnd().split('\n').at(-1)).toMatch(next);
  });

  test('the lesson is at most 12,000 characters, the chapter at most 24,000', () => {
    // Everything before the heading, its blank line included, as the spec counts a lesson.
    const lesson = markdown.slice(0, markdown.indexOf('\n## What you built') + 1);
    expect([...lesson].length).toBeLessThanOrEqual(12_000);
    expect([...markdown].length).toBeLessThanOrEqual(24_000);
  });

  test('says what its sources are: never "seed"', () => {
    expect(markdown).not.toMatch(/\bseeds?\b/i);
  });

  const helps = blocksOf(markdown, 'text').filter((text) => text.startsWith('Usage: main.ts'));
  test.each(helps.map((text, i) => [i + 1, text] as const))('--help output %i is what main.ts prints', async (_, text) => {
    const { usage } = (await import(join(root, day, 'flags.ts'))) as { usage: string };
    expect(text).toBe(usage);
  });
});

describe('day 3: the table of answers', async () => {
  const markdown = chapter('day3-http-server');
  const rows = [...markdown.matchAll(/^\| `(GET|POST) (\S+)` \| (\d{3}) \| `(.*)` \|$/gm)].map(
    ([, method, path, status, body]) => [method!, path!, Number(status), body!] as const,
  );
  const dir = join(root, 'day3-http-server');
  const { newGroup } = (await import(join(dir, 'geecache.ts'))) as typeof import('../day3-http-server/geecache.js');
  const { HTTPPool } = (await import(join(dir, 'http.ts'))) as typeof import('../day3-http-server/http.js');
  const { scores, slowDB } = (await import(join(dir, 'slowdb.ts'))) as typeof import('../day3-http-server/slowdb.js');
  const { listen, send } = (await import(join(dir, 'testing.ts'))) as typeof import('../day3-http-server/testing.js');
  newGroup('scores', 2 << 10, slowDB(scores, { log: () => {} }));

  test('has rows', () => {
    expect(rows.length).toBeGreaterThanOrEqual(7);
  });

  test.each(rows)('%s %s answers %i %s', async (method, path, status, body) => {
    const node = await listen(new HTTPPool('http://chapter', { log: () => {} }).handler);
    try {
      const answer = await send(node.port, path, method);
      expect([answer.status, answer.body.toString().replace(/\n$/, '')]).toEqual([status, body]);
    } finally {
      await node.close();
    }
  });
});

test("day 7: the bytes of Jack's answer are what protobufjs encodes", async () => {
  const block = blocksOf(chapter('day7-protobuf'), 'text').find((text) => text.startsWith('0a '))!;
  const hex = block.split('\n').map((line) => line.slice(0, 12).trim().replaceAll(' ', '')).join('');
  const { geecachepb } = (await import(join(root, 'day7-protobuf/geecachepb/geecachepb.js'))) as typeof import('../day7-protobuf/geecachepb/geecachepb.js');
  expect(hex).toBe(Buffer.from(geecachepb.Response.encode({ value: Buffer.from('589') }).finish()).toString('hex'));
});
