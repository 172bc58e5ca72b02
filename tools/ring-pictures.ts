// Draws day 4's pictures of the consistent-hash ring from the real HashRing:
//   pictures/ring-join.svg           three nodes (one point each) and a dozen keys,
//                                    then the same keys after a fourth node joins;
//   pictures/ring-virtual-nodes.svg  the three nodes with 10 virtual nodes each,
//                                    and each node's share of the circle.
// A hash h sits at h / 2^32 of a turn, 0 at the top, going clockwise.
// Run from the repository root: npx tsx tools/ring-pictures.ts (or npm run pictures).
// With --check it draws them in memory and fails if a committed file differs.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { crc32 } from 'node:zlib';
import { HashRing } from '../day4-consistent-hash/consistenthash.js';

type Point = { hash: number; node: string };
type Box = { x: number; y: number; w: number; h: number };

const root = join(import.meta.dirname, '..');
const TURN = 2 ** 32;

const NODES = ['http://localhost:8001', 'http://localhost:8002', 'http://localhost:8003'];
const JOINING = 'http://localhost:8004';
/**
 * The keys drawn in ring-join.svg: the chapter's own, then eight of the tests' key0, key1, ...
 * (key54 to key61, whose dots sit apart from each other on the ring).
 */
export const JOIN_KEYS = ['Tom', 'Jack', 'Sam', 'Katyusha', ...Array.from({ length: 8 }, (_, i) => `key${54 + i}`)];

// Okabe-Ito: told apart with every common kind of colour blindness.
const COLOURS = ['#0072B2', '#E69F00', '#009E73', '#CC79A7'];
const colourOf = (node: string) => COLOURS[[...NODES, JOINING].indexOf(node)] ?? '#000000';
const port = (node: string) => new URL(node).port;

const FONT = 'system-ui, -apple-system, Segoe UI, Helvetica, Arial, sans-serif';
const INK = '#222222';
const FAINT = '#666666';

/** A number with at most one decimal, never "-0". */
const n = (x: number) => String(Math.round(x * 10) / 10 + 0);
const escape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const degrees = (hash: number) => (hash / TURN) * 360;

/** Where an angle (degrees, 0 at the top, clockwise) at radius r from (cx, cy) lands. */
function at(cx: number, cy: number, r: number, deg: number): [number, number] {
  const rad = (deg * Math.PI) / 180;
  return [cx + r * Math.sin(rad), cy - r * Math.cos(rad)];
}

/** The point that owns `hash`: the first one at or after it, going round. */
function ownerAt(points: Point[], hash: number): string {
  return (points.find((p) => p.hash >= hash) ?? points[0]!).node;
}

/** A key's position, and its owner, checked against ring.get. */
function placeKey(ring: HashRing, points: Point[], key: string) {
  const hash = crc32(key);
  const owner = ownerAt(points, hash);
  if (owner !== ring.get(key)) {
    throw new Error(`key ${JSON.stringify(key)}: the picture says ${owner}, ring.get says ${ring.get(key)}`);
  }
  return { key, hash, owner };
}

/** The clockwise arc from `from` to `to` (in hashes) as SVG path data. */
function arc(cx: number, cy: number, r: number, from: number, to: number): string {
  const span = (((to - from) % TURN) + TURN) % TURN || TURN;
  if (span === TURN) {
    // A whole turn: two half circles, as one arc cannot start and end at the same spot.
    const [x0, y0] = at(cx, cy, r, degrees(from));
    const [x1, y1] = at(cx, cy, r, degrees(from) + 180);
    return `M${n(x0)} ${n(y0)}A${n(r)} ${n(r)} 0 0 1 ${n(x1)} ${n(y1)}A${n(r)} ${n(r)} 0 0 1 ${n(x0)} ${n(y0)}`;
  }
  const [x0, y0] = at(cx, cy, r, degrees(from));
  const [x1, y1] = at(cx, cy, r, degrees(to));
  const large = span > TURN / 2 ? 1 : 0;
  return `M${n(x0)} ${n(y0)}A${n(r)} ${n(r)} 0 ${large} 1 ${n(x1)} ${n(y1)}`;
}

/** Each point's arc: from the point before it (wrapping round) up to the point itself. */
function arcsOf(points: Point[]) {
  return points.map((p, i) => ({ from: points[(i || points.length) - 1]!.hash, to: p.hash, node: p.node }));
}

