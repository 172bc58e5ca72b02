// The course as the learn command sees it: the seven days in order, and for each day how its
// new tests are grouped, as its chapter groups them: which section teaches them, and whether
// they are the lesson's or "Going further". A test that an earlier day already had, word for
// word, is that day's.

/** The day folders, in the order of the course. */
export const days = [
  'day1-lru',
  'day2-single-node',
  'day3-http-server',
  'day4-consistent-hash',
  'day5-distributed',
  'day6-singleflight',
  'day7-protobuf',
] as const;

export type Day = (typeof days)[number];

/** What a learner is given, not asked to write: the tests' helpers and generated code. */
export const providedFiles = ['testing.ts', 'geecachepb'];

/**
 * Code a learner is given from the day it first appears, because it is not that day's subject:
 * the foil of day 1's trap and its benchmark, a node's `main.ts` (glue, which the chapters walk
 * through), its flags and its --db file, the counters' answer, the hardening that a first reading
 * skips ("Going further"), the API and the demo. A later day's version replaces it at `next`.
 */
export const givenCode: Partial<Record<Day, string[]>> = {
  'day1-lru': ['naive-lru.ts', 'churn.ts'],
  'day3-http-server': ['main.ts', 'flags.ts', 'dbfile.ts', 'stats.ts', 'log.ts', 'server.ts', 'toobig.ts'],
  'day5-distributed': ['api.ts', 'peerrequest.ts', 'demo.ts'],
};

/**
 * Files a day changes only for what its "Going further" teaches: `learn start` lists them after
 * the lesson's files, and a check counts their tests' type errors as Going further's.
 */
export const furtherOnly: Partial<Record<Day, string[]>> = {
  'day6-singleflight': ['cache.ts'],
};

/**
 * A day taught in two parts: the sections of its first part, and the heading where the second
 * starts. Once the first part's lesson tests pass, a check says so, and where to go on.
 */
export const firstParts: Partial<Record<Day, { sections: string[]; next: string }>> = {
  'day5-distributed': { sections: ['The group asks the owner first', 'Asking over HTTP'], next: 'Part 2: the pool, and a cluster' },
};

/**
 * A file that a chapter shows almost whole, which the learner is given as a frame: the day's
 * version with the bodies of some methods emptied, which the learner writes. `start` and `next`
 * write it when the learner's folder has no such file.
 */
export interface Frame {
  file: string;
  /** The chapter section that teaches the methods to write. */
  section: string;
  /** The methods whose bodies are the learner's, by name (`#get` for a private one). */
  write: string[];
}

/**
 * Day 5's client for one peer: its header names, its options, its constructor and its logging
 * `get` are given; `#get`, the request and what its answer means, is the lesson's.
 */
export const frames: Partial<Record<Day, Frame[]>> = {
  'day5-distributed': [{ file: 'httpgetter.ts', section: 'Asking over HTTP', write: ['#get'] }],
};

/** Code to add to a class and its options interface, as a chapter shows it. */
export interface Plumbing {
  /** The learner's file it goes into. */
  file: string;
  /** The chapter section that shows it. */
  section: string;
  /** Named imports, by module, that the code needs; a name the file already imports is left out. */
  imports: Array<{ from: string; names: string[] }>;
  options: { name: string; extends: string; members: string };
  owner: { name: string; implements: string; fields: string; constructorEnd: string; stubs: string };
  /** A line to put first in a function's `catch` block, with the name the function's error has there. */
  inCatch?: { function: string; line: (error: string) => string };
}

/**
 * Plumbing a chapter says to copy as is, which a check puts into the learner's file once the
 * first part is done: day 5's pool gains options, fields and constructor lines, and empty `set`
 * and `pickPeer` for part 2 to fill in. The course's tests check the plumbing against the day's code.
 */
