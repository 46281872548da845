// The request-field and small-route cases against the in-browser shim (wllama in a worker, real
// headless Chromium), with the same generated model as the sidecar's run.
import OpenAI from 'openai';
import { defineFieldConformance } from '../conformance/fields-cases.js';
import { ensureTestModels } from '../fixtures/test-models.js';
import { addModelByUrl, shimClient, shimTarget, useServedApp } from './served-app.js';

let client: OpenAI;
const served = useServedApp(async (served) => {
  served.server.addFile('/fixtures/tiny.gguf', (await ensureTestModels()).tinyQ8_0);
  await addModelByUrl(served, '/fixtures/tiny.gguf');
  client = shimClient(served);
});

// wllama 3 runs llama-server's samplers (typical_p and mirostat too) but has no tokenizer API.
defineFieldConformance('browser shim', () => shimTarget(served, client, 'tiny.gguf'), { typicalAndMirostat: true, tokenizer: false });
