// Profiles one day-7 node answering cache hits through GET /api: the node runs
// with node --cpu-prof (quiet, --log errors, when it has that flag), wrk loads
// it with 32 connections for BENCH_SECONDS (default 4), then the node stops and
// bench/profile-summary.ts summarises the samples taken under load only.
// Run: tsx bench/profile.ts   (the .cpuprofile is kept; its path is printed)
//      tsx bench/profile.ts bare   the same for the floor, bench/bare-server.ts
import { spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadGenerator, scratchDir } from './loadgen.js';
import { freePort, root, startProgram, waitForPort } from './processes.js';
import { summarise } from './profile-summary.js';

const seconds = Number(process.env.BENCH_SECONDS ?? 4);
const ticksPerSecond = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout) || 100;
const generator = loadGenerator();
const dir = mkdtempSync(join(tmpdir(), 'geecache-profile-'));
const db = join(scratchDir(), 'db.json');
writeFileSync(db, JSON.stringify({ k1: '1' }));

const main = join(root, 'day7-protobuf/main.ts');
const help = spawnSync(process.execPath, ['--import', 'tsx', main, '--help'], { cwd: join(root, 'day7-protobuf'), encoding: 'utf8' });
const log = /--log\b/.test(help.stdout) ? ['--log', 'errors'] : [];
const bare = process.argv[2] === 'bare';
const [port, apiPort] = [await freePort(), await freePort()];
const args = bare
  ? [join(root, 'bench/bare-server.ts'), String(apiPort)]
  : [main, '--port', String(port), '--peers', `http://localhost:${port}`, '--db', db, '--api', '--api-port', String(apiPort), ...log];
const node = startProgram(process.execPath, ['--cpu-prof', '--cpu-prof-dir', dir, '--import', 'tsx', ...args], join(root, 'day7-protobuf'), {
  stdout: 'drain',
  stderr: 'drain',
});
await waitForPort(apiPort, node);
const target = { url: `http://127.0.0.1:${apiPort}`, paths: ['/api?key=k1'] };
await generator.load(target, 32, 1); // warm up: JIT, caches
const before = mainThreadTicks(node.pid!);
const loadStart = Date.now();
const result = await generator.load(target, 32, seconds);
const loadEnd = Date.now();
const after = mainThreadTicks(node.pid!);
const exited = once(node, 'exit');
node.kill('SIGTERM');
await exited;
const end = Date.now();
const file = readdirSync(dir).find((name) => name.endsWith('.cpuprofile'));
if (file === undefined) throw new Error(`no .cpuprofile in ${dir}`);
const what = bare
  ? 'bare node:http server (the floor)'
  : `One day-7 node, GET /api?key=k1 (hit), ${log.length ? '--log errors' : 'default logging (no --log flag yet)'}`;
console.log(
  `${what}, ` +
    `${generator.description}: 32 connections, ${seconds} s, ${(result.requests / result.seconds / 1000).toFixed(1)} k requests/s`,
);
console.log(`profile: ${join(dir, file)}`);
if (before !== undefined && after !== undefined) {
  // V8 samples by the clock, whether the thread runs or not: a sample lands
  // in the function the thread is in, even when it waits for a CPU there. And
  // it labels "(idle)" all the time Node's event loop spends in its poll phase
  // outside JavaScript: waiting in epoll, but also read() and the native HTTP
  // parser (llhttp). The kernel's counts of the main thread tell them apart.
  const wall = (loadEnd - loadStart) / 1000;
  const share = (x: number) => `${((100 * x) / wall).toFixed(0)}%`;
  const user = (after.user - before.user) / ticksPerSecond;
  const system = (after.system - before.system) / ticksPerSecond;
  const waiting = (after.runqueueNs - before.runqueueNs) / 1e9;
  console.log(
    `main thread under load (from /proc): running ${share(user + system)} of the time (${share(user)} user, ${share(system)} kernel), ` +
      `waiting for a CPU ${share(waiting)} (preempted ${after.preempted - before.preempted} times), ` +
      `sleeping about ${share(Math.max(0, wall - user - system - waiting))}`,
  );
}
// The samples under load: from the start of the measured run to its end, 100 ms in from each side.
summarise(join(dir, file), [end - loadStart - 100, end - loadEnd + 100]);

/**
 * CPU time of a process's main thread so far, in clock ticks; its time runnable
 * but waiting for a CPU, in ns; how often it was preempted. Undefined without /proc.
 */
function mainThreadTicks(pid: number): { user: number; system: number; runqueueNs: number; preempted: number } | undefined {
  try {
    const task = `/proc/${pid}/task/${pid}`;
    // Fields after the command's closing parenthesis: state is the 1st, utime the 12th, stime the 13th.
    const fields = readFileSync(`${task}/stat`, 'utf8').split(') ')[1]!.split(' ');
    const runqueueNs = Number(readFileSync(`${task}/schedstat`, 'utf8').split(' ')[1]);
    const preempted = Number(/nonvoluntary_ctxt_switches:\s*(\d+)/.exec(readFileSync(`${task}/status`, 'utf8'))?.[1]);
    return { user: Number(fields[11]), system: Number(fields[12]), runqueueNs, preempted };
  } catch {
    return undefined;
  }
}
