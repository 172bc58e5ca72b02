import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Group } from './geecache.js';
import { sendText, sendValue } from './http.js';

/**
 * The front door for clients: `GET /api?key=K` answers the raw value of K in
 * `group`, asking its owner when that is another node. 400 without a key,
 * 404 when the key does not exist.
 */
export function apiHandler(group: Group): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    // The base only fills in what a path lacks; a request line like 'http://[' still fails.
    if (!URL.canParse(req.url ?? '/', 'http://api')) return sendText(res, 400, 'bad request target');
    const url = new URL(req.url ?? '/', 'http://api');
    if (url.pathname !== '/api') return sendText(res, 404, 'not found');
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('Allow', 'GET, HEAD');
      return sendText(res, 405, 'method not allowed');
    }
    // A query string is form-encoded: '+' means a space, so send a plus as %2B.
    const key = url.searchParams.get('key');
    if (!key) return sendText(res, 400, 'key is required: GET /api?key=K');
    sendValue(res, group.get(key)).catch(() => res.destroy());
  };
}
