/**
 * What a node logs. `requests`: a line per request and per database load, as
 * GeeCache does, to watch the cache work. `errors`: only what needs attention
 * (from day 5 a failed peer; start and stop), for real use: writing a line
 * per request costs more than the cache hit itself.
 */
export type LogLevel = 'requests' | 'errors';

/** Whether `text` names a `LogLevel`. */
export function isLogLevel(text: string): text is LogLevel {
  return text === 'requests' || text === 'errors';
}

/**
 * Escapes control characters (\n, \r, ESC, ...) as \uXXXX. A key comes from the
 * network; printed as it is, it could end a log line and forge the next one.
 */
export function printable(text: string): string {
  return text.replace(/[\x00-\x1f\x7f-\x9f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
