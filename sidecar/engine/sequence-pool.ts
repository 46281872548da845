// Leases a fixed set of items (context sequences) to one user at a time, first come first served;
// a request that finds several free may choose among them (the one caching its prompt's prefix).

interface Waiter<T> {
  resolve: (item: T) => void;
  reject: (reason: unknown) => void;
}

export class SequencePool<T> {
  readonly #free: T[];
  readonly #waiters: Waiter<T>[] = [];
  #closedReason: unknown;
  #closed = false;

  constructor(items: readonly T[]) {
    this.#free = [...items];
  }

  /** Items waiting for nobody right now. */
  get available(): number {
    return this.#free.length;
  }

  /** Requests waiting for an item. */
  get waiting(): number {
    return this.#waiters.length;
  }

  /**
   * Resolves with a free item (the one at the index `choose` returns, else the longest free), or
   * waits in line (FIFO) until one is released. Aborting `signal` leaves the line and rejects with
   * the signal's reason.
   */
  acquire(signal?: AbortSignal, choose?: (free: readonly T[]) => number): Promise<T> {
    if (this.#closed) return Promise.reject(this.#closedReason);
    if (signal?.aborted === true) return Promise.reject(signal.reason);
    if (this.#free.length > 0) {
      const chosen = choose?.(this.#free) ?? 0;
      const index = Number.isInteger(chosen) && chosen >= 0 && chosen < this.#free.length ? chosen : 0;
      const [item] = this.#free.splice(index, 1) as [T];
      return Promise.resolve(item);
    }
    return new Promise<T>((resolve, reject) => {
      const onAbort = (): void => {
        const index = this.#waiters.indexOf(waiter);
        if (index >= 0) this.#waiters.splice(index, 1);
        reject(signal?.reason);
      };
      const waiter: Waiter<T> = {
        resolve: (value) => {
          signal?.removeEventListener('abort', onAbort);
          resolve(value);
        },
        reject: (reason) => {
          signal?.removeEventListener('abort', onAbort);
          reject(reason);
        },
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.#waiters.push(waiter);
    });
  }

  /** Gives an item back: the longest waiting request gets it first. */
  release(item: T): void {
    if (this.#closed) return;
    const next = this.#waiters.shift();
    if (next === undefined) this.#free.push(item);
    else next.resolve(item);
  }

  /** Rejects every waiting and future request with `reason`. */
  close(reason: unknown): void {
    this.#closed = true;
    this.#closedReason = reason;
    this.#free.length = 0;
    for (const waiter of this.#waiters.splice(0)) waiter.reject(reason);
  }
}
