// The shared Ollama conformance cases against a real sidecar (node-llama-cpp, generated tiny model).
import { afterAll, beforeAll } from 'vitest';
import { defineOllamaConformance, OLLAMA_TOOLS_YAML } from '../conformance/ollama-cases.js';
import { sidecarTarget, startHarness, type Harness } from './harness.js';

let harness: Harness;
beforeAll(async () => {
  harness = await startHarness({
    files: { 'tiny-tools.yaml': OLLAMA_TOOLS_YAML },
  });
});
afterAll(async () => harness?.close());

defineOllamaConformance('sidecar', () => sidecarTarget(harness, 'tiny.gguf'), () => 'tiny-tools');
