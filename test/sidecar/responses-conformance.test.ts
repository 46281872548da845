// The Responses API conformance cases against a real sidecar (node-llama-cpp).
import { afterAll, beforeAll } from 'vitest';
import { defineResponsesConformance } from '../conformance/responses-cases.js';
import { sidecarTarget, startHarness, type Harness } from './harness.js';
import { TOOLS_MODEL_YAML } from '../fixtures/tools-model.js';

let harness: Harness;
beforeAll(async () => {
  harness = await startHarness({
    // The tool instructions alone are ~450 tokens of the byte-level vocabulary: give replies room.
    files: { 'tiny-tools.yaml': TOOLS_MODEL_YAML },
  });
});
afterAll(async () => harness?.close());

defineResponsesConformance('sidecar', () => sidecarTarget(harness, 'tiny-tools'));
