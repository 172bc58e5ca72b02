import { expect, test } from 'vitest';
import { Mutex } from './mutex.js';

const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

test('only one holder at a time, even when the holders await', async () => {
  const mu = new Mutex();
  let inside = 0;
  let most = 0;
  await Promise.all(
    Array.from({ length: 20 }, () =>
      mu.runExclusive(async () => {
        inside++;
        most = Math.max(most, inside);
        await tick();
        inside--;
      }),
    ),
  );
  expect(most).toBe(1);
});

test('waiters run in the order they asked', async () => {
  const mu = new Mutex();
  const order: number[] = [];
  await Promise.all(
    [1, 2, 3, 4].map((n) =>
      mu.runExclusive(async () => {
        await tick();
        order.push(n);
      }),
    ),
  );
  expect(order).toEqual([1, 2, 3, 4]);
});

test('resolves with the value fn returns, sync or async', async () => {
  const mu = new Mutex();
  await expect(mu.runExclusive(() => 42)).resolves.toBe(42);
  await expect(mu.runExclusive(async () => 'async')).resolves.toBe('async');
});

test('a throwing or rejecting fn releases the lock', async () => {
  const mu = new Mutex();
  await expect(
    mu.runExclusive(() => {
      throw new Error('sync boom');
    }),
  ).rejects.toThrow('sync boom');
  await expect(mu.runExclusive(() => Promise.reject(new Error('async boom')))).rejects.toThrow(
    'async boom',
  );
  await expect(mu.runExclusive(() => 'still usable')).resolves.toBe('still usable');
});

test('a newcomer cannot slip in between a release and the next waiter', async () => {
  const mu = new Mutex();
  let inside = 0;
  let most = 0;
  const started: string[] = [];
  const body = (name: string) => async () => {
    started.push(name);
    inside++;
    most = Math.max(most, inside);
    await tick();
    inside--;
  };
  let open!: () => void;
  const gate = new Promise<void>((resolve) => (open = resolve));
  const first = mu.runExclusive(() => gate);
  const waiter = mu.runExclusive(body('waiter'));
  await tick();
  // Opening the gate runs this newcomer's call after the first holder is done
  // and before the waiter has started: a lock marked free on release would let it in.
  const newcomer = gate.then(() => mu.runExclusive(body('newcomer')));
  open();
  await Promise.all([first, waiter, newcomer]);
  expect(most).toBe(1);
  expect(started).toEqual(['waiter', 'newcomer']);
});
