// One sidecar's way to its llama.cpp binding: the --gpu choice, resolved on the first model load,
// with the auto fallback logged once per sidecar (the binding itself is shared per process).
import type { Llama } from 'node-llama-cpp';
import type { Logger } from '../../shared/base/logger.js';
import { DEFAULT_GPU_OPTIONS, type GpuChoice, type SidecarGpuOptions } from './gpu-options.js';
import { getLlamaFor } from './llama-instance.js';
import type { LlamaLoadSetup } from './load-llama-model.js';

export type LlamaSource = () => Promise<Llama>;

export function createLlamaSource(gpu: GpuChoice, log?: Logger, resolve = getLlamaFor): LlamaSource {
  let reported = false;
  return async () => {
    const { llama, fallbackReason } = await resolve(gpu);
    if (fallbackReason !== undefined && !reported) {
      reported = true;
      log?.('info', `--gpu auto: running models on the CPU because ${fallbackReason}`);
    }
    return llama;
  };
}

/** The engines' setup for a sidecar's --gpu and --gpu-layers, logging through `log`. */
export function createLlamaSetup(options: Partial<SidecarGpuOptions>, log: Logger): LlamaLoadSetup {
  return {
    llama: createLlamaSource(options.gpu ?? DEFAULT_GPU_OPTIONS.gpu, log),
    gpuLayers: options.gpuLayers ?? DEFAULT_GPU_OPTIONS.gpuLayers,
    warn: (message) => log('warn', message),
  };
}
