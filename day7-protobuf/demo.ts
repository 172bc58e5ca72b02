// The finale: three nodes on 8001-8003 and the API on 9999 beside 8003, as
// separate processes; Tom asked for ten times at once, a few other keys, a
// missing key; then a summary of what the database was asked, and a clean stop.
// Run: npm run demo, from the repository root or this folder (-- --keep, or -- --web)
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { connect, createServer } from 'node:net';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';

const nodes = [
  { name: '8001', args: ['--port', '8001'] },
  { name: '8002', args: ['--port', '8002'] },
  { name: '8003', args: ['--port', '8003', '--api'] },
];
const ports = [8001, 8002, 8003, 9999];
const delayMs = 200; // each database load takes this long, so the ten requests for Tom overlap
const requests = [...Array(10).fill('Tom'), 'Jack', 'Sam', 'Katyusha'] as string[];

const children: ChildProcess[] = [];
const loads = new Map<string, Map<string, number>>(); // key -> node -> database loads
const loadsLogged = () => [...loads.values()].reduce((sum, byNode) => sum + [...byNode.values()].reduce((a, b) => a + b, 0), 0);

/** Fails with a clear message when something already listens on `port`. */
async function checkFree(port: number): Promise<void> {
  const probe = createServer();
  try {
    await new Promise<void>((resolve, reject) => {
      probe.once('error', reject);
      probe.listen(port, resolve);
    });
  } catch {
    throw new Error(`port ${port} is already in use: stop what holds it, then run the demo again`);
  }
  await new Promise((resolve) => probe.close(resolve));
}

/** Starts a node, prints each line it logs behind its name, and counts its database loads. */
function startNode(name: string, args: string[]): ChildProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', 'main.ts', ...args, '--delay', String(delayMs)], {
    cwd: import.meta.dirname,
  });
  children.push(child);
  for (const stream of [child.stdout, child.stderr]) {
    createInterface({ input: stream! }).on('line', (line) => {
      console.log(`${name} | ${line}`);
      const load = /^\S+ \S+ \[SlowDB\] search key (.*)$/.exec(line); // behind the time
      if (load) {
        const byNode = loads.get(load[1]!) ?? new Map<string, number>();
        byNode.set(name, (byNode.get(name) ?? 0) + 1);
        loads.set(load[1]!, byNode);
      }
    });
  }
  return child;
}

/** Polls until `port` accepts a connection; no fixed sleep, and no request to clutter the logs. */
async function waitUntilAnswering(port: number, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the node for port ${port} exited with code ${child.exitCode}`);
    const socket = connect(port, 'localhost');
    try {
      await once(socket, 'connect');
      return;
    } catch {
      if (Date.now() > deadline) throw new Error(`nothing answered on port ${port} within 15 s`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    } finally {
      socket.destroy();
    }
  }
}

/** Stops every node it started, and waits until each has exited. */
async function stopAll(): Promise<void> {
  await Promise.all(
    children.map(async (child) => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = once(child, 'close');
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
      await exited;
      clearTimeout(timer);
    }),
  );
}

/** Prints what each request got, then how often the database was asked, per key and node. */
function summarise(answers: Array<{ key: string; status: number; body: string }>): void {
  console.log('\ndemo: answers from http://localhost:9999/api');
  for (const key of new Set(requests)) {
    const mine = answers.filter((a) => a.key === key);
    const kinds = [...new Set(mine.map((a) => `${a.status} ${a.body.trim()}`))].join(', ');
    console.log(`  ${key.padEnd(9)} x${String(mine.length).padEnd(3)} ${kinds}`);
  }
  console.log('demo: database loads (lines "[SlowDB] search key ...")');
  for (const key of new Set(requests)) {
    const byNode = [...(loads.get(key) ?? new Map<string, number>())];
    const where = byNode.map(([node, n]) => `${n} on ${node}`).join(', ') || 'none';
    console.log(`  ${key.padEnd(9)} ${where}`);
  }
  console.log(`demo: ${requests.length} requests, ${loadsLogged()} database loads`);
}

/** groupcache's counters, as a node answers them at GET /stats (the fields the demo shows). */
type Counters = Record<'gets' | 'cacheHits' | 'peerLoads' | 'localLoads' | 'localLoadErrs' | 'loadsDeduped' | 'serverRequests', number>;

/** Asks each node for its counters of the group `scores`. */
async function readStats(): Promise<Array<[string, Counters]>> {
  return Promise.all(
    nodes.map(async ({ name }) => {
      const res = await fetch(`http://localhost:${name}/stats`);
      return [name, ((await res.json()) as { groups: Record<string, Counters> }).groups.scores!] as [string, Counters];
    }),
  );
}

