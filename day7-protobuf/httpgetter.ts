import { NotFoundError } from './geecache.js';
import { geecachepb } from './geecachepb/geecachepb.js';
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

/** Asks one peer for values: `GET <peer><basePath><group>/<key>`, answered by a protobuf `Response`. */
export class HTTPGetter implements PeerGetter {
  readonly #peer: PeerAddress;
  readonly #options: HTTPGetterOptions;

  /** @param peer a base URL such as `http://localhost:8001` (no path: see `isBaseURL`). */
  constructor(peer: string, options: HTTPGetterOptions) {
    this.#peer = peerAddress(peer);
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
    const { status, headers, body } = await requestPeer(this.#peer, path, { [peerHeader]: this.#options.self }, this.#options);
    if (status === 200) return decodeResponse(this.#peer.url, headers['content-type'], body);
    const message = body.toString('utf8').replace(/\n$/, '');
    if (status === 404 && headers[notFoundHeader] !== undefined) throw new NotFoundError(message);
    throw new Error(`peer ${this.#peer.url} answered ${status}: ${printable(message.slice(0, 200))}`);
  }
}

/** Reads a 200 answer: it must say it is protobuf, and decode as a `Response`. */
function decodeResponse(peer: string, type: string | undefined, body: Buffer): geecachepb.Response {
  if (type !== 'application/x-protobuf') {
    // The type comes from the peer: escaped, it cannot drive the terminal that shows the log.
    throw new Error(`peer ${peer} answered ${printable(type ?? 'no content type')}, not application/x-protobuf`);
  }
  try {
    return geecachepb.Response.decode(body);
  } catch (err) {
    throw new Error(`peer ${peer} answered a body that is not a protobuf Response: ${(err as Error).message}`);
  }
}
