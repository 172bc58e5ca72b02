// The load generator of bench/http.ts, always in a process of its own: wrk
// when it is installed (one thread: on two cores, that leaves a core for the
// servers), else autocannon in a child process (bench/autocannon-child.ts).
import { execFile, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { root } from './processes.js';

const run = promisify(execFile);

/** Where to send requests: a base URL and the paths to cycle through (one or more). */
export interface Target {
  url: string;
  paths: string[];
}

/** One measurement. */
export interface LoadResult {
  /** Requests answered, and over how long. */
  requests: number;
  seconds: number;
  p50Ms: number;
  p99Ms: number;
}

export interface LoadGenerator {
  /** For the printed note: what measures, and how. */
  description: string;
  /** Whether latencies are in whole milliseconds (autocannon) or finer (wrk: microseconds). */
  wholeMs: boolean;
  /** Loads `target` for `seconds`; throws on any error or non-2xx answer. */
  load(target: Target, connections: number, seconds: number): Promise<LoadResult>;
}

const scratch = mkdtempSync(join(tmpdir(), 'geecache-bench-'));
process.once('exit', () => rmSync(scratch, { recursive: true, force: true }));

/** A temporary folder, removed when this process exits. */
export function scratchDir(): string {
  return scratch;
}

/**
 * wrk when `wrk --version` runs, else autocannon in a child process.
 * BENCH_GENERATOR=autocannon picks autocannon even when wrk is there.
 */
export function loadGenerator(): LoadGenerator {
  if (process.env.BENCH_GENERATOR === 'autocannon') return autocannonChild('BENCH_GENERATOR=autocannon');
  const probe = spawnSync('wrk', ['--version'], { encoding: 'utf8' });
  if (probe.error === undefined) {
    const version = /^wrk (\S+)/.exec(probe.stdout)?.[1] ?? 'unknown version';
    return wrk(version);
  }
  return autocannonChild('wrk is not installed');
}

/** The machine-readable line the Lua `done()` prints; wrk's own text output is checked as well. */
const marker = 'GEECACHE-BENCH';

/** A Lua script that cycles through `paths` (when more than one) and prints the summary as one line. */
function luaScript(paths: string[]): string {
  const lines = ['-- Written by bench/loadgen.ts for one wrk run.'];
  if (paths.length > 1) {
    // A request() function costs wrk a Lua call per request; one path needs none.
    lines.push(
      `local paths = { ${paths.map((p) => JSON.stringify(p)).join(', ')} }`,
      'local n = 0',
      'request = function()',
      '  n = n % #paths + 1',
      '  return wrk.format(nil, paths[n])',
      'end',
    );
  }
  lines.push(
    'done = function(summary, latency, requests)',
    '  local e = summary.errors',
    `  io.write(string.format("${marker} requests=%.0f duration_us=%.0f connect=%.0f read=%.0f write=%.0f status=%.0f timeout=%.0f p50_us=%.0f p99_us=%.0f\\n",`,
    '    summary.requests, summary.duration, e.connect, e.read, e.write, e.status, e.timeout,',
    '    latency:percentile(50), latency:percentile(99)))',
    'end',
  );
  return `${lines.join('\n')}\n`;
}

let scripts = 0;

function wrk(version: string): LoadGenerator {
  return {
    description: `wrk ${version}, 1 thread, in a process of its own (latency to the microsecond)`,
    wholeMs: false,
    async load({ url, paths }, connections, seconds) {
      const script = join(scratch, `wrk-${++scripts}.lua`);
      writeFileSync(script, luaScript(paths));
      const target = paths.length === 1 ? new URL(paths[0]!, url).href : url;
      const args = ['-t1', `-c${connections}`, `-d${seconds}s`, '--latency', '-s', script, target];
      let stdout: string;
      try {
        ({ stdout } = await run('wrk', args, { maxBuffer: 1 << 20 }));
      } catch (err) {
        throw new Error(`wrk ${args.join(' ')} failed: ${(err as Error).message}`);
      }
      const fail = (why: string): never => {
        throw new Error(`wrk ${args.join(' ')}: ${why}\n${stdout}`);
      };
      // wrk counts an answer with status > 399 in errors.status, and prints it
      // as "Non-2xx or 3xx responses"; socket errors as "Socket errors: ...".
      if (/Non-2xx or 3xx responses/.test(stdout)) fail('answers with an error status');
      if (/Socket errors/.test(stdout)) fail('socket errors');
      const line = stdout.split('\n').find((l) => l.startsWith(`${marker} `)) ?? fail('no summary line from the Lua done()');
      const field = (name: string): number => {
        const value = Number(new RegExp(`\\b${name}=(\\d+)`).exec(line)?.[1]);
        return Number.isFinite(value) ? value : fail(`no ${name} in "${line}"`);
      };
      const errors = ['connect', 'read', 'write', 'status', 'timeout'].filter((name) => field(name) > 0);
      if (errors.length > 0) fail(`errors: ${errors.map((name) => `${name} ${field(name)}`).join(', ')}`);
      const requests = field('requests');
      if (requests === 0) fail('no request answered');
      // Cross-check with wrk's own text.
      const perSecond = Number(/Requests\/sec:\s*([\d.]+)/.exec(stdout)?.[1]);
      const result = { requests, seconds: field('duration_us') / 1e6, p50Ms: field('p50_us') / 1e3, p99Ms: field('p99_us') / 1e3 };
      if (!(Math.abs(perSecond - requests / result.seconds) <= 0.01 * perSecond + 1)) {
        fail(`Requests/sec ${perSecond} does not match ${requests} requests in ${result.seconds} s`);
      }
      return result;
    },
  };
}

function autocannonChild(why: string): LoadGenerator {
  return {
    description: `autocannon in a child process (${why}; latency in whole ms)`,
    wholeMs: true,
    async load({ url, paths }, connections, seconds) {
      const job = JSON.stringify(
        paths.length === 1 ? { url: new URL(paths[0]!, url).href, connections, seconds } : { url, paths, connections, seconds },
      );
      const { stdout } = await run(process.execPath, ['--import', 'tsx', join(root, 'bench/autocannon-child.ts'), job], {
        cwd: root,
      });
      const r = JSON.parse(stdout.trim().split('\n').at(-1)!) as LoadResult & { non2xx: number; errors: number; timeouts: number };
      if (r.non2xx > 0 || r.errors > 0 || r.timeouts > 0) {
        throw new Error(`autocannon ${url}: ${r.non2xx} non-2xx, ${r.errors} errors, ${r.timeouts} timeouts`);
      }
      if (r.requests === 0) throw new Error(`autocannon ${url}: no request answered`);
      return { requests: r.requests, seconds: r.seconds, p50Ms: r.p50Ms, p99Ms: r.p99Ms };
    },
  };
}
