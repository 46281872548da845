// Threads per model when its config does not say.
import { availableParallelism } from 'node:os';

/** Threads for evaluation when the model config sets none. */
export function defaultThreads(): number {
  return Math.max(1, Math.min(4, availableParallelism() - 1));
}
