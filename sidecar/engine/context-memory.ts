// Refuses contexts the machine cannot hold. llama.cpp allocates the CPU KV cache lazily, and
// node-llama-cpp's own estimator (estimateContextResourceRequirementsV2, which createContext
// calls) allocates in proportion to the size: an absurd context_size gets the process OOM-killed
// instead of an error. This arithmetic estimate is cheap at any size.
import { freemem } from 'node:os';
import { GgmlType, type LlamaModel } from 'node-llama-cpp';
import { ApiError } from '../../shared/base/api-error.js';

const GB = 1024 ** 3;

/** KV cells llama.cpp can address comfortably (it counts them in 32-bit integers); the estimate overflows past 2^31. */
const MAX_CELLS = 2 ** 30;

export function assertContextFits(model: LlamaModel, source: string, contextSize: number, sequences: number, kvCacheType = GgmlType.F16): void {
  if (contextSize * sequences > MAX_CELLS) {
    throw new ApiError(
      'server',
      `A context of ${contextSize} tokens for each of ${sequences} parallel requests of ${source} is more than llama.cpp supports ` +
        `(${MAX_CELLS} tokens in all). Lower context_size or parallel in the model's config.`,
    );
  }
  // The deprecated synchronous estimator is plain arithmetic; without graph overhead it matches V2's result.
  const { cpuRam } = model.fileInsights.estimateContextResourceRequirements({
    contextSize,
    sequences,
    modelGpuLayers: 0,
    includeGraphOverhead: false,
    kvCacheKeyType: kvCacheType,
    kvCacheValueType: kvCacheType,
  });
  const available = freemem();
  if (cpuRam <= available) return;
  throw new ApiError(
    'server',
    `A context of ${contextSize} tokens for each of ${sequences} parallel requests of ${source} needs about ` +
      `${(cpuRam / GB).toFixed(1)} GB of memory, but only ${(available / GB).toFixed(1)} GB is free. ` +
      "Lower context_size or parallel in the model's config.",
  );
}
