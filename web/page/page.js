// @ts-check
// The live page: draws the ring the server computed with day 7's HashRing, shows each node's
// counters (refreshed every second), and sends the requests the learner asks for.

const svgNS = 'http://www.w3.org/2000/svg';
const rim = 180;
const colours = ['#0072b2', '#e69f00', '#009e73', '#cc79a7', '#56b4e9'];
/** @type {Map<string, string>} a node's base URL -> its colour */
const colourOf = new Map();
/** @type {Array<{hash: number, node: string}>} */
let points = [];

/** @param {string} id */
const byId = (id) => /** @type {HTMLElement} */ (document.getElementById(id));

/**
 * An element with attributes and children (strings become text, never HTML).
 * @param {string} tag @param {Record<string, string>} attributes @param {Array<Node | string>} children
 */
function el(tag, attributes = {}, children = [], ns = '') {
  const node = ns ? document.createElementNS(ns, tag) : document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
  node.append(...children);
  return node;
}

/** The angle of a hash on the ring: 0 at the top, clockwise, as the hashes grow. @param {number} hash */
const angleOf = (hash) => (hash / 2 ** 32) * 2 * Math.PI;
/** @param {number} hash @param {number} r */
const at = (hash, r) => [Math.sin(angleOf(hash)) * r, -Math.cos(angleOf(hash)) * r];
/** @param {string} url */
const portOf = (url) => new URL(url).port;

/** @param {string} path @param {RequestInit} [init] */
async function call(path, init) {
  const res = await fetch(path, init);
  if (!res.ok) throw new Error(`${res.status} ${await res.text()}`);
  return res.json();
}

async function drawRing() {
  const ring = await call('/ring');
  points = ring.points;
  ring.nodes.forEach((/** @type {{url: string}} */ node, /** @type {number} */ i) => colourOf.set(node.url, colours[i % colours.length] ?? 'gray'));
  const group = byId('vnodes');
  for (const { hash, node } of points) {
    const [x1, y1] = at(hash, rim - 12);
    const [x2, y2] = at(hash, rim + 12);
    const mark = el('line', { x1: String(x1), y1: String(y1), x2: String(x2), y2: String(y2), stroke: colourOf.get(node) ?? 'gray' }, [], svgNS);
    mark.setAttribute('data-testid', 'vnode');
    mark.setAttribute('data-node', node);
    mark.setAttribute('data-hash', String(hash));
    mark.append(el('title', {}, [`${portOf(node)}: a virtual node at ${hash}`], svgNS));
    group.append(mark);
  }
  byId('legend').replaceChildren(
    ...ring.nodes.map((/** @type {{url: string, api: boolean}} */ node) =>
      el('span', { class: 'swatch', style: `--c: ${colourOf.get(node.url)}` }, [`${portOf(node.url)}${node.api ? ' (API)' : ''}`]),
    ),
    ` ${points.length} virtual nodes, ${points.length / ring.nodes.length} per node`,
  );
}

/** Places `key` on the ring, with an arrow along the rim to the virtual node that owns it. @param {string} key */
async function placeKey(key) {
  const where = await call(`/where?key=${encodeURIComponent(key)}`);
  const keys = byId('keys');
  for (const old of [...keys.children].filter((k) => k.getAttribute('data-key') === key)) old.remove();
  while (keys.children.length >= 4) keys.firstElementChild?.remove();
  const [kx, ky] = at(where.hash, rim);
  const [px, py] = at(where.point.hash, rim + 22);
  const [sx, sy] = at(where.hash, rim + 22);
  const sweep = (where.point.hash - where.hash + 2 ** 32) % 2 ** 32;
  const large = sweep > 2 ** 31 ? 1 : 0;
  const colour = colourOf.get(where.owner) ?? 'gray';
  const [lx, ly] = at(where.hash, rim - 34);
  const mark = el('g', { 'data-testid': 'key-mark', 'data-key': key, 'data-owner': where.owner, 'data-point': String(where.point.hash) }, [
    el('path', { d: `M ${sx} ${sy} A ${rim + 22} ${rim + 22} 0 ${large} 1 ${px} ${py}`, class: 'arrow', stroke: colour }, [], svgNS),
    el('circle', { cx: String(kx), cy: String(ky), r: '6', fill: colour, class: 'key-dot' }, [], svgNS),
    el('text', { x: String(lx), y: String(ly), class: 'key-label' }, [key.length > 12 ? `${key.slice(0, 11)}…` : key], svgNS),
  ], svgNS);
  keys.append(mark);
  for (const vnode of document.querySelectorAll('[data-testid="vnode"]')) {
    const owns = [...keys.children].some((k) => k.getAttribute('data-point') === vnode.getAttribute('data-hash'));
    vnode.classList.toggle('owns', owns);
  }
}

/**
 * A row of the request table: the key, the answers, the time, and the path step by step.
 * @param {{key: string, answers: Array<{status: number, body: string}>, ms: number, steps: Array<{port: number, kind: string, text: string}>, dbLoads: Record<string, number>, peerRequests: number}} result
 */
