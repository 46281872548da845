// Chooses the compute backend and thread count for a model load inside the worker: WebGPU when the
// adapter has what llama.cpp's WebGPU backend needs and nothing asked for the CPU, else WASM, with
// the reason kept so the badge can say why.
import type { DevicePreference } from './protocol.js';

/** The part of a GPUAdapter we read (the DOM typings of this project do not include WebGPU). */
export interface AdapterFacts {
  name: string;
  features: ReadonlySet<string>;
  maxStorageBufferBindingSize: number;
  maxBufferSize: number;
}

export interface BackendChoice {
  backend: 'wasm' | 'webgpu';
  /** The WebGPU adapter, as "vendor architecture" (e.g. "mesa software"), when one was found. */
  adapter?: string;
  /** Why a model runs on WASM although WebGPU was possible or asked for; for the badge and logs. */
  reason?: string;
}

export interface BackendRequest {
  /** The model config's `gpu_layers`: 0 keeps the model on the CPU (LocalAI's meaning). */
  gpuLayers?: number | undefined;
  /** The page's setting: `auto` (default), `wasm` or `webgpu`. */
  preference?: DevicePreference | undefined;
  /** Bytes of the model's largest tensor, from the GGUF header. */
  largestTensorBytes?: number | undefined;
}

const MIB = 1024 * 1024;

/** Pure: the decision from what the page asked and what the adapter offers (null: no adapter). */
export function chooseBackend(request: BackendRequest, adapter: AdapterFacts | null | 'no-webgpu'): BackendChoice {
  if (request.gpuLayers === 0) return { backend: 'wasm', reason: "gpu_layers: 0 in the model's config keeps it on the CPU" };
  if (request.preference === 'wasm') return { backend: 'wasm', reason: 'WASM is chosen in the settings' };
  if (adapter === 'no-webgpu') return { backend: 'wasm', reason: 'this browser has no WebGPU' };
  if (adapter === null) return { backend: 'wasm', reason: 'the browser offers no WebGPU adapter' };
  if (!adapter.features.has('shader-f16')) {
    return { backend: 'wasm', adapter: adapter.name, reason: `the WebGPU adapter (${adapter.name}) lacks shader-f16, which llama.cpp's WebGPU backend needs` };
  }
  const limit = Math.min(adapter.maxStorageBufferBindingSize, adapter.maxBufferSize);
  if (request.largestTensorBytes !== undefined && request.largestTensorBytes > limit) {
    return {
      backend: 'wasm',
      adapter: adapter.name,
      reason: `the model's largest tensor (${(request.largestTensorBytes / MIB).toFixed(1)} MiB) exceeds this GPU's buffer limit (${(limit / MIB).toFixed(1)} MiB)`,
    };
  }
  return { backend: 'webgpu', adapter: adapter.name };
}

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
