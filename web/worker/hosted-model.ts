// One loaded model inside the worker: a Wllama instance (wllama runs llama.cpp in its own nested
// worker) plus what we learned while loading it. On WebGPU it also keeps the model file, so that a
// GPU that fails (device lost, out of memory, a shader or pipeline error) can be left for WASM
// without fetching the model again.
import { Wllama, type WllamaLogger } from '@wllama/wllama';
import wasmUrl from '@wllama/wllama/esm/wasm/wllama.wasm?url';
import { ApiError } from '../../shared/base/api-error.js';
import type { EngineChatMessage } from '../../shared/engine/engine.js';
import { chooseBackend, type BackendChoice } from './choose-backend.js';
import { chooseThreads, probeAdapter } from './detect-backend.js';
import { fetchModel } from './fetch-model.js';
import { ggufInWorker, type GgufInWorker } from './gguf-in-worker.js';
import { repoGgufInWorker } from './repo-gguf-in-worker.js';
import { readGgufHeader, type GgufHeader } from './gguf-header.js';
import { withDeviceWatch, type GpuFailure } from './gpu-device-watch.js';
import { DEVICE_PREFERENCES, type LoadedModelInfo, type WorkerGenerateOptions, type WorkerLoadSpec, type WorkerPrompt } from './protocol.js';
import { toLlamaServerRequest } from './wllama-request.js';
import { errorMessage } from '../../shared/base/error-message.js';

/** As in the sidecar: the model's own context, at most this many tokens, unless the config says. */
const MAX_DEFAULT_CONTEXT = 4096;
/** Share of the load progress bar given to downloading; the rest is llama.cpp loading. */
const DOWNLOAD_SHARE = 0.9;
/** When a legacy file is converted first: downloading, then converting, then loading. */
const CONVERTING_DOWNLOAD_SHARE = 0.45;
/** llama.cpp's "all layers" (more than any model has). */
const ALL_LAYERS = 999;

const quietLogger: WllamaLogger = { debug: () => undefined, log: () => undefined, warn: console.warn, error: console.error };

function createWllama(): Wllama {
  const wllama = new Wllama({ default: wasmUrl }, { suppressNativeLog: true, logger: quietLogger });
  // Never fall back to wllama's CDN build: the app must work offline.
  wllama.setCompat(null);
  return wllama;
}

interface LoadPlan {
  spec: WorkerLoadSpec;
  file: Blob;
  header: GgufHeader;
  contextSize: number;
  threads: number;
}

interface Loaded {
  wllama: Wllama;
  info: LoadedModelInfo;
  stopWatch: () => void;
}

/** The GGUF to load: the stored file, its conversion (legacy files), or a repo's conversion (autogptq). */
async function ggufFor(spec: WorkerLoadSpec, signal: AbortSignal, onProgress: (fraction: number) => void): Promise<GgufInWorker> {
  const settings = spec.conversion ?? {};
  // A repo's files are already in browser storage (the page fetched them from the hub): converting is the download share.
  if (spec.repo !== undefined) return repoGgufInWorker(spec.repo, settings, signal, (f) => onProgress(f * DOWNLOAD_SHARE));
  const fetched = await fetchModel(spec.source, signal, (f) => onProgress(f * (isLegacyName(spec.fileName) ? CONVERTING_DOWNLOAD_SHARE : DOWNLOAD_SHARE)));
  signal.throwIfAborted();
  return ggufInWorker(fetched, { fileName: spec.fileName ?? 'model.bin', settings, ...(spec.companions ? { companions: spec.companions } : {}) }, signal, (f) => onProgress(CONVERTING_DOWNLOAD_SHARE + f * (DOWNLOAD_SHARE - CONVERTING_DOWNLOAD_SHARE)));
}

export class HostedModel {
  #wllama: Wllama;
  #info: LoadedModelInfo;
  #eogTokens: ReadonlySet<number>;
  #stopWatch: () => void;
  readonly #plan: LoadPlan;
  #gpuFailure: GpuFailure | undefined;
  #reloading: Promise<void> | undefined;
  #embedder: Promise<Wllama> | undefined;

  private constructor(plan: LoadPlan, loaded: Loaded) {
    this.#plan = plan;
    this.#wllama = loaded.wllama;
    this.#info = loaded.info;
    this.#stopWatch = loaded.stopWatch;
    this.#eogTokens = eogTokensOf(loaded.wllama);
  }

  get info(): LoadedModelInfo {
    return this.#info;
  }

  get eogTokens(): ReadonlySet<number> {
    return this.#eogTokens;
  }

  /** The first loss or error the model's GPU reported, until the model is reloaded on WASM. */
  get gpuFailure(): GpuFailure | undefined {
    return this.#info.backend === 'webgpu' ? this.#gpuFailure : undefined;
  }

