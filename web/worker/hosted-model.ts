// One loaded model inside the worker: a Wllama instance (wllama runs llama.cpp in its own nested
// worker) plus what we learned while loading it.
import { Wllama, type WllamaLogger } from '@wllama/wllama';
import wasmUrl from '@wllama/wllama/esm/wasm/wllama.wasm?url';
import { ApiError } from '../../shared/base/api-error.js';
import type { EngineChatMessage } from '../../shared/engine/engine.js';
import { detectBackend } from './detect-backend.js';
import { fetchModel } from './fetch-model.js';
import { ggufInWorker } from './gguf-in-worker.js';
import { readGgufContextLength } from './gguf-context-length.js';
import type { LoadedModelInfo, WorkerGenerateOptions, WorkerLoadSpec, WorkerPrompt } from './protocol.js';
import { toLlamaServerRequest } from './wllama-request.js';
import { errorMessage } from '../../shared/base/error-message.js';

/** As in the sidecar: the model's own context, at most this many tokens, unless the config says. */
const MAX_DEFAULT_CONTEXT = 4096;
/** Share of the load progress bar given to downloading; the rest is llama.cpp loading. */
const DOWNLOAD_SHARE = 0.9;
/** When a legacy file is converted first: downloading, then converting, then loading. */
const CONVERTING_DOWNLOAD_SHARE = 0.45;

const quietLogger: WllamaLogger = { debug: () => undefined, log: () => undefined, warn: console.warn, error: console.error };

function createWllama(): Wllama {
  const wllama = new Wllama({ default: wasmUrl }, { suppressNativeLog: true, logger: quietLogger });
  // Never fall back to wllama's CDN build: the app must work offline.
  wllama.setCompat(null);
  return wllama;
}

export class HostedModel {
  readonly info: LoadedModelInfo;
  readonly eogTokens: ReadonlySet<number>;
  readonly #wllama: Wllama;
  readonly #spec: WorkerLoadSpec;
  /** Kept only for models loaded with `embeddings`, to open the second (embedding) context. */
  readonly #file: Blob | undefined;
  #embedder: Promise<Wllama> | undefined;

  private constructor(wllama: Wllama, spec: WorkerLoadSpec, file: Blob, info: LoadedModelInfo) {
    this.#wllama = wllama;
    this.#spec = spec;
    this.#file = spec.embeddings === true ? file : undefined;
    this.info = info;
    const context = wllama.getLoadedContextInfo();
    this.eogTokens = new Set([...context.list_tokens_eog, context.token_eos, context.token_eot].filter((t) => t >= 0));
  }

  static async load(spec: WorkerLoadSpec, signal: AbortSignal, onProgress: (fraction: number) => void): Promise<HostedModel> {
    const fetched = await fetchModel(spec.source, signal, (f) => onProgress(f * (isLegacyName(spec.fileName) ? CONVERTING_DOWNLOAD_SHARE : DOWNLOAD_SHARE)));
    signal.throwIfAborted();
    const { file } = await ggufInWorker(fetched, { fileName: spec.fileName ?? 'model.bin', ...(spec.conversion ? { settings: spec.conversion } : {}) }, signal, (f) =>
      onProgress(CONVERTING_DOWNLOAD_SHARE + f * (DOWNLOAD_SHARE - CONVERTING_DOWNLOAD_SHARE)),
    );
    signal.throwIfAborted();
    const trained = await readGgufContextLength(file);
    const contextSize = spec.contextSize ?? Math.min(trained ?? MAX_DEFAULT_CONTEXT, MAX_DEFAULT_CONTEXT);
    const parallel = Math.max(1, spec.parallel ?? 1);
    const backend = await detectBackend(spec.threads);
    const wllama = createWllama();
    try {
      await wllama.loadModel([file], {
        n_ctx: contextSize * parallel,
        n_parallel: parallel,
        // Each request gets a whole contextSize of its own, as in the sidecar.
        kv_unified: false,
        n_threads: backend.threads,
        n_gpu_layers: backend.backend === 'webgpu' ? 999 : 0,
        // Render chat with the GGUF's own Jinja template, as llama-server does.
        jinja: true,
        // The sidecar's node-llama-cpp runs without flash attention; the same kernels keep greedy
        // decoding identical across the two engines (random-weight test models have near-tied logits).
        flash_attn: false,
        // Context shift would silently drop the start of the prompt; we stop with "length" instead.
        ctx_shift: false,
      });
    } catch (error) {
      await wllama.exit().catch(() => undefined);
      signal.throwIfAborted();
      throw new ApiError('server', `Could not load the model ${spec.source}: ${errorMessage(error)}`, { cause: error });
    }
    if (signal.aborted) {
      await wllama.exit();
      signal.throwIfAborted();
    }
    onProgress(1);
    const threads = wllama.isMultithread() ? wllama.getNumThreads() : 1;
    return new HostedModel(wllama, spec, file, { contextSize, threads, backend: backend.backend });
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
    if (this.#file === undefined) {
      throw new ApiError(
        'invalid_request',
        `The model ${this.#spec.source} was not loaded for embeddings. Set \`embeddings: true\` in its config to use it for embeddings.`,
      );
    }
    const file = this.#file;
    // llama-server serves either generation or embeddings per context, so embeddings get their own.
    this.#embedder ??= (async () => {
      const embedder = createWllama();
      await embedder.loadModel([file], { n_ctx: this.info.contextSize, n_threads: this.info.threads, n_gpu_layers: 0, embeddings: true, pooling_type: 'mean' });
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
    await Promise.allSettled([this.#wllama.exit(), embedder?.then((e) => e.exit())]);
  }
}

/** Legacy files are named .bin; their download takes a smaller share of the progress bar. */
function isLegacyName(name: string | undefined): boolean {
  return name !== undefined && /\.bin$/i.test(name);
}

type WllamaMessage = { role: 'system' | 'user' | 'assistant'; content: string };

function toWllamaMessage(message: EngineChatMessage): WllamaMessage {
  // llama-server needs a tool_call_id for tool turns, which our messages do not carry; as in the
  // sidecar, a tool result reaches the model as a user turn.
  const role = message.role === 'tool' ? 'user' : message.role;
  return { role, content: message.content };
}
