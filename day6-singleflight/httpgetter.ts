import { type Agent, type IncomingMessage, request } from 'node:http';
import { NotFoundError } from './geecache.js';
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

/** Asks one peer for values: `GET <peer><basePath><group>/<key>`. */
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
   * Resolves to the peer's bytes; a 404 rejects with `NotFoundError`. Any other
   * failure (down, slow, a 5xx, a cut connection) is logged and rejects with an `Error`.
   */
  async get(group: string, key: string): Promise<Uint8Array> {
    try {
      return await this.#get(group, key);
    } catch (err) {
      if (!(err instanceof NotFoundError)) this.#options.log(`[Server ${this.#options.self}] ${(err as Error).message}`);
      throw err;
    }
  }

  async #get(group: string, key: string): Promise<Uint8Array> {
    // Encode each part, so '/', '%', '?', '#' and spaces in a key reach the peer unchanged.
    const path = `${this.#pathPrefix}${encodeURIComponent(group)}/${encodeURIComponent(key)}`;
    const signal = AbortSignal.timeout(this.#options.timeoutMs);
    let body: Buffer;
    let status: number;
    try {
      const res = await this.#send(path, signal);
      status = res.statusCode ?? 0;
      body = await readAll(res);
    } catch (err) {
      if (signal.aborted) {
        throw new Error(`peer ${this.peer} did not answer within ${this.#options.timeoutMs} ms`);
      }
      throw new Error(`peer ${this.peer} failed: ${(err as Error).message}`);
    }
    if (status === 200) return body;
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

/** Collects a body; rejects when the connection drops or the request is aborted midway. */
async function readAll(res: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of res) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}