export const plumbing: Partial<Record<Day, Plumbing>> = {
  'day5-distributed': {
    file: 'http.ts',
    section: "The pool's plumbing",
    imports: [
      // With what part 2's code uses, so that no import is left to hunt for (Going further's 414 adds maxKeyBytes).
      { from: './consistenthash.js', names: ['HashRing'] },
      { from: './geecache.js', names: ['allGroups', 'type Group'] },
      { from: './httpgetter.js', names: ['HTTPGetter', 'type HTTPGetterOptions', 'notFoundHeader', 'peerHeader'] },
      { from: './log.js', names: ['printable'] },
      { from: './peerrequest.js', names: ['isBaseURL', 'type PeerLimitOptions', 'peerLimits'] },
      { from: './peers.js', names: ['type PeerGetter', 'type PeerPicker'] },
    ],
    options: {
      name: 'HTTPPoolOptions',
      extends: 'PeerLimitOptions',
      members: `  /** Virtual nodes per peer on the hash ring. Default 50. */
  replicas?: number;
  /**
   * The groups this pool serves, by name. Default every registered group; giving
   * each pool its own lets several nodes run in one process, as the tests do.
   */
  groups?: ReadonlyMap<string, Group>;
`,
    },
    owner: {
      name: 'HTTPPool',
      implements: 'PeerPicker',
      fields: `  readonly #replicas: number;
  readonly #groups: ReadonlyMap<string, Group>;
  readonly #client: HTTPGetterOptions; // what every HTTPGetter of this pool shares
  #ring = new HashRing(1);
  #getters = new Map<string, HTTPGetter>();
`,
      constructorEnd: `    this.#replicas = options.replicas ?? 50;
    this.#groups = options.groups ?? allGroups();
    this.#client = { self: this.#self, basePath: this.#basePath, log: this.#log, ...peerLimits(options) };
    this.set(); // checks replicas now, not at the first set
`,
      // Empty, so that the code compiles and the days before pass: part 2 fills them in.
      // \`#fromPeer\` comes whole, in the lesson's version ("Going further" makes it stricter).
      stubs: `
  /** Replaces the list of peers. Part 2: write it (the constructor's call checks replicas once it is). */
  set(...peers: string[]): void {}

  /** The peer that owns \`key\`, or \`undefined\` when it is this node. Part 2: write it. */
  pickPeer(key: string): PeerGetter | undefined {
    return undefined;
  }

  /** Whether a peer sent the request: it names itself in \`x-geecache-from\`. */
  #fromPeer(req: IncomingMessage): boolean {
    return req.headers[peerHeader] !== undefined;
  }
`,
    },
    // The owner's side of what part 1's getter reads: a 404 that means "no such key".
    inCatch: {
      function: 'sendValue',
      line: (err) => `// The header tells a peer that this 404 means "no such key", not "no such group".
if (${err} instanceof NotFoundError) res.setHeader(notFoundHeader, '1');`,
    },
  },
};

/** Every file of code given on `day` or before it. */
export function givenBy(day: Day): string[] {
  return days.slice(0, days.indexOf(day) + 1).flatMap((d) => givenCode[d] ?? []);
}

/**
 * The lesson, hardening a first reading may skip, or the tests of given code: those pass once the
 * learner's code exports what the given code imports.
 */
export type Part = 'lesson' | 'further' | 'given';

/** A group of tests, and the chapter section that teaches them. */
export interface TestGroup {
  /** The heading of the section in the day's chapter. */
  section: string;
  part: Part;
}

/**
 * A day's new tests, by file and top describe block ('' for tests outside any), with
 * exceptions by test name: the first rule whose `names` matches wins, else the rule without.
 */
type Rules = Record<string, Array<TestGroup & { names?: RegExp }>>;

const lesson = (section: string, names?: RegExp) => ({ section, part: 'lesson' as const, names });
const further = (section: string, names?: RegExp) => ({ section, part: 'further' as const, names });

