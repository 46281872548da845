// The browser's Engine: a main-thread proxy over the engine worker (wllama in a Web Worker behind
// comlink). The router cannot tell it from the sidecar's native engine.
import { proxy } from 'comlink';
import { ApiError } from '../../shared/base/api-error.js';
import type {
  EmbeddingResult,
  Engine,
  EngineDescription,
  EngineStats,
  EngineChatMessage,
  EngineFeature,
  GenerateOptions,
  GenerationEvent,
  LoadOptions,
  ModelLoadSpec,
} from '../../shared/engine/engine.js';
import type { LoadedModelInfo, WorkerPrompt, WorkerResult } from '../worker/protocol.js';
import { devicePreference } from './device-preference.js';
import { engineWorkerClient, nextWorkerId } from './engine-worker-client.js';
import { defined } from '../../shared/base/defined.js';
import { usesPromptCache } from '../../shared/engine/prompt-cache.js';

function unwrap<T>(result: WorkerResult<T>): T {
  if (result.ok) return result.value;
  throw ApiError.fromData(result.error);
}

function abortError(signal: AbortSignal): unknown {
  return signal.reason ?? new DOMException('The operation was aborted.', 'AbortError');
}

/** wllama 3 runs llama-server's sampling inside WASM: every llama.cpp sampler is there. */
const FEATURES: ReadonlySet<EngineFeature> = new Set(['min_p', 'repeat_last_n', 'typical_p', 'mirostat', 'ignore_eos', 'logprobs']);

class WorkerEngine implements Engine {
  readonly features = FEATURES;
  readonly #worker = engineWorkerClient();
  readonly #modelId = nextWorkerId();
  #loaded: LoadedModelInfo | undefined;
  #promptCacheHitTokens = 0;
  #disposed = false;

  get contextSize(): number {
    return this.#loaded?.contextSize ?? 0;
  }

  /**
   * `device` is the worker's compute backend: `wasm`, or `webgpu: <adapter>` with the layers on it;
   * `threads` is 0 before load. `reason` and `note` say why a model is not on the GPU.
   */
  describe(): EngineDescription {
    const loaded = this.#loaded;
    return {
      backend: 'wllama',
      device: loaded?.device ?? 'wasm',
      threads: loaded?.threads ?? 0,
      ...defined({ gpuLayers: loaded?.gpuLayers, reason: loaded?.reason, note: loaded?.note }),
    };
  }

  async load(spec: ModelLoadSpec, options: LoadOptions = {}): Promise<void> {
    if (this.#disposed) throw new ApiError('unavailable', 'This engine was disposed; create a new one to load a model.');
    const { signal, onProgress } = options;
    signal?.throwIfAborted();
    const progress = proxy((fraction: number) => onProgress?.(fraction));
    const cancel = (): void => void this.#worker.cancelLoad(this.#modelId);
    signal?.addEventListener('abort', cancel, { once: true });
    try {
      const { source, contextSize, threads, parallel, embeddings, fileName, conversion, repo, companions } = spec;
      const result = await this.#worker.load(
        this.#modelId,
        { source, ...defined({ contextSize, threads, parallel, embeddings, fileName, conversion, repo, companions, gpuLayers: spec.gpu?.gpuLayers, device: devicePreference() }) },
        progress,
      );
      if (signal?.aborted === true) {
        if (result.ok) await this.#worker.dispose(this.#modelId);
        throw abortError(signal);
      }
      this.#loaded = unwrap(result);
    } finally {
      signal?.removeEventListener('abort', cancel);
    }
    if (this.#disposed) {
      await this.#worker.dispose(this.#modelId);
      throw new ApiError('unavailable', `The model ${spec.source} was unloaded while it was loading.`);
    }
  }

  complete(prompt: string, options: GenerateOptions): AsyncIterable<GenerationEvent> {
    return this.#generate({ kind: 'complete', prompt }, options);
  }

