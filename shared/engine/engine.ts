// The one interface every inference engine implements (node-llama-cpp in the sidecar, wllama and
// web-llm in the browser). One Engine instance serves one loaded model. The router never knows
// whether the engine is native, in-process WASM, or behind a worker.

/** Progress of a long operation, as a fraction in [0, 1]. */
export type ProgressCallback = (fraction: number) => void;

export interface LoadOptions {
  signal?: AbortSignal;
  onProgress?: ProgressCallback;
}

/** What the models folder / store knows about a model before it is loaded. */
export interface ModelLoadSpec {
  /** Engine-specific locator: an absolute file path in the sidecar, a storage key in the browser. */
  source: string;
  /** Tokens per sequence. Defaults to the engine's default (the model's training context, capped). */
  contextSize?: number;
  threads?: number;
  /** Concurrent sequences served by one loaded model. */
  parallel?: number;
  f16?: boolean;
  mmap?: boolean;
  /** GPU placement from the model's config (LocalAI's keys); engines without a GPU ignore it. */
  gpu?: ModelGpuSpec;
  /** Load for embeddings as well as generation. */
  embeddings?: boolean;
  /** The model file's name in its store: names a converted copy where `source` is not stable (a blob: URL). */
  fileName?: string;
  /** Config values used when the file must first be converted to GGUF (legacy GGML files lack them). */
  conversion?: ConversionSettings;
  /**
   * Set when the model is a folder of files rather than one file (backend `autogptq`: a Hugging Face
   * GPTQ checkpoint), converted to GGUF on load. Chosen so that single-file models see no change:
   * in the sidecar `source` is then the repo's folder inside the models folder (the engine opens
   * files in it); in the tab, whose storage has no folders, `files` maps each file's path in the
   * repo to the URL the worker fetches it from, and `source` is only a name.
   */
  repo?: ModelRepo;
  /**
   * Tab only: files stored beside a single model file that converting it may use (an rwkv.cpp
   * model's tokenizer, named by shared/convert/rwkv-tokenizer-files.ts), by file name. The tab's
   * storage cannot be listed from the engine worker, so the page hands them over; the sidecar's
   * engine reads the model's folder itself. Absent for GGUF files, which need nothing beside them.
   */
  companions?: Readonly<Record<string, ModelCompanion>>;
}

export interface ModelCompanion {
  /** Engine locator, as ModelStore.locate() answers it (a blob: URL in the tab). */
  source: string;
  /** Size and modification time, so that changing the file converts the model again. */
  stamp: string;
}

export interface ModelRepo {
  /** What the config named, for messages: "TheBloke/orca_mini_v2_13b-GPTQ" or "orca-gptq". */
  name: string;
  /** Tab only: the repo's files by path ("config.json") -> engine locator. */
  files?: Readonly<Record<string, string>>;
  /** Size and modification time of every file, for the converted copy's stamp (tab only; the sidecar reads the folder). */
  stamp?: string;
}

/** LocalAI config keys that a legacy GGML file has no field for; the converter writes them into the GGUF. */
export interface ConversionSettings {
  /** `rms_norm_eps`. */
  rmsNormEps?: number;
  /** `ngqa`: attention heads per key/value head (8 for LLaMA 2 70B). */
  ngqa?: number;
  /** `rope_freq_base`. */
  ropeFreqBase?: number;
  /** `context_size`: the training context written into the GGUF. */
  contextSize?: number;
  /** `model_base_name` (autogptq): the checkpoint's file name without `.safetensors`. */
  modelBaseName?: string;
}

/** KV cache element types llama.cpp accepts for `cache_type_k` / `cache_type_v`. */
export const KV_CACHE_TYPES = ['f32', 'f16', 'bf16', 'q8_0', 'q4_0', 'q4_1', 'iq4_nl', 'q5_0', 'q5_1'] as const;
export type KvCacheType = (typeof KV_CACHE_TYPES)[number];

