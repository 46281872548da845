// Chooses the compute backend for a model load (pure; detect-backend.ts asks the browser): WebGPU
// when the adapter has what llama.cpp's WebGPU backend needs and nothing asked for the CPU, else
// WASM, with the reason kept so the badge can say why.
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
