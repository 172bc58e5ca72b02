import { type Agent, type IncomingMessage, request } from 'node:http';
import { NotFoundError } from './geecache.js';
import { geecachepb } from './geecachepb/geecachepb.js';
import type { PeerGetter } from './peers.js';

/** The header a node puts on its requests to peers, holding its own address. */
export const peerHeader = 'x-geecache-from';

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
}

/** Asks one peer for values: `GET <peer><basePath><group>/<key>`, answered by a protobuf `Response`. */
export class HTTPGetter implements PeerGetter {
  /** The peer's base URL, as given to `HTTPPool.set`. */
  readonly peer: string;
  readonly #host: string;
  readonly #port: number;
  readonly #pathPrefix: string;
  readonly #options: HTTPGetterOptions;

  /** @param peer a base URL such as `http://localhost:8001`. */
  constructor(peer: string, options: HTTPGetterOptions) {
    const url = new URL(peer);
    this.peer = peer;
    this.#host = url.hostname;
    this.#port = Number(url.port || 80);
    this.#pathPrefix = url.pathname.replace(/\/$/, '') + options.basePath;
    this.#options = options;
  }

  /**
   * Resolves to the peer's decoded `Response`; a 404 rejects with `NotFoundError`.
   * Any other failure (down, slow, a 5xx, a cut connection, a body that is not
   * a `Response`) is logged and rejects with an `Error`.
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
    const path = `${this.#pathPrefix}${encodeURIComponent(group)}/${encodeURIComponent(key)}`;
    const signal = AbortSignal.timeout(this.#options.timeoutMs);
    let body: Buffer;
    let status: number;
    let type: string | undefined;
    try {
      const res = await this.#send(path, signal);
      status = res.statusCode ?? 0;
      type = res.headers['content-type'];
      body = await readAll(res);
    } catch (err) {
      if (signal.aborted) {
        throw new Error(`peer ${this.peer} did not answer within ${this.#options.timeoutMs} ms`);
      }
      throw new Error(`peer ${this.peer} failed: ${(err as Error).message}`);
    }
    if (status === 200) return decodeResponse(this.peer, type, body);
    const message = body.toString('utf8').trim();
    if (status === 404) throw new NotFoundError(message);
    throw new Error(`peer ${this.peer} answered ${status}: ${message}`);
  }

  #send(path: string, signal: AbortSignal): Promise<IncomingMessage> {
    return new Promise((resolve, reject) => {
      const req = request({
        host: this.#host,
        port: this.#port,
        path,
        agent: this.#options.agent,
        headers: { [peerHeader]: this.#options.self },
        signal,
      });
      req.on('response', resolve);
      req.on('error', reject);
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

/** Collects a body; rejects when the connection drops or the request is aborted midway. */
async function readAll(res: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of res) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}
