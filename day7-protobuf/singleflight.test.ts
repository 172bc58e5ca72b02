import { expect, test } from 'vitest';
import { SingleFlight } from './singleflight.js';

/** A promise with its resolve and reject functions, to decide in a test when a run finishes. */
function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

test('TestDo: a call runs fn and resolves with its value', async () => {
  const g = new SingleFlight<string>();
  await expect(g.do('key', async () => 'bar')).resolves.toBe('bar');
});

test('TestDoDupSuppress: overlapping calls for one key share one run', async () => {
  const g = new SingleFlight<string>();
  const gate = deferred<string>();
  let runs = 0;
  const fn = () => {
    runs++;
    return gate.promise;
  };
  const calls = Array.from({ length: 100 }, () => g.do('key', fn));
  await tick();
  gate.resolve('bar');
  expect(await Promise.all(calls)).toEqual(Array(100).fill('bar'));
  expect(runs).toBe(1);
});

test('TestDoErr: overlapping calls share the error too', async () => {
  const g = new SingleFlight<string>();
  const gate = deferred<string>();
  let runs = 0;
  const calls = Array.from({ length: 10 }, () =>
    g.do('key', () => {
      runs++;
      return gate.promise;
    }),
  );
  const failure = new Error('database down');
  gate.reject(failure);
  const results = await Promise.allSettled(calls);
  expect(results).toEqual(Array(10).fill({ status: 'rejected', reason: failure }));
  expect(runs).toBe(1);
});

test('calls that do not overlap run again: nothing is remembered', async () => {
  const g = new SingleFlight<number>();
  let runs = 0;
  const fn = async () => ++runs;
  expect(await g.do('key', fn)).toBe(1);
  expect(await g.do('key', fn)).toBe(2);
});

test('a rejected run leaves nothing behind: the next call runs again', async () => {
  const g = new SingleFlight<string>();
  await expect(g.do('key', () => Promise.reject(new Error('first')))).rejects.toThrow('first');
  await expect(g.do('key', async () => 'second')).resolves.toBe('second');
});

test('an fn that throws at once rejects, and leaves nothing behind', async () => {
  const g = new SingleFlight<string>();
  const throwsNow = (): Promise<string> => {
    throw new Error('thrown synchronously');
  };
  const pending = g.do('key', throwsNow); // must not throw here
  await expect(pending).rejects.toThrow('thrown synchronously');
  // A second call runs anew only if the first one's rejected entry is gone from the map.
  await expect(g.do('key', async () => 'again')).resolves.toBe('again');
});

test('different keys run side by side', async () => {
  const g = new SingleFlight<string>();
  const gates = { a: deferred<string>(), b: deferred<string>() };
  const started: string[] = [];
  const a = g.do('a', () => (started.push('a'), gates.a.promise));
  const b = g.do('b', () => (started.push('b'), gates.b.promise));
  await tick();
  expect(started).toEqual(['a', 'b']); // b did not wait for a
  gates.b.resolve('B');
  gates.a.resolve('A');
  expect([await a, await b]).toEqual(['A', 'B']);
});

test('a call that joins late still gets the shared result', async () => {
  const g = new SingleFlight<string>();
  const gate = deferred<string>();
  let runs = 0;
  const first = g.do('key', () => (runs++, gate.promise));
  await tick();
  const late = g.do('key', async () => (runs++, 'second run'));
  gate.resolve('first run');
  expect([await first, await late]).toEqual(['first run', 'first run']);
  expect(runs).toBe(1);
});
