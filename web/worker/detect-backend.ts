// What the worker asks the browser before a model load: its WebGPU adapter (for choose-backend.ts)
// and how many WASM threads to use.
import type { AdapterFacts } from './choose-backend.js';

type GpuAdapterLike = {
  features: ReadonlySet<string>;
  limits: { maxStorageBufferBindingSize: number; maxBufferSize: number };
  info?: { vendor?: string; architecture?: string; device?: string; description?: string };
};

/** Asks the browser for its default adapter, as llama.cpp's WebGPU backend will. */
export async function probeAdapter(): Promise<AdapterFacts | null | 'no-webgpu'> {
  const gpu = (navigator as WorkerNavigator & { gpu?: { requestAdapter(): Promise<GpuAdapterLike | null> } }).gpu;
  if (gpu === undefined) return 'no-webgpu';
  try {
    const adapter = await gpu.requestAdapter();
    if (adapter === null) return null;
    const info = adapter.info ?? {};
    const name = [info.vendor, info.architecture || info.device || info.description].filter((part) => part !== undefined && part !== '').join(' ') || 'unknown GPU';
    return {
      name,
      features: adapter.features,
      maxStorageBufferBindingSize: adapter.limits.maxStorageBufferBindingSize,
      maxBufferSize: adapter.limits.maxBufferSize,
    };
  } catch {
    return null;
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
export function chooseThreads(requested: number | undefined): number {
  const cores = Math.max(1, navigator.hardwareConcurrency || 1);
  return self.crossOriginIsolated ? Math.max(1, Math.min(requested ?? cores - 1, cores)) : 1;
}
