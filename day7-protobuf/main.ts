// A GeeCache node: it owns a share of the keys, asks the other nodes for
// theirs, and with --api also answers clients.
// Run from this folder: npm start -- --port 8001 --api
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { apiHandler } from './api.js';
import { parseFlags, usage } from './flags.js';
import { newGroup } from './geecache.js';
import { HTTPPool } from './http.js';
import { readDB, scores, slowDB } from './slowdb.js';

function exitWithUsage(message: string): never {
  console.error(`error: ${message}\n${usage}`);
  process.exit(2);
}

/** Listens on `port`, or exits with a clear message when it cannot. */
async function listen(port: number): Promise<{ server: Server; url: string }> {
  const server = createServer();
  await new Promise<void>((resolve) => {
    server.once('error', (err: NodeJS.ErrnoException) => {
      console.error(err.code === 'EADDRINUSE' ? `error: port ${port} is already in use` : `error: ${err.message}`);
      process.exit(1);
    });
    server.listen(port, resolve);
  });
  return { server, url: `http://localhost:${(server.address() as AddressInfo).port}` };
}

let flags;
let db = scores;
try {
  flags = parseFlags(process.argv.slice(2));
  if (flags.db !== undefined) db = readDB(flags.db);
} catch (err) {
  exitWithUsage((err as Error).message);
}
if (flags.help) {
  console.log(usage);
  process.exit(0);
}

const group = newGroup('scores', 2 << 10, slowDB(db, flags.delayMs));
const servers: Server[] = [];

// The pool is made once the real port is known (--port 0 picks one). No
// request can arrive before: 'listening' comes first.
const peerSide = await listen(flags.port);
servers.push(peerSide.server);
const pool = new HTTPPool(peerSide.url);
pool.set(...flags.peers);
group.registerPeers(pool);
peerSide.server.on('request', pool.handler);
console.log(`geecache is running at ${peerSide.url}`);
if (!flags.peers.includes(peerSide.url)) {
  console.log(`warning: --peers does not list this node (${peerSide.url}), so it owns no key`);
}

if (flags.api) {
  const apiSide = await listen(flags.apiPort);
  servers.push(apiSide.server);
  apiSide.server.on('request', apiHandler(group));
  console.log(`api is running at ${apiSide.url}`);
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    console.log(`${signal}: shutting down`);
    let open = servers.length;
    for (const server of servers) {
      server.close(() => --open === 0 && process.exit(0));
      server.closeAllConnections();
    }
  });
}
