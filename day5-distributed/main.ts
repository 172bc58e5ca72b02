// A GeeCache node serving the group "scores" over HTTP.
// Run from this folder: npm start -- --help
import { apiHandler } from './api.js';
import { readDB } from './dbfile.js';
import { parseFlags, usage } from './flags.js';
import { allGroups, newGroup } from './geecache.js';
import { HTTPPool } from './http.js';
import { log } from './log.js';
import { listenOrExit, stopOnSignals } from './server.js';
import { scores, slowDB } from './slowdb.js';
import { withStats } from './stats.js';
import { warnIfTooBig } from './toobig.js';

let flags;
let db = scores;
try {
  flags = parseFlags(process.argv.slice(2));
  if (flags.db !== undefined) db = readDB(flags.db);
} catch (err) {
  console.error(`error: ${(err as Error).message}\n${usage}`);
  process.exit(2);
}
if (flags.help) {
  console.log(usage);
  process.exit(0);
}

const database = slowDB(db, { delayMs: flags.delayMs, logLevel: flags.log });
const group = newGroup('scores', flags.cacheBytes, warnIfTooBig(database, flags.cacheBytes, log));

// The pool is made once the real port is known (--port 0 picks one). No
// request can arrive before: 'listening' comes first.
const { server, url } = await listenOrExit(flags.port, flags.host);
const self = flags.self ?? url;
const pool = new HTTPPool(self, { logLevel: flags.log });
pool.set(...flags.peers);
group.registerPeers(pool);
server.on('request', withStats(pool.handler, allGroups()));
log(`geecache is running at ${url}${self === url ? '' : ` as ${self}`}`);
if (!flags.peers.includes(self)) log(`warning: --peers does not list this node (${self}), so it owns no key`);

const api = flags.api ? await listenOrExit(flags.apiPort, flags.host) : undefined;
if (api) {
  api.server.on('request', apiHandler(group));
  log(`api is running at ${api.url}`);
}

stopOnSignals(api ? [server, api.server] : [server], log);
