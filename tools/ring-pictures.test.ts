// Keeps day 4's ring pictures current: each committed SVG must be what
// tools/ring-pictures.ts draws from today's HashRing, and the caption must tell
// what HashRing itself answers.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { HashRing } from '../day4-consistent-hash/consistenthash.js';
import { JOIN_KEYS, ringPictures } from './ring-pictures.js';

const root = join(import.meta.dirname, '..');
const pictures = ringPictures();

test('there are pictures to check', () => {
  expect(pictures.map((p) => p.file)).toEqual([
    'pictures/ring-join.svg',
    'pictures/ring-virtual-nodes.svg',
  ]);
});

test.each(pictures)('$file is current', ({ file, svg }) => {
  const committed = readFileSync(join(root, file), 'utf8');
  expect(committed === svg, `${file} is stale: run npm run pictures and commit the result`).toBe(true);
});

test("ring-join.svg's caption tells what HashRing answers", () => {
  const svg = pictures.find((p) => p.file.endsWith('ring-join.svg'))!.svg;
  const caption = /(\d+) of (\d+) keys moved, all onto (\d+)/.exec(svg);
  expect(caption, 'no caption found').not.toBeNull();
  const [, moved, total, onto] = caption!;

  const nodes = ['http://localhost:8001', 'http://localhost:8002', 'http://localhost:8003'];
  const before = new HashRing(1);
  before.add(...nodes);
  const after = new HashRing(1);
  after.add(...nodes, 'http://localhost:8004');
  const movedKeys = JOIN_KEYS.filter((key) => before.get(key) !== after.get(key));
  expect(Number(total)).toBe(JOIN_KEYS.length);
  expect(Number(moved)).toBe(movedKeys.length);
  expect(movedKeys.length).toBeGreaterThan(0);
  for (const key of movedKeys) expect(`http://localhost:${onto}`).toBe(after.get(key));
});
