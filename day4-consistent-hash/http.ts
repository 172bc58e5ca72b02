import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ByteView } from './byteview.js';
import { getGroup, NotFoundError } from './geecache.js';
import { type LogLevel, log as stampedLog } from './log.js';

/** The path prefix under which a node answers `GET <basePath><group>/<key>`. */
export const defaultBasePath = '/_geecache/';

/** Options for `HTTPPool`. */
export interface HTTPPoolOptions {
  /** The path prefix to serve; it must start and end with `/`. Default `/_geecache/`. */
  basePath?: string;
  /** Where a log line goes; default stdout, behind the time. */
  log?: (line: string) => void;
  /** `requests` (the default) logs a line per request; `errors` only what fails. */
  logLevel?: LogLevel;
}

/**
 * Serves this node's groups over HTTP: `GET <basePath><group>/<key>` answers
 * the value's bytes. Pass `handler` to `http.createServer`.
 */
export class HTTPPool {
  readonly #self: string;
  readonly #basePath: string;
  readonly #log: (line: string) => void;
  readonly #logRequests: boolean;

  /** @param self this node's base URL, for example `http://localhost:9999`, used in logs. */
  constructor(self: string, options: HTTPPoolOptions = {}) {
    const basePath = options.basePath ?? defaultBasePath;
    if (!basePath.startsWith('/') || !basePath.endsWith('/')) {
      throw new Error(`basePath must start and end with "/", got "${basePath}"`);
    }
    this.#self = self;
    this.#basePath = basePath;
    this.#log = options.log ?? stampedLog;
    this.#logRequests = (options.logLevel ?? 'requests') === 'requests';
  }

  /** The request listener: answers every request, and never throws. */
  readonly handler = (req: IncomingMessage, res: ServerResponse): void => {
    this.#serve(req, res).catch((err: unknown) => {
      // Only a bug lands here; answer if we still can, and keep the server up.
      this.#log(`[Server ${this.#self}] internal error: ${String(err)}`);
      if (!res.headersSent) sendText(res, 500, 'internal server error');
      else res.destroy();
    });
  };

  async #serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = req.url ?? '/';
    if (this.#logRequests) this.#log(`[Server ${this.#self}] ${req.method} ${url}`);
    const path = url.split('?', 1)[0]!;
    if (!path.startsWith(this.#basePath)) return sendText(res, 404, 'not found');
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('Allow', 'GET, HEAD');
      return sendText(res, 405, 'method not allowed');
    }
    const parsed = parseGroupAndKey(path.slice(this.#basePath.length));
    if (typeof parsed === 'string') return sendText(res, 400, parsed);
    const [groupName, key] = parsed;

    const group = getGroup(groupName);
    if (group === undefined) return sendText(res, 404, `no such group: ${groupName}`);
    group.countServerRequest();
    return sendValue(res, group.get(key));
  }
}

/** Answers with a value: 200 and its bytes, 404 for `NotFoundError`, 500 for any other error. */
export async function sendValue(res: ServerResponse, value: Promise<ByteView>): Promise<void> {
  try {
    const view = await value;
    res.writeHead(200, {
      'Content-Type': 'application/octet-stream',
      'Content-Length': view.len(),
    });
    res.end(view.readOnlyBytes());
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    sendText(res, err instanceof NotFoundError ? 404 : 500, message);
  }
}

/**
 * Splits `<group>/<key>` at the first `/` and percent-decodes both parts, so a
 * key may hold `/` (raw or as %2F). Returns an error message for a bad path.
 */
function parseGroupAndKey(rest: string): [group: string, key: string] | string {
  const slash = rest.indexOf('/');
  if (slash <= 0 || slash === rest.length - 1) return 'expected <group>/<key>';
  try {
    return [decodeURIComponent(rest.slice(0, slash)), decodeURIComponent(rest.slice(slash + 1))];
  } catch {
    return 'bad percent-encoding';
  }
}

/** Answers with one line of plain text, as Go's http.Error does. */
export function sendText(res: ServerResponse, status: number, message: string): void {
  const body = `${message}\n`;
  res.writeHead(status, {
    'Content-Type': 'text/plain; charset=utf-8',
    'Content-Length': Buffer.byteLength(body),
    'X-Content-Type-Options': 'nosniff',
  });
  res.end(body);
}
