// The engines the sidecar runs, by LocalAI backend name. A new backend is one entry here.
import type { EngineEntry } from '../shared/engine/engine-registry.js';
import { createLlamaCppEngine } from './engine/llama-cpp-engine.js';

export function sidecarEngines(): EngineEntry[] {
  return [{ backend: 'llama-cpp', aliases: ['llama'], create: createLlamaCppEngine }];
}
