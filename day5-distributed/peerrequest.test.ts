import { Agent } from 'node:http';
import { Duplex } from 'node:stream';
import { expect, test } from 'vitest';
import { peerAddress, requestPeer } from './peerrequest.js';

/** An agent whose connections take what is written, answer nothing, and ignore `destroy()`. */
class DeafAgent extends Agent {
  override createConnection(): Duplex {
    const socket = new Duplex({ read() {}, write: (_chunk, _encoding, done) => done() });
    socket.destroy = () => socket; // nothing a deadline does to the socket ends this exchange
    return socket;
  }
}

test('at the deadline the call rejects, even when destroying its socket ends nothing', async () => {
  const limits = { timeoutMs: 50, agent: new DeafAgent(), maxBodyBytes: 1000, inFlight: { bytes: 0, limit: 2000 } };
  const peer = peerAddress('http://127.0.0.1:9');
  await expect(requestPeer(peer, '/_geecache/scores/Tom', {}, limits)).rejects.toThrow('peer http://127.0.0.1:9 did not answer within 50 ms');
});
