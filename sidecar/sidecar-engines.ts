// The engines the sidecar runs, by LocalAI backend name. A new backend is one entry here.
import type { EngineEntry } from '../shared/engine/engine-registry.js';
import { createLlamaCppEngine } from './engine/llama-cpp-engine.js';
import type { LlamaLoadSetup } from './engine/load-llama-model.js';

/** `llamaSetup` carries the sidecar's --gpu settings to every llama.cpp engine. */
export function sidecarEngines(llamaSetup: LlamaLoadSetup): EngineEntry[] {
  // llama-ggml and rwkv files (sidecar/convert/ensure-gguf.ts) and autogptq repos
  // (sidecar/convert/ensure-repo-gguf.ts) are converted to GGUF on first load, then run on the
  // same llama.cpp engine.
  return [{ backend: 'llama-cpp', aliases: ['llama', 'llama-ggml', 'rwkv', 'autogptq'], create: () => createLlamaCppEngine(llamaSetup) }];
}

/** LocalAI backends the sidecar cannot run, and what to use instead (none at present; the registry adds the reason to its 400). */
export const SIDECAR_REFUSED_BACKENDS: Readonly<Record<string, string>> = {};
