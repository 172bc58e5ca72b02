import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ByteView } from './byteview.js';
import { HashRing } from './consistenthash.js';
import { allGroups, type Group, NotFoundError } from './geecache.js';
import protobuf from 'protobufjs/minimal.js';
import { HTTPGetter, type HTTPGetterOptions, notFoundHeader, peerHeader } from './httpgetter.js';
import { type LogLevel, log as stampedLog, printable } from './log.js';
import { isBaseURL, maxKeyBytes, type PeerLimitOptions, peerLimits } from './peerrequest.js';
import type { PeerGetter, PeerPicker } from './peers.js';

/** The path prefix under which a node answers `GET <basePath><group>/<key>`. */
export const defaultBasePath = '/_geecache/';

/** Options for `HTTPPool`; `timeoutMs` and `maxBodyBytes` bound its requests to peers. */
export interface HTTPPoolOptions extends PeerLimitOptions {
  /** The path prefix to serve; it must start and end with `/`. Default `/_geecache/`. */
  basePath?: string;
  /** Where a log line goes; default stdout, behind the time. */
  log?: (line: string) => void;
  /** `requests` (the default) logs a line per request; `errors` only what fails. */
  logLevel?: LogLevel;
  /** Virtual nodes per peer on the hash ring. Default 50. */
  replicas?: number;
  /**
   * The groups this pool serves, by name. Default every registered group; giving
   * each pool its own lets several nodes run in one process, as the tests do.
   */
  groups?: ReadonlyMap<string, Group>;
}

/**
 * Serves this node's groups over HTTP: `GET <basePath><group>/<key>` answers
 * the value's bytes. Pass `handler` to `http.createServer`.
 * As a `PeerPicker`, it also tells a group which peer owns a key, and asks that peer over HTTP.
 */
export class HTTPPool implements PeerPicker {
  readonly #self: string;
  readonly #basePath: string;
  readonly #log: (line: string) => void;
  readonly #logRequests: boolean;
  readonly #replicas: number;
  readonly #groups: ReadonlyMap<string, Group>;
  readonly #client: HTTPGetterOptions; // what every HTTPGetter of this pool shares
  #ring = new HashRing(1);
  #getters = new Map<string, HTTPGetter>();

  /** @param self this node's base URL, for example `http://localhost:8001`, used in logs. */
  constructor(self: string, options: HTTPPoolOptions = {}) {
    const basePath = options.basePath ?? defaultBasePath;
    if (!basePath.startsWith('/') || !basePath.endsWith('/')) {
      throw new Error(`basePath must start and end with "/", got "${basePath}"`);
    }
    this.#self = self;
    this.#basePath = basePath;
    this.#log = options.log ?? stampedLog;
    this.#logRequests = (options.logLevel ?? 'requests') === 'requests';
    this.#replicas = options.replicas ?? 50;
    this.#groups = options.groups ?? allGroups();
    this.#client = { self: this.#self, basePath: this.#basePath, log: this.#log, ...peerLimits(options) };
    this.set(); // checks replicas now, not at the first set
  }

