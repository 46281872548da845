// Time as the upstream pool sees it: injected, so health and backoff are tested with a fake clock.

export interface Clock {
  /** Milliseconds, monotonic enough for backoff. */
  now(): number;
  /** Calls `tick` every `ms` until the returned stop is called. */
  every(ms: number, tick: () => void): () => void;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  every(ms, tick) {
    const timer = setInterval(tick, ms);
    // In Node a probe timer must not keep the process alive on its own.
    (timer as { unref?: () => void }).unref?.();
    return () => clearInterval(timer);
  },
};
