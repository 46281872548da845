// Threads per model when its config does not say.
//
// Measured on the 2-vCPU development machine (greedy, 64 tokens, median of 5 runs, one session):
//   tiny test model (Q8_0, 0.2 MB):  1 thread 2600 tok/s, 2 threads 90 tok/s  (~29x slower)
//   SmolLM2-135M shape (Q8_0):       1 thread  111 tok/s, 2 threads 63 tok/s single stream;
//                                    4 batched streams 92 tok/s vs 115 tok/s (2 threads ranged 30-136)
// llama.cpp's worker threads spin at barriers, so using every core leaves none for Node's event
// loop (which feeds the tokens) and any other process: throughput collapses and becomes erratic.
// Keep one core free; past 4 threads small models are memory-bound and gain nothing.

import { availableParallelism } from 'node:os';

/** Threads for evaluation when the model config sets none: cores - 1, between 1 and 4. Defaults to `1` on 2 cores. */
export function defaultThreads(cores = availableParallelism()): number {
  return Math.max(1, Math.min(4, cores - 1));
}
