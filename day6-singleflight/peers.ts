/** Fetches a value from the node that owns its key. */
export interface PeerGetter {
  /**
   * Resolves to the value of `key` in `group` on that node. Rejects with
   * `NotFoundError` when the owner says the key does not exist, and with
   * another error when the owner could not answer.
   */
  get(group: string, key: string): Promise<Uint8Array>;
}

/** Decides which node owns a key. */
export interface PeerPicker {
  /** The owner of `key`, or `undefined` when this node owns it (load it here). */
  pickPeer(key: string): PeerGetter | undefined;
}
