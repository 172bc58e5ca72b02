// What a request did in the cluster, read from the nodes' own log lines and counters: which
// node the API asked, whether it was a hit, a hop to the owner, a database load, a failed owner.
import { printable } from '../day7-protobuf/log.js';
import type { GroupCounters, NodeInfo } from './cluster.js';

/** One step of a request's path, on one node. */
export interface Step {
  port: number;
  kind: 'hit' | 'hot-hit' | 'pick-peer' | 'owner-hit' | 'db-load' | 'peer-failed' | 'hot-copy';
  text: string;
}

/** What the requests for one key did, between two marks. */
export interface Trace {
  steps: Step[];
  /** `[SlowDB]` lines for the key, per node port. */
  dbLoads: Record<number, number>;
  /** `Pick peer` lines on the API's node: requests that went to the owner. */
  peerRequests: number;
}

/** What `trace` reads. */
export interface TraceInput {
  key: string;
  nodes: NodeInfo[];
  /** The node the API runs beside. */
  apiPort: number;
  /** Each node's lines written between the two marks. */
  lines: Map<number, string[]>;
  /** The API node's counters at the first mark and at the second. */
  before: GroupCounters | undefined;
  after: GroupCounters | undefined;
}

/** Reads the path of the requests for `key` from the lines the nodes wrote meanwhile. */
export function trace({ key, nodes, apiPort, lines, before, after }: TraceInput): Trace {
  const shown = printable(key);
  const portOf = (url: string) => nodes.find((n) => n.url === url)?.port ?? Number(new URL(url).port);
  const linesOf = (port: number) => lines.get(port) ?? [];
  const dbLoads: Record<number, number> = {};
  for (const { port } of nodes) {
    const n = linesOf(port).filter((line) => line.endsWith(`[SlowDB] search key ${shown}`)).length;
    if (n > 0) dbLoads[port] = n;
  }
  const here = linesOf(apiPort);
  // Each request that went to the owner: the owner it picked.
  const picks = here.flatMap((line) => {
    const match = /\] Pick peer (\S+) for (.*)$/.exec(line);
    return match && match[2] === shown ? [match[1]!] : [];
  });
  const owners = [...new Set(picks)];
  const steps: Step[] = [];
  for (const owner of owners) {
    const port = portOf(owner);
    steps.push({ port: apiPort, kind: 'pick-peer', text: `asked the owner, ${port}` });
    const failure = here.map((line) => line.split(`] peer ${owner} `)[1]).find((rest) => rest !== undefined);
    if (failure !== undefined) {
      steps.push({ port: apiPort, kind: 'peer-failed', text: `the owner ${failure}` }); // 'failed: ...', 'did not answer ...'
    } else if (dbLoads[port]) {
      steps.push({ port, kind: 'db-load', text: 'loaded it from its database' });
    } else if (linesOf(port).some((line) => line.endsWith(`/scores/${encodeURIComponent(key)}`))) {
      steps.push({ port, kind: 'owner-hit', text: 'answered from its cache' });
    }
  }
  if (dbLoads[apiPort]) {
    const text = owners.length > 0 ? 'loaded it from its own database instead' : 'owns it: loaded it from its database';
    steps.push({ port: apiPort, kind: 'db-load', text });
  }
  const delta = (pick: (c: GroupCounters) => number) => (before && after ? pick(after) - pick(before) : 0);
  if (steps.length === 0) {
    const hot = delta((c) => c.hotCache.hits) > 0;
    steps.push({ port: apiPort, kind: hot ? 'hot-hit' : 'hit', text: hot ? 'a hit in its hot cache' : 'a hit in its cache' });
  }
  if (delta((c) => c.hotCache.items) > 0) steps.push({ port: apiPort, kind: 'hot-copy', text: 'kept a hot copy (the one-in-ten draw)' });
  return { steps, dbLoads, peerRequests: picks.length };
}
