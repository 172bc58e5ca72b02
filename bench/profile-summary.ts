// Where a CPU profile's time goes: shares by kind (our day-7 code, node:http,
// streams and sockets, native calls such as writev, GC, idle) and the functions
// with the most self time. Reads a .cpuprofile (node --cpu-prof).
// V8 samples by the clock: a thread that waits for a CPU inside a function
// (preempted in writev, say) still counts there; bench/profile.ts prints the
// kernel's counts of running and waiting beside this summary.
// Run: tsx bench/profile-summary.ts FILE.cpuprofile [--from-end START_MS,END_MS] [--top N]
//   --from-end 4200,100: only the samples from 4.2 s to 0.1 s before the profile ends
//   (bench/profile.ts uses this to keep only the time under load).
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { printTable } from './table.js';

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
}
interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

/** The kind of code a frame belongs to, for the breakdown. */
function kind({ functionName, url }: CallFrame): string {
  // Node marks the isolate idle for its whole poll phase, so "(idle)" is waiting
  // in epoll and also the native work done there outside JS (read(), llhttp).
  if (functionName === '(idle)') return '(idle): epoll, read() and native HTTP parsing';
  if (functionName === '(garbage collector)') return 'garbage collector';
  if (functionName === '(program)') return '(program): native work outside JS functions';
  if (url.includes('/day7-protobuf/geecachepb/')) return 'our code: day7-protobuf/geecachepb (generated)';
  if (url.includes('/day7-protobuf/')) return 'our code: day7-protobuf/*.ts';
  if (url.includes('/node_modules/protobufjs/')) return 'protobufjs';
  if (url.includes('/node_modules/')) return 'other node_modules (tsx loader...)';
  if (/^node:(_http_|http$|internal\/http)/.test(url)) return 'node:http internals (_http_server, _http_outgoing...)';
  if (/^node:(net|stream|internal\/(streams|stream_base_commons|net))/.test(url)) return 'node:net and streams internals';
  if (url.startsWith('node:')) return 'other node: internals (events, timers, url...)';
  if (url === '' && functionName === 'writev') return 'writev (sending answers)';
  if (url === '') return 'other native functions';
  return 'other code (bench/...)';
}

// tsx hands V8 its compiled output, about one line per file: a line number
// there says nothing, so files outside node: are named without one.
const place = ({ url, lineNumber }: CallFrame) =>
  url === '' ? '(native)' : url.startsWith('node:') ? `${url}:${lineNumber + 1}` : basename(url);

/** Prints the summary of `file`; `window` limits it to samples from window[0] to window[1] ms before the end. */
export function summarise(file: string, window?: [number, number], top = 20): void {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const ours = (id: number) => byId.get(id)!.callFrame.url.includes('/day7-protobuf/');

  const self = new Map<number, number>();
  let total = 0;
  let onStack = 0; // samples with a frame of our code anywhere on the stack
  let onStackWritev = 0; // of those, the samples in writev itself
  let t = profile.startTime;
  const [from, to] = window === undefined ? [-Infinity, Infinity] : [profile.endTime - window[0] * 1e3, profile.endTime - window[1] * 1e3];
  profile.samples.forEach((id, i) => {
    t += profile.timeDeltas[i] ?? 0;
    if (t < from || t > to) return;
    total++;
    self.set(id, (self.get(id) ?? 0) + 1);
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      if (ours(at)) {
        onStack++;
        if (kind(byId.get(id)!.callFrame).startsWith('writev')) onStackWritev++;
        break;
      }
    }
  });
  if (total === 0) throw new Error(`${file}: no sample in the window`);
  const percent = (n: number) => `${((100 * n) / total).toFixed(1)}%`;

  const kinds = new Map<string, number>();
  const functions = new Map<string, { frame: CallFrame; samples: number }>();
  for (const [id, samples] of self) {
    const frame = byId.get(id)!.callFrame;
    kinds.set(kind(frame), (kinds.get(kind(frame)) ?? 0) + samples);
    const name = `${frame.functionName || '(anonymous)'} ${place(frame)}`;
    const entry = functions.get(name) ?? { frame, samples: 0 };
    entry.samples += samples;
    functions.set(name, entry);
  }
  const seconds = window === undefined ? (profile.endTime - profile.startTime) / 1e6 : (window[0] - window[1]) / 1e3;
  console.log(`\n${basename(file)}: ${total} samples over ${seconds.toFixed(1)} s${window ? ` (from ${window[0]} to ${window[1]} ms before the end)` : ''}`);
  printTable(
    'Self time by kind',
    ['kind', 'share'],
    [...kinds].sort((a, b) => b[1] - a[1]).map(([name, n]) => [name, percent(n)]),
  );
  console.log(
    `\nSamples with a frame of day7-protobuf/ anywhere on the stack (our code and all it calls): ${percent(onStack)}, ` +
      `of which ${percent(onStackWritev)} in writev itself (res.end() sends the answer synchronously) and ${percent(onStack - onStackWritev)} in everything else`,
  );
  printTable(
    `Top ${top} functions by self time`,
    ['function', 'where', 'kind', 'self'],
    [...functions.values()]
      .sort((a, b) => b.samples - a.samples)
      .slice(0, top)
      .map(({ frame, samples }) => [frame.functionName || '(anonymous)', place(frame), kind(frame).split(' (')[0]!, percent(samples)]),
  );
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { 'from-end': { type: 'string' }, top: { type: 'string', default: '20' } },
  });
  const window = values['from-end']?.split(',').map(Number);
  if (positionals.length !== 1 || (window !== undefined && (window.length !== 2 || !window.every((n) => n >= 0)))) {
    console.error('Usage: tsx bench/profile-summary.ts FILE.cpuprofile [--from-end START_MS,END_MS] [--top N]');
    process.exit(2);
  }
  summarise(positionals[0]!, window as [number, number] | undefined, Number(values.top));
}
