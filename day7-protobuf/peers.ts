import type { geecachepb } from './geecachepb/geecachepb.js';

/** Fetches a value from the node that owns its key. */
export interface PeerGetter {
  /**
   * Resolves to the owner's answer for `request.key` in `request.group`.
   * Rejects with `NotFoundError` when the owner says the key does not exist,
   * and with another error when the owner could not answer.
   */
  get(request: geecachepb.Request): Promise<geecachepb.Response>;
}

/** Decides which node owns a key. */
export interface PeerPicker {
  /** The owner of `key`, or `undefined` when this node owns it (load it here). */
  pickPeer(key: string): PeerGetter | undefined;
}
