// Loads a GGUF and creates the one context whose sequences serve concurrent requests.
import { InsufficientMemoryError, type Llama, type LlamaContext, type LlamaContextSequence, type LlamaModel } from 'node-llama-cpp';
import { ApiError } from '../../shared/base/api-error.js';
import type { LoadOptions, ModelLoadSpec } from '../../shared/engine/engine.js';
import { assertContextFits } from './context-memory.js';
import type { DispatchSchedule } from './decode-schedule.js';
import { defaultThreads } from './default-threads.js';
import { DEFAULT_GPU_OPTIONS, type GpuLayersOption } from './gpu-options.js';
import { llamaDevice } from './llama-device.js';
import { getSharedLlama, onLlamaError } from './llama-instance.js';
import { planContext, planModelLoad } from './llama-load-options.js';
import { toModelLoadError } from './model-load-error.js';
import { sharedWeights, type HeldWeights } from './shared-weights.js';
import { errorMessage } from '../../shared/base/error-message.js';
import { defined } from '../../shared/base/defined.js';

/** Context size when neither the config nor a smaller training context says otherwise. */
const DEFAULT_CONTEXT_CAP = 4096;
/** Concurrent sequences when the config does not set `parallel`. */
const DEFAULT_PARALLEL = 4;
/** Share of the progress bar for reading weights; creating the context takes the rest. */
const MODEL_SHARE = 0.9;

export interface LoadedLlamaModel {
  model: LlamaModel;
  /** Gives the weights back (they are shared with other contexts over the same file and placement). */
  releaseModel(): Promise<void>;
  context: LlamaContext;
  sequences: LlamaContextSequence[];
  /** Token budget of one sequence (prompt + completion). */
  contextSize: number;
  threads: number;
  /** EngineDescription.device: where offloaded layers run, or "cpu". */
  device: string;
  /** Layers on the GPU, and the model's total. */
  gpuLayers: { offloaded: number; total: number };
}

/** Where the loader gets its llama.cpp binding and GPU settings; the sidecar passes its own. */
export interface LlamaLoadSetup {
  llama: () => Promise<Llama>;
  /** --gpu-layers: used when the model's config sets no gpu_layers. */
  gpuLayers: GpuLayersOption;
  /** Receives one line per config key that is read but not honoured. */
  warn?: (message: string) => void;
}

const DEFAULT_SETUP: LlamaLoadSetup = { llama: getSharedLlama, gpuLayers: DEFAULT_GPU_OPTIONS.gpuLayers };

/** Rejects with an ApiError naming the file, or with the signal's reason when aborted; frees what it made. */
export async function loadLlamaModel(
  spec: ModelLoadSpec,
  { signal, onProgress }: LoadOptions,
  dispatchSchedule: DispatchSchedule,
  setup: LlamaLoadSetup = DEFAULT_SETUP,
): Promise<LoadedLlamaModel> {
  let reported = -1;
  const report = (fraction: number): void => {
    const value = Math.min(1, Math.max(0, fraction));
    if (value <= reported) return;
    reported = value;
    onProgress?.(value);
  };
  let model: LlamaModel | undefined;
  let weights: HeldWeights | undefined;
  let context: LlamaContext | undefined;
  const llamaErrors: string[] = [];
  const stopListening = onLlamaError((message) => llamaErrors.push(message));
  try {
    signal?.throwIfAborted();
    report(0);
    const llama = await setup.llama();
    signal?.throwIfAborted();
    const device = await llamaDevice(llama);
    const plan = planModelLoad(spec, { gpuLayers: setup.gpuLayers, onGpu: llama.gpu !== false });
    for (const warning of plan.warnings) setup.warn?.(warning);
    const weightsKey = JSON.stringify({ file: spec.source, build: llama.gpu, ...plan.model });
    weights = await sharedWeights.acquire(
      weightsKey,
      () =>
        llama
          .loadModel({
            modelPath: spec.source,
            ...plan.model,
            ...defined({ loadSignal: signal }),
            onLoadProgress: (fraction) => report(fraction * MODEL_SHARE),
          })
          .catch((error: unknown) => {
            // node-llama-cpp checks that explicitly requested layers fit before allocating them.
            if (error instanceof InsufficientMemoryError) {
              throw new ApiError('server', `The model ${spec.source} does not fit in the memory of ${device}: ${error.message}. Lower gpu_layers in its config, or use --gpu-layers auto.`, { cause: error });
            }
            throw error;
          }),
      signal,
    );
    model = weights.model;
    signal?.throwIfAborted();
    // node-llama-cpp's contextSize is per sequence: it allocates contextSize * sequences KV cells.
    const requested = Math.max(1, Math.floor(spec.contextSize ?? Math.min(model.trainContextSize || DEFAULT_CONTEXT_CAP, DEFAULT_CONTEXT_CAP)));
    const threads = Math.max(1, Math.floor(spec.threads ?? defaultThreads()));
    const parallel = Math.max(1, Math.floor(spec.parallel ?? DEFAULT_PARALLEL));
    const contextOptions = planContext(spec, { contextSize: requested, threads, parallel });
    await assertContextFits(llama, model, spec.source, contextOptions, device);
    const created = await model
      .createContext({
        ...contextOptions,
        batching: { dispatchSchedule },
        ...defined({ createSignal: signal }),
      })
      .catch((error: unknown) => {
        if (signal?.aborted === true) throw error;
        const reason = errorMessage(error);
        throw new ApiError(
          'server',
          `Could not create a context of ${requested} tokens for each of ${parallel} parallel requests for ${spec.source} on ${model?.gpuLayers ? device : 'cpu'}: ${reason}. ` +
            'Lower context_size or parallel in the model\'s config.',
          { cause: error },
        );
      });
    context = created;
    signal?.throwIfAborted();
    const sequences = Array.from({ length: parallel }, () => created.getSequence());
    report(1);
    // llama.cpp may round the context up (to a multiple of 256); the budget stays what was asked for.
    const gpuLayers = { offloaded: model.gpuLayers, total: model.fileInsights.totalLayers };
    const held = weights;
    return {
      model,
      releaseModel: () => held.release(),
      context,
      sequences,
      contextSize: Math.min(requested, created.contextSize),
      threads: created.idealThreads,
      device: gpuLayers.offloaded > 0 ? device : 'cpu',
      gpuLayers,
    };
  } catch (error) {
    await context?.dispose().catch(() => undefined);
    await weights?.release().catch(() => undefined);
    if (signal?.aborted === true) throw signal.reason;
    // llama.cpp's log lines reach JS asynchronously, possibly after the rejection.
    await new Promise((resolve) => setImmediate(resolve));
    throw toModelLoadError(error, spec.source, llamaErrors);
  } finally {
    stopListening();
  }
}