  chat(messages: readonly EngineChatMessage[], options: GenerateOptions): AsyncIterable<GenerationEvent> {
    return this.#generate({ kind: 'chat', messages: messages.map((m) => ({ ...m })) }, options);
  }

  async embed(inputs: readonly string[], options: { signal?: AbortSignal } = {}): Promise<EmbeddingResult> {
    this.#requireLoaded();
    options.signal?.throwIfAborted();
    const result = unwrap(await this.#worker.embed(this.#modelId, [...inputs]));
    options.signal?.throwIfAborted();
    return result;
  }

  async tokenize(text: string): Promise<number[]> {
    this.#requireLoaded();
    return unwrap(await this.#worker.tokenize(this.#modelId, text));
  }

  async detokenize(tokens: readonly number[]): Promise<string> {
    this.#requireLoaded();
    return unwrap(await this.#worker.detokenize(this.#modelId, [...tokens]));
  }

  async dispose(): Promise<void> {
    this.#disposed = true;
    this.#loaded = undefined;
    await this.#worker.dispose(this.#modelId);
  }

  /** Prompt tokens wllama's llama-server reused from its slot's cache (its `prompt_progress.cache`). */
  stats(): EngineStats {
    return { promptCacheHitTokens: this.#promptCacheHitTokens };
  }

  async *#generate(prompt: WorkerPrompt, options: GenerateOptions): AsyncGenerator<GenerationEvent, void, undefined> {
    let yielded = false;
    try {
      for await (const event of this.#generateOnce(prompt, options)) {
        yielded = true;
        yield event;
      }
    } catch (error) {
      // The GPU failed before anything reached the caller: the worker reloads the model on WASM
      // and this one retry runs there, unseen. Once text was streamed, the caller gets the
      // retryable error instead (a second answer cannot be spliced onto the first).
      if (yielded || !(error instanceof ApiError) || error.code !== 'gpu_failed') throw error;
      yield* this.#generateOnce(prompt, options);
    }
  }

  async *#generateOnce(prompt: WorkerPrompt, options: GenerateOptions): AsyncGenerator<GenerationEvent, void, undefined> {
    this.#requireLoaded();
    const { signal, sampling, maxTokens, grammar, logprobs } = options;
    signal?.throwIfAborted();
    const generationId = nextWorkerId();
    const { logitBias, ...rest } = sampling;
    // The worker answers with the model's info, which changed if a failed GPU made it reload on WASM.
    this.#loaded = unwrap(
      await this.#worker.startGeneration(this.#modelId, generationId, prompt, {
        ...rest,
        logitBias: [...logitBias],
        maxTokens,
        cachePrompt: usesPromptCache(options),
        ...defined({ grammar, logprobs }),
      }),
    );
    let finished = false;
    const cancel = (): void => void this.#worker.cancel(generationId);
    signal?.addEventListener('abort', cancel, { once: true });
    try {
      while (!finished) {
        const batch = await this.#worker.next(generationId);
        finished = batch.finished;
        if (signal?.aborted === true) throw abortError(signal);
        for (const event of batch.events) {
          // A batch can hold several tokens: once the consumer aborts, not one more is delivered.
          signal?.throwIfAborted();
          if (event.type === 'prompt') this.#promptCacheHitTokens += event.cachedTokens ?? 0;
          yield event;
        }
        if (batch.error !== undefined) throw ApiError.fromData(batch.error);
      }
      signal?.throwIfAborted();
    } finally {
      signal?.removeEventListener('abort', cancel);
      // The consumer stopped early (stop word, error, abort): free the worker's generation.
      if (!finished) void this.#worker.cancel(generationId);
    }
  }

  #requireLoaded(): void {
    if (this.#loaded === undefined) {
      throw new ApiError('unavailable', this.#disposed ? 'The model was unloaded.' : 'The model is not loaded yet.');
    }
  }
}

/** Creates an unloaded engine backed by the page's engine worker; call `load()` first. */
export function createWorkerEngine(): Engine {
  return new WorkerEngine();
}
