// Chooses the compute backend and thread count for a model load inside the worker.
import type { EngineInfo } from './protocol.js';

/** llama.cpp's WebGPU backend needs f16 shaders; SwiftShader-style adapters without them are skipped. */
async function hasF16WebGpu(): Promise<boolean> {
  const gpu = (navigator as WorkerNavigator & { gpu?: { requestAdapter(): Promise<{ features: ReadonlySet<string> } | null> } }).gpu;
  if (gpu === undefined) return false;
  try {
    const adapter = await gpu.requestAdapter();
    return adapter?.features.has('shader-f16') === true;
  } catch {
    return false;
  }
}

/**
 * WASM threads need SharedArrayBuffer, i.e. a cross-origin isolated page. Then we use every core
 * but one, as the sidecar does: llama.cpp's threads spin while they wait, and with all cores busy
 * the page and the worker's own message loop starve (measured on 2 cores: 2 threads 1.4 tokens/s,
 * 1 thread 13.3). The collapse is contention, not our code: raw wllama with 2 threads swung from
 * 0.6 to 26.5 tokens/s in one session (1 thread: 13-15) as other processes took a core, because
 * llama.cpp's threads meet at spin barriers. `requested` (a model config's `threads`) wins when given.
 */
export async function detectBackend(requested: number | undefined): Promise<EngineInfo> {
  const cores = Math.max(1, navigator.hardwareConcurrency || 1);
  const threads = self.crossOriginIsolated ? Math.max(1, Math.min(requested ?? cores - 1, cores)) : 1;
  return { threads, backend: (await hasF16WebGpu()) ? 'webgpu' : 'wasm' };
}
