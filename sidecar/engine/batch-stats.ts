// Counts what each llama.cpp decode step carries, for batch fill (tokens per step) and /metrics.
//
// node-llama-cpp has no hook for this, so we wrap its native context's `initBatch(tokens)` (called
// once per step with the step's token count, just before `decodeBatch`) and `addToBatch` (once per
// sequence in the step). Both are internals of node-llama-cpp 3.21.1, which is pinned.
import type { LlamaContext } from 'node-llama-cpp';

export interface DecodeCounts {
  /** llama.cpp decode calls. */
  decodeSteps: number;
  /** Tokens in them, prompt tokens included; `decodedTokens / decodeSteps` is the batch fill. */
  decodedTokens: number;
  /** Sequences in them (a sequence counts once per step, whatever its token count). */
  batchedSequences: number;
}

type Native = Record<string, unknown>;

export class BatchStats {
  readonly #counts: DecodeCounts = { decodeSteps: 0, decodedTokens: 0, batchedSequences: 0 };

  attach(context: LlamaContext): void {
    const native = (context as unknown as { _ctx?: Native })._ctx;
    const initBatch = native?.['initBatch'];
    const addToBatch = native?.['addToBatch'];
    if (native === undefined || typeof initBatch !== 'function' || typeof addToBatch !== 'function') {
      throw new Error('node-llama-cpp changed: its native context has no initBatch/addToBatch (3.21.1 is pinned).');
    }
    const counts = this.#counts;
    // The addon's methods are read-only on its prototype, so they are shadowed on the instance.
    Object.defineProperty(native, 'initBatch', {
      value: (size: number, ...rest: unknown[]): unknown => {
        counts.decodeSteps += 1;
        counts.decodedTokens += size;
        return initBatch.call(native, size, ...rest);
      },
    });
    Object.defineProperty(native, 'addToBatch', {
      value: (...args: unknown[]): unknown => {
        counts.batchedSequences += 1;
        return addToBatch.apply(native, args);
      },
    });
  }

  get counts(): DecodeCounts {
    return { ...this.#counts };
  }
}
