// Embeddings for a loaded model, with the embedding context created on first use: most models
// never embed, and the context costs its own KV cache.
import type { LlamaEmbeddingContext, LlamaModel } from 'node-llama-cpp';
import { ApiError } from '../../shared/base/api-error.js';
import type { EmbeddingResult } from '../../shared/engine/engine.js';
import { errorMessage } from '../../shared/base/error-message.js';

export class Embedder {
  readonly #model: LlamaModel;
  readonly #contextSize: number;
  readonly #threads: number;
  #context: Promise<LlamaEmbeddingContext> | undefined;

  constructor(model: LlamaModel, options: { contextSize: number; threads: number }) {
    this.#model = model;
    this.#contextSize = options.contextSize;
    this.#threads = options.threads;
  }

  async embed(inputs: readonly string[], signal?: AbortSignal): Promise<EmbeddingResult> {
    signal?.throwIfAborted();
    const context = await this.#getContext();
    const vectors: number[][] = [];
    let promptTokens = 0;
    for (const [index, input] of inputs.entries()) {
      signal?.throwIfAborted();
      if (input.length === 0) {
        throw new ApiError('invalid_request', `Input ${index} is an empty string; there is nothing to embed.`, { param: 'input' });
      }
      const length = context.calculateInputLength(input);
      if (length >= this.#contextSize) {
        throw new ApiError(
          'exceed_context_size',
          `Input ${index} is ${length} tokens long but the model's context holds ${this.#contextSize}. Shorten the input or raise context_size in the model's config.`,
          { param: 'input' },
        );
      }
      const embedding = await context.getEmbeddingFor(input);
      vectors.push([...embedding.vector]);
      promptTokens += length;
    }
    return { vectors, promptTokens };
  }

  async dispose(): Promise<void> {
    const context = this.#context;
    this.#context = undefined;
    await context?.then((created) => created.dispose()).catch(() => undefined);
  }

  #getContext(): Promise<LlamaEmbeddingContext> {
    this.#context ??= this.#model
      .createEmbeddingContext({ contextSize: this.#contextSize, threads: this.#threads })
      .catch((error: unknown) => {
        this.#context = undefined;
        const reason = errorMessage(error);
        throw new ApiError('server', `Could not prepare the model for embeddings: ${reason}`, { cause: error });
      });
    return this.#context;
  }
}