/** LocalAI's GPU and memory placement keys for one model. Engines report keys they cannot honour rather than drop them. */
export interface ModelGpuSpec {
  /** `gpu_layers` (or `ngl`): layers to offload; more than the model has means all. */
  gpuLayers?: number;
  /** `main_gpu`: LocalAI reads it as a string (a device index). */
  mainGpu?: string;
  /** `tensor_split`: share of the model per GPU. */
  tensorSplit?: number[];
  lowVram?: boolean;
  /** `mmlock` (LocalAI's spelling) or `mlock`. */
  mlock?: boolean;
  /** `flash_attention`: true/false, or LocalAI's "on"/"off"/"auto". */
  flashAttention?: boolean | 'auto';
  noKvOffloading?: boolean;
  cacheTypeK?: KvCacheType;
  cacheTypeV?: KvCacheType;
}

/** Fully resolved sampling settings: the core merges request > YAML > built-in defaults first. */
export interface SamplingSettings {
  /** 0 means greedy. */
  temperature: number;
  topP: number;
  /** 0 disables top-k. */
  topK: number;
  /** Undefined means a fresh random seed for this generation. */
  seed?: number;
  /** 1 disables. Applied over the last `repeatLastN` tokens. */
  repeatPenalty: number;
  presencePenalty: number;
  frequencyPenalty: number;
  /** Token id -> additive logit bias. -100 (or less) bans the token. */
  logitBias: ReadonlyMap<number, number>;
  /** 0 disables. Drops tokens less likely than this share of the most likely one's probability. */
  minP?: number;
  /** Tokens the repeat penalties look back over; undefined is the engine's default (64). */
  repeatLastN?: number;
  /** Locally typical sampling; 1 (or undefined) disables. Needs the `typical_p` feature. */
  typicalP?: number;
  /** Mirostat (1 or 2) with its target entropy and learning rate; needs the `mirostat` feature. */
  mirostat?: { mode: 1 | 2; tau: number; eta: number };
  /** Keep generating past end-of-generation tokens until maxTokens (llama.cpp's `ignore_eos`); needs the `ignore_eos` feature. */
  ignoreEos?: boolean;
}

/**
 * What an engine can do beyond the core (temperature, top_p, top_k, seed, penalties, logit_bias).
 * The core answers 400 naming the request field when a request asks for a feature its model's
 * engine does not declare, rather than generate without it.
 */
export type EngineFeature =
  | 'min_p'
  | 'repeat_last_n'
  | 'typical_p'
  | 'mirostat'
  | 'ignore_eos'
  /** TokenEvent.logprob, from the distribution the token was sampled from. */
  | 'logprobs';

/** One generated token's log probability and, when asked, the most likely alternatives at its step. */
export interface TokenLogprob {
  /** The token's own text (a partial UTF-8 character shows as U+FFFD; `bytes` has the exact bytes). */
  token: string;
  bytes: number[];
  /** Natural log of its probability in the distribution it was sampled from (after the sampler's filters). */
  logprob: number;
  /** The most likely tokens at this step, most likely first (as many as `GenerateOptions.logprobs`). */
  top: Array<{ token: string; bytes: number[]; logprob: number }>;
}

export interface GenerateOptions {
  sampling: SamplingSettings;
  /** Hard cap on generated tokens. The engine also stops when the context is full (reason "length"). */
  maxTokens: number;
  /** Aborting ends the stream early and frees the sequence. */
  signal?: AbortSignal;
  /**
   * A GBNF grammar (llama.cpp's format) the output must match; the core has already checked its
   * syntax. Engines that cannot constrain output throw ApiError('invalid_request', ..., { code:
   * 'grammar_unsupported' }); one whose llama.cpp rejects the grammar throws code 'invalid_grammar'.
   * Leave `param` unset: the core names the request field (grammar, response_format, tools).
   */
  grammar?: string;
  /**
   * Whether the engine may reuse a prompt prefix it still holds from an earlier request, evaluating
   * only the rest (llama-server's `cache_prompt`). Greedy output is the same either way; sampled
   * output may differ slightly (logits depend on how many tokens were evaluated together).
   * Defaults to `true`, except for a fixed seed at a temperature above 0, which asks for the same text each time.
   */
  cachePrompt?: boolean;
  /**
   * Report each token's logprob (TokenEvent.logprob) with this many top alternatives (0: the token
   * only). Only for engines with the `logprobs` feature.
   */
  logprobs?: number;
}

