// The live page of the demo (npm run demo -- --web): the demo's three nodes and API, and a page
// that shows the ring, each node's counters, and the path of every request it sends.
import { once } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { type AddressInfo, createServer as createNetServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Cluster } from './cluster.js';
import { liveHandler } from './server.js';

/** Where the cluster and the page listen. */
export interface LiveOptions {
  /** The nodes' ports; the API runs beside the last one. */
  ports: number[];
  apiPort: number;
  /** The page's port; 0 for any free port. */
  webPort: number;
  /** Each database load waits this long (default 200 ms, as in the demo), so that a burst overlaps. */
  delayMs?: number;
  /** The folder whose `main.ts` each node runs; default day 7's. */
  dir?: string;
}

/** A running live page: its address, its cluster, and how to stop both. */
export interface Live {
  url: string;
  cluster: Cluster;
  close(): Promise<void>;
}

/** GeeCache's three scores, and players enough for a cold key at every press of the burst button. */
function database(): Record<string, string> {
  const db: Record<string, string> = { Tom: '630', Jack: '589', Sam: '567' };
  for (let i = 1; i <= 1000; i++) db[`player${i}`] = String((i * 37) % 1000);
  return db;
}

/** Starts the nodes and the page's server; fails clearly when a port is taken. */
export async function startLive(options: LiveOptions): Promise<Live> {
  for (const port of [...options.ports, options.apiPort, options.webPort]) await checkFree(port);
  const dir = mkdtempSync(join(tmpdir(), 'geecache-live-'));
  const dbFile = join(dir, 'db.json');
  const db = database();
  writeFileSync(dbFile, JSON.stringify(db));
  const cluster = new Cluster({ ports: options.ports, apiPort: options.apiPort, dbFile, delayMs: options.delayMs ?? 200, dir: options.dir });
  const killAll = () => cluster.killAll(); // whatever ends this process, no node outlives it
  process.once('exit', killAll);
  let server: Server | undefined;
  const close = async () => {
    if (server) {
      server.closeAllConnections();
      await new Promise((resolve) => server!.close(resolve));
    }
    await cluster.stopAll();
    process.off('exit', killAll);
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await cluster.start();
    const cold = Object.keys(db).filter((key) => key.startsWith('player'));
    server = createServer(liveHandler(cluster, cold.values())).listen(options.webPort, '127.0.0.1');
    await once(server, 'listening');
  } catch (err) {
    await close();
    throw err;
  }
  return { url: `http://localhost:${(server.address() as AddressInfo).port}/`, cluster, close };
}

/** Fails with a clear message when something already listens on `port` (0 is always free). */
async function checkFree(port: number): Promise<void> {
  if (port === 0) return;
  const probe = createNetServer();
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

/**
 * `npm run demo -- --web`: the demo's ports, the page on 9990, until Ctrl-C. Resolves with the exit code.
 * @param dir the folder of the demo that asks, whose nodes the page shows.
 */
export async function runLive(dir?: string): Promise<number> {
  let live: Live;
  try {
    live = await startLive({ ports: [8001, 8002, 8003], apiPort: 9999, webPort: 9990, dir });
  } catch (err) {
    console.error(`demo: ${(err as Error).message}`);
    return 1;
  }
  console.log(`demo: the cluster is up (8001, 8002, 8003, the API on 9999); open ${live.url}`);
  console.log('demo: Ctrl-C stops the page and the nodes');
  const signal = await Promise.race((['SIGINT', 'SIGTERM', 'SIGHUP'] as const).map((s) => once(process, s).then(() => s)));
  console.log('demo: stopping the page and the nodes');
  await live.close();
  return signal === 'SIGINT' ? 0 : 130;
}
