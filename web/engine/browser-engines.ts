// The engines a tab runs, by backend name. wllama is llama.cpp, so LocalAI configs written for the
// sidecar (`backend: llama-cpp` or `llama`) run in the tab unchanged; llama-ggml and rwkv files, and
// autogptq repos, are converted to GGUF in the worker on first load (web/worker/gguf-in-worker.ts).
import type { EngineEntry } from '../../shared/engine/engine-registry.js';
import { createWorkerEngine } from './worker-engine.js';

export function browserEngines(): EngineEntry[] {
  return [{ backend: 'wllama', aliases: ['llama-cpp', 'llama', 'llama-ggml', 'rwkv', 'autogptq'], create: createWorkerEngine }];
}