export type ChatRole = 'system' | 'user' | 'assistant' | 'tool';

export interface EngineChatMessage {
  role: ChatRole;
  content: string;
  name?: string;
}

/**
 * First event of every generation stream, once the prompt is tokenized and fits the context.
 * The core needs the count before the end because it may stop early on a stop word.
 */
export interface PromptEvent {
  type: 'prompt';
  promptTokens: number;
  /** Of those, the tokens reused from a cached prefix, where the engine reports it here. */
  cachedTokens?: number;
}

/** One generated token (its text may be empty while a multi-byte UTF-8 character is incomplete). */
export interface TokenEvent {
  type: 'token';
  text: string;
  tokenId: number;
  /** Present when GenerateOptions.logprobs was set. */
  logprob?: TokenLogprob;
}

/** Always the last event of a generation stream. */
export interface DoneEvent {
  type: 'done';
  /** "stop": the model ended its turn (EOS/EOG). "length": maxTokens or the context was exhausted. */
  finishReason: 'stop' | 'length';
  promptTokens: number;
  completionTokens: number;
}

export type GenerationEvent = PromptEvent | TokenEvent | DoneEvent;

export interface EmbeddingResult {
  vectors: number[][];
  promptTokens: number;
}

/** Where and how a loaded model runs: for load logs, `/readyz` and the UI's engine badge. */
export interface EngineDescription {
  /** The name the engine is registered under ("llama-cpp", "wllama", ...). */
  backend: string;
  /** What computes: "cpu", "wasm", or a GPU as "<api>: <adapter name>" ("cuda: NVIDIA H200", "webgpu: ..."). */
  device: string;
  /** CPU threads used for generation; 0 before the model is loaded. */
  threads: number;
  /** Layers offloaded to the GPU out of the model's total, where the engine knows them. */
  gpuLayers?: { offloaded: number; total: number };
  /** Why the model runs where it does when a GPU was not used (e.g. "the WebGPU adapter lacks shader-f16"). */
  reason?: string;
  /** What the user should see: e.g. the GPU failed and the model fell back to the CPU. */
  note?: string;
}

/** Running totals of an engine's work since load, for /metrics. */
export interface EngineStats {
  /** Decode steps (batches) run, where the engine sees them. */
  decodeSteps?: number;
  /** Tokens in those steps: decodedTokens / decodeSteps is the batch fill. */
  decodedTokens?: number;
  /** Prompt tokens reused from a sequence's cache instead of evaluated again. */
  promptCacheHitTokens: number;
}

export interface Engine {
  /** What runs this engine's model; before load it reports the device the engine would use. */
  describe(): EngineDescription;
  /** Features beyond the core this engine has; absent means none. */
  readonly features?: ReadonlySet<EngineFeature>;
  /** Work counters, for engines that keep them. */
  stats?(): EngineStats;
  /** Loads the model; reports progress; aborting rejects with an AbortError and frees memory. */
  load(spec: ModelLoadSpec, options?: LoadOptions): Promise<void>;
  /** Generates from a raw prompt. `addBos` follows the model's tokenizer settings. */
  complete(prompt: string, options: GenerateOptions): AsyncIterable<GenerationEvent>;
  /** Generates a chat reply with the chat template stored in the model file. */
  chat(messages: readonly EngineChatMessage[], options: GenerateOptions): AsyncIterable<GenerationEvent>;
  embed(inputs: readonly string[], options?: { signal?: AbortSignal }): Promise<EmbeddingResult>;
  /** Token ids of `text` as the model tokenizes a prompt (special tokens parsed). */
  tokenize(text: string): Promise<number[]>;
  /** The text of token ids, special tokens written out; engines that cannot leave it out. */
  detokenize?(tokens: readonly number[]): Promise<string>;
  /** Tokens per sequence once loaded. */
  readonly contextSize: number;
  dispose(): Promise<void>;
}