  static async load(spec: WorkerLoadSpec, signal: AbortSignal, onProgress: (fraction: number) => void): Promise<HostedModel> {
    const { file } = await ggufFor(spec, signal, onProgress);
    signal.throwIfAborted();
    const header = await readGgufHeader(file);
    const plan: LoadPlan = {
      spec,
      file,
      header,
      contextSize: spec.contextSize ?? Math.min(header.contextLength ?? MAX_DEFAULT_CONTEXT, MAX_DEFAULT_CONTEXT),
      threads: chooseThreads(spec.threads),
    };
    const preference = DEVICE_PREFERENCES.find((p) => p === spec.device) ?? 'auto';
    const request = { gpuLayers: spec.gpuLayers, preference, largestTensorBytes: header.largestTensorBytes };
    // Asking for an adapter is skipped when the config or the settings already chose the CPU.
    const choice = spec.gpuLayers === 0 || preference === 'wasm' ? chooseBackend(request, 'no-webgpu') : chooseBackend(request, await probeAdapter());
    // A failure the device watch reports before the model object exists is kept for it.
    let model: HostedModel | undefined;
    let early: GpuFailure | undefined;
    const onGpuFailure = (failure: GpuFailure): void => {
      if (model === undefined) early ??= failure;
      else model.markGpuFailed(failure.message, failure.kind);
    };
    // A reason is shown quietly; when the settings asked for WebGPU, not getting it is a visible note.
    let why: Why = preference === 'webgpu' ? { note: choice.reason } : { reason: choice.reason };
    if (choice.backend === 'webgpu') {
      try {
        model = new HostedModel(plan, await loadOn(plan, choice, signal, onGpuFailure));
        if (early !== undefined) model.markGpuFailed(early.message, early.kind);
      } catch (error) {
        signal.throwIfAborted();
        why = { note: `WebGPU (${choice.adapter}) could not load the model (${errorMessage(error)}); it runs on WASM` };
      }
    }
    model ??= new HostedModel(plan, await loadOn(plan, { backend: 'wasm' }, signal, () => undefined, why));
    onProgress(1);
    return model;
  }

