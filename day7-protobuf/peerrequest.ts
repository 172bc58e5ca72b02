import { Agent, type ClientRequest, type IncomingHttpHeaders, type IncomingMessage, request } from 'node:http';

/** The longest key, in UTF-8 bytes, a node accepts: percent-encoded, it fits in a request head (16 KiB). */
export const maxKeyBytes = 4096;

/**
 * Whether `text` is a node's base URL, spelled as its own origin: `http://host:port` and
 * nothing more, no trailing slash or newline. The ring hashes names as strings, so every
 * node must spell a name the same way.
 */
export function isBaseURL(text: string): boolean {
  return URL.canParse(text) && new URL(text).protocol === 'http:' && new URL(text).origin === text;
}

/** A peer: its base URL, which names it in messages, and the host and port a socket reaches. */
export type PeerAddress = { url: string; host: string; port: number };

/** Parses a base URL once, for every request to come; an IPv6 host, [::1] in a URL, is ::1 to a socket. */
export function peerAddress(url: string): PeerAddress {
  const { hostname, port } = new URL(url);
  return { url, host: hostname.replace(/^\[(.*)\]$/, '$1'), port: Number(port || 80) };
}

/** A peer's whole answer. */
export type PeerAnswer = { status: number; headers: IncomingHttpHeaders; body: Buffer };

/** What bounds a request to a peer; one object is shared by every request of a pool. */
export interface PeerLimits {
  /** How long a whole answer may take; then the request fails, whatever it is waiting for. */
  timeoutMs: number;
  /** Keeps connections to peers open between requests. */
  agent: Agent;
  /** The largest body accepted in one answer. */
  maxBodyBytes: number;
  /** Bytes of answers being read right now, from every peer, and the most there may be. */
  inFlight: { bytes: number; limit: number };
}

/** What a pool's options say of its requests to peers. */
export interface PeerLimitOptions {
  /** How long a peer may take to answer before this node loads the key itself. Default 2000. */
  timeoutMs?: number;
  /** The largest body accepted from a peer; a longer one counts as a failed peer. Default 64 MiB. */
  maxBodyBytes?: number;
}

/**
 * The limits a pool's getters share, from the pool's options: one keep-alive agent that opens at
 * most 64 connections to a peer (more requests wait for a free one), and a budget for the answers
 * read from all peers at once, twice the largest (past it, a peer fails).
 * @throws RangeError when `timeoutMs` or `maxBodyBytes` is out of range.
 */
export function peerLimits({ timeoutMs = 2000, maxBodyBytes = 64 * 1024 * 1024 }: PeerLimitOptions): PeerLimits {
  if (!(timeoutMs > 0 && timeoutMs <= 2 ** 31 - 1)) {
    throw new RangeError(`timeoutMs must be a number of milliseconds > 0, got ${timeoutMs}`);
  }
  if (!Number.isSafeInteger(maxBodyBytes) || maxBodyBytes < 0) {
    throw new RangeError(`maxBodyBytes must be a whole number of bytes, got ${maxBodyBytes}`);
  }
  const agent = new Agent({ keepAlive: true, maxSockets: 64 });
  return { timeoutMs, agent, maxBodyBytes, inFlight: { bytes: 0, limit: 2 * maxBodyBytes } };
}

/**
 * Sends `GET <peer><path>` and resolves with the peer's whole answer, or rejects with an
 * error that names the peer: whether it is down, silent, slow, cuts the connection, answers
 * a 200 that does not say where its body ends, or ends the exchange without an answer (a
 * `101 Switching Protocols` does: Node then emits neither 'response' nor 'error', only
 * 'close'). At the deadline the call itself rejects, whatever it waits for.
 */
export function requestPeer(peer: PeerAddress, path: string, headers: Record<string, string>, limits: PeerLimits): Promise<PeerAnswer> {
  const target = { host: peer.host, port: peer.port, path, headers };
  return new Promise((resolve, reject) => {
    let current: ClientRequest;
    let settled = false;
    const settle = (why: string | undefined, answer?: PeerAnswer) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (why !== undefined) current.destroy();
      return why !== undefined ? reject(new Error(`peer ${peer.url} ${why}`)) : resolve(answer!);
    };
    const fail = (err: Error) => settle(`failed: ${err.message}`);
    // A plain timer, cleared once the answer is in, costs less than an AbortSignal (BENCHMARKS.md).
    const timer = setTimeout(() => settle(`did not answer within ${limits.timeoutMs} ms`), limits.timeoutMs).unref();
    const send = (fresh: boolean) => {
      const req = (current = request({ ...target, agent: fresh ? false : limits.agent }));
      let bytesBefore = 0;
      let answered = false;
      req.on('socket', (socket) => (bytesBefore = socket.bytesRead));
      req.on('response', (res) => {
        answered = true;
        readBody(res, limits).then((body) => settle(unframed(res), { status: res.statusCode!, headers: res.headers, body }), fail);
      });
      req.on('error', (err) => {
        // A kept-alive socket can be closed by the peer just as this request goes out on it:
        // it fails before a byte of an answer. A GET is safe to repeat: once, on a fresh connection.
        const stale = req.reusedSocket && !fresh && req.socket?.bytesRead === bytesBefore;
        if (stale && !settled) send(true);
        else fail(err);
      });
      req.on('close', () => !answered && req === current && settle('failed: the connection closed without an answer'));
      req.end();
    };
    send(false);
  });
}

/**
 * Why a 200 may not be whole, or `undefined`. A length, or chunks (Go's answer over 2 KB), says where
 * the body ends, and Node rejects one cut short. Without either, the body ends when the connection
 * does: cut, it looks whole.
 */
function unframed(res: IncomingMessage): string | undefined {
  const framed = res.headers['content-length'] !== undefined || /chunked$/i.test(res.headers['transfer-encoding'] ?? '');
  return res.statusCode === 200 && !framed ? 'answered 200 with neither a Content-Length nor chunks' : undefined;
}

/** Collects a body of at most `maxBodyBytes`, counted against the pool's bytes in flight while it is read. */
async function readBody(res: IncomingMessage, { maxBodyBytes, inFlight }: PeerLimits): Promise<Buffer> {
  const tooLong = () => new Error(`the body is longer than ${maxBodyBytes} bytes`);
  if (Number(res.headers['content-length']) > maxBodyBytes) throw tooLong();
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of res as AsyncIterable<Buffer>) {
      size += chunk.length;
      inFlight.bytes += chunk.length;
      if (size > maxBodyBytes) throw tooLong(); // leaving the loop destroys the response
      if (inFlight.bytes > inFlight.limit) throw new Error(`answers being read from peers exceed ${inFlight.limit} bytes`);
      chunks.push(chunk);
    }
    return Buffer.concat(chunks, size);
  } finally {
    inFlight.bytes -= size;
  }
}
