// Loads a GGUF and creates the one context whose sequences serve concurrent requests.
import { GgmlType, type LlamaContext, type LlamaContextSequence, type LlamaModel } from 'node-llama-cpp';
import { ApiError } from '../../shared/base/api-error.js';
import type { LoadOptions, ModelLoadSpec } from '../../shared/engine/engine.js';
import { assertContextFits } from './context-memory.js';
import type { DispatchSchedule } from './decode-schedule.js';
import { defaultThreads } from './default-threads.js';
import { getSharedLlama, onLlamaError } from './llama-instance.js';
import { toModelLoadError } from './model-load-error.js';

/** Context size when neither the config nor a smaller training context says otherwise. */
const DEFAULT_CONTEXT_CAP = 4096;
/** Concurrent sequences when the config does not set `parallel`. */
const DEFAULT_PARALLEL = 4;
/** Share of the progress bar for reading weights; creating the context takes the rest. */
const MODEL_SHARE = 0.9;

export interface LoadedLlamaModel {
  model: LlamaModel;
  context: LlamaContext;
  sequences: LlamaContextSequence[];
  /** Token budget of one sequence (prompt + completion). */
  contextSize: number;
  threads: number;
}

/** Rejects with an ApiError naming the file, or with the signal's reason when aborted; frees what it made. */
export async function loadLlamaModel(
  spec: ModelLoadSpec,
  { signal, onProgress }: LoadOptions,
  dispatchSchedule: DispatchSchedule,
): Promise<LoadedLlamaModel> {
  let reported = -1;
  const report = (fraction: number): void => {
    const value = Math.min(1, Math.max(0, fraction));
    if (value <= reported) return;
    reported = value;
    onProgress?.(value);
  };
  let model: LlamaModel | undefined;
  let context: LlamaContext | undefined;
  const llamaErrors: string[] = [];
  const stopListening = onLlamaError((message) => llamaErrors.push(message));
  try {
    signal?.throwIfAborted();
    report(0);
    const llama = await getSharedLlama();
    signal?.throwIfAborted();
    model = await llama.loadModel({
      modelPath: spec.source,
      gpuLayers: 0,
      ...(spec.mmap === undefined ? {} : { useMmap: spec.mmap }),
      ...(signal === undefined ? {} : { loadSignal: signal }),
      onLoadProgress: (fraction) => report(fraction * MODEL_SHARE),
    });
    signal?.throwIfAborted();
    // node-llama-cpp's contextSize is per sequence: it allocates contextSize * sequences KV cells.
    const requested = Math.max(1, Math.floor(spec.contextSize ?? Math.min(model.trainContextSize || DEFAULT_CONTEXT_CAP, DEFAULT_CONTEXT_CAP)));
    const threads = Math.max(1, Math.floor(spec.threads ?? defaultThreads()));
    const parallel = Math.max(1, Math.floor(spec.parallel ?? DEFAULT_PARALLEL));
    // LocalAI's `f16` is the KV cache's precision: F16 (llama.cpp's default) unless a config sets
    // `f16: false`, which asks for F32 (twice the memory, no rounding of keys and values).
    const kvCacheType = spec.f16 === false ? GgmlType.F32 : GgmlType.F16;
    assertContextFits(model, spec.source, requested, parallel, kvCacheType);
    const created = await model
      .createContext({
        sequences: parallel,
        contextSize: requested,
        threads,
        batching: { dispatchSchedule },
        ...(kvCacheType === GgmlType.F16 ? {} : { experimentalKvCacheKeyType: kvCacheType, experimentalKvCacheValueType: kvCacheType }),
        ...(signal === undefined ? {} : { createSignal: signal }),
      })
      .catch((error: unknown) => {
        if (signal?.aborted === true) throw error;
        const reason = error instanceof Error ? error.message : String(error);
        throw new ApiError(
          'server',
          `Could not create a context of ${requested} tokens for each of ${parallel} parallel requests for ${spec.source}: ${reason}. ` +
            'Lower context_size or parallel in the model\'s config.',
          { cause: error },
        );
      });
    context = created;
    signal?.throwIfAborted();
    const sequences = Array.from({ length: parallel }, () => created.getSequence());
    report(1);
    // llama.cpp may round the context up (to a multiple of 256); the budget stays what was asked for.
    return { model, context, sequences, contextSize: Math.min(requested, created.contextSize), threads: created.idealThreads };
  } catch (error) {
    await context?.dispose().catch(() => undefined);
    await model?.dispose().catch(() => undefined);
    if (signal?.aborted === true) throw signal.reason;
    // llama.cpp's log lines reach JS asynchronously, possibly after the rejection.
    await new Promise((resolve) => setImmediate(resolve));
    throw toModelLoadError(error, spec.source, llamaErrors);
  } finally {
    stopListening();
  }
}
