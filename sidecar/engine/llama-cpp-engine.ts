// The sidecar's Engine: native llama.cpp through node-llama-cpp, on the GPU or CPU build the sidecar
// chose (--gpu). One context per model whose sequences are leased to requests, so up to `parallel`
// generations run batched together (decode-schedule.ts), each reusing the prompt prefix its
// sequence already caches (trim-sequence.ts).
import type { ChatWrapper, LlamaContextSequence, Token } from 'node-llama-cpp';
import { ApiError } from '../../shared/base/api-error.js';
import type {
  EmbeddingResult,
  Engine,
  EngineDescription,
  EngineChatMessage,
  EngineFeature,
  GenerateOptions,
  GenerationEvent,
  LoadOptions,
  ModelLoadSpec,
} from '../../shared/engine/engine.js';
import { BatchStats, type DecodeCounts } from './batch-stats.js';
import { createChatWrapper, renderChatPrompt, type ChatPrompt } from './chat-prompt.js';
import { DecodeScheduler, type GenerationActivity } from './decode-schedule.js';
import { Embedder } from './embedder.js';
import { generateTokens } from './generate-tokens.js';
import { GrammarCache } from './grammar-cache.js';
import { DEFAULT_GPU_OPTIONS } from './gpu-options.js';
import { getSharedLlama } from './llama-instance.js';
import { loadLlamaModel, type LlamaLoadSetup, type LoadedLlamaModel } from './load-llama-model.js';
import { choosePrefixSequence } from './prefix-choice.js';
import { SequencePool } from './sequence-pool.js';
import { sequenceIdOf, trimSequence } from './trim-sequence.js';
import { errorMessage } from '../../shared/base/error-message.js';
import { defined } from '../../shared/base/defined.js';
import { usesPromptCache } from '../../shared/engine/prompt-cache.js';
import { ensureGguf } from '../convert/ensure-gguf.js';
import { ensureRepoGguf } from '../convert/ensure-repo-gguf.js';

/** Share of the load progress a first-time conversion to GGUF takes. */
const CONVERSION_SHARE = 0.5;

/** What the engine has done since it loaded, for benchmarks and metrics. */
export interface LlamaCppEngineStats extends DecodeCounts {
  /** Generations started. */
  generations: number;
  /** Prompt tokens of those generations. */
  promptTokens: number;
  /** Prompt tokens found in a sequence's cache and not evaluated again. */
  promptCacheHitTokens: number;
}

interface Loaded extends LoadedLlamaModel {
  source: string;
  pool: SequencePool<LlamaContextSequence>;
  /** Forms the decode steps: every running generation advances in each. */
  scheduler: DecodeScheduler;
  batchStats: BatchStats;
  counts: { generations: number; promptTokens: number; promptCacheHitTokens: number };
  embedder: Embedder | undefined;
  chatWrapper: ChatWrapper | undefined;
  grammars: GrammarCache;
}

/** node-llama-cpp 3.21's sampler has min-p but neither typical sampling nor mirostat. */
const FEATURES: ReadonlySet<EngineFeature> = new Set(['min_p', 'repeat_last_n', 'ignore_eos', 'logprobs']);

export class LlamaCppEngine implements Engine {
  readonly features = FEATURES;
  readonly #setup: LlamaLoadSetup;
  #loaded: Loaded | undefined;
  #loading = false;
  #disposed = false;

  /** `setup` picks the llama.cpp binding and GPU layers. Defaults to --gpu auto, --gpu-layers auto, no warnings logged. */
  constructor(setup: LlamaLoadSetup = { llama: getSharedLlama, gpuLayers: DEFAULT_GPU_OPTIONS.gpuLayers }) {
    this.#setup = setup;
  }

  /** Tokens per sequence (prompt + completion) once loaded; 0 before. */
  get contextSize(): number {
    return this.#loaded?.contextSize ?? 0;
  }

  /** Threads each evaluation uses once loaded; 0 before. */
  get threads(): number {
    return this.#loaded?.threads ?? 0;
  }

  describe(): EngineDescription {
    const loaded = this.#loaded;
    if (loaded === undefined) return { backend: 'llama-cpp', device: 'cpu', threads: 0 };
    return { backend: 'llama-cpp', device: loaded.device, threads: loaded.threads, ...(loaded.gpuLayers.offloaded > 0 ? { gpuLayers: loaded.gpuLayers } : {}) };
  }