  /**
   * Leaves a failed GPU: reloads the model on WASM in place, with a note saying why. Concurrent
   * callers share one reload; a model already on WASM returns at once.
   */
  fallBackToWasm(): Promise<void> {
    if (this.#info.backend === 'wasm') return this.#reloading ?? Promise.resolve();
    this.#reloading ??= (async () => {
      const reason = this.#gpuFailure?.message ?? 'the GPU failed';
      const old = this.#wllama;
      this.#stopWatch();
      // exit() terminates wllama's worker, which also frees the GPU device's memory.
      await old.exit().catch(() => undefined);
      const note = `WebGPU failed (${reason}); the model was reloaded on WASM`;
      console.warn(`[hearth] ${note}`);
      const loaded = await loadOn(this.#plan, { backend: 'wasm' }, new AbortController().signal, () => undefined, { note });
      this.#wllama = loaded.wllama;
      this.#info = loaded.info;
      this.#stopWatch = loaded.stopWatch;
      this.#eogTokens = eogTokensOf(loaded.wllama);
      this.#gpuFailure = undefined;
    })().finally(() => (this.#reloading = undefined));
    return this.#reloading;
  }

  /** Marks the GPU as failed (seen by the device watch, or inferred from a generation error). */
  markGpuFailed(message: string, kind: GpuFailure['kind'] = 'error'): void {
    if (this.#info.backend !== 'webgpu' || this.#gpuFailure !== undefined) return;
    this.#gpuFailure = { kind, message };
    console.warn(`[hearth] WebGPU failure on ${this.#plan.spec.source}: ${message}`);
  }

  /** Starts a generation; the chunks are llama-server's stream chunks. */
  async generate(prompt: WorkerPrompt, options: WorkerGenerateOptions, signal: AbortSignal): Promise<AsyncIterable<unknown>> {
    const request = toLlamaServerRequest(options, signal);
    // wllama's parameter types do not list every llama-server field we send (post_sampling_probs,
    // the [id, false] ban form); it forwards the object as JSON, which is what we rely on.
    if (prompt.kind === 'complete') {
      return this.#wllama.createCompletion({ ...request, prompt: prompt.prompt } as unknown as Parameters<Wllama['createCompletion']>[0] & { stream: true });
    }
    const messages = prompt.messages.map(toWllamaMessage);
    return this.#wllama.createChatCompletion({ ...request, messages } as unknown as Parameters<Wllama['createChatCompletion']>[0] & { stream: true });
  }

  async embed(inputs: string[]): Promise<{ vectors: number[][]; promptTokens: number }> {
    const { spec, file } = this.#plan;
    if (spec.embeddings !== true) {
      throw new ApiError(
        'invalid_request',
        `The model ${spec.source} was not loaded for embeddings. Set \`embeddings: true\` in its config to use it for embeddings.`,
      );
    }
    // llama-server serves either generation or embeddings per context, so embeddings get their own
    // (on the CPU: one model's embeddings are small work next to a second GPU device).
    this.#embedder ??= (async () => {
      const embedder = createWllama();
      await embedder.loadModel([file], { n_ctx: this.#info.contextSize, n_threads: this.#info.threads, n_gpu_layers: 0, embeddings: true, pooling_type: 'mean' });
      return embedder;
    })();
    const embedder = await this.#embedder;
    const response = await embedder.createEmbedding({ input: inputs });
    const vectors = response.data.map((item) => {
      if (typeof item.embedding === 'string') throw new ApiError('server', 'wllama returned a base64 embedding where floats were asked for.');
      return item.embedding;
    });
    return { vectors, promptTokens: response.usage.prompt_tokens };
  }

  async dispose(): Promise<void> {
    const embedder = this.#embedder;
    this.#embedder = undefined;
    this.#stopWatch();
    await this.#reloading?.catch(() => undefined);
    await Promise.allSettled([this.#wllama.exit(), embedder?.then((e) => e.exit())]);
  }
}

/** Legacy files are named .bin; their download takes a smaller share of the progress bar. */
function isLegacyName(name: string | undefined): boolean {
  return name !== undefined && /\.bin$/i.test(name);
}

/** Loads the plan's model on one backend; a failure exits the half-made wllama and throws. */
type Why = { reason?: string | undefined; note?: string | undefined };

async function loadOn(plan: LoadPlan, choice: BackendChoice, signal: AbortSignal, onGpuFailure: (failure: GpuFailure) => void, why: Why = {}): Promise<Loaded> {
  const { spec, file, header, contextSize } = plan;
  const parallel = Math.max(1, spec.parallel ?? 1);
  const onGpu = choice.backend === 'webgpu';
  const wllama = createWllama();
  const start = () =>
    wllama.loadModel([file], {
      n_ctx: contextSize * parallel,
      n_parallel: parallel,
      // Each request gets a whole contextSize of its own, as in the sidecar.
      kv_unified: false,
      n_threads: plan.threads,
      n_gpu_layers: onGpu ? (spec.gpuLayers ?? ALL_LAYERS) : 0,
      // Render chat with the GGUF's own Jinja template, as llama-server does.
      jinja: true,
      // The sidecar's node-llama-cpp runs without flash attention; the same kernels keep greedy
      // decoding identical across the engines (random-weight test models have near-tied logits).
      // llama.cpp's WebGPU backend also lacks flash attention, which would put it on the CPU.
      flash_attn: false,
      // Context shift would silently drop the start of the prompt; we stop with "length" instead.
      ctx_shift: false,
    });
  let stopWatch = (): void => undefined;
  try {
    if (onGpu) stopWatch = (await withDeviceWatch(start, onGpuFailure)).stop;
    else await start();
  } catch (error) {
    stopWatch();
    await wllama.exit().catch(() => undefined);
    signal.throwIfAborted();
    throw new ApiError('server', `Could not load the model ${spec.source}: ${errorMessage(error)}`, { cause: error });
  }
  if (signal.aborted) {
    stopWatch();
    await wllama.exit();
    signal.throwIfAborted();
  }
  const threads = wllama.isMultithread() ? wllama.getNumThreads() : 1;
  const device = onGpu ? `webgpu: ${choice.adapter ?? 'unknown GPU'}` : 'wasm';
  const info: LoadedModelInfo = { contextSize, threads, backend: choice.backend, device };
  if (onGpu && choice.adapter !== undefined) info.adapter = choice.adapter;
  if (onGpu && header.blockCount !== undefined) {
    // llama.cpp counts the output layer as one more layer (n_layer + 1).
    const total = header.blockCount + 1;
    info.gpuLayers = { offloaded: Math.min(spec.gpuLayers ?? total, total), total };
  }
  if (why.reason !== undefined) info.reason = why.reason;
  if (why.note !== undefined) info.note = why.note;
  return { wllama, info, stopWatch };
}

function eogTokensOf(wllama: Wllama): ReadonlySet<number> {
  const context = wllama.getLoadedContextInfo();
  return new Set([...context.list_tokens_eog, context.token_eos, context.token_eot].filter((t) => t >= 0));
}

type WllamaMessage = { role: 'system' | 'user' | 'assistant'; content: string };

function toWllamaMessage(message: EngineChatMessage): WllamaMessage {
  // llama-server needs a tool_call_id for tool turns, which our messages do not carry; as in the
  // sidecar, a tool result reaches the model as a user turn.
  const role = message.role === 'tool' ? 'user' : message.role;
  return { role, content: message.content };
}
