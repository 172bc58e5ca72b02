import { createServer, type IncomingMessage, type RequestListener, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/** What a node's port allows a client; a cache request is a short GET, and its answer is read at once. */
export const nodeLimits = {
  /** The request head must arrive within 10 s (Node allows 60 s). */
  headersTimeout: 10_000,
  /** The whole request too (Node allows 300 s, meant for uploads). */
  requestTimeout: 10_000,
  /** How often Node checks the two above (every 30 s by default would stretch 10 s to 40 s). */
  connectionsCheckingInterval: 1_000,
  /** An answer left unread this long (the socket's buffers full, none drained) closes the socket. */
  unreadAnswerMs: 10_000,
  /** Requests one socket may have waiting for answers: clients send one at a time, a pipelining one 16. */
  maxPipelined: 16,
};

/**
 * Creates the server for one of a node's ports, with `nodeLimits` (tests scale them down).
 * CONNECT gets a 405: Node hands it to a 'connect' listener, never to the request
 * listener, and without one it hangs.
 */
export function createNodeServer(handler?: RequestListener, limits = nodeLimits): Server {
  const { headersTimeout, requestTimeout, connectionsCheckingInterval } = limits;
  const server = createServer({ headersTimeout, requestTimeout, connectionsCheckingInterval }, handler);
  server.on('connect', (_req, socket) => {
    socket.on('error', () => socket.destroy()); // Node no longer watches this socket
    const body = 'method not allowed\n';
    const head = 'HTTP/1.1 405 Method Not Allowed\r\nAllow: GET, HEAD\r\nConnection: close\r\n';
    socket.end(`${head}Content-Type: text/plain; charset=utf-8\r\nContent-Length: ${body.length}\r\n\r\n${body}`);
  });
  boundWaitingAnswers(server, limits);
  return server;
}

/**
 * A client that asks and never reads makes a node hold the answers. So a socket is closed when
 * more than `maxPipelined` of its requests wait, or when its answers wait unread `unreadAnswerMs`.
 */
function boundWaitingAnswers(server: Server, { unreadAnswerMs, maxPipelined }: typeof nodeLimits): void {
  const waiting = new WeakMap<Socket, number>();
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    const count = (waiting.get(req.socket) ?? 0) + 1;
    if (count > maxPipelined) return void req.socket.destroy();
    waiting.set(req.socket, count);
    res.once('close', () => waiting.set(req.socket, waiting.get(req.socket)! - 1));
  });
  const drains = new Map<Socket, { count: number; atLastLook: number }>();
  server.on('connection', (socket: Socket) => {
    const seen = { count: 0, atLastLook: -1 };
    drains.set(socket, seen);
    socket.on('drain', () => seen.count++).once('close', () => drains.delete(socket));
  });
  // Stuck: waiting for a 'drain' at the last look, and none since.
  const look = setInterval(() => {
    for (const [socket, seen] of drains) {
      if (socket.writableNeedDrain && seen.count === seen.atLastLook) socket.destroy();
      seen.atLastLook = socket.writableNeedDrain ? seen.count : -1;
    }
  }, unreadAnswerMs).unref();
  server.once('close', () => clearInterval(look));
}

/**
 * Starts a node's server on `host`:`port` and resolves with it and its URL, or exits the process
 * with a clear message when it cannot listen (code 1: a taken port says so).
 */
export async function listenOrExit(port: number, host: string): Promise<{ server: Server; url: string }> {
  const server = createNodeServer();
  await new Promise<void>((resolve) => {
    server.once('error', (err: NodeJS.ErrnoException) => {
      console.error(err.code === 'EADDRINUSE' ? `error: port ${port} is already in use` : `error: ${err.message}`);
      process.exit(1);
    });
    server.listen(port, host, resolve);
  });
  return { server, url: `http://localhost:${(server.address() as AddressInfo).port}` };
}

/** On SIGINT or SIGTERM: says so, closes every server and its connections, and exits with code 0. */
export function stopOnSignals(servers: Server[], log: (line: string) => void): void {
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      log(`${signal}: shutting down`);
      const closed = servers.map((server) => new Promise((resolve) => server.close(resolve)));
      for (const server of servers) server.closeAllConnections();
      void Promise.all(closed).then(() => process.exit(0));
    });
  }
}
