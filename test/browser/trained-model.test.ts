// The trained built-in model as the app bundles it, in headless Chromium: the official `openai`
// client's requests are made by the page and answered by the shim, the shared router and wllama.
import OpenAI from 'openai';
import { afterAll, beforeAll } from 'vitest';
import { defineTrainedModelCases } from '../conformance/trained-model-cases.js';
import { openApp, type AppPage } from './app-page.js';
import { startStaticServer, type StaticServer } from './static-server.js';

let server: StaticServer;
let app: AppPage;
let client: OpenAI;
beforeAll(async () => {
  server = await startStaticServer();
  app = await openApp(server.url);
  await app.waitReady();
  client = new OpenAI({ baseURL: `${server.url}/v1`, apiKey: 'local', fetch: app.pageFetch, maxRetries: 0, timeout: 60_000 });
});
afterAll(async () => {
  await app?.close();
  await server?.close();
});

defineTrainedModelCases('browser shim', () => client);
