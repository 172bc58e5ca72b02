// The live page's cluster: day-7 nodes as processes of their own, each one's log lines kept in
// order, and a way to know that every line a node wrote before a moment has arrived (a mark).
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { waitForPort } from '../bench/processes.js';

/** The folder of the nodes' code, unless told another: the course's last day. */
const day7 = join(import.meta.dirname, '..', 'day7-protobuf');

/** One node of the cluster, as the page knows it. */
export interface NodeInfo {
  port: number;
  /** Its base URL, the name it has on the ring and in the log. */
  url: string;
  /** Whether the API (`GET /api?key=K`) runs beside it. */
  api: boolean;
}

/** groupcache's counters of one group, as a node answers them at `GET /stats`. */
export interface GroupCounters {
  gets: number;
  cacheHits: number;
  loads: number;
  loadsDeduped: number;
  localLoads: number;
  localLoadErrs: number;
  peerLoads: number;
  peerErrors: number;
  serverRequests: number;
  cache: { items: number; hits: number };
  hotCache: { items: number; hits: number };
}

/** What the cluster is started with. */
export interface ClusterOptions {
  /** The nodes' ports; the API runs beside the last one. */
  ports: number[];
  apiPort: number;
  /** A JSON object of key to value: every node's database. */
  dbFile: string;
  /** Each database load waits this long, so that concurrent requests overlap. */
  delayMs: number;
  /** The folder whose `main.ts` each node runs (a learner's, after the course); default day 7's. */
  dir?: string;
}

/** Where a node is: its process and every line it has written. */
interface Running {
  info: NodeInfo;
  child: ChildProcess | undefined;
  lines: string[];
  /** Called with each new line, to wake who waits for one. */
  waiters: Set<() => void>;
}

let marks = 0;

/** Three (or more) day-7 nodes on this machine, started, stopped and restarted on demand. */
export class Cluster {
  readonly #options: ClusterOptions;
  readonly #nodes: Running[];
  /** The last lines of all nodes, in the order they arrived. */
  readonly #arrived: string[] = [];

