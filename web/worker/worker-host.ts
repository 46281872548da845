// The object the engine worker exposes with comlink: hosts one HostedModel per loaded model and
// one GenerationRun per generation, keyed by ids the main thread chooses.
import { releaseProxy, type Remote } from 'comlink';
import { ApiError } from '../../shared/base/api-error.js';
import { GenerationRun } from './generation-run.js';
import { HostedModel } from './hosted-model.js';
import type { EngineWorkerApi, GenerationBatch, LoadedModelInfo, WorkerGenerateOptions, WorkerLoadSpec, WorkerPrompt, WorkerResult } from './protocol.js';
import { toApiError, toErrorData } from './to-api-error.js';
import { errorMessage } from '../../shared/base/error-message.js';

/**
 * What a failing WebGPU backend looks like from outside: wllama's crash reports (llama.cpp aborts
 * on a GPU error), Dawn's messages, out-of-memory. Text errors (invalid UTF-8, context) do not match.
 */
const GPU_FAILURE = /webgpu|wgpu|gpu|device (was )?lost|shader|pipeline|out of memory|crashed|abort|unreachable/i;

/** The retryable error a request gets when the GPU failed under it; the engine retries once when nothing was streamed. */
export const GPU_FAILED_CODE = 'gpu_failed';

async function attempt<T>(what: string, run: () => Promise<T>): Promise<WorkerResult<T>> {
  try {
    return { ok: true, value: await run() };
  } catch (error) {
    return { ok: false, error: toErrorData(error, what) };
  }
}

/** Forwards progress at most once per percent; the callback is a message to the page. */
function throttled(onProgress: (fraction: number) => void): (fraction: number) => void {
  let last = -1;
  return (fraction) => {
    if (fraction < 1 && fraction - last < 0.01) return;
    last = fraction;
    // A comlink proxy returns a promise; a page that went away must not become an unhandled rejection.
    void Promise.resolve(onProgress(fraction)).catch(() => undefined);
  };
}

export class WorkerHost implements EngineWorkerApi {
  readonly #models = new Map<number, HostedModel>();
  readonly #loads = new Map<number, AbortController>();
  readonly #runs = new Map<number, GenerationRun>();

  load(modelId: number, spec: WorkerLoadSpec, onProgress: (fraction: number) => void): Promise<WorkerResult<LoadedModelInfo>> {
    return attempt('Loading the model', async () => {
      if (this.#models.has(modelId) || this.#loads.has(modelId)) throw new ApiError('server', `Model slot ${modelId} is already in use.`);
      const controller = new AbortController();
      this.#loads.set(modelId, controller);
      try {
        const model = await HostedModel.load(spec, controller.signal, throttled(onProgress));
        this.#models.set(modelId, model);
        return model.info;
      } catch (error) {
        if (controller.signal.aborted) throw new ApiError('unavailable', 'The model load was cancelled.', { code: 'aborted' });
        throw error;
      } finally {
        this.#loads.delete(modelId);
        // The callback is a comlink proxy to the page; release its MessagePort.
        (onProgress as unknown as Partial<Remote<(fraction: number) => void>>)[releaseProxy]?.();
      }
    });
  }

  async cancelLoad(modelId: number): Promise<void> {
    this.#loads.get(modelId)?.abort();
  }

  startGeneration(modelId: number, generationId: number, prompt: WorkerPrompt, options: WorkerGenerateOptions): Promise<WorkerResult<LoadedModelInfo>> {
    return attempt('Generation', async () => {
      const model = this.#requireModel(modelId);
      // A GPU that failed since the last request (the device watch saw it) is left before this
      // request starts, so the request runs on WASM instead of hanging on a dead device.
      if (model.gpuFailure !== undefined) await model.fallBackToWasm();
      // Fixed now: if the GPU fails under this run, the model is on WASM (reloaded) by the time it ends.
      const onGpu = model.info.backend === 'webgpu';
      const run = new GenerationRun();
      this.#runs.set(generationId, run);
      try {
        run.start(
          { chunks: await model.generate(prompt, options, run.signal), eogTokens: model.eogTokens, ...(options.logprobs === undefined ? {} : { logprobs: options.logprobs }) },
          (error) => this.#describeFailure(model, onGpu, error),
        );
      } catch (error) {
        this.#runs.delete(generationId);
        throw this.#gpuError(model, onGpu, error) ?? error;
      }
      return model.info;
    });
  }

  /** A generation error on a model that is on WebGPU: a GPU failure makes the model reload on WASM. */
  #describeFailure(model: HostedModel, onGpu: boolean, error: unknown): ReturnType<typeof toErrorData> {
    return (this.#gpuError(model, onGpu, error) ?? toApiError(error, 'Generation')).toData();
  }

  #gpuError(model: HostedModel, onGpu: boolean, error: unknown): ApiError | undefined {
    if (!onGpu) return undefined;
    const message = errorMessage(error);
    const alreadyOnWasm = model.info.backend === 'wasm'; // another failure already moved the model
    if (model.gpuFailure === undefined && !alreadyOnWasm && !GPU_FAILURE.test(message)) return undefined;
    model.markGpuFailed(message);
    // Start the reload now; the next request (or the engine's one retry) waits for it.
    void model.fallBackToWasm().catch((reloadError: unknown) => console.error('[hearth] reloading on WASM failed', reloadError));
    return new ApiError(
      'unavailable',
      `The GPU failed during this request (${model.gpuFailure?.message ?? message}). The model is being reloaded on WASM; retry the request.`,
      { code: GPU_FAILED_CODE, cause: error },
    );
  }

  async next(generationId: number): Promise<GenerationBatch> {
    const run = this.#runs.get(generationId);
    if (run === undefined) return { events: [], finished: true };
    const batch = await run.next();
    if (batch.finished) this.#runs.delete(generationId);
    return batch;
  }

  async cancel(generationId: number): Promise<void> {
    // A pull still waiting gets its final batch from the run object it already holds.
    this.#runs.get(generationId)?.cancel();
    this.#runs.delete(generationId);
  }

  embed(modelId: number, inputs: string[]): Promise<WorkerResult<{ vectors: number[][]; promptTokens: number }>> {
    return attempt('Embedding', () => this.#requireModel(modelId).embed(inputs));
  }

  tokenize(modelId: number, _text: string): Promise<WorkerResult<number[]>> {
    return attempt('Tokenizing', async () => {
      this.#requireModel(modelId);
      // wllama 3 runs llama-server's request handling and removed the tokenizer API of wllama 2.
      throw new ApiError(
        'invalid_request',
        'Tokenizing is not available in the browser engine: wllama 3 has no tokenizer API. Use the native sidecar to tokenize.',
        { code: 'tokenize_unsupported' },
      );
    });
  }

  detokenize(modelId: number, _tokens: number[]): Promise<WorkerResult<string>> {
    return attempt('Detokenizing', async () => {
      this.#requireModel(modelId);
      throw new ApiError(
        'invalid_request',
        'Detokenizing is not available in the browser engine: wllama 3 has no tokenizer API. Use the native sidecar to detokenize.',
        { code: 'tokenize_unsupported' },
      );
    });
  }

  async dispose(modelId: number): Promise<void> {
    this.#loads.get(modelId)?.abort();
    const model = this.#models.get(modelId);
    this.#models.delete(modelId);
    await model?.dispose();
  }

  #requireModel(modelId: number): HostedModel {
    const model = this.#models.get(modelId);
    if (model === undefined) throw new ApiError('unavailable', 'The model is not loaded (or was unloaded).');
    return model;
  }
}
