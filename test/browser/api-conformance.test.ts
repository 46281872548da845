// The shared conformance cases against the in-browser shim: a Node-side `openai` client whose fetch
// is performed by the page (plain fetch to /v1, answered by msw in the service worker calling the
// shared router and the wllama worker engine).
import OpenAI from 'openai';
import { defineApiConformance } from '../conformance/api-cases.js';
import { ensureTestModels } from '../fixtures/test-models.js';
import { addModelByUrl, shimClient, shimTarget, useServedApp } from './served-app.js';

let client: OpenAI;
const served = useServedApp(async (served) => {
  // The same generated model as the sidecar's conformance run, as a loose file (so embeddings work).
  served.server.addFile('/fixtures/tiny.gguf', (await ensureTestModels()).tinyQ8_0);
  await addModelByUrl(served, '/fixtures/tiny.gguf');
  client = shimClient(served);
});

defineApiConformance('browser shim', () => shimTarget(served, client, 'tiny.gguf'));
