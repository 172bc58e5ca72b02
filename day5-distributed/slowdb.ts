import { type GetterFunc, NotFoundError } from './geecache.js';
import { type LogLevel, log as stampedLog, printable } from './log.js';

/** The three scores of the Go tutorial, used when no --db file is given. */
export const scores = new Map([['Tom', '630'], ['Jack', '589'], ['Sam', '567']]);

/** How `slowDB` behaves. */
export interface SlowDBOptions {
  /** Each load waits this long first. Default 0. */
  delayMs?: number;
  /** `requests` (the default) logs each load; `errors` does not, since a load is no error. */
  logLevel?: LogLevel;
  /** Where a log line goes; default stdout, behind the time. */
  log?: (line: string) => void;
}

/**
 * A getter over `db` that plays a slow database: it logs
 * `[SlowDB] search key <key>` for each load (control characters escaped, so
 * a key cannot forge a log line) and waits `delayMs` first.
 * A missing key throws `NotFoundError` "<key> not exist".
 */
export function slowDB(db: Map<string, string>, options: SlowDBOptions = {}): GetterFunc {
  const { delayMs = 0, logLevel = 'requests', log = stampedLog } = options;
  return async (key) => {
    if (logLevel === 'requests') log(`[SlowDB] search key ${printable(key)}`);
    if (delayMs > 0) await new Promise((resolve) => setTimeout(resolve, delayMs));
    const value = db.get(key);
    if (value === undefined) throw new NotFoundError(`${key} not exist`);
    return value;
  };
}
