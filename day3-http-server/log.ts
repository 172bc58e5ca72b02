/**
 * Escapes control characters (\n, \r, ESC, ...) as \uXXXX. A key comes from the
 * network; printed as it is, it could end a log line and forge the next one.
 */
export function printable(text: string): string {
  return text.replace(/[\x00-\x1f\x7f-\x9f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
