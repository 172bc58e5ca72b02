import { createServer, type RequestListener, type Server } from 'node:http';

/**
 * Creates the server for one of a node's ports. A cache node takes short GETs,
 * so a request must arrive within 10 s (Node allows 60 s for the head and 300 s
 * in all, and looks only every 30 s). CONNECT gets a 405: Node hands it to a
 * 'connect' listener, never to the request listener, and without one it hangs.
 */
export function createNodeServer(handler?: RequestListener): Server {
  const limits = { headersTimeout: 10_000, requestTimeout: 10_000, connectionsCheckingInterval: 1_000 };
  const server = createServer(limits, handler);
  server.on('connect', (_req, socket) => {
    socket.on('error', () => socket.destroy()); // Node no longer watches this socket
    const body = 'method not allowed\n';
    const head = 'HTTP/1.1 405 Method Not Allowed\r\nAllow: GET, HEAD\r\nConnection: close\r\n';
    socket.end(`${head}Content-Type: text/plain; charset=utf-8\r\nContent-Length: ${body.length}\r\n\r\n${body}`);
  });
  return server;
}
