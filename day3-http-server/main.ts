// One GeeCache node serving the group "scores" over HTTP.
// Run from this folder: npm start -- --port 9999
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseArgs } from 'node:util';
import { newGroup, NotFoundError } from './geecache.js';
import { HTTPPool, printable } from './http.js';

const usage = `Usage: main.ts [--port N]
  --port N   port to listen on, 0 for any free port (default 9999)
  --help     show this help`;

function exitWithUsage(message: string): never {
  console.error(`error: ${message}\n${usage}`);
  process.exit(2);
}

function parsePort(): number {
  try {
    const { values } = parseArgs({
      options: { port: { type: 'string', default: '9999' }, help: { type: 'boolean' } },
    });
    if (values.help) {
      console.log(usage);
      process.exit(0);
    }
    const port = Number(values.port);
    if (!/^\d+$/.test(values.port) || port > 65535) {
      exitWithUsage(`--port must be a whole number from 0 to 65535, got "${values.port}"`);
    }
    return port;
  } catch (err) {
    exitWithUsage((err as Error).message);
  }
}

const port = parsePort();

// A Map, not an object literal: db['constructor'] must be a miss, not a function.
const db = new Map([
  ['Tom', '630'],
  ['Jack', '589'],
  ['Sam', '567'],
]);

newGroup('scores', 2 << 10, (key) => {
  console.log(`[SlowDB] search key ${printable(key)}`);
  const value = db.get(key);
  if (value === undefined) throw new NotFoundError(`${key} not exist`);
  return value;
});

const server = createServer();
server.on('error', (err: NodeJS.ErrnoException) => {
  console.error(err.code === 'EADDRINUSE' ? `error: port ${port} is already in use` : `error: ${err.message}`);
  process.exit(1);
});
server.listen(port, () => {
  // The pool is made once the real port is known (--port 0 picks one). No
  // request can arrive before this callback: 'listening' is emitted first.
  const self = `http://localhost:${(server.address() as AddressInfo).port}`;
  server.on('request', new HTTPPool(self).handler);
  console.log(`geecache is running at ${self}`);
});

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    console.log(`${signal}: shutting down`);
    server.close(() => process.exit(0));
    server.closeAllConnections();
  });
}
