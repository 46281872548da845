// Admission control for one served model: `slots` requests run at once, up to `queue` more wait
// in arrival order, and anything beyond is refused at once (429) rather than piling up unseen.
// A request that waits longer than `queueTimeoutMs`, or whose client goes away, leaves the queue.
import { ApiError } from '../base/api-error.js';

export interface AdmissionLimits {
  /** Requests served at the same time (`--parallel`). */
  slots: number;
  /** Requests allowed to wait for a slot (`--queue`). */
  queue: number;
  /** Longest wait for a slot, in milliseconds (`--queue-timeout`). */
  queueTimeoutMs: number;
}

/** A held slot. `release()` may be called more than once; only the first counts. */
export interface Slot {
  release(): void;
}

/** Seconds a refused client should wait before trying again (the Retry-After header). */
export const RETRY_AFTER_SECONDS = 1;

interface Waiter {
  grant(slot: Slot): void;
  refuse(error: unknown): void;
}

export class AdmissionGate {
  #busy = 0;
  readonly #waiting: Waiter[] = [];

  constructor(
    readonly limits: AdmissionLimits,
    readonly modelName: string,
  ) {}

  get busy(): number {
    return this.#busy;
  }

  get waiting(): number {
    return this.#waiting.length;
  }

  /** A slot now, or after waiting in line; 429 when the line is full, 503 after the queue timeout. */
  acquire(signal?: AbortSignal): Promise<Slot> {
    signal?.throwIfAborted();
    if (this.#busy < this.limits.slots && this.#waiting.length === 0) return Promise.resolve(this.#take());
    if (this.#waiting.length >= this.limits.queue) {
      return Promise.reject(
        new ApiError(
          'rate_limit',
          `Model "${this.modelName}" is busy: ${this.#busy} requests are running and ${this.#waiting.length} are waiting, the most it queues. Try again shortly.`,
          { code: 'queue_full', retryAfterSeconds: RETRY_AFTER_SECONDS },
        ),
      );
    }
    return new Promise<Slot>((resolve, reject) => {
      const leave = (): void => {
        const index = this.#waiting.indexOf(waiter);
        if (index >= 0) this.#waiting.splice(index, 1);
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
      };
      const waiter: Waiter = {
        grant: (slot) => {
          leave();
          resolve(slot);
        },
        refuse: (error) => {
          leave();
          reject(error);
        },
      };
      const onAbort = (): void => waiter.refuse(signal?.reason);
      const timer = setTimeout(
        () =>
          waiter.refuse(
            new ApiError(
              'unavailable',
              `Model "${this.modelName}" had no free slot for ${Math.round(this.limits.queueTimeoutMs / 1000)} s (the queue timeout). Try again later.`,
              { code: 'queue_timeout', retryAfterSeconds: RETRY_AFTER_SECONDS },
            ),
          ),
        this.limits.queueTimeoutMs,
      );
      signal?.addEventListener('abort', onAbort, { once: true });
      this.#waiting.push(waiter);
    });
  }

  #take(): Slot {
    this.#busy += 1;
    let held = true;
    return {
      release: () => {
        if (!held) return;
        held = false;
        this.#busy -= 1;
        const next = this.#waiting[0];
        if (next !== undefined && this.#busy < this.limits.slots) next.grant(this.#take());
      },
    };
  }
}
