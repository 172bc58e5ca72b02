// Day 7: what wrapping a value in a protobuf Response costs, in time and bytes.
// Run: npm run bench -w day7-protobuf   (with http.ts; or npm run bench for everything)
import { Bench } from 'tinybench';
import { geecachepb } from '../day7-protobuf/geecachepb/geecachepb.js';
import { opsPerSecond, printTable, rate } from './table.js';

const sizes = [10, 1024, 100 * 1024];
const bench = new Bench({ time: 400, warmupTime: 100 });
for (const size of sizes) {
  const value = new Uint8Array(size).fill(0x61);
  bench.add(`encode+decode ${size}`, () => {
    geecachepb.Response.decode(geecachepb.Response.encode({ value }).finish());
  });
  // The floor: the one copy a raw answer makes too (ByteView.byteSlice).
  bench.add(`copy ${size}`, () => new Uint8Array(value));
}
await bench.run();

printTable(
  'Protobuf Response: encode + decode, against copying the raw bytes once',
  ['value', 'encode+decode /s', 'raw copy /s', 'bytes on the wire', 'raw bytes', 'framing'],
  sizes.map((size) => {
    const wire = geecachepb.Response.encode({ value: new Uint8Array(size) }).finish().length;
    return [
      size >= 1024 ? `${size / 1024} KB` : `${size} B`,
      rate(opsPerSecond(bench, `encode+decode ${size}`)),
      rate(opsPerSecond(bench, `copy ${size}`)),
      String(wire),
      String(size),
      `+${wire - size} B`,
    ];
  }),
);
