import { isIP } from 'node:net';
import { parseArgs } from 'node:util';
import { isBaseURL } from './peerrequest.js';
import { isLogLevel } from './log.js';

/** The three nodes of the demo. */
export const defaultPeers = ['http://localhost:8001', 'http://localhost:8002', 'http://localhost:8003'];

/** The help text of main.ts. */
export const usage = `Usage: main.ts [options]
  --port N         the node's port (peers, curl, /stats), 0 for any free port (default 8001)
  --host ADDR      the address to listen on (default 127.0.0.1: this machine only;
                   :: or 0.0.0.0 for every interface, or one interface's address)
  --cache-bytes N  the most bytes the cache holds, 0 for no limit (default 2048, GeeCache's)
  --api            also serve GET /api?key=K for clients, on --api-port
  --api-port N     port of the API (default 9999)
  --peers URLS     comma-separated base URLs of every node, this one included
                   (default ${defaultPeers.join(',')})
  --db FILE        a JSON object of key to value, instead of the three scores
  --delay MS       each database load waits this long first (default 0)
  --self URL       this node's base URL as others reach it (default http://localhost:PORT)
  --log WHAT       requests: a line per request and per load (default), as the chapters show;
                   errors: only what needs attention, for real use and benchmarks
  --help           show this help`;

/**
 * Parses and checks main.ts's arguments.
 * @throws Error for an unknown flag or a bad value, saying what is wrong.
 */
export function parseFlags(args: string[]) {
  const { values } = parseArgs({
    args,
    options: {
      help: { type: 'boolean', default: false },
      port: { type: 'string', default: '8001' },
      host: { type: 'string', default: '127.0.0.1' },
      'cache-bytes': { type: 'string', default: String(2 << 10) },
      api: { type: 'boolean', default: false },
      'api-port': { type: 'string', default: '9999' },
      peers: { type: 'string', default: defaultPeers.join(',') },
      db: { type: 'string' },
      delay: { type: 'string', default: '0' },
      self: { type: 'string' },
      log: { type: 'string', default: 'requests' },
    },
  });
  const { self } = values;
  if (self !== undefined && !isBaseURL(self)) {
    throw new Error(`--self must be a base URL like http://localhost:8001, nothing after the port, got ${JSON.stringify(self)}`);
  }
  if (!isLogLevel(values.log)) throw new Error(`--log must be requests or errors, got "${values.log}"`);
  if (isIP(values.host) === 0) throw new Error(`--host must be an IP address such as 127.0.0.1 or ::, got "${values.host}"`);
  return {
    help: values.help,
    port: wholeNumber('--port', values.port, 65535),
    host: values.host,
    cacheBytes: wholeNumber('--cache-bytes', values['cache-bytes'], Number.MAX_SAFE_INTEGER),
    api: values.api,
    apiPort: wholeNumber('--api-port', values['api-port'], 65535),
    peers: peerList(values.peers),
    db: values.db,
    delayMs: wholeNumber('--delay', values.delay, 2 ** 31 - 1),
    self,
    log: values.log,
  };
}

function wholeNumber(flag: string, text: string, max: number): number {
  const n = Number(text);
  if (!/^\d+$/.test(text) || n > max) {
    throw new Error(`${flag} must be a whole number from 0 to ${max}, got "${text}"`);
  }
  return n;
}

function peerList(text: string): string[] {
  const peers = text.split(',').map((peer) => peer.trim());
  const bad = peers.find((peer) => !isBaseURL(peer));
  if (bad !== undefined) {
    throw new Error(`--peers must list base URLs like http://localhost:8001, separated by commas, got "${bad}"`);
  }
  return peers;
}
