import { NotFoundError } from './geecache.js';
import { printable } from './log.js';
import { type PeerAddress, type PeerLimits, peerAddress, requestPeer } from './peerrequest.js';
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
  readonly #peer: PeerAddress;
  readonly #options: HTTPGetterOptions;

  /** @param peer a base URL such as `http://localhost:8001` (no path: see `isBaseURL`). */
  constructor(peer: string, options: HTTPGetterOptions) {
    this.#peer = peerAddress(peer);
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
    const { status, headers, body } = await requestPeer(this.#peer, path, { [peerHeader]: this.#options.self }, this.#options);
    if (status === 200) return body;
    const message = body.toString('utf8').replace(/\n$/, '');
    if (status === 404 && headers[notFoundHeader] !== undefined) throw new NotFoundError(message);
    throw new Error(`peer ${this.#peer.url} answered ${status}: ${printable(message.slice(0, 200))}`);
  }
}
