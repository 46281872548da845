// The request-field and small-route cases against a real sidecar (node-llama-cpp, generated tiny model).
import { afterAll, beforeAll } from 'vitest';
import { defineFieldConformance } from '../conformance/fields-cases.js';
import { sidecarTarget, startHarness, type Harness } from './harness.js';

let harness: Harness;
beforeAll(async () => {
  harness = await startHarness({ models: { 'tiny.gguf': 'tinyQ8_0' } });
});
afterAll(async () => harness?.close());

defineFieldConformance('sidecar', () => sidecarTarget(harness, 'tiny.gguf'), { typicalAndMirostat: false, tokenizer: true });
