// GET /stats: a node's counters, as JSON.
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import type { Group } from './geecache.js';
import { sendText } from './http.js';
import { droppedLogLines } from './log.js';

/**
 * Answers `/stats`: to GET and HEAD, each group's counters and the log lines dropped (see `log`),
 * as JSON; to any other method, 405.
 */
export function sendStats(req: IncomingMessage, res: ServerResponse, groups: ReadonlyMap<string, Group>): void {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.setHeader('Allow', 'GET, HEAD');
    return sendText(res, 405, 'method not allowed');
  }
  const byName = Object.fromEntries([...groups].map(([name, group]) => [name, group.stats()]));
  const body = JSON.stringify({ groups: byName, log: { droppedLines: droppedLogLines() } });
  res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
}

/**
 * Wraps a node's request listener: `/stats` is answered here, every other request goes on to
 * `handler`. The path lies outside every base path, so no group name can stand in its way.
 */
export function withStats(handler: RequestListener, groups: ReadonlyMap<string, Group>): RequestListener {
  return (req, res) => {
    if ((req.url ?? '/').split('?', 1)[0] === '/stats') sendStats(req, res, groups);
    else handler(req, res);
  };
}
