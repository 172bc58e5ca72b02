// A GeeCache node serving the group "scores" over HTTP.
// Run from this folder: npm start -- --help
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
newGroup('scores', flags.cacheBytes, warnIfTooBig(database, flags.cacheBytes, log));

// The pool is made once the real port is known (--port 0 picks one). No
// request can arrive before: 'listening' comes first.
const { server, url } = await listenOrExit(flags.port, flags.host);
const pool = new HTTPPool(url, { logLevel: flags.log });
server.on('request', withStats(pool.handler, allGroups()));
log(`geecache is running at ${url}`);

stopOnSignals([server], log);