const rules: Record<Day, Rules> = {
  'day1-lru': {
    'lru.test.ts :: ported from GeeCache': [lesson('The code')],
    'lru.test.ts :: byte accounting': [
      further('Hardening, and the tests that pin it', /exactly at its limit|added with/),
      lesson('Counting bytes'),
    ],
    'lru.test.ts :: recency': [lesson('The code')],
    'lru.test.ts :: onEvicted': [lesson('The code')],
    'lru.test.ts :: O(1) at any size': [lesson('The trap: "a `Map` is already ordered"')],
    'lru.test.ts :: bad input': [lesson('The code', /refused|oversized/), further('Hardening, and the tests that pin it')],
    'naive-lru.test.ts :: ': [lesson('The trap: "a `Map` is already ordered"')],
  },
  'day2-single-node': {
    'geecache.test.ts :: ported from GeeCache': [lesson('The tests')],
    'geecache.test.ts :: Group.get': [
      further('Hardening, and the tests that pin it', /not cached|throws synchronously|neither bytes/),
      lesson('Group.get'),
    ],
    'geecache.test.ts :: the lock': [lesson('What the lock costs', /cost|not shared|slow load/), lesson('Why Node needs a lock only across `await`')],
    'geecache.test.ts :: the registry': [further('Hardening, and the tests that pin it', /already taken|bad cacheBytes/), lesson('Groups and the registry')],
    'geecache.test.ts :: stats: groupcache counters': [lesson('The counters')],
    'mutex.test.ts :: ': [further('Hardening, and the tests that pin it', /newcomer/), lesson('The Mutex: a chain of promises')],
    'byteview.test.ts :: ': [further('Buffer pool pitfalls', /pool|slice of a larger/), lesson('ByteView: read-only bytes')],
    'cache.test.ts :: ': [further('Hardening, and the tests that pin it', /bad/), lesson('ByteView: read-only bytes')],
  },
  'day3-http-server': {
    'http.test.ts :: the answer table': [lesson('The answers')],
    'http.test.ts :: keys': [lesson('The code')],
    'http.test.ts :: a bug inside the handler': [lesson('The code')],
    'http.test.ts :: basePath': [lesson('The code')],
    'http.test.ts :: logging': [further('Quiet logs', /logLevel errors/), lesson('main.ts: a node you can start')],
    'http.test.ts :: GET /stats: the counters of every group, as JSON': [lesson('The code')],
    'http.test.ts :: malformed requests over a raw socket': [further("The limits of a node's port")],
    'server.test.ts :: ': [further("The limits of a node's port")],
    "server.test.ts :: a client cannot make the node hold answers for it": [further("The limits of a node's port")],
    'main.test.ts :: ': [
      further('The counters over HTTP', /stats/),
      further('A key cannot forge a log line', /forge/),
      further("The limits of a node's port", /CONNECT/),
      further('Quiet logs', /--log errors/),
      further('Who can reach a node', /--host/),
      further('How much the cache holds', /--cache-bytes/),
      further('A log that cannot stop the node', /stdout/),
      lesson('main.ts: a node you can start'),
    ],
    'slowdb.test.ts :: slowDB': [
      further('Quiet logs', /logLevel errors/),
      further('A key cannot forge a log line', /forge/),
      lesson('main.ts: a node you can start'),
    ],
    'dbfile.test.ts :: readDB': [lesson('main.ts: a node you can start')],
    'flags.test.ts :: ': [lesson('main.ts: a node you can start')],
    'flags.test.ts :: bad flags throw an error that says what is wrong': [
      further('Quiet logs', /--log/),
      further('Who can reach a node', /--host/),
      further('How much the cache holds', /--cache-bytes/),
      lesson('main.ts: a node you can start'),
    ],
    'toobig.test.ts :: ': [further('How much the cache holds')],
    'geecache.test.ts :: stats: groupcache counters': [lesson('The code')],
    'byteview.test.ts :: ': [lesson('The code')],
    'log.test.ts :: ': [further('A key cannot forge a log line', /printable/), further('Quiet logs', /isLogLevel/), lesson('main.ts: a node you can start')],
  },
  'day4-consistent-hash': {
    'consistenthash.test.ts :: ported from groupcache and GeeCache': [lesson('The tests')],
    'consistenthash.test.ts :: HashRing': [lesson('The code', /collision|remove|points|custom hash/), lesson('The ring')],
    'consistenthash.test.ts :: same owners as Go groupcache (consistenthash.New(replicas, nil))': [lesson('The tests')],
    'consistenthash.test.ts :: bad input': [lesson('The tests')],
    'consistenthash.test.ts :: balance over 100,000 keys': [further('Balance, measured')],
  },
  'day5-distributed': {
    'main.test.ts :: ': [
      further('What the client guards against', /CONNECT|--log errors/),
      lesson('The tests', /^three nodes/),
      lesson('Try it by hand'),
    ],
    // A cluster test needs the whole pool: it is taught where its last piece is, the pool's answer.
    'distributed.test.ts :: routing': [lesson('The pool answers a peer')],
    'distributed.test.ts :: keys of any characters': [lesson('The pool answers a peer')],
    'distributed.test.ts :: a failing owner: the key is loaded here': [
      lesson('The pool answers a peer', /is down|within timeoutMs|answers 500|not about the key/),
      further('What the client guards against'),
    ],
    'distributed.test.ts :: a kept-alive socket the owner closes just as it is reused': [further('What the client guards against')],
    'distributed.test.ts :: limits and odd addresses': [
      lesson('The pool answers a peer', /not-found message/),
      further('A request from a peer is never forwarded', /peer header/),
      further('What the client guards against'),
    ],
    'distributed.test.ts :: no forwarding loops': [
      lesson('The pool answers a peer', /different peer lists/),
      further('A request from a peer is never forwarded'),
    ],
    'distributed.test.ts :: ': [further('What the client guards against')],
    'distributed.test.ts :: HTTPPool as a peer picker': [
      further('What the client guards against', /throws|RangeError/),
      lesson('The pool picks the owner'),
    ],
    'http.test.ts :: GET /stats: the counters of every group, as JSON': [lesson('The pool answers a peer', /own groups/), lesson('Try it by hand')],
    'peerrequest.test.ts :: ': [further('What the client guards against')],
    'httpgetter.test.ts :: ': [lesson('Asking over HTTP')],
    'api.test.ts :: ': [lesson('Try it by hand')],
    'flags.test.ts :: ': [lesson('Try it by hand')],
    'flags.test.ts :: bad flags throw an error that says what is wrong': [lesson('Try it by hand')],
    'geecache.test.ts :: peers': [further('Why the owner is asked outside the lock', /slow owner/), lesson('The group asks the owner first')],
    'geecache.test.ts :: stats: groupcache counters': [lesson('The group asks the owner first')],
  },
  'day6-singleflight': {
    'main.test.ts :: ': [lesson('A stream: the hot cache', /hot/), lesson('A burst: singleflight')],
    'distributed.test.ts :: routing': [lesson('A stream: the hot cache')],
    'distributed.test.ts :: singleflight across the cluster': [lesson('A burst: singleflight')],
    'distributed.test.ts :: no forwarding loops': [further("Two flights: a peer's request never waits on a peer")],
    'geecache.test.ts :: singleflight': [lesson('A burst: singleflight')],
    "geecache.test.ts :: the hot cache: copies of other nodes' keys": [
      further("The hot cache, next to groupcache's", /budget|1\/8/),
      lesson('A stream: the hot cache'),
    ],
    'geecache.test.ts :: peers': [lesson('A burst: singleflight')],
    'geecache.test.ts :: stats: groupcache counters': [lesson('A burst: singleflight', /overlap share one flight/), further('The counters')],
    'http.test.ts :: GET /stats: the counters of every group, as JSON': [further('The counters')],
    'singleflight.test.ts :: ': [lesson('A burst: singleflight')],
    'cache.test.ts :: ': [further("The hot cache, next to groupcache's")],
  },
  'day7-protobuf': {
    'main.test.ts :: ': [further('No copy per answer', /pipeline/), further('Joining a groupcache cluster')],
    'distributed.test.ts :: protobuf between peers': [lesson('The code')],
    'httpgetter.test.ts :: ': [lesson('The code')],
    'distributed.test.ts :: how an answer is framed': [further('Joining a groupcache cluster')],
    'distributed.test.ts :: a failing owner: the key is loaded here': [lesson('The code')],
    'http.test.ts :: the answer table': [lesson('The code')],
    'http.test.ts :: GET /stats: the counters of every group, as JSON': [lesson('The code')],
    'http.test.ts :: logging': [lesson('The code')],
    'http.test.ts :: a bug inside the handler': [lesson('The code')],
    'http.test.ts :: basePath': [lesson('The code')],
    'geecache.test.ts :: peers': [lesson('The code')],
    'flags.test.ts :: ': [further('Joining a groupcache cluster')],
    'flags.test.ts :: bad flags throw an error that says what is wrong': [further('Joining a groupcache cluster')],
    'geecachepb.test.ts :: ': [lesson('The messages')],
  },
};