/** A radial tick across the ring for each point, with a white edge so it shows on its own colour. */
function ticks(cx: number, cy: number, r: number, points: Point[], half: number): string[] {
  return points.flatMap((p) => {
    const [x0, y0] = at(cx, cy, r - half, degrees(p.hash));
    const [x1, y1] = at(cx, cy, r + half, degrees(p.hash));
    const d = `x1="${n(x0)}" y1="${n(y0)}" x2="${n(x1)}" y2="${n(y1)}"`;
    return [
      `<line ${d} stroke="#ffffff" stroke-width="6" stroke-linecap="round"/>`,
      `<line ${d} stroke="${colourOf(p.node)}" stroke-width="3.5" stroke-linecap="round"/>`,
    ];
  });
}

/** The coloured ring: each arc in its owner's colour, lighter than the points. */
function arcPaths(cx: number, cy: number, r: number, points: Point[], width: number): string[] {
  return arcsOf(points).map(
    (a) =>
      `<path d="${arc(cx, cy, r, a.from, a.to)}" fill="none" stroke="${colourOf(a.node)}" stroke-width="${width}" stroke-opacity="0.35"/>`,
  );
}

/** The "0" mark at the top of a ring; returns its elements and the box its label takes. */
function zeroMark(cx: number, cy: number, r: number): { svg: string[]; box: Box } {
  const y = cy - r - 10;
  return {
    svg: [
      `<line x1="${n(cx)}" y1="${n(cy - r - 6)}" x2="${n(cx)}" y2="${n(cy - r + 6)}" stroke="${FAINT}" stroke-width="1"/>`,
      `<text x="${n(cx)}" y="${n(y)}" text-anchor="middle" font-size="11" fill="${FAINT}">0</text>`,
    ],
    box: { x: cx - 5, y: y - 10, w: 10, h: 12 },
  };
}

const textWidth = (text: string, size: number, bold = false) => text.length * size * (bold ? 0.62 : 0.56);

/** Text at an angle, anchored so that it grows away from the ring. */
function radialLabel(cx: number, cy: number, r: number, deg: number, text: string, size: number, bold = false) {
  const [x, y] = at(cx, cy, r, deg);
  const sin = Math.sin((deg * Math.PI) / 180);
  const anchor = sin > 0.3 ? 'start' : sin < -0.3 ? 'end' : 'middle';
  const w = textWidth(text, size, bold);
  const h = size * 1.2;
  const left = anchor === 'start' ? x : anchor === 'end' ? x - w : x - w / 2;
  return { x, y, anchor, box: { x: left, y: y - h / 2, w, h } };
}

const overlaps = (a: Box, b: Box, pad: number) =>
  a.x < b.x + b.w + pad && b.x < a.x + a.w + pad && a.y < b.y + b.h + pad && b.y < a.y + a.h + pad;

/** The signed difference a - b between two angles, in (-180, 180]. */
const turnDiff = (a: number, b: number) => {
  const d = (((a - b) % 360) + 360) % 360;
  return d > 180 ? d - 360 : d;
};

type KeyLabel = { key: string; deg: number; at: number; bold: boolean };

/** Spreads labels round the ring until none overlaps another or an obstacle. */
function spread(cx: number, cy: number, r: number, labels: KeyLabel[], obstacles: Box[], size: number) {
  const boxOf = (l: KeyLabel) => radialLabel(cx, cy, r, l.at, l.key, size, l.bold).box;
  for (let round = 0; round < 2000; round++) {
    let moved = false;
    for (const [i, a] of labels.entries()) {
      for (const b of labels.slice(i + 1)) {
        if (!overlaps(boxOf(a), boxOf(b), 2)) continue;
        // Push them apart, keeping their order round the ring.
        const step = turnDiff(b.deg, a.deg) >= 0 ? 0.5 : -0.5;
        a.at -= step;
        b.at += step;
        moved = true;
      }
      for (const box of obstacles) {
        if (!overlaps(boxOf(a), box, 2)) continue;
        const [ox, oy] = [box.x + box.w / 2 - cx, box.y + box.h / 2 - cy];
        const boxDeg = (Math.atan2(ox, -oy) * 180) / Math.PI;
        a.at += turnDiff(a.at, boxDeg) >= 0 ? 0.5 : -0.5;
        moved = true;
      }
    }
    if (!moved) return;
  }
  throw new Error(`labels still overlap: ${labels.map((l) => l.key).join(', ')}`);
}

