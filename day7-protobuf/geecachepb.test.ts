import { expect, test } from 'vitest';
import { geecachepb } from './geecachepb/geecachepb.js';
import { responseHead } from './http.js';

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');

test('a Response round-trips its bytes', () => {
  const value = new Uint8Array([0, 1, 2, 0xff]);
  const wire = geecachepb.Response.encode({ value }).finish();
  expect([...geecachepb.Response.decode(wire).value]).toEqual([0, 1, 2, 0xff]);
});

test("the exact bytes of Jack's answer: field 1, length 3, '589'", () => {
  expect(hex(geecachepb.Response.encode({ value: Buffer.from('589') }).finish())).toBe('0a03353839');
});

test('an empty value is zero bytes on the wire, and decodes to an empty value', () => {
  const wire = geecachepb.Response.encode({ value: new Uint8Array() }).finish();
  expect(wire.length).toBe(0);
  expect(geecachepb.Response.decode(wire).value.length).toBe(0);
});

test('a Request round-trips its group and key', () => {
  const wire = geecachepb.Request.encode({ group: 'scores', key: 'a/b ✓' }).finish();
  const request = geecachepb.Request.decode(wire);
  expect([request.group, request.key]).toEqual(['scores', 'a/b ✓']);
});

test.each([
  ['text', Buffer.from('not protobuf')],
  ['a length past the end', Buffer.from([0x0a, 0x05, 0x31])],
  ['a bad wire type', Buffer.from([0x0f])],
])('a body that is not a Response (%s) throws', (_, body) => {
  expect(() => geecachepb.Response.decode(body)).toThrow();
});

test.each([0, 1, 127, 128, 300, 16_383, 16_384, 70_000, 1 << 20])(
  'the head written before a value of %i bytes makes exactly the Response that protobufjs encodes',
  (size) => {
    const value = Buffer.alloc(size, 7);
    const framed = Buffer.concat([responseHead(size), value]);
    // As hex, so that a wrong head shows its bytes (0a00 where protobufjs writes nothing).
    expect(hex(framed.subarray(0, 8))).toBe(hex(geecachepb.Response.encode({ value }).finish().subarray(0, 8)));
    expect(framed.equals(geecachepb.Response.encode({ value }).finish())).toBe(true);
  },
);
