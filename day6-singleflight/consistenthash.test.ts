import { createHash } from 'node:crypto';
import { crc32 } from 'node:zlib';
import { describe, expect, test } from 'vitest';
import { HashRing, type Hash } from './consistenthash.js';

/** Reads the bytes as a decimal number, like the strconv.Atoi hash of groupcache's TestHashing: "06" -> 6. */
const decimal: Hash = (data) => Number.parseInt(Buffer.from(data).toString(), 10);

/** Looks its input up in `table` (0 if absent): a test places points on the ring by hand. */
const tableHash =
  (table: Record<string, number>): Hash =>
  (data) =>
    table[Buffer.from(data).toString()] ?? 0;

const nodes = ['http://localhost:8001', 'http://localhost:8002', 'http://localhost:8003'];
const keys = Array.from({ length: 10_000 }, (_, i) => `key${i}`);

/** Who owns each key, in order. */
const ownersOf = (ring: HashRing) => keys.map((key) => ring.get(key));

describe('ported from groupcache and GeeCache', () => {
  // groupcache's consistenthash_test.go; geektutu's copy adds the case '3' -> '4'.
  test('TestHashing: a key goes to the next virtual node clockwise', () => {
    const ring = new HashRing(3, decimal);
    // Virtual nodes 2, 4, 6, 12, 14, 16, 22, 24, 26.
    ring.add('6', '4', '2');
    const cases = { '2': '2', '3': '4', '11': '2', '23': '4', '27': '2' };
    for (const [key, owner] of Object.entries(cases)) expect(ring.get(key), `key ${key}`).toBe(owner);

    // Adds 8, 18, 28: only 27 moves, from wrapping round to 2 onto 28.
    ring.add('8');
    const moved = { ...cases, '27': '8' };
    for (const [key, owner] of Object.entries(moved)) expect(ring.get(key), `key ${key} after adding 8`).toBe(owner);
  });
});

describe('HashRing', () => {
  test('an empty ring owns nothing', () => {
    const ring = new HashRing(3);
    expect(ring.get('Tom')).toBe('');
    ring.add('a');
    ring.remove('a');
    expect(ring.get('Tom')).toBe('');
  });

  test('a collision resolves the same way whatever the order of add', () => {
    // With replicas 1, node '5' hashes '05' and node '05' hashes '005': both land on 5.
    const orders = [['5', '05', '9'], ['05', '5', '9'], ['9', '5', '05'], ['9', '05', '5']];
    for (const order of orders) {
      const ring = new HashRing(1, decimal);
      for (const node of order) ring.add(node);
      expect(ring.get('3'), `order ${order.join(' ')}`).toBe('05');
      expect(ring.get('7')).toBe('9');
      expect(ring.get('10'), 'past the last point (9), a key wraps round to the first (5)').toBe('05');
    }
  });

  test('remove uncovers the virtual node a collision hid', () => {
    const ring = new HashRing(1, decimal);
    ring.add('5', '05', '9');
    ring.remove('05');
    expect(ring.get('3')).toBe('5');
    expect(ring.get('10')).toBe('5');
  });

  test('remove moves the keys of the removed node, and no other key', () => {
    const ring = new HashRing(50);
    ring.add(...nodes);
    const before = ownersOf(ring);
    ring.remove('http://localhost:8002');
    const after = ownersOf(ring);
    let moved = 0;
    for (const [i, owner] of before.entries()) {
      if (owner === 'http://localhost:8002') {
        expect(['http://localhost:8001', 'http://localhost:8003']).toContain(after[i]);
        moved++;
      } else {
        expect(after[i]).toBe(owner);
      }
    }
    expect(moved).toBeGreaterThan(0);

    // Putting the node back puts every key back.
    ring.add('http://localhost:8002');
    expect(ownersOf(ring)).toEqual(before);
  });

  test('removing an unknown node changes nothing', () => {
    const ring = new HashRing(50);
    ring.add(...nodes);
    const before = ownersOf(ring);
    ring.remove('http://localhost:9999');
    expect(ownersOf(ring)).toEqual(before);
  });

  test('adding a node only moves keys onto it', () => {
    const ring = new HashRing(50);
    ring.add(...nodes);
    const before = ownersOf(ring);
    ring.add('http://localhost:8004');
    const after = ownersOf(ring);
    const moved = after.filter((owner, i) => owner !== before[i]);
    expect(moved.length).toBeGreaterThan(0);
    for (const owner of moved) expect(owner).toBe('http://localhost:8004');
  });

  test('growing from 3 to 4 nodes: the ring moves a quarter of the keys, hash % n three quarters', () => {
    const ring = new HashRing(50);
    ring.add(...nodes);
    const before = ownersOf(ring);
    ring.add('http://localhost:8004');
    const ringMoved = ownersOf(ring).filter((owner, i) => owner !== before[i]).length;
    const modMoved = keys.filter((key) => crc32(key) % 3 !== crc32(key) % 4).length;
    console.log(`3 -> 4 nodes, keys moved of ${keys.length}: HashRing(50) ${ringMoved}, hash % n ${modMoved}`);
    expect(ringMoved).toBeLessThan(keys.length * 0.35);
    expect(modMoved).toBeGreaterThan(keys.length * 0.65);
  });

  test('points lists the virtual nodes in ring order, as a copy', () => {
    const ring = new HashRing(3, decimal);
    ring.add('6', '4', '2');
    // replicas x nodes points, ascending: 2, 4, 6, 12, ..., 26, the last digit being the node.
    const expected = [2, 4, 6, 12, 14, 16, 22, 24, 26].map((hash) => ({ hash, node: String(hash % 10) }));
    const points = ring.points();
    expect(points).toEqual(expected);
    // A key that hashes exactly onto a point belongs to that point's node.
    for (const { hash, node } of points) expect(ring.get(String(hash))).toBe(node);

    // Changing the answer leaves the ring as it was.
    points.reverse();
    points[0]!.node = '4'; // the point at 26
    points.push({ hash: 1, node: '4' });
    expect(ring.points()).toEqual(expected);
    expect(ring.get('26')).toBe('6');
    expect(ring.get('1')).toBe('2');
  });

  test('a custom hash is read as unsigned 32-bit', () => {
    // -1 is 0xffffffff and -2 is 0xfffffffe: both sort after 10, not before it.
    const ring = new HashRing(1, tableHash({ '0a': -1, '0b': 10, low: 5, high: -2 }));
    ring.add('a', 'b');
    expect(ring.get('low')).toBe('b');
    expect(ring.get('high')).toBe('a');
  });
});

