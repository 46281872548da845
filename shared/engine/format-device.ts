// One wording for where a model runs, shared by the load log line, /readyz and the UI badge.
import type { EngineDescription } from './engine.js';

/** "cpu, 4 threads", "wasm, 1 thread", "cuda: NVIDIA H200, 33/33 layers". */
export function formatDevice({ device, threads, gpuLayers }: EngineDescription): string {
  if (gpuLayers !== undefined && gpuLayers.offloaded > 0) return `${device}, ${gpuLayers.offloaded}/${gpuLayers.total} layers`;
  return threads > 0 ? `${device}, ${threads} ${threads === 1 ? 'thread' : 'threads'}` : device;
}
