import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Group } from './geecache.js';
import { sendText, sendValue } from './http.js';
import { maxKeyBytes } from './peerrequest.js';

/**
 * The front door for clients: `GET /api?key=K` answers the raw value of K in
 * `group`, asking its owner when that is another node. 400 without a key or
 * with broken percent-encoding, 404 when the key does not exist.
 */
export function apiHandler(group: Group): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    const target = req.url ?? '/';
    const mark = target.indexOf('?');
    if ((mark === -1 ? target : target.slice(0, mark)) !== '/api') return sendText(res, 404, 'not found');
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('Allow', 'GET, HEAD');
      return sendText(res, 405, 'method not allowed');
    }
    let key: string | undefined;
    try {
      key = keyParam(mark === -1 ? '' : target.slice(mark + 1));
    } catch {
      return sendText(res, 400, 'bad percent-encoding in the query');
    }
    if (!key) return sendText(res, 400, 'key is required: GET /api?key=K');
    if (Buffer.byteLength(key) > maxKeyBytes) return sendText(res, 414, `a key may be at most ${maxKeyBytes} bytes`);
    sendValue(res, group.get(key)).catch(() => res.destroy());
  };
}

/**
 * The `key` parameter of a query string, form-decoded ('+' is a space, so a
 * plus is sent as %2B). Throws URIError on broken percent-encoding, where
 * URLSearchParams would quietly put U+FFFD in the key.
 */
function keyParam(query: string): string | undefined {
  const value = /(?:^|&)key=([^&]*)/.exec(query)?.[1];
  return value === undefined ? undefined : decodeURIComponent(value.replaceAll('+', ' '));
}
