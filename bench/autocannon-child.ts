// The fallback load generator of bench/http.ts when wrk is not installed:
// autocannon, in a process of its own so that it does not run in the
// benchmark's process. Prints one line of JSON (a LoadResult) on stdout.
// Run: tsx bench/autocannon-child.ts '{"url":"http://127.0.0.1:8080","paths":["/a"],"connections":32,"seconds":4}'
import autocannon from 'autocannon';

interface Job {
  url: string;
  paths?: string[];
  connections: number;
  seconds: number;
}

const job = JSON.parse(process.argv[2] ?? '') as Job;
const paths = job.paths ?? [];
// One counter for all connections, as wrk's Lua request() has: consecutive
// requests, whichever connection sends them, ask for different paths. With
// autocannon's \`requests: paths.map(...)\`, each connection would walk the
// list from the start, in step with the others, so that concurrent requests
// would mostly ask for the same key (and share one flight in a GeeCache node).
let next = 0;
const result = await autocannon({
  url: job.url,
  connections: job.connections,
  duration: job.seconds,
  requests: paths.length > 1 ? [{ setupRequest: (req) => ({ ...req, path: paths[next++ % paths.length]! }) }] : undefined,
});
console.log(
  JSON.stringify({
    requests: result.requests.total,
    seconds: result.duration,
    // autocannon records latency in whole milliseconds.
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
  }),
);
