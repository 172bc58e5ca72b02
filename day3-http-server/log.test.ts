import { expect, test } from 'vitest';
import { isLogLevel, printable, timestamp } from './log.js';

test('timestamp prints the local time as Go\'s log does, with milliseconds', () => {
  expect(timestamp(new Date(2026, 11, 1, 9, 5, 3, 7))).toBe('2026/12/01 09:05:03.007');
  expect(timestamp(new Date(2026, 0, 31, 23, 59, 59, 999))).toBe('2026/01/31 23:59:59.999');
});

test('printable escapes control characters, so a key cannot forge a log line', () => {
  expect(printable('a\n[SlowDB] forged\u001b[31m\u009b')).toBe('a\\u000a[SlowDB] forged\\u001b[31m\\u009b');
  expect(printable('Tom héllo 日本')).toBe('Tom héllo 日本');
});

test('isLogLevel knows the two levels and nothing else', () => {
  expect(['requests', 'errors', 'verbose', ''].map(isLogLevel)).toEqual([true, true, false, false]);
});
