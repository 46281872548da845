// The messages between the main-thread engine proxy and the engine worker. Everything here is
// plain structured-clone data: errors travel as ApiError data, abort as a cancel call, and
// generations are pulled in batches (see GenerationBatch).
import type { ApiErrorData } from '../../shared/base/api-error.js';
import type { ConversionSettings, EngineChatMessage, ModelCompanion, ModelRepo, GenerationEvent, SamplingSettings } from '../../shared/engine/engine.js';

export type { ApiErrorData } from '../../shared/base/api-error.js';

/** Every worker call answers with this instead of throwing: comlink would drop ApiError's fields. */
export type WorkerResult<T> = { ok: true; value: T } | { ok: false; error: ApiErrorData };

/** Where the page wants models to run: `auto` picks WebGPU when the adapter can, else WASM. */
export type DevicePreference = 'auto' | 'wasm' | 'webgpu';
export const DEVICE_PREFERENCES: readonly DevicePreference[] = ['auto', 'wasm', 'webgpu'];

export interface LoadedModelInfo {
  /** CPU threads the WASM backend uses (1 unless the page is cross-origin isolated). */
  threads: number;
  backend: 'wasm' | 'webgpu';
  /** describe()'s device: "wasm", or "webgpu: <adapter>" (made here so the page's engine code stays small). */
  device: string;
  /** The WebGPU adapter's name ("mesa software") when the model runs on it. */
  adapter?: string;
  /** Layers on the GPU out of the model's total, when on WebGPU. */
  gpuLayers?: { offloaded: number; total: number };
  /** Why the model runs on WASM (no adapter, no shader-f16, tensors over the buffer limits, gpu_layers: 0). */
  reason?: string;
  /** Something the user should see: the GPU failed and the model fell back to WASM, or WebGPU was asked for and is not possible. */
  note?: string;
  contextSize: number;
}

export interface WorkerLoadSpec {
  /** A URL the worker can fetch: a same-origin path or a `blob:` URL made by the page. */
  source: string;
  contextSize?: number;
  threads?: number;
  parallel?: number;
  embeddings?: boolean;
  /** The model file's name in browser storage, for naming its converted copy. */
  fileName?: string;
  conversion?: ConversionSettings;
  /** A model that is a folder of files (autogptq): each file's URL; `source` is then only its name. */
  repo?: ModelRepo;
  /** Files stored beside a single model file that converting it may use (an rwkv.cpp model's tokenizer), by name. */
  companions?: Readonly<Record<string, ModelCompanion>>;
  /** The model config's `gpu_layers`: 0 keeps the model on the CPU; a positive count offloads that many layers. */
  gpuLayers?: number;
  /** The page's device setting as stored; anything but a DevicePreference means `auto`. */
  device?: string;
}

/** GenerateOptions without the AbortSignal (abort crosses as `cancel(generationId)`). */
export type WorkerGenerateOptions = Omit<SamplingSettings, 'logitBias'> & {
  /** [token id, bias] pairs; a Map does not survive every structured-clone path we care about. */
  logitBias: Array<[number, number]>;
  maxTokens: number;
  grammar?: string;
  /** Reuse the prompt prefix the model's slot already evaluated (llama-server's `cache_prompt`). */
  cachePrompt: boolean;
  /** Report token logprobs with this many alternatives (GenerateOptions.logprobs). */
  logprobs?: number;
};

export type WorkerPrompt = { kind: 'complete'; prompt: string } | { kind: 'chat'; messages: EngineChatMessage[] };

/**
 * What one `next(generationId)` returns: every event produced since the last pull (at least one
 * unless the generation ended). `finished` means no further pull is needed; `error` ends it too.
 */
export interface GenerationBatch {
  events: GenerationEvent[];
  finished: boolean;
  error?: ApiErrorData;
}

/** The API the worker exposes with comlink. Every id is chosen by the caller. */
export interface EngineWorkerApi {
  load(modelId: number, spec: WorkerLoadSpec, onProgress: (fraction: number) => void): Promise<WorkerResult<LoadedModelInfo>>;
  cancelLoad(modelId: number): Promise<void>;
  /** Answers with the model's info, which changes when a failed GPU made it reload on WASM first. */
  startGeneration(modelId: number, generationId: number, prompt: WorkerPrompt, options: WorkerGenerateOptions): Promise<WorkerResult<LoadedModelInfo>>;
  next(generationId: number): Promise<GenerationBatch>;
  cancel(generationId: number): Promise<void>;
  embed(modelId: number, inputs: string[]): Promise<WorkerResult<{ vectors: number[][]; promptTokens: number }>>;
  tokenize(modelId: number, text: string): Promise<WorkerResult<number[]>>;
  detokenize(modelId: number, tokens: number[]): Promise<WorkerResult<string>>;
  dispose(modelId: number): Promise<void>;
}