/** One ring with its nodes and keys; `moved` keys get a circle and a bold label. */
function keyRing(cx: number, cy: number, r: number, hashRing: HashRing, keys: string[], moved: Set<string>) {
  const points = hashRing.points();
  const placed = keys.map((key) => placeKey(hashRing, points, key));
  const zero = zeroMark(cx, cy, r);
  const out = [...arcPaths(cx, cy, r, points, 8), ...zero.svg, ...ticks(cx, cy, r, points, 13)];

  // Node names inside the ring, keys outside it.
  for (const p of points) {
    const [x, y] = at(cx, cy, r - 30, degrees(p.hash));
    out.push(
      `<text x="${n(x)}" y="${n(y)}" dy="0.35em" text-anchor="middle" font-size="13" font-weight="bold" fill="${colourOf(p.node)}">${port(p.node)}</text>`,
    );
  }

  const labelR = r + 20;
  const labels: KeyLabel[] = placed
    .map((k) => ({ key: k.key, deg: degrees(k.hash), at: degrees(k.hash), bold: moved.has(k.key) }))
    .sort((a, b) => a.deg - b.deg);
  // The ends of the node ticks stick out of the ring: labels keep clear of them too.
  const tickEnds = points.map((p): Box => {
    const [x, y] = at(cx, cy, r + 13, degrees(p.hash));
    return { x: x - 3, y: y - 3, w: 6, h: 6 };
  });
  spread(cx, cy, labelR, labels, [zero.box, ...tickEnds], 12);

  for (const k of placed) {
    const label = labels.find((l) => l.key === k.key)!;
    const deg = degrees(k.hash);
    const [x, y] = at(cx, cy, r, deg);
    if (Math.abs(turnDiff(label.at, deg)) > 2) {
      // The label had to move: a thin line leads from the dot to it.
      const [x0, y0] = at(cx, cy, r + 7, deg);
      const [x1, y1] = at(cx, cy, labelR - 4, label.at);
      out.push(
        `<line x1="${n(x0)}" y1="${n(y0)}" x2="${n(x1)}" y2="${n(y1)}" stroke="${FAINT}" stroke-width="0.75"/>`,
      );
    }
    if (moved.has(k.key)) {
      out.push(`<circle cx="${n(x)}" cy="${n(y)}" r="8.5" fill="none" stroke="${INK}" stroke-width="1.5"/>`);
    }
    out.push(`<circle cx="${n(x)}" cy="${n(y)}" r="5" fill="${colourOf(k.owner)}" stroke="#ffffff" stroke-width="1.5"/>`);
    const l = radialLabel(cx, cy, labelR, label.at, k.key, 12, label.bold);
    const weight = label.bold ? ' font-weight="bold"' : '';
    out.push(
      `<text x="${n(l.x)}" y="${n(l.y)}" dy="0.35em" text-anchor="${l.anchor}" font-size="12"${weight} fill="${INK}">${escape(k.key)}</text>`,
    );
  }
  return out;
}

