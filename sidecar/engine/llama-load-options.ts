// A model's load spec + the sidecar's GPU settings -> the exact options handed to node-llama-cpp's
// loadModel and createContext, and a warning for each setting node-llama-cpp 3.21.1 cannot honour.
// Pure, so every mapping is tested without loading a model.
import { GgmlType, type LlamaContextOptions, type LlamaModelOptions } from 'node-llama-cpp';
import type { ModelLoadSpec } from '../../shared/engine/engine.js';
import type { GpuLayersOption } from './gpu-options.js';

/** loadModel's options that come from settings (the path, signal and progress are the loader's). */
export type ModelOptions = Pick<LlamaModelOptions, 'gpuLayers' | 'useMmap' | 'useMlock' | 'defaultContextFlashAttention'>;
/** createContext's options that come from settings. */
export type ContextOptions = Pick<LlamaContextOptions, 'sequences' | 'contextSize' | 'threads' | 'flashAttention' | 'experimentalKvCacheKeyType' | 'experimentalKvCacheValueType'>;

export interface ModelLoadPlan {
  model: ModelOptions;
  /** One line per config key that is read but cannot take effect, for the log. */
  warnings: string[];
}

const KV_TYPES: Record<string, GgmlType> = {
  f32: GgmlType.F32,
  f16: GgmlType.F16,
  bf16: GgmlType.BF16,
  q8_0: GgmlType.Q8_0,
  q4_0: GgmlType.Q4_0,
  q4_1: GgmlType.Q4_1,
  iq4_nl: GgmlType.IQ4_NL,
  q5_0: GgmlType.Q5_0,
  q5_1: GgmlType.Q5_1,
};

/**
 * `onGpu`: the binding in use is a GPU build. On the CPU build every layer stays on the CPU
 * whatever is asked, as in LocalAI's CPU images. The config's `gpu_layers` wins over --gpu-layers.
 */
export function planModelLoad(spec: ModelLoadSpec, { gpuLayers, onGpu }: { gpuLayers: GpuLayersOption; onGpu: boolean }): ModelLoadPlan {
  const gpu = spec.gpu ?? {};
  const model: ModelOptions = { gpuLayers: onGpu ? (gpu.gpuLayers ?? gpuLayers) : 0 };
  if (spec.mmap !== undefined) model.useMmap = spec.mmap;
  if (gpu.mlock !== undefined) model.useMlock = gpu.mlock;
  if (gpu.flashAttention !== undefined) model.defaultContextFlashAttention = gpu.flashAttention;
  const name = spec.source;
  const warnings: string[] = [];
  const unsupported = (key: string, why: string): void => {
    warnings.push(`${name}: '${key}' is set but not honoured: node-llama-cpp 3.21.1 has no such option (${why}).`);
  };
  if (gpu.mainGpu !== undefined) unsupported('main_gpu', 'to pick a GPU, start Hearth with CUDA_VISIBLE_DEVICES or GGML_VK_VISIBLE_DEVICES set to its index');
  if (gpu.tensorSplit !== undefined) unsupported('tensor_split', 'llama.cpp splits layers across the visible GPUs by their free memory');
  if (gpu.lowVram === true) unsupported('low_vram', 'llama.cpp itself dropped it; lower gpu_layers or context_size instead');
  if (gpu.noKvOffloading === true) unsupported('no_kv_offloading', 'the KV cache of offloaded layers stays on the GPU; lower gpu_layers to keep it in RAM');
  return { model, warnings };
}

/**
 * The context for `parallel` sequences of `contextSize` tokens each. The KV cache types come from
 * `cache_type_k`/`cache_type_v`, else from LocalAI's `f16: false` (F32 for both), else llama.cpp's F16.
 */
export function planContext(spec: ModelLoadSpec, { contextSize, threads, parallel }: { contextSize: number; threads: number; parallel: number }): ContextOptions {
  const gpu = spec.gpu ?? {};
  const fallback = spec.f16 === false ? GgmlType.F32 : GgmlType.F16;
  const keyType = gpu.cacheTypeK === undefined ? fallback : kvType(gpu.cacheTypeK);
  const valueType = gpu.cacheTypeV === undefined ? fallback : kvType(gpu.cacheTypeV);
  const context: ContextOptions = { sequences: parallel, contextSize, threads };
  if (gpu.flashAttention !== undefined) context.flashAttention = gpu.flashAttention;
  // Only when not llama.cpp's default: node-llama-cpp marks these options experimental.
  if (keyType !== GgmlType.F16) context.experimentalKvCacheKeyType = keyType;
  if (valueType !== GgmlType.F16) context.experimentalKvCacheValueType = valueType;
  return context;
}

/** The KV cache types a context gets from its options (F16 unless set). */
export function kvCacheTypes(context: ContextOptions): { key: GgmlType; value: GgmlType } {
  return { key: asGgml(context.experimentalKvCacheKeyType), value: asGgml(context.experimentalKvCacheValueType) };
}

function asGgml(type: ContextOptions['experimentalKvCacheKeyType']): GgmlType {
  return typeof type === 'number' ? type : GgmlType.F16;
}

function kvType(name: string): GgmlType {
  const type = KV_TYPES[name];
  // The config parser admits only the names above; anything else is a bug upstream of us.
  if (type === undefined) throw new Error(`unknown KV cache type "${name}"`);
  return type;
}
