// Refuses contexts the machine cannot hold, with a message naming the model, the device, what is
// needed and what is free. llama.cpp allocates the CPU KV cache lazily, and node-llama-cpp's own
// estimator (which createContext calls) allocates in proportion to the size: an absurd
// context_size gets the process OOM-killed instead of an error. This arithmetic is cheap at any size.
import { freemem } from 'node:os';
import type { Llama, LlamaModel } from 'node-llama-cpp';
import { ApiError } from '../../shared/base/api-error.js';
import type { ContextOptions } from './llama-load-options.js';
import { kvCacheTypes } from './llama-load-options.js';

const GB = 1024 ** 3;

/** KV cells llama.cpp can address comfortably (it counts them in 32-bit integers); the estimate overflows past 2^31. */
export const MAX_CELLS = 2 ** 30;

export interface MemoryNeed {
  /** Bytes the context needs in RAM (its CPU-side KV cache and buffers). */
  ram: number;
  /** Bytes it needs on the GPU (the KV cache of offloaded layers). */
  vram: number;
}

export interface MemoryFitInput {
  model: string;
  /** Where offloaded layers run, as shown to users ("cuda: NVIDIA H200"). */
  gpuDevice: string | undefined;
  contextSize: number;
  sequences: number;
  context: MemoryNeed;
  /**
   * Offloaded weights not yet placed on the GPU. Zero when the model is already loaded: its
   * weights are then part of what `free` no longer counts.
   */
  weightsVram: number;
  free: { ram: number; vram: number };
}

/** The refusal message, or undefined when the context fits. Pure. */
export function memoryShortfall({ model, gpuDevice, contextSize, sequences, context, weightsVram, free }: MemoryFitInput): string | undefined {
  const what = `A context of ${contextSize} tokens for each of ${sequences} parallel requests of ${model}`;
  if (contextSize * sequences > MAX_CELLS) {
    return `${what} is more than llama.cpp supports (${MAX_CELLS} tokens in all). Lower context_size or parallel in the model's config.`;
  }
  const vram = context.vram + weightsVram;
  if (gpuDevice !== undefined && vram > 0 && vram > free.vram) {
    return (
      `${what} needs about ${gb(vram)} GB of GPU memory on ${gpuDevice}, but only ${gb(free.vram)} GB is free. ` +
      "Lower context_size, parallel or gpu_layers in the model's config."
    );
  }
  if (context.ram > free.ram) {
    return `${what} needs about ${gb(context.ram)} GB of memory on the cpu, but only ${gb(free.ram)} GB is free. Lower context_size or parallel in the model's config.`;
  }
  return undefined;
}

function gb(bytes: number): string {
  return (bytes / GB).toFixed(1);
}

/** Throws a 500 ApiError when the context planned for a loaded model cannot fit. */
export async function assertContextFits(llama: Llama, model: LlamaModel, source: string, context: ContextOptions, gpuDevice: string | undefined): Promise<void> {
  const contextSize = context.contextSize as number;
  const sequences = context.sequences ?? 1;
  let need: MemoryNeed = { ram: 0, vram: 0 };
  if (contextSize * sequences <= MAX_CELLS) {
    const types = kvCacheTypes(context);
    // The deprecated synchronous estimator is plain arithmetic; without graph overhead it matches V2's result.
    const estimate = model.fileInsights.estimateContextResourceRequirements({
      contextSize,
      sequences,
      modelGpuLayers: model.gpuLayers,
      includeGraphOverhead: false,
      kvCacheKeyType: types.key,
      kvCacheValueType: types.value,
      ...(typeof context.flashAttention === 'boolean' ? { flashAttention: context.flashAttention } : {}),
    });
    need = { ram: estimate.cpuRam, vram: estimate.gpuVram };
  }
  const free = { ram: freemem(), vram: model.gpuLayers > 0 ? (await llama.getVramState()).free : 0 };
  const message = memoryShortfall({ model: source, gpuDevice: model.gpuLayers > 0 ? gpuDevice : undefined, contextSize, sequences, context: need, weightsVram: 0, free });
  if (message !== undefined) throw new ApiError('server', message);
}
