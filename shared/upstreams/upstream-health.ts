// Passive and active health of one upstream, as a small state machine:
//   unknown/up --failure--> down (retry after a backoff that doubles per failure, up to a cap)
//   down --backoff over--> one trial request allowed ("half-open"); its success brings it up
//   any --success (request or probe)--> up, backoff reset
// Pure: time comes from the caller.

export type UpstreamState = 'unknown' | 'up' | 'down';

export const FIRST_BACKOFF_MS = 1000;
export const MAX_BACKOFF_MS = 30_000;

export class UpstreamHealth {
  #state: UpstreamState = 'unknown';
  #failures = 0;
  #retryAt = 0;
  #lastError: string | undefined;

  get state(): UpstreamState {
    return this.#state;
  }

  /** Why it last failed, in words (no keys: messages name the upstream by URL only). */
  get lastError(): string | undefined {
    return this.#lastError;
  }

  /** When a down upstream may be tried again. */
  get retryAt(): number {
    return this.#retryAt;
  }

  /** Whether a request may go to it now: it is not down, or its backoff is over. */
  isAvailable(now: number): boolean {
    return this.#state !== 'down' || now >= this.#retryAt;
  }

  succeeded(): void {
    this.#state = 'up';
    this.#failures = 0;
    this.#retryAt = 0;
    this.#lastError = undefined;
  }

  failed(now: number, reason: string): void {
    this.#failures++;
    this.#state = 'down';
    this.#lastError = reason;
    this.#retryAt = now + Math.min(MAX_BACKOFF_MS, FIRST_BACKOFF_MS * 2 ** (this.#failures - 1));
  }
}