describe('same owners as Go groupcache (consistenthash.New(replicas, nil))', () => {
  // Printed by interop/ringowners/main.go, which runs groupcache's own consistenthash.
  const fromGo: Record<number, [key: string, owner: string][]> = {
    50: [
      ['Tom', 'http://localhost:8001'],
      ['Jack', 'http://localhost:8001'],
      ['Sam', 'http://localhost:8003'],
      ['kkk', 'http://localhost:8001'],
      ['', 'http://localhost:8001'],
      [' ', 'http://localhost:8003'],
      ['a', 'http://localhost:8001'],
      ['A', 'http://localhost:8002'],
      ['0', 'http://localhost:8003'],
      ['42', 'http://localhost:8003'],
      ['key0', 'http://localhost:8001'],
      ['key1', 'http://localhost:8001'],
      ['key99999', 'http://localhost:8001'],
      ['user:1001', 'http://localhost:8001'],
      ['/api/v1/scores?name=Tom', 'http://localhost:8003'],
      ['Tom ', 'http://localhost:8001'],
      ['tom', 'http://localhost:8003'],
      ['héllo', 'http://localhost:8001'],
      ['日本語', 'http://localhost:8002'],
      ['emoji 🚀', 'http://localhost:8002'],
      ['tab\tkey', 'http://localhost:8001'],
      ['http://localhost:8001', 'http://localhost:8002'],
      ['key237', 'http://localhost:8001'], // hashes past the last virtual node: wraps
      ['key54', 'http://localhost:8003'],
    ],
    3: [
      ['Tom', 'http://localhost:8002'],
      ['Jack', 'http://localhost:8001'],
      ['Sam', 'http://localhost:8003'],
      ['kkk', 'http://localhost:8003'],
      ['', 'http://localhost:8001'],
      [' ', 'http://localhost:8003'],
      ['a', 'http://localhost:8003'],
      ['A', 'http://localhost:8003'],
      ['0', 'http://localhost:8003'],
      ['42', 'http://localhost:8002'],
      ['key0', 'http://localhost:8002'],
      ['key1', 'http://localhost:8002'],
      ['key99999', 'http://localhost:8002'],
      ['user:1001', 'http://localhost:8003'],
      ['/api/v1/scores?name=Tom', 'http://localhost:8002'],
      ['Tom ', 'http://localhost:8003'],
      ['tom', 'http://localhost:8002'],
      ['héllo', 'http://localhost:8002'],
      ['日本語', 'http://localhost:8002'],
      ['emoji 🚀', 'http://localhost:8002'],
      ['tab\tkey', 'http://localhost:8002'],
      ['http://localhost:8001', 'http://localhost:8003'],
      ['key237', 'http://localhost:8001'], // wraps
      ['key54', 'http://localhost:8001'], // wraps
    ],
  };

  describe.each([50, 3])('replicas %i', (replicas) => {
    const ring = new HashRing(replicas);
    ring.add(...nodes);
    test.each(fromGo[replicas]!)('%j -> %s', (key, owner) => {
      expect(ring.get(key)).toBe(owner);
    });
  });
});

