/**
 * Makes overlapping calls for the same key share one run of a function:
 * while a run for a key is in flight, later calls for that key wait for it
 * and get its value or its error, instead of starting another.
 */
export class SingleFlight<T> {
  readonly #calls = new Map<string, Promise<T>>();

  /**
   * Runs `fn` for `key`, or joins the run already in flight for `key`.
   * Once the run settles, the next call for `key` runs `fn` again: nothing is
   * remembered, not even an error.
   */
  do(key: string, fn: () => Promise<T>): Promise<T> {
    const inFlight = this.#calls.get(key);
    if (inFlight !== undefined) return inFlight;
    // fn starts one microtask later, after the call is registered: so even an fn
    // that throws at once settles through the promise, and its entry is removed.
    const call = Promise.resolve()
      .then(fn)
      .finally(() => this.#calls.delete(key));
    this.#calls.set(key, call);
    return call;
  }
}
