import { parseArgs } from 'node:util';
import { defaultBasePath, isBaseURL } from './http.js';
import { isLogLevel } from './log.js';

/** The help text of main.ts. */
export const usage = `Usage: main.ts [options]
  --port N        port to listen on, 0 for any free port (default 9999)
  --db FILE       a JSON object of key to value, instead of the three scores
  --delay MS      each database load waits this long first (default 0)
  --base-path P   the path the node answers under (default ${defaultBasePath};
                  a golang/groupcache cluster uses /_groupcache/)
  --self URL      this node's base URL as others reach it (default http://localhost:PORT)
  --log WHAT      requests: a line per request and per load (default), as the chapters show;
                  errors: only what needs attention, for real use and benchmarks
  --help          show this help`;

/**
 * Parses and checks main.ts's arguments.
 * @throws Error for an unknown flag or a bad value, saying what is wrong.
 */
export function parseFlags(args: string[]) {
  const { values } = parseArgs({
    args,
    options: {
      help: { type: 'boolean', default: false },
      port: { type: 'string', default: '9999' },
      db: { type: 'string' },
      delay: { type: 'string', default: '0' },
      'base-path': { type: 'string', default: defaultBasePath },
      self: { type: 'string' },
      log: { type: 'string', default: 'requests' },
    },
  });
  const { 'base-path': basePath, self, log } = values;
  if (!basePath.startsWith('/') || !basePath.endsWith('/')) {
    throw new Error(`--base-path must start and end with "/", got "${basePath}"`);
  }
  if (self !== undefined && !isBaseURL(self)) {
    throw new Error(`--self must be a base URL like http://localhost:9999, got "${self}"`);
  }
  if (!isLogLevel(log)) throw new Error(`--log must be requests or errors, got "${log}"`);
  return {
    help: values.help,
    port: wholeNumber('--port', values.port, 65535),
    db: values.db,
    delayMs: wholeNumber('--delay', values.delay, 2 ** 31 - 1),
    basePath,
    self,
    log,
  };
}

function wholeNumber(flag: string, text: string, max: number): number {
  const n = Number(text);
  if (!/^\d+$/.test(text) || n > max) {
    throw new Error(`${flag} must be a whole number from 0 to ${max}, got "${text}"`);
  }
  return n;
}