describe('bad input', () => {
  test.each([0, -1, 1.5, NaN, Infinity])('replicas %d throws RangeError', (replicas) => {
    expect(() => new HashRing(replicas)).toThrow(RangeError);
  });

  test('an empty node name throws, and adds none of the call', () => {
    const ring = new HashRing(3);
    expect(() => ring.add('')).toThrow(RangeError);
    expect(() => ring.add('http://localhost:8001', '')).toThrow(RangeError);
    expect(ring.get('Tom')).toBe('');
    // 8001 must not sneak onto the ring with the next add.
    ring.add('http://localhost:8002');
    expect(new Set(ownersOf(ring))).toEqual(new Set(['http://localhost:8002']));
  });

  test('adding a node already there changes no owner', () => {
    const ring = new HashRing(50);
    ring.add(...nodes);
    const before = ownersOf(ring);
    ring.add('http://localhost:8002');
    expect(ownersOf(ring)).toEqual(before);

    // Even when it collides: in groupcache the last Add would win here.
    const colliding = new HashRing(1, decimal);
    colliding.add('05', '5');
    colliding.add('5');
    expect(colliding.get('3')).toBe('05');
  });

  test('a node added twice is gone after one remove', () => {
    const ring = new HashRing(3);
    ring.add('a', 'a');
    ring.add('a');
    ring.remove('a');
    expect(ring.get('Tom')).toBe('');
  });
});

describe('balance over 100,000 keys', () => {
  const KEYS = 100_000;

  /** Each node's count of key0..key99999, and the worst node's distance from a third, in %. */
  function balance(replicas: number, hash?: Hash) {
    const ring = new HashRing(replicas, hash);
    ring.add(...nodes);
    const counts = new Map(nodes.map((node) => [node, 0]));
    for (let i = 0; i < KEYS; i++) {
      const owner = ring.get(`key${i}`);
      counts.set(owner, (counts.get(owner) ?? 0) + 1);
    }
    const shares = nodes.map((node) => counts.get(node) ?? 0);
    const even = KEYS / nodes.length;
    const worst = Math.max(...shares.map((n) => (Math.abs(n - even) / even) * 100));
    return { replicas, shares, worst };
  }

  /** Prints one row per replica count, as in the chapter. */
  function report(title: string, rows: ReturnType<typeof balance>[]) {
    const lines = rows.map((r) => {
      const shares = r.shares.map((n) => String(n).padStart(6)).join(' ');
      return `${String(r.replicas).padStart(8)} | ${shares} | ${r.worst.toFixed(1).padStart(5)}%`;
    });
    console.log([title, 'replicas |   8001   8002   8003 | worst', ...lines].join('\n'));
  }

  const sha256: Hash = (data) => createHash('sha256').update(data).digest().readUInt32BE(0);

  test('CRC-32 (the default): virtual nodes help, but the skew stays', () => {
    const [r1, r10, r50, r150] = [1, 10, 50, 150].map((r) => balance(r));
    report('CRC-32', [r1!, r10!, r50!, r150!]);
    for (const r of [r1!, r10!, r50!, r150!]) expect(r.shares.reduce((a, b) => a + b)).toBe(KEYS);
    // Measured: 77.4%, 12.4%, 23.1%, 26.4%. The bounds keep a margin; the numbers never change.
    expect(r50!.worst).toBeLessThan(30);
    expect(r10!.worst).toBeLessThan(r1!.worst);
    expect(r150!.worst).toBeLessThan(r1!.worst);
  });

  test('a well-mixed hash (SHA-256): more virtual nodes, less skew', () => {
    const rows = [1, 10, 50, 150].map((r) => balance(r, sha256));
    report('SHA-256 (first 4 bytes)', rows);
    // Measured: 96.2%, 28.7%, 16.4%, 6.8%.
    for (let i = 1; i < rows.length; i++) expect(rows[i]!.worst).toBeLessThan(rows[i - 1]!.worst);
    expect(rows.at(-1)!.worst).toBeLessThan(10);
  });
});
