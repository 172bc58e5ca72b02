// GET /stats: a node's counters, as JSON.
import type { ServerResponse } from 'node:http';
import type { Group } from './geecache.js';
import { droppedLogLines } from './log.js';

/** Answers `GET /stats`: each group's counters, and the log lines dropped (see `log`), as JSON. */
export function sendStats(res: ServerResponse, groups: ReadonlyMap<string, Group>): void {
  const byName = Object.fromEntries([...groups].map(([name, group]) => [name, group.stats()]));
  const body = JSON.stringify({ groups: byName, log: { droppedLines: droppedLogLines() } });
  res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
}
