// The engines the sidecar runs, by LocalAI backend name. A new backend is one entry here.
import type { EngineEntry } from '../shared/engine/engine-registry.js';
import { createLlamaCppEngine } from './engine/llama-cpp-engine.js';
import type { LlamaLoadSetup } from './engine/load-llama-model.js';

/** `llamaSetup` carries the sidecar's --gpu settings to every llama.cpp engine. */
export function sidecarEngines(llamaSetup: LlamaLoadSetup): EngineEntry[] {
  // llama-ggml and rwkv files are converted to GGUF on first load (sidecar/convert/ensure-gguf.ts),
  // then run on the same llama.cpp engine.
  return [{ backend: 'llama-cpp', aliases: ['llama', 'llama-ggml', 'rwkv'], create: () => createLlamaCppEngine(llamaSetup) }];
}

/** LocalAI backends the sidecar cannot run, and what to use instead. */
export const SIDECAR_REFUSED_BACKENDS: Readonly<Record<string, string>> = {
  autogptq:
    'GPTQ checkpoints need AutoGPTQ (Python and CUDA), which Hearth does not include, and do not convert to GGUF without loss. Use a GGUF of the same model (for example Q4_K_M) with backend llama-cpp.',
};
