/**
 * A promise-based lock: one holder at a time, waiters served first come, first served.
 *
 * JavaScript runs one callback at a time, so code without `await` needs no
 * lock. This one guards a section that awaits, where other callers could
 * otherwise run in the middle.
 */
export class Mutex {
  #locked = false;
  readonly #waiters: Array<() => void> = [];

  /**
   * Runs `fn` once every earlier caller's `fn` has settled, and resolves or
   * rejects as `fn` does. The lock is released even when `fn` throws.
   */
  async runExclusive<T>(fn: () => T | Promise<T>): Promise<T> {
    await this.#acquire();
    try {
      return await fn();
    } finally {
      this.#release();
    }
  }

  #acquire(): Promise<void> | undefined {
    if (!this.#locked) {
      this.#locked = true;
      return undefined;
    }
    return new Promise((resolve) => this.#waiters.push(resolve));
  }

  #release(): void {
    const next = this.#waiters.shift();
    // Hand the lock straight to the next waiter, so no newcomer can slip in between.
    if (next !== undefined) next();
    else this.#locked = false;
  }
}
