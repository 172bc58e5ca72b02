// Days 5 and 6: concurrent misses with a slow database, under day 5's lock and
// under day 6's singleflight. Wall time and database loads for each case.
// Run: npm run bench -w day6-singleflight   (or npm run bench for everything)
import { Group as LockGroup } from '../day5-distributed/geecache.js';
import { Group as FlightGroup } from '../day6-singleflight/geecache.js';
import { printTable } from './table.js';

const misses = 100;
const loadMs = 20;

/** A database that answers after `loadMs`, or fails, and counts its loads. */
function slowDatabase(fail: boolean) {
  const counter = { loads: 0 };
  const getter = async (key: string) => {
    counter.loads++;
    await new Promise((resolve) => setTimeout(resolve, loadMs));
    if (fail) throw new Error('database down');
    return `value of ${key}`;
  };
  return { counter, getter };
}

type AnyGroup = { get(key: string): Promise<unknown> };
const designs: Record<string, new (name: string, bytes: number, getter: (key: string) => Promise<string>) => AnyGroup> = {
  'day 5 (lock)': LockGroup,
  'day 6 (singleflight)': FlightGroup,
};
const cases = [
  { name: `${misses} misses, ${misses} different keys`, key: (i: number) => `key${i}`, fail: false },
  { name: `${misses} misses, one key`, key: () => 'hot', fail: false },
  { name: `${misses} misses, one key, the load fails`, key: () => 'hot', fail: true },
];

const rows: string[][] = [];
for (const c of cases) {
  for (const [design, GroupClass] of Object.entries(designs)) {
    const times: number[] = [];
    let loads = 0;
    for (let run = 0; run < 3; run++) {
      const { counter, getter } = slowDatabase(c.fail);
      const group = new GroupClass('bench', 0, getter);
      const start = performance.now();
      await Promise.allSettled(Array.from({ length: misses }, (_, i) => group.get(c.key(i))));
      times.push(performance.now() - start);
      loads = counter.loads;
    }
    const median = times.sort((a, b) => a - b)[1]!;
    rows.push([c.name, design, `${median.toFixed(0)} ms`, String(loads)]);
  }
}
printTable(
  `Concurrent misses, each database load taking ${loadMs} ms (median of 3 runs)`,
  ['case', 'design', 'wall time', 'database loads'],
  rows,
);