function addRow(result) {
  const statuses = new Map();
  for (const a of result.answers) statuses.set(`${a.status} ${a.body.trim()}`, (statuses.get(`${a.status} ${a.body.trim()}`) ?? 0) + 1);
  const answer = [...statuses].map(([text, n]) => (result.answers.length > 1 ? `${text} (×${n})` : text)).join(', ');
  const steps = result.steps.map((s) => el('span', { class: `step ${s.kind}`, style: `--c: ${colourOf.get(`http://localhost:${s.port}`)}` }, [`${s.port}: ${s.text}`]));
  const loads = Object.values(result.dbLoads).reduce((a, b) => a + b, 0);
  const path = el('td', {}, steps);
  if (result.answers.length > 1) {
    path.append(el('div', { class: 'summary' }, [`${result.answers.length} requests, ${result.peerRequests} to the owner, ${loads} database load${loads === 1 ? '' : 's'}`]));
  }
  const row = el('tr', result.answers.length > 1 ? { 'data-testid': 'burst-result', 'data-db-loads': String(loads) } : { 'data-testid': 'get-result' }, [
    el('td', {}, [result.answers.length > 1 ? `${result.key} × ${result.answers.length}` : result.key]),
    el('td', {}, [answer]),
    el('td', {}, [`${result.ms} ms`]),
    path,
  ]);
  const body = /** @type {HTMLElement} */ (byId('requests').querySelector('tbody'));
  body.prepend(row);
  while (body.children.length > 8) body.lastElementChild?.remove();
}

const shown = [
  ['gets', 'gets'],
  ['cacheHits', 'cache hits'],
  ['loadsDeduped', 'loads (after singleflight)'],
  ['peerLoads', 'from the owner'],
  ['peerErrors', 'owner failed'],
  ['localLoads', 'from the database'],
  ['serverRequests', 'asked by peers'],
];

/** Fetches every node's counters and the last log lines, and redraws them. */
async function refresh() {
  const state = await call('/state');
  const cards = state.nodes.map((/** @type {any} */ node) => {
    const c = node.counters;
    const rows = shown.map(([field, label]) => el('tr', {}, [el('th', {}, [label ?? '']), el('td', {}, [c ? String(c[field ?? '']) : '-'])]));
    if (c) rows.push(el('tr', {}, [el('th', {}, ['hot cache items']), el('td', {}, [String(c.hotCache.items)])]));
    const button = node.api
      ? el('span', { class: 'api' }, ['the API runs here'])
      : el('button', { type: 'button', 'data-testid': `toggle-${node.port}`, 'data-action': node.up ? 'stop' : 'start', 'data-port': String(node.port) }, [node.up ? 'Stop' : 'Start']);
    return el('div', {
      class: `node ${node.up ? 'up' : 'down'}`,
      style: `--c: ${colourOf.get(node.url)}`,
      'data-testid': `node-${node.port}`,
      'data-up': String(node.up),
      'data-gets': String(c?.gets ?? ''),
      'data-local-loads': String(c?.localLoads ?? ''),
      'data-peer-loads': String(c?.peerLoads ?? ''),
    }, [el('h3', {}, [`${node.port}`, el('small', {}, [node.up ? ' up' : ' stopped'])]), el('table', {}, rows), button]);
  });
  byId('nodes').replaceChildren(...cards);
  const log = byId('log');
  const atBottom = log.scrollTop + log.clientHeight >= log.scrollHeight - 4;
  log.textContent = state.log.join('\n');
  if (atBottom) log.scrollTop = log.scrollHeight; // follow the newest lines, unless the reader scrolled up
}

/** Runs an action with the page's buttons off, and reports an error on the page. @param {() => Promise<void>} action */
async function busy(action) {
  const buttons = document.querySelectorAll('button');
  buttons.forEach((b) => (b.disabled = true));
  try {
    await action();
  } catch (err) {
    addRow({ key: '(error)', answers: [{ status: 0, body: String(err) }], ms: 0, steps: [], dbLoads: {}, peerRequests: 0 });
  } finally {
    document.querySelectorAll('button').forEach((b) => (b.disabled = false));
    await refresh().catch(() => {});
  }
}

byId('ask').addEventListener('submit', (event) => {
  event.preventDefault();
  const key = /** @type {HTMLInputElement} */ (byId('key')).value;
  if (key === '') return;
  void busy(async () => {
    await placeKey(key);
    addRow(await call(`/get?key=${encodeURIComponent(key)}`, { method: 'POST' }));
  });
});

byId('burst').addEventListener('click', () =>
  busy(async () => {
    const result = await call('/burst', { method: 'POST' });
    await placeKey(result.key);
    addRow(result);
  }),
);

byId('nodes').addEventListener('click', (event) => {
  const button = /** @type {HTMLElement} */ (event.target).closest('button[data-action]');
  if (!button) return;
  void busy(() => call(`/nodes/${button.getAttribute('data-port')}/${button.getAttribute('data-action')}`, { method: 'POST' }));
});

void drawRing().then(refresh);
setInterval(() => void refresh().catch(() => {}), 1000);
