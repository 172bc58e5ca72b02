// Helpers for the tests: servers on port 0, plain HTTP requests, raw sockets.
import { once } from 'node:events';
import { type IncomingMessage, request, type RequestListener } from 'node:http';
import { type AddressInfo, connect } from 'node:net';
import { geecachepb } from './geecachepb/geecachepb.js';
import { createNodeServer } from './server.js';

/** A node's server on a free port, and how to close it. */
export type TestServer = Awaited<ReturnType<typeof listen>>;

/** Starts `handler` on port 0 of `host`, in a node's server; call `close` when the test ends. */
export async function listen(handler: RequestListener, host = '127.0.0.1') {
  const server = createNodeServer(handler).listen(0, host);
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  const close = () =>
    new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  const baseURL = host.includes(':') ? `http://[${host}]:${port}` : `http://${host}:${port}`;
  return { server, port, baseURL, close };
}

/** The parts of an answer a test looks at. */
export type Answer = Awaited<ReturnType<typeof send>>;

/**
 * Sends `method path` exactly as given. Unlike fetch, http.request does not
 * normalise the path, so keys such as `..` reach the server untouched.
 */
export async function send(port: number, path: string, method = 'GET') {
  const req = request({ host: '127.0.0.1', port, path, method, agent: false }).end();
  const [res] = (await once(req, 'response')) as [IncomingMessage];
  return { status: res.statusCode!, headers: res.headers, body: Buffer.concat(await res.toArray()) };
}

/** Writes `text` to a fresh connection and resolves with all the server sends before it closes. */
export function sendRaw(port: number, text: string): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    let answer = '';
    socket.setEncoding('latin1');
    socket.on('data', (chunk: string) => (answer += chunk));
    socket.on('close', () => resolve(answer));
    socket.on('error', () => resolve(answer));
    socket.end(text);
  });
}

/**
 * Replaces a protobuf `Response` body by the value it carries, so that tests
 * written for raw values keep comparing values. Other answers pass unchanged.
 */
export function unwrap(answer: Answer): Answer {
  if (answer.headers['content-type'] !== 'application/x-protobuf') return answer;
  try {
    return { ...answer, body: Buffer.from(geecachepb.Response.decode(answer.body).value) };
  } catch (err) {
    // A node's own answer that does not decode: name what it sent, not protobufjs's words alone.
    const head = answer.body.subarray(0, 16).toString('hex');
    throw new Error(
      `the node answered ${answer.status} with a body that is not a whole protobuf Response (${answer.body.length} bytes: ${head}; ` +
        `Content-Length ${answer.headers['content-length']}): see sendValue and responseHead in http.ts (${(err as Error).message})`,
    );
  }
}
