import { NotFoundError } from './geecache.js';
import { printable } from './log.js';
import { type PeerAnswer, type PeerLimits, requestPeer } from './peerrequest.js';
import type { PeerGetter } from './peers.js';

/** The header a node puts on its requests to peers, holding its own address. */
export const peerHeader = 'x-geecache-from';

/** The header on a 404 that means "the key does not exist", not "no such group" or "no such path". */
export const notFoundHeader = 'x-geecache-not-found';

/** Settings an `HTTPGetter` shares with the pool that made it. */
export interface HTTPGetterOptions extends PeerLimits {
  /** The address of the node that asks, sent in the `x-geecache-from` header. */
  self: string;
  /** The path prefix the peer serves, such as `/_geecache/`. */
  basePath: string;
  /** Where a failed request is reported. */
  log: (line: string) => void;
}

/** Asks one peer for values: `GET <peer><basePath><group>/<key>`. */
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
   * Resolves to the peer's bytes; a 404 that says the key does not exist rejects with `NotFoundError`.
   * Any other failure (down, slow, a 5xx, a cut connection) is logged and rejects with an `Error`.
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
    const path = `${this.#options.basePath}${encodeURIComponent(group)}/${encodeURIComponent(key)}`;
    const headers = { [peerHeader]: this.#options.self };
    let answer: PeerAnswer;
    try {
      answer = await requestPeer({ host: this.#host, port: this.#port, path, headers }, this.#options);
    } catch (err) {
      throw new Error(`peer ${this.#peer} ${(err as Error).message}`);
    }
    const { status, headers: answerHeaders, body } = answer;
    if (status === 200) {
      // A length says where the body ends, and Node rejects a body cut short of it. Without
      // one, a body may end when the connection does: cut, it would look whole.
      if (answerHeaders['content-length'] === undefined) {
        throw new Error(`peer ${this.#peer} answered 200 without a Content-Length`);
      }
      return body;
    }
    const message = body.toString('utf8').replace(/\n$/, '');
    if (status === 404 && answerHeaders[notFoundHeader] !== undefined) throw new NotFoundError(message);
    throw new Error(`peer ${this.#peer} answered ${status}: ${printable(message.slice(0, 200))}`);
  }
}
