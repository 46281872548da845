// The tools, grammar and JSON-output conformance cases against a real sidecar (node-llama-cpp).
import { afterAll, beforeAll } from 'vitest';
import type { ConformanceTarget } from '../conformance/conformance-target.js';
import { defineToolsConformance } from '../conformance/tools-cases.js';
import { startHarness, type Harness } from './harness.js';

let harness: Harness;
beforeAll(async () => {
  harness = await startHarness({
    // The tool instructions alone are ~450 tokens of the byte-level vocabulary: give replies room.
    files: { 'tiny-tools.yaml': 'name: tiny-tools\nparameters:\n  model: tiny.gguf\ncontext_size: 2048\n' },
  });
});
afterAll(async () => harness?.close());

defineToolsConformance('sidecar', (): ConformanceTarget => ({
  client: harness.client,
  rawFetch: (route, init) => fetch(`${harness.baseURL}${route}`, { ...init, signal: AbortSignal.timeout(60_000) }),
  model: 'tiny-tools',
}));
