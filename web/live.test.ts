// The live page in a real browser (Debian's Chromium, driven by playwright-core): the ring drawn
// from day 7's HashRing, a get that its owner loads, a burst that makes one database load, a
// stopped owner, and a screenshot. Skipped, with the reason, only where no Chromium is installed;
// in CI (.ci/run installs it) a missing browser fails the test.
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { freePort } from '../bench/processes.js';
import { HashRing } from '../day7-protobuf/consistenthash.js';
import { type Live, startLive } from './live.js';

const executablePath = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => p && existsSync(p));
/** Where the screenshot goes; `npm run picture:live` sets it to the one the chapters show. */
const screenshot = process.env.LIVE_SCREENSHOT ?? join(tmpdir(), 'geecache-live-demo.png');
/** Free ports, unless `npm run picture:live` asks for the demo's own (8001-8003, the API on 9999). */
const fixedPorts = process.env.LIVE_PORTS?.split(',').map(Number);

let live: Live;
let browser: Browser | undefined;
let page: Page;

beforeAll(async () => {
  if (!executablePath && process.env.CI) throw new Error('CI needs Chromium for the live page: apt-get install chromium');
  if (!executablePath) return;
  const [apiPort, ...ports] = fixedPorts ? [fixedPorts[3]!, ...fixedPorts.slice(0, 3)] : [await freePort(), await freePort(), await freePort(), await freePort()];
  live = await startLive({ ports, apiPort: apiPort!, webPort: 0 });
  browser = await chromium.launch({
    executablePath,
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking', '--no-first-run'],
  });
  page = await browser.newPage({ viewport: { width: 1240, height: 900 } });
  await page.goto(live.url);
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await live?.close();
});

/** The counters a node's card carries, as numbers. */
async function card(port: number) {
  const node = page.getByTestId(`node-${port}`);
  const read = async (name: string) => Number(await node.getAttribute(name));
  return { gets: await read('data-gets'), localLoads: await read('data-local-loads'), peerLoads: await read('data-peer-loads') };
}

test('the page shows the ring, a get, a burst and a stopped owner, as the nodes saw them', { timeout: 120_000 }, async (context) => {
  if (!executablePath) context.skip('no Chromium found (/usr/bin/chromium): apt-get install chromium');
  const ring = new HashRing(50);
  ring.add(...live.cluster.nodes.map((n) => n.url));

  // 150 marks: 50 virtual nodes for each of the three nodes, where HashRing puts them.
  const vnodes = page.getByTestId('vnode');
  await expect.poll(() => vnodes.count()).toBe(150);
  const marks = (await vnodes.evaluateAll((all) => all.map((m) => ({ hash: Number(m.getAttribute('data-hash')), node: m.getAttribute('data-node') }))))
    .sort((a, b) => a.hash - b.hash);
  // Read the owner of a key off the page's marks (the first mark at or after the key's hash, round
  // the ring), and compare with the ring itself, for 1000 keys.
  const ownerOnPage = (key: string) => (marks.find((m) => m.hash >= crc32(key)) ?? marks[0]!).node;
  const keys = Array.from({ length: 1000 }, (_, i) => `key-${i}`);
  expect(keys.filter((key) => ownerOnPage(key) !== ring.get(key))).toEqual([]);

  // Tom: its owner loads it from its database, once.
  const tomOwner = Number(new URL(ring.get('Tom')).port);
  await page.getByTestId('key-input').fill('Tom');
  await page.getByTestId('get-button').click();
  await expect.poll(() => card(tomOwner).then((c) => c.localLoads)).toBe(1);
  await expect.poll(() => page.getByTestId('get-result').first().textContent()).toContain('loaded it from its database');
  expect(await page.getByTestId('key-mark').getAttribute('data-owner')).toBe(ring.get('Tom'));

  // Ten concurrent requests for a cold key: one database load in the whole cluster.
  const loadsBefore = await totalLocalLoads();
  await page.getByTestId('burst-button').click();
  const burst = page.getByTestId('burst-result');
  await expect.poll(() => burst.count()).toBe(1);
  expect(await burst.getAttribute('data-db-loads')).toBe('1');
  await expect.poll(totalLocalLoads).toBe(loadsBefore + 1);

  // Stop the owner of a key (not the API's node), ask for it: loaded beside the API instead.
  const api = live.cluster.apiNode;
  const key = Array.from({ length: 100 }, (_, i) => `player${900 + i}`).find((k) => ring.get(k) !== api.url)!; // in the database, not cold
  const owner = Number(new URL(ring.get(key)).port);
  await page.getByTestId(`toggle-${owner}`).click();
  await expect.poll(() => page.getByTestId(`node-${owner}`).getAttribute('data-up')).toBe('false');
  const apiLoads = (await card(api.port)).localLoads;
  await page.getByTestId('key-input').fill(key);
  await page.getByTestId('get-button').click();
  await expect.poll(() => page.getByTestId('get-result').first().textContent()).toContain('loaded it from its own database instead');
  await expect.poll(() => card(api.port).then((c) => c.localLoads)).toBe(apiLoads + 1);
  await page.getByTestId(`toggle-${owner}`).click();
  await expect.poll(() => page.getByTestId(`node-${owner}`).getAttribute('data-up'), { timeout: 20_000 }).toBe('true');

  // Tom once more, for the picture: now a hop to an owner that has it cached.
  await page.getByTestId('key-input').fill('Tom');
  await page.getByTestId('get-button').click();
  await expect.poll(() => page.getByTestId('get-result').first().textContent()).toContain('Tom');
  await page.screenshot({ path: screenshot, fullPage: true });
});

async function totalLocalLoads(): Promise<number> {
  let sum = 0;
  for (const { port } of live.cluster.nodes) sum += (await card(port)).localLoads;
  return sum;
}