/** A test as vitest names it: its file, its describe blocks and title joined by ' > ', a hash of its code. */
export interface TestId {
  file: string;
  name: string;
  code: string;
  /** The line the test starts on, to point a learner at it. */
  line?: number;
}

const keyOf = (test: TestId) => `${test.file} :: ${test.name.includes(' > ') ? test.name.split(' > ')[0] : ''}`;

/**
 * Where a test of `day` belongs: the earliest day that has it (a test built before: its section
 * left out, its part the one it had on that day), else the group of `day` that its file and
 * describe block name. Undefined when no rule names a test of `day`.
 */
export function groupOf(test: TestId, day: Day, earlier: ReadonlyMap<Day, ReadonlySet<string>>): (TestGroup & { day: Day; taughtIn?: string }) | undefined {
  for (const before of days) {
    if (before === day) break;
    if (earlier.get(before)?.has(`${test.file} :: ${test.name} :: ${test.code}`)) {
      // Counted with its day as a whole; `taughtIn` still names the section, for a failure of it.
      const own = ownGroup(test, before);
      return { day: before, section: '', part: own?.part ?? 'lesson', taughtIn: own?.section };
    }
  }
  const found = ownGroup(test, day);
  return found && { day, section: found.section, part: found.part };
}

/** The group a rule of `day` gives a test, the tests of given code apart. */
function ownGroup(test: TestId, day: Day): TestGroup | undefined {
  const found = rules[day][keyOf(test)]?.find((rule) => rule.names === undefined || rule.names.test(test.name));
  // main.test.ts starts the given main.ts, but what it tests is the learner's node.
  const ofGivenCode = test.file !== 'main.test.ts' && givenBy(day).includes(test.file.replace(/\.test\.ts$/, '.ts'));
  return found && { section: found.section, part: ofGivenCode ? 'given' : found.part };
}

/** Every section a day's rules name, with its part, to check them against the chapter. */
export function sectionsOf(day: Day): TestGroup[] {
  const seen = new Map<string, TestGroup>();
  for (const { section, part } of Object.values(rules[day]).flat()) seen.set(`${part} ${section}`, { section, part });
  return [...seen.values()];
}

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces as hyphens. */
export function slug(heading: string): string {
  return heading
    .toLowerCase()
    .replace(/[^\p{L}\p{N} _-]/gu, '')
    .replaceAll(' ', '-');
}