/** Prints the counters as a table, and checks them against the log: one database load per load counted. */
function printStats(stats: Array<[string, Counters]>): boolean {
  const columns = ['gets', 'cacheHits', 'loadsDeduped', 'peerLoads', 'localLoads', 'localLoadErrs', 'serverRequests'] as const;
  console.log('demo: counters per node (GET /stats on each node, the group scores)');
  console.log(`  node ${columns.map((title) => title.padStart(title.length + 2)).join('')}`);
  for (const [name, counters] of stats) {
    console.log(`  ${name} ${columns.map((title) => String(counters[title]).padStart(title.length + 2)).join('')}`);
  }
  console.log('  (loadsDeduped: loads that ran, from an owner or the db; localLoadErrs: loads that failed, the db asked too)');
  const counted = stats.reduce((sum, [, c]) => sum + c.localLoads + c.localLoadErrs, 0);
  const logged = loadsLogged();
  const verdict = counted === logged ? 'they agree' : 'THEY DISAGREE';
  console.log(`demo: database loads counted ${counted} (localLoads + localLoadErrs), logged ${logged} ([SlowDB] lines): ${verdict}`);
  return counted === logged;
}

const usage = 'Usage: npm run demo [-- --keep | --web]';
let keep = false;
let web = false;
try {
  const options = { keep: { type: 'boolean', default: false }, web: { type: 'boolean', default: false }, help: { type: 'boolean', short: 'h' } } as const;
  const { values } = parseArgs({ options });
  if (values.help) {
    console.log(`${usage}\n  --keep  leave the cluster running after the summary, until Ctrl-C\n  --web   a live page of the cluster on :9990, until Ctrl-C`);
    process.exit(0);
  }
  ({ keep, web } = values);
} catch (err) {
  console.error(`demo: ${(err as Error).message}\n${usage}`);
  process.exit(2);
}
if (web) {
  // The same cluster, and a live page of it on :9990 (web/README.md), until Ctrl-C.
  const { runLive } = await import('../web/live.js');
  process.exit(await runLive(import.meta.dirname));
}

// Ctrl-C, a kill of this process (not of npm's, which does not pass it on), or a closed terminal.
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.once(signal, () => {
    console.log('demo: stopping the nodes');
    void stopAll().then(() => process.exit(keep && signal === 'SIGINT' ? 0 : 130));
  });
}
process.once('exit', () => {
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
});

try {
  for (const port of ports) await checkFree(port);
  const started = nodes.map(({ name, args }) => startNode(name, args));
  await Promise.all(ports.map((port, i) => waitUntilAnswering(port, started[Math.min(i, 2)]!)));
  console.log(`demo: cluster up; asking for ${requests.join(', ')}, all at once`);
  const answers = await Promise.all(
    requests.map(async (key) => {
      const res = await fetch(`http://localhost:9999/api?key=${encodeURIComponent(key)}`);
      return { key, status: res.status, body: await res.text() };
    }),
  );
  const stats = await readStats();
  if (!keep) await stopAll(); // also flushes the nodes' last log lines before the summary
  summarise(answers);
  if (!printStats(stats)) process.exitCode = 1;
  if (keep) {
    console.log('\ndemo: the cluster stays up (--keep); try, then press Ctrl-C to stop it:');
    console.log('  curl "http://localhost:9999/api?key=Tom"');
    console.log('  curl "http://localhost:9999/api?key=Sam"');
    console.log('  curl -s http://localhost:8001/_geecache/scores/Jack | od -An -tx1   # a protobuf Response');
    console.log('  curl -s http://localhost:8003/stats                                 # the counters, as JSON');
  }
} catch (err) {
  console.error(`demo: ${(err as Error).message}`);
  await stopAll();
  process.exitCode = 1;
}
