// One loaded copy of a model file's weights per placement (file, GPU layers, mmap, mlock, build),
// whatever the number of configs that use it: each config gets its own context (its own context
// size, parallel sequences, KV cache types) over the same weights. The weights go when the last
// context using them is disposed.
import type { LlamaModel } from 'node-llama-cpp';

interface Entry {
  model: Promise<LlamaModel>;
  users: number;
}

export interface HeldWeights {
  model: LlamaModel;
  /** Gives the weights back; the last holder's release frees them. Only the first call counts. */
  release(): Promise<void>;
}

function isAbort(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { name?: unknown }).name === 'AbortError';
}

export class SharedWeights {
  readonly #entries = new Map<string, Entry>();

  /** Weights currently held, by key, with how many contexts use each (for tests and /metrics). */
  inUse(): Array<{ key: string; users: number }> {
    return [...this.#entries].map(([key, { users }]) => ({ key, users }));
  }

  /**
   * The weights for `key`, loading them with `load` unless another context holds or is loading
   * them. A load that another caller aborted is retried for a caller whose own signal is live.
   */
  async acquire(key: string, load: () => Promise<LlamaModel>, signal?: AbortSignal): Promise<HeldWeights> {
    for (;;) {
      let entry = this.#entries.get(key);
      const joined = entry !== undefined;
      if (entry === undefined) {
        const loading = load();
        const created: Entry = { model: loading, users: 0 };
        entry = created;
        this.#entries.set(key, created);
        loading.catch(() => {
          if (this.#entries.get(key) === created) this.#entries.delete(key);
        });
      }
      entry.users += 1;
      const held = entry;
      let model: LlamaModel;
      try {
        model = await held.model;
      } catch (error) {
        held.users -= 1;
        // Only a joiner retries: the caller that started the load owns its abort.
        if (joined && isAbort(error) && signal?.aborted !== true) continue;
        throw error;
      }
      let released = false;
      return {
        model,
        release: async () => {
          if (released) return;
          released = true;
          held.users -= 1;
          if (held.users > 0 || this.#entries.get(key) !== held) return;
          this.#entries.delete(key);
          await model.dispose();
        },
      };
    }
  }
}

/** The process's weights, shared by every llama.cpp engine. */
export const sharedWeights = new SharedWeights();