  /**
   * Replaces the list of peers: base URLs such as `http://localhost:8001`,
   * this node's own `self` included, exactly as every node spells them.
   * @throws TypeError when a peer is not a base URL (see `isBaseURL`); the old list stays.
   */
  set(...peers: string[]): void {
    const ring = new HashRing(this.#replicas);
    const getters = new Map<string, HTTPGetter>();
    for (const peer of peers) {
      if (!isBaseURL(peer)) throw new TypeError(`a peer must be a base URL like http://host:port, got "${peer}"`);
      getters.set(peer, new HTTPGetter(peer, this.#client));
    }
    ring.add(...peers);
    this.#ring = ring;
    this.#getters = getters;
  }

  /** The peer that owns `key`, or `undefined` when it is this node (or there are no peers). */
  pickPeer(key: string): PeerGetter | undefined {
    const owner = this.#ring.get(key);
    if (owner === '' || owner === this.#self) return undefined;
    if (this.#logRequests) this.#log(`[Server ${this.#self}] Pick peer ${owner} for ${printable(key)}`);
    return this.#getters.get(owner);
  }

  /** The request listener: answers every request, and never throws. */
  readonly handler = (req: IncomingMessage, res: ServerResponse): void => {
    this.#serve(req, res).catch((err: unknown) => {
      // Only a bug lands here; answer if we still can, and keep the server up.
      this.#log(`[Server ${this.#self}] internal error: ${String(err)}`);
      if (!res.headersSent) sendText(res, 500, 'internal server error');
      else res.destroy();
    });
  };

  async #serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = req.url ?? '/';
    if (this.#logRequests) this.#log(`[Server ${this.#self}] ${req.method} ${url}`);
    const path = url.split('?', 1)[0]!;
    if (!path.startsWith(this.#basePath)) return sendText(res, 404, 'not found');
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('Allow', 'GET, HEAD');
      return sendText(res, 405, 'method not allowed');
    }
    const parsed = parseGroupAndKey(path.slice(this.#basePath.length));
    if (typeof parsed === 'string') return sendText(res, 400, parsed);
    const [groupName, key] = parsed;
    if (Buffer.byteLength(key) > maxKeyBytes) return sendText(res, 414, `a key may be at most ${maxKeyBytes} bytes`);

    const group = this.#groups.get(groupName);
    if (group === undefined) return sendText(res, 404, `no such group: ${groupName}`);
    group.countServerRequest();
    // A peer already picked this node as the owner: answer from here, never forward again.
    return sendValue(res, group.get(key, { fromPeer: this.#fromPeer(req) }), 'protobuf');
  }

  /** Whether `x-geecache-from` names a node this one knows: itself (under any name it is listed as) or a peer. */
  #fromPeer(req: IncomingMessage): boolean {
    const from = req.headers[peerHeader];
    return from === this.#self || (typeof from === 'string' && this.#getters.has(from));
  }
}

/**
 * Answers with a value: 200 and its bytes, raw or as a protobuf `Response`;
 * 404 for `NotFoundError`, 500 for any other error (both as plain text).
 */
export async function sendValue(
  res: ServerResponse,
  value: Promise<ByteView>,
  format: 'raw' | 'protobuf' = 'raw',
): Promise<void> {
  try {
    const bytes = (await value).readOnlyBytes();
    const head = format === 'protobuf' ? responseHead(bytes.length) : new Uint8Array(0);
    res.writeHead(200, {
      'Content-Type': format === 'raw' ? 'application/octet-stream' : 'application/x-protobuf',
      'Content-Length': head.length + bytes.length,
    });
    if (head.length > 0) res.write(head);
    res.end(bytes);
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    // The header tells a peer that this 404 means "no such key", not "no such group".
    if (err instanceof NotFoundError) res.setHeader(notFoundHeader, '1');
    sendText(res, err instanceof NotFoundError ? 404 : 500, message);
  }
}

/**
 * The bytes of a protobuf `Response` that come before its value: field 1's tag, then the
 * value's length. Sent ahead of the cached bytes, they make a whole `Response` with no copy
 * of the value per answer. An empty value has none: proto3 writes no field that holds its default.
 */
export function responseHead(length: number): Uint8Array {
  if (length === 0) return new Uint8Array(0);
  return protobuf.Writer.create().uint32((1 << 3) | 2).uint32(length).finish(); // (field 1 << 3) | length-delimited
}

/**
 * Splits `<group>/<key>` at the first `/` and percent-decodes both parts, so a
 * key may hold `/` (raw or as %2F). Returns an error message for a bad path.
 */
function parseGroupAndKey(rest: string): [group: string, key: string] | string {
  const slash = rest.indexOf('/');
  if (slash <= 0 || slash === rest.length - 1) return 'expected <group>/<key>';
  try {
    return [decodeURIComponent(rest.slice(0, slash)), decodeURIComponent(rest.slice(slash + 1))];
  } catch {
    return 'bad percent-encoding';
  }
}

/** Answers with one line of plain text, as Go's http.Error does. */
export function sendText(res: ServerResponse, status: number, message: string): void {
  const body = `${message}\n`;
  res.writeHead(status, {
    'Content-Type': 'text/plain; charset=utf-8',
    'Content-Length': Buffer.byteLength(body),
    'X-Content-Type-Options': 'nosniff',
  });
  res.end(body);
}
