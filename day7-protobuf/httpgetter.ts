import { type Agent, type ClientRequest, type IncomingMessage, request } from 'node:http';
import { NotFoundError } from './geecache.js';
import { geecachepb } from './geecachepb/geecachepb.js';
import { printable } from './log.js';
import type { PeerGetter } from './peers.js';

/** The header a node puts on its requests to peers, holding its own address. */
export const peerHeader = 'x-geecache-from';

/** The header on a 404 that means "the key does not exist", not "no such group" or "no such path". */
export const notFoundHeader = 'x-geecache-not-found';

/** Settings an `HTTPGetter` shares with the pool that made it. */
export interface HTTPGetterOptions {
  /** The address of the node that asks, sent in the `x-geecache-from` header. */
  self: string;
  /** The path prefix the peer serves, such as `/_geecache/`. */
  basePath: string;
  /** How long a whole answer may take before the peer counts as failed. */
  timeoutMs: number;
  /** Keeps connections to peers open between requests. */
  agent: Agent;
  /** Where a failed request is reported. */
  log: (line: string) => void;
  /** The largest body accepted from a peer; a longer one counts as a failure. */
  maxBodyBytes: number;
}

/** Asks one peer for values: `GET <peer><basePath><group>/<key>`, answered by a protobuf `Response`. */
export class HTTPGetter implements PeerGetter {
  readonly #peer: string;
  readonly #host: string;
  readonly #port: number;
  readonly #options: HTTPGetterOptions;

  /** @param peer a base URL such as `http://localhost:8001` (no path: see `isBaseURL`). */
  constructor(peer: string, options: HTTPGetterOptions) {
    const url = new URL(peer);
    this.#peer = peer;
    this.#host = url.hostname.replace(/^\[(.*)\]$/, '$1'); // [::1] in a URL, ::1 for a socket
    this.#port = Number(url.port || 80);
    this.#options = options;
  }

  /**
   * Resolves to the peer's decoded `Response`; a 404 that says the key does not exist rejects with
   * `NotFoundError`. Any other failure (down, slow, a 5xx, a cut connection, a body that is not a
   * `Response`) is logged and rejects with an `Error`.
   */
  async get(request: geecachepb.Request): Promise<geecachepb.Response> {
    try {
      return await this.#get(request.group, request.key);
    } catch (err) {
      if (!(err instanceof NotFoundError)) this.#options.log(`[Server ${this.#options.self}] ${(err as Error).message}`);
      throw err;
    }
  }

  async #get(group: string, key: string): Promise<geecachepb.Response> {
    // Encode each part, so '/', '%', '?', '#' and spaces in a key reach the peer unchanged.
    const path = `${this.#options.basePath}${encodeURIComponent(group)}/${encodeURIComponent(key)}`;
    // One deadline for the whole answer: when it passes, the request in flight is destroyed. A plain
    // timer, cleared once the answer is in, allows a third more peer hops than an AbortSignal (BENCHMARKS.md).
    const deadline: Deadline = { passed: false };
    const timer = setTimeout(() => {
      deadline.passed = true;
      deadline.request?.destroy();
    }, this.#options.timeoutMs).unref();
    let res: IncomingMessage;
    let body: Buffer;
    try {
      res = await this.#send(path, deadline);
      body = await readAll(res, this.#options.maxBodyBytes);
      // A body that ends when the connection closes looks complete when the deadline cuts it.
      if (deadline.passed) throw new Error('deadline passed');
    } catch (err) {
      const { timeoutMs } = this.#options;
      const why = deadline.passed ? `did not answer within ${timeoutMs} ms` : `failed: ${(err as Error).message}`;
      throw new Error(`peer ${this.#peer} ${why}`);
    } finally {
      clearTimeout(timer);
    }
    if (res.statusCode === 200) {
      // A length, or chunks (Go's answer over 2 KB), says where the body ends, and Node rejects
      // one cut short. Without either, the body ends when the connection does: cut, it looks whole.
      if (res.headers['content-length'] === undefined && !/chunked$/i.test(res.headers['transfer-encoding'] ?? '')) {
        throw new Error(`peer ${this.#peer} answered 200 with neither a Content-Length nor chunks`);
      }
      return decodeResponse(this.#peer, res.headers['content-type'], body);
    }
    const message = body.toString('utf8').replace(/\n$/, '');
    if (res.statusCode === 404 && res.headers[notFoundHeader] !== undefined) throw new NotFoundError(message);
    throw new Error(`peer ${this.#peer} answered ${res.statusCode}: ${printable(message.slice(0, 200))}`);
  }

  /**
   * Sends the GET and resolves with the answer's head. A kept-alive socket can
   * be closed by the peer just as this request goes out on it: it then fails
   * before a byte of an answer. A GET is safe to repeat, so that case alone is
   * sent once more, on a fresh connection; never a timeout, never twice.
   */
  #send(path: string, deadline: Deadline, fresh = false): Promise<IncomingMessage> {
    return new Promise((resolve, reject) => {
      const req = request({
        host: this.#host,
        port: this.#port,
        path,
        agent: fresh ? false : this.#options.agent,
        headers: { [peerHeader]: this.#options.self },
      });
      deadline.request = req;
      let bytesBefore = 0;
      req.on('socket', (socket) => (bytesBefore = socket.bytesRead));
      req.on('response', resolve);
      req.on('error', (err) => {
        const stale = req.reusedSocket && !fresh && !deadline.passed && req.socket?.bytesRead === bytesBefore;
        if (stale) resolve(this.#send(path, deadline, true));
        else reject(err);
      });
      req.end();
    });
  }
}

/** Reads a 200 answer: it must say it is protobuf, and decode as a `Response`. */
function decodeResponse(peer: string, type: string | undefined, body: Buffer): geecachepb.Response {
  if (type !== 'application/x-protobuf') {
    throw new Error(`peer ${peer} answered ${type ?? 'no content type'}, not application/x-protobuf`);
  }
  try {
    return geecachepb.Response.decode(body);
  } catch (err) {
    throw new Error(`peer ${peer} answered a body that is not a protobuf Response: ${(err as Error).message}`);
  }
}

/** The deadline of one request to a peer, and the request it must destroy when it passes. */
interface Deadline {
  passed: boolean;
  request?: ClientRequest;
}

/**
 * Collects a body of at most `limit` bytes. Rejects when it is longer, or when
 * the connection drops or the request is aborted midway.
 */
async function readAll(res: IncomingMessage, limit: number): Promise<Buffer> {
  const tooLong = () => new Error(`the body is longer than ${limit} bytes`);
  if (Number(res.headers['content-length']) > limit) throw tooLong();
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of res as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) throw tooLong(); // leaving the loop destroys the response
    chunks.push(chunk);
  }
  return Buffer.concat(chunks, size);
}
