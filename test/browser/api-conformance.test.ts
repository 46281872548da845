// The shared conformance cases against the in-browser shim: a Node-side `openai` client whose fetch
// is performed by the page (plain fetch to /v1, answered by msw in the service worker calling the
// shared router and the wllama worker engine).
import OpenAI from 'openai';
import { afterAll, beforeAll } from 'vitest';
import { defineApiConformance } from '../conformance/api-cases.js';
import type { ConformanceTarget } from '../conformance/conformance-target.js';
import { ensureTestModels } from '../fixtures/test-models.js';
import { openApp, type AppPage } from './app-page.js';
import { startStaticServer, type StaticServer } from './static-server.js';

let server: StaticServer;
let app: AppPage;
let client: OpenAI;

beforeAll(async () => {
  const models = await ensureTestModels();
  server = await startStaticServer();
  // The same generated model as the sidecar's conformance run, as a loose file (so embeddings work).
  server.addFile('/fixtures/tiny.gguf', models.tinyQ8_0);
  app = await openApp(server.url);
  await app.waitReady();
  await app.run(`await hearthPage.hearth.library.addFromUrl(location.origin + '/fixtures/tiny.gguf');`);
  client = new OpenAI({ baseURL: `${server.url}/v1`, apiKey: 'local', fetch: app.pageFetch, maxRetries: 0, timeout: 60_000 });
});
afterAll(async () => {
  await app?.close();
  await server?.close();
});

defineApiConformance('browser shim', (): ConformanceTarget => ({
  client,
  rawFetch: (route, init) => app.pageFetch(`${server.url}/v1${route}`, init),
  model: 'tiny.gguf',
}));