  constructor(options: ClusterOptions) {
    this.#options = options;
    this.#nodes = options.ports.map((port, i) => ({
      info: { port, url: `http://localhost:${port}`, api: i === options.ports.length - 1 },
      child: undefined,
      lines: [],
      waiters: new Set(),
    }));
  }

  /** The nodes, in the order of their ports. */
  get nodes(): NodeInfo[] {
    return this.#nodes.map((n) => n.info);
  }

  /** The API's port. */
  get apiPort(): number {
    return this.#options.apiPort;
  }

  /** The node the API runs beside: the one that takes every request the page sends. */
  get apiNode(): NodeInfo {
    return this.#nodes.at(-1)!.info;
  }

  /** Starts every node and waits until each (and the API) accepts connections. */
  async start(): Promise<void> {
    await Promise.all(this.#nodes.map((node) => this.#start(node)));
  }

  /** Starts one stopped node again, with the same flags. */
  async restart(port: number): Promise<void> {
    const node = this.#node(port);
    if (node.child) return;
    await this.#start(node);
  }

  /** Stops one node (SIGTERM), and waits until its process has exited. */
  async stop(port: number): Promise<void> {
    const node = this.#node(port);
    const child = node.child;
    if (!child) return;
    node.child = undefined;
    const exited = once(child, 'close');
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
    await exited;
    clearTimeout(timer);
  }

  /** Stops every node. */
  async stopAll(): Promise<void> {
    await Promise.all(this.#nodes.map((node) => this.stop(node.info.port)));
  }

  /** Kills every node at once (SIGKILL): for a process that is exiting and cannot wait. */
  killAll(): void {
    for (const node of this.#nodes) node.child?.kill('SIGKILL');
  }

  /** Whether the node's process runs. */
  isUp(port: number): boolean {
    return this.#node(port).child !== undefined;
  }

  /** The node's lines from index `from` up to `to` (indexes that `mark` gives). */
  linesBetween(port: number, from: number, to: number): string[] {
    return this.#node(port).lines.slice(from, to);
  }

  /** The last `n` lines of all nodes as they arrived, each behind its port. */
  recentLines(n: number): string[] {
    return this.#arrived.slice(-n);
  }

  /** The group `scores`' counters on a running node; undefined when it does not answer. */
  async counters(port: number): Promise<GroupCounters | undefined> {
    if (!this.isUp(port)) return undefined;
    try {
      const res = await fetch(`http://localhost:${port}/stats`, { signal: AbortSignal.timeout(2000) });
      return ((await res.json()) as { groups: Record<string, GroupCounters> }).groups.scores;
    } catch {
      return undefined;
    }
  }

  /**
   * Sends every running node a mark, `GET /?mark=...` (a 404 that changes nothing, but is logged),
   * and waits until each has logged it: a node writes its lines in order, so every line it wrote
   * before is in. Then reads its counters (`GET /stats` is not logged). Resolves with the counters
   * and, per node, the number of lines before the mark.
   */
  async mark(): Promise<Map<number, { counters: GroupCounters | undefined; lines: number }>> {
    const mark = `m${++marks}`;
    const entries = await Promise.all(
      this.#nodes.map(async (node) => {
        const from = node.lines.length; // the mark's line comes after this, perhaps before the answer
        const sent = await this.#sendMark(node.info.port, mark);
        const at = sent ? await this.#waitForLine(node, from, (line) => line.endsWith(`GET /?mark=${mark}`)) : -1;
        const counters = await this.counters(node.info.port);
        return [node.info.port, { counters, lines: at === -1 ? node.lines.length : at }] as const;
      }),
    );
    return new Map(entries);
  }

  /** Whether a running node answered the mark. */
  async #sendMark(port: number, mark: string): Promise<boolean> {
    if (!this.isUp(port)) return false;
    try {
      await (await fetch(`http://localhost:${port}/?mark=${mark}`, { signal: AbortSignal.timeout(2000) })).arrayBuffer();
      return true;
    } catch {
      return false;
    }
  }

  #node(port: number): Running {
    const node = this.#nodes.find((n) => n.info.port === port);
    if (!node) throw new RangeError(`no node on port ${port}`);
    return node;
  }

  async #start(node: Running): Promise<void> {
    const { ports, apiPort, dbFile, delayMs } = this.#options;
    const peers = ports.map((p) => `http://localhost:${p}`).join(',');
    const args = ['--port', String(node.info.port), '--peers', peers, '--db', dbFile, '--delay', String(delayMs)];
    if (node.info.api) args.push('--api', '--api-port', String(apiPort));
    const child = spawn(process.execPath, ['--import', 'tsx', 'main.ts', ...args], { cwd: this.#options.dir ?? day7, stdio: ['ignore', 'pipe', 'pipe'] });
    node.child = child;
    for (const stream of [child.stdout, child.stderr]) {
      createInterface({ input: stream }).on('line', (line) => {
        node.lines.push(line);
        if (!line.includes('GET /?mark=')) this.#arrived.push(`${node.info.port} | ${line}`);
        if (this.#arrived.length > 400) this.#arrived.splice(0, 200);
        for (const wake of node.waiters) wake();
      });
    }
    child.once('exit', () => {
      if (node.child === child) node.child = undefined; // it died on its own
    });
    await waitForPort(node.info.port, child);
    if (node.info.api) await waitForPort(apiPort, child);
  }

  /** Resolves with the index of the first line from `from` on that passes `match`; -1 after 2 s without one. */
  #waitForLine(node: Running, from: number, match: (line: string) => boolean): Promise<number> {
    return new Promise((resolve) => {
      let next = from; // each new line is looked at once
      const look = () => {
        for (; next < node.lines.length; next++) if (match(node.lines[next]!)) return finish(next);
      };
      const finish = (at: number) => {
        node.waiters.delete(look);
        clearTimeout(timer);
        resolve(at);
      };
      const timer = setTimeout(() => finish(-1), 2000);
      node.waiters.add(look);
      look();
    });
  }
}