function svg(width: number, height: number, title: string, body: string[]): string {
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="${FONT}">`,
    `<title>${escape(title)}</title>`,
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
    ...body.map((line) => `  ${line}`),
    '</svg>',
    '',
  ].join('\n');
}

/** Who owns each key before and after JOINING joins a ring of NODES with one point each. */
function joinData(keys = JOIN_KEYS) {
  const before = new HashRing(1);
  before.add(...NODES);
  const after = new HashRing(1);
  after.add(...NODES, JOINING);
  const moved = keys.filter((key) => before.get(key) !== after.get(key));
  const from = new Set(moved.map((key) => before.get(key)));
  const onto = new Set(moved.map((key) => after.get(key)));
  return { before, after, moved, from, onto };
}

/** The caption under ring-join.svg, from the data. */
function joinCaption(keys = JOIN_KEYS): string {
  const { moved, onto } = joinData(keys);
  const where = onto.size === 1 ? `all onto ${port([...onto][0]!)}` : `onto ${[...onto].map(port).join(', ')}`;
  return `${moved.length} of ${keys.length} keys moved, ${where}`;
}

function ringJoin(): string {
  const { before, after, moved, from } = joinData();
  const [w, h, r, cy] = [760, 380, 100, 190];
  const body = [
    `<text x="190" y="34" text-anchor="middle" font-size="15" font-weight="bold" fill="${INK}">${NODES.length} nodes</text>`,
    `<text x="570" y="34" text-anchor="middle" font-size="15" font-weight="bold" fill="${INK}">after ${escape(JOINING)} joins</text>`,
    `<line x1="380" y1="60" x2="380" y2="320" stroke="#dddddd" stroke-width="1"/>`,
    ...keyRing(190, cy, r, before, JOIN_KEYS, new Set()),
    ...keyRing(570, cy, r, after, JOIN_KEYS, new Set(moved)),
    `<text x="380" y="342" text-anchor="middle" font-size="14" font-weight="bold" fill="${INK}">${joinCaption()} (circled)</text>`,
    `<text x="380" y="364" text-anchor="middle" font-size="12" fill="${FAINT}">${escape(
      `Bars are nodes, dots are keys in the colour of their owner: the first node clockwise. ${port(JOINING)} took keys from ${[...from].map(port).join(', ')} only.`,
    )}</text>`,
  ];
  return svg(w, h, `Consistent hashing: ${joinCaption()}`, body);
}

/** Each node's share of the circle, in percent, from the arcs between points. */
function sharesOf(points: Point[]): Map<string, number> {
  const shares = new Map<string, number>();
  for (const a of arcsOf(points)) {
    const span = (((a.to - a.from) % TURN) + TURN) % TURN || (points.length === 1 ? TURN : 0);
    shares.set(a.node, (shares.get(a.node) ?? 0) + (span / TURN) * 100);
  }
  return shares;
}

function ringVirtualNodes(): string {
  const replicas = 10;
  const hashRing = new HashRing(replicas);
  hashRing.add(...NODES);
  const points = hashRing.points();
  if (points.length !== replicas * NODES.length) {
    throw new Error(`expected ${replicas * NODES.length} points, got ${points.length}`);
  }
  const shares = sharesOf(points);
  const [w, h, cx, cy, r] = [420, 420, 210, 200, 125];
  const zero = zeroMark(cx, cy, r);
  const body = [
    `<text x="${cx}" y="34" text-anchor="middle" font-size="15" font-weight="bold" fill="${INK}">${NODES.length} nodes × ${replicas} virtual nodes</text>`,
    ...arcPaths(cx, cy, r, points, 14),
    ...zero.svg,
    ...ticks(cx, cy, r, points, 15),
    `<text x="${cx}" y="${cy - 8}" text-anchor="middle" font-size="13" fill="${FAINT}">${points.length} points</text>`,
    `<text x="${cx}" y="${cy + 12}" text-anchor="middle" font-size="13" fill="${FAINT}">from ring.points()</text>`,
    `<text x="${cx}" y="368" text-anchor="middle" font-size="12" fill="${FAINT}">share of the circle (each arc belongs to the point that ends it)</text>`,
  ];
  NODES.forEach((node, i) => {
    const x = 45 + i * 115;
    body.push(
      `<rect x="${x}" y="381" width="14" height="14" rx="2" fill="${colourOf(node)}"/>`,
      `<text x="${x + 20}" y="392" font-size="13" fill="${INK}"><tspan font-weight="bold">${port(node)}</tspan> ${n(shares.get(node) ?? 0)}%</text>`,
    );
  });
  return svg(w, h, `Consistent hashing: ${NODES.length} nodes with ${replicas} virtual nodes each`, body);
}

/** Every picture, drawn in memory: paths relative to the repository root. */
export function ringPictures(): { file: string; svg: string }[] {
  return [
    { file: 'pictures/ring-join.svg', svg: ringJoin() },
    { file: 'pictures/ring-virtual-nodes.svg', svg: ringVirtualNodes() },
  ];
}

function main(check: boolean) {
  for (const { file, svg } of ringPictures()) {
    const path = join(root, file);
    if (!check) {
      writeFileSync(path, svg);
      console.log(`wrote ${file}`);
      continue;
    }
    let committed = '';
    try {
      committed = readFileSync(path, 'utf8');
    } catch {
      // A missing file is stale too.
    }
    if (committed !== svg) {
      console.error(`error: ${file} is stale: run npm run pictures and commit the result`);
      process.exit(1);
    }
  }
  if (check) console.log('pictures: the committed ring pictures match HashRing');
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main(process.argv.includes('--check'));
}