  async load(spec: ModelLoadSpec, options: LoadOptions = {}): Promise<void> {
    if (this.#disposed) throw new ApiError('unavailable', 'This engine was disposed; create a new one to load a model.');
    if (this.#loaded !== undefined || this.#loading) {
      throw new ApiError('server', `This engine already holds a model; dispose it before loading ${spec.source}.`);
    }
    this.#loading = true;
    let loaded: LoadedLlamaModel;
    const scheduler = new DecodeScheduler();
    try {
      const gguf = await this.#ggufFor(spec, options);
      loaded = await loadLlamaModel({ ...spec, source: gguf.path }, gguf.options, scheduler.schedule, this.#setup);
    } finally {
      this.#loading = false;
    }
    scheduler.attach(loaded.context);
    const batchStats = new BatchStats();
    batchStats.attach(loaded.context);
    const state: Loaded = {
      ...loaded,
      source: spec.source,
      pool: new SequencePool(loaded.sequences),
      scheduler,
      batchStats,
      counts: { generations: 0, promptTokens: 0, promptCacheHitTokens: 0 },
      embedder: spec.embeddings === true ? new Embedder(loaded.model, loaded) : undefined,
      chatWrapper: undefined,
      grammars: new GrammarCache(await this.#setup.llama()),
    };
    this.#loaded = state;
    // dispose() was called while loading: it could not free what did not exist yet.
    if (this.#disposed) {
      await this.dispose();
      throw new ApiError('unavailable', `The model ${spec.source} was unloaded while it was loading.`);
    }
  }

  /** The GGUF to load: the file itself, or its conversion (which then takes the first half of the progress). */
  async #ggufFor(spec: ModelLoadSpec, options: LoadOptions): Promise<{ path: string; options: LoadOptions }> {
    const { onProgress } = options;
    let converting = false;
    const common = {
      ...defined({ settings: spec.conversion, signal: options.signal }),
      ...(onProgress ? { onProgress: (fraction: number) => onProgress(fraction * CONVERSION_SHARE) } : {}),
    };
    // A repo (autogptq) is a folder of files: `source` is the folder (see ModelLoadSpec.repo).
    const gguf =
      spec.repo === undefined
        ? await ensureGguf(spec.source, {
            ...common,
            onConvert: (format, target) => {
              converting = true;
              this.#setup.warn?.(`Converting ${spec.source} (${format}) to GGUF at ${target}; this happens once.`);
            },
          })
        : await ensureRepoGguf(spec.source, {
            ...common,
            name: spec.repo.name,
            onConvert: (target) => {
              converting = true;
              this.#setup.warn?.(`Converting ${spec.repo?.name ?? spec.source} (autogptq) to GGUF at ${target}; this happens once.`);
            },
          });
    if (!converting || onProgress === undefined) return { path: gguf.path, options };
    return { path: gguf.path, options: { ...options, onProgress: (fraction) => onProgress(CONVERSION_SHARE + fraction * (1 - CONVERSION_SHARE)) } };
  }

  complete(prompt: string, options: GenerateOptions): AsyncIterable<GenerationEvent> {
    return this.#generate(options, (loaded) => ({ tokens: promptTokens(loaded, prompt), stopTokens: new Set() }));
  }

  chat(messages: readonly EngineChatMessage[], options: GenerateOptions): AsyncIterable<GenerationEvent> {
    return this.#generate(options, (loaded) => {
      loaded.chatWrapper ??= createChatWrapper(loaded.model);
      return renderChatPrompt(loaded.model, loaded.chatWrapper, messages);
    });
  }

  async embed(inputs: readonly string[], options: { signal?: AbortSignal } = {}): Promise<EmbeddingResult> {
    const loaded = this.#requireLoaded();
    if (loaded.embedder === undefined) {
      throw new ApiError(
        'invalid_request',
        `The model ${loaded.source} was not loaded for embeddings. Set \`embeddings: true\` in its config to use it for embeddings.`,
      );
    }
    return loaded.embedder.embed(inputs, options.signal);
  }

  /** Counters since the model loaded (zeros before): batch fill is `decodedTokens / decodeSteps`. */
  stats(): LlamaCppEngineStats {
    const loaded = this.#loaded;
    if (loaded === undefined) return { decodeSteps: 0, decodedTokens: 0, batchedSequences: 0, generations: 0, promptTokens: 0, promptCacheHitTokens: 0 };
    return { ...loaded.batchStats.counts, ...loaded.counts };
  }

