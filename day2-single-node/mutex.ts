/**
 * A promise-based lock, first come, first served. Code without `await` needs no
 * lock, since JavaScript runs one callback at a time; this one guards a section
 * that awaits, where other callers could otherwise run in the middle.
 */
export class Mutex {
  // The last turn handed out; it settles when its holder is done.
  #tail: Promise<unknown> = Promise.resolve();

  /** Runs `fn` once every earlier caller's `fn` has settled; resolves or rejects as `fn` does. */
  runExclusive<T>(fn: () => T | Promise<T>): Promise<T> {
    const turn = this.#tail.then(() => fn());
    // The next caller waits for this turn to settle, whether `fn` succeeds or throws.
    this.#tail = turn.catch(() => undefined);
    return turn;
  }
}
