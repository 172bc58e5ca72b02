/**
 * What a node logs. `requests`: a line per request and per database load, as
 * GeeCache does, to watch the cache work. `errors`: only what needs attention
 * (start, stop, failures), for real use: a line per request costs more than
 * the cache hit itself.
 */
export type LogLevel = 'requests' | 'errors';

/** Whether `text` names a `LogLevel`. */
export function isLogLevel(text: string): text is LogLevel {
  return text === 'requests' || text === 'errors';
}

/** The local time as Go's `log` package prints it, with milliseconds: `2026/12/01 12:00:00.123`. */
export function timestamp(date = new Date()): string {
  const two = (n: number) => String(n).padStart(2, '0');
  const day = `${date.getFullYear()}/${two(date.getMonth() + 1)}/${two(date.getDate())}`;
  const time = `${two(date.getHours())}:${two(date.getMinutes())}:${two(date.getSeconds())}`;
  return `${day} ${time}.${String(date.getMilliseconds()).padStart(3, '0')}`;
}

/**
 * Escapes control characters (\n, \r, ESC, ...) as \uXXXX. A key comes from the
 * network; printed as it is, it could end a log line and forge the next one.
 */
export function printable(text: string): string {
  return text.replace(/[\x00-\x1f\x7f-\x9f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** The most log bytes kept for a reader that is behind (1 MiB, thousands of lines); past it, lines are dropped. */
export const maxUnwrittenLogBytes = 1 << 20;

// On Linux a pipe takes writes without blocking: one nobody reads would make the node keep
// every line, and one whose reader has gone (`| head`) fails the next write with EPIPE.
let stdoutClosed = false;
let dropped = 0;
let droppedSinceReport = 0;
process.stdout.on('error', () => (stdoutClosed = true));

/** Prints one line on stdout behind the time, as Go's `log.Printf` does; drops it when stdout is closed or full. */
export function log(line: string): void {
  if (stdoutClosed || process.stdout.writableLength > maxUnwrittenLogBytes) {
    dropped++;
    // Once the reader has caught up, tell it how many lines it missed.
    if (droppedSinceReport++ === 0 && !stdoutClosed) process.stdout.once('drain', reportDropped);
    return;
  }
  process.stdout.write(`${timestamp()} ${line}\n`);
}

/** Log lines dropped since the node started, because stdout was closed or not being read. */
export function droppedLogLines(): number {
  return dropped;
}

function reportDropped(): void {
  const lines = droppedSinceReport;
  droppedSinceReport = 0;
  log(`${lines} log lines dropped: stdout was not being read`);
}