  async tokenize(text: string): Promise<number[]> {
    return promptTokens(this.#requireLoaded(), text);
  }

  async detokenize(tokens: readonly number[]): Promise<string> {
    const { model } = this.#requireLoaded();
    const size = model.fileInfo.metadata.tokenizer?.ggml?.tokens;
    const vocabSize = Array.isArray(size) ? size.length : undefined;
    // llama.cpp reads its vocabulary with these ids unchecked.
    const bad = tokens.find((token) => !Number.isInteger(token) || token < 0 || (vocabSize !== undefined && token >= vocabSize));
    if (bad !== undefined) {
      throw new ApiError('invalid_request', `'tokens' holds ${bad}, but this model's token ids run from 0 to ${vocabSize === undefined ? '?' : vocabSize - 1}.`, {
        param: 'tokens',
        code: 'invalid_value',
      });
    }
    return model.detokenize(tokens as Token[], true);
  }

  /**
   * Runs `use` on one of the loaded context's sequences, leased from the same pool as a request's
   * (but not counted by the decode schedule). For benchmarks that compare the API with
   * node-llama-cpp driven directly: on this machine two identical contexts ran up to 9% apart in
   * speed for a whole process, so both must use the same one.
   */
  async withSequence<T>(use: (sequence: LlamaContextSequence) => Promise<T>): Promise<T> {
    const loaded = this.#requireLoaded();
    const sequence = await loaded.pool.acquire();
    try {
      return await use(sequence);
    } finally {
      loaded.pool.release(sequence);
    }
  }

  async dispose(): Promise<void> {
    this.#disposed = true;
    const loaded = this.#loaded;
    this.#loaded = undefined;
    if (loaded === undefined) return;
    loaded.pool.close(new ApiError('unavailable', `The model ${loaded.source} was unloaded.`));
    loaded.scheduler.releaseAll();
    await loaded.embedder?.dispose();
    await loaded.context.dispose();
    await loaded.releaseModel();
  }

  async *#generate(options: GenerateOptions, render: (loaded: Loaded) => ChatPrompt): AsyncGenerator<GenerationEvent, void, undefined> {
    const loaded = this.#requireLoaded();
    const prompt = render(loaded);
    if (prompt.tokens.length >= loaded.contextSize) {
      throw new ApiError(
        'exceed_context_size',
        `The prompt is ${prompt.tokens.length} tokens long but the model's context holds ${loaded.contextSize} tokens, ` +
          `and the reply needs room too. Shorten the prompt or raise context_size in the model's config.`,
      );
    }
    const grammarState = options.grammar === undefined ? undefined : await loaded.grammars.evaluationState(loaded.model, options.grammar);
    yield { type: 'prompt', promptTokens: prompt.tokens.length };
    const usePrefixCache = usesPromptCache(options);
    const sequence = await loaded.pool.acquire(options.signal, (free) =>
      choosePrefixSequence(
        free.map((candidate) => candidate.contextTokens),
        prompt.tokens,
        usePrefixCache,
      ),
    );
    let leased = true;
    let activity: GenerationActivity | undefined;
    const release = (): void => {
      activity?.end();
      if (leased) loaded.pool.release(sequence);
      leased = false;
    };
    try {
      const cachedTokens = await trimSequence(sequence, prompt.tokens, usePrefixCache, loaded.scheduler);
      options.signal?.throwIfAborted();
      loaded.counts.generations += 1;
      loaded.counts.promptTokens += prompt.tokens.length;
      loaded.counts.promptCacheHitTokens += cachedTokens;
      activity = loaded.scheduler.begin(sequenceIdOf(sequence));
      for await (const event of generateTokens({
        sequence,
        promptTokens: prompt.tokens,
        cachedTokens,
        contextSize: loaded.contextSize,
        options,
        stopTokens: prompt.stopTokens,
        ...defined({ grammarState }),
      })) {
        if (event.type === 'token') activity.promptDone();
        // The sequence is idle once the done event exists; free it before the consumer sees it.
        if (event.type === 'done') release();
        yield event;
      }
    } catch (error) {
      if (options.signal?.aborted === true || error instanceof ApiError) throw error;
      if (this.#disposed) throw new ApiError('unavailable', `The model ${loaded.source} was unloaded during generation.`, { cause: error });
      throw new ApiError('server', `Generation failed: ${errorMessage(error)}`, { cause: error });
    } finally {
      release();
    }
  }

  #requireLoaded(): Loaded {
    if (this.#loaded === undefined) {
      throw new ApiError('unavailable', this.#disposed ? 'The model was unloaded.' : 'The model is not loaded yet.');
    }
    return this.#loaded;
  }
}

/** Tokens of a raw prompt as generation sees them: special tokens parsed, BOS if the model wants one. */
function promptTokens(loaded: Loaded, text: string): Token[] {
  const { model } = loaded;
  const tokens = model.tokenize(text, true);
  const bos = model.tokens.bos;
  return model.tokens.shouldPrependBosToken && bos !== null && tokens[0] !== bos ? [bos, ...tokens] : tokens;
}

/** Creates an unloaded engine; call `load()` before anything else. */
export function createLlamaCppEngine(setup?: LlamaLoadSetup): LlamaCppEngine {
  return new LlamaCppEngine(setup);
}
