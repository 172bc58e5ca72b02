import { expect, test, vi } from 'vitest';
import { ByteView } from './byteview.js';

test('a string is stored as UTF-8: len counts bytes', () => {
  const view = new ByteView('héllo');
  expect(view.len()).toBe(6);
  expect(view.toString()).toBe('héllo');
});

test('bytes are copied in: changing the source changes nothing', () => {
  const source = new Uint8Array([1, 2, 3]);
  const view = new ByteView(source);
  source[0] = 99;
  expect([...view.byteSlice()]).toEqual([1, 2, 3]);
});

test('bytes are copied out: changing a slice changes nothing', () => {
  const view = new ByteView('abc');
  const slice = view.byteSlice();
  slice[0] = 0x7a;
  expect(view.toString()).toBe('abc');
  expect(view.byteSlice()).not.toBe(slice);
});

test('a slice of a larger buffer keeps only its own bytes', () => {
  const big = new Uint8Array([0, 1, 2, 3, 4, 5]);
  const view = new ByteView(big.subarray(2, 4));
  expect([...view.byteSlice()]).toEqual([2, 3]);
  expect(view.byteSlice().buffer.byteLength).toBe(2);
});

test('the stored copy is not a slice of Node\'s shared Buffer pool', () => {
  // Buffer.from('tiny') is a view into an 8 KiB pool, and would keep all of it alive:
  expect(Buffer.from('tiny').buffer.byteLength).toBeGreaterThan(4);
  // ByteView must copy without going through the pool at all.
  const spies = [vi.spyOn(Buffer, 'from'), vi.spyOn(Buffer, 'allocUnsafe'), vi.spyOn(Buffer, 'concat')];
  try {
    new ByteView('tiny');
    new ByteView(new Uint8Array([1, 2, 3]));
    for (const spy of spies) expect(spy).not.toHaveBeenCalled();
  } finally {
    for (const spy of spies) spy.mockRestore();
  }
});

test('an empty value is allowed', () => {
  const view = new ByteView('');
  expect(view.len()).toBe(0);
  expect(view.toString()).toBe('');
});

test('readOnlyBytes hands out the bytes themselves, for a writer: no copy, the same bytes each time', () => {
  const view = new ByteView('630');
  expect(view.readOnlyBytes()).toBe(view.readOnlyBytes());
  expect(Buffer.from(view.readOnlyBytes()).toString()).toBe('630');
  expect(view.byteSlice()).not.toBe(view.byteSlice()); // the copy, for everyone else
});
