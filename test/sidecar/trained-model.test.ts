// The trained built-in model and its YAML config, exactly as shipped, served by a real sidecar
// (node-llama-cpp) and asked with the official `openai` client.
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { defineTrainedModelCases } from '../conformance/trained-model-cases.js';
import { REPO_ROOT } from '../fixtures/test-models.js';
import { startHarness, type Harness } from './harness.js';

let harness: Harness;
beforeAll(async () => {
  harness = await startHarness({ models: {} });
  for (const file of ['hearth-chat.gguf', 'hearth-chat.yaml']) copyFileSync(join(REPO_ROOT, 'models', file), join(harness.modelsDir, file));
}, 30_000);
afterAll(async () => harness?.close());

defineTrainedModelCases('sidecar', () => harness.client);
