// The shared Ollama conformance cases against the in-browser shim: the `ollama` client in Node
// whose fetches the page makes (answered by msw in the service worker, the shared router and
// the wllama worker engine). Pulls install from a gallery on the hub stand-in (another origin,
// with CORS) into the tab's storage, as the app's Galleries and hub URL settings say.
import { afterAll } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { defineOllamaConformance, defineOllamaPullConformance, OLLAMA_TOOLS_YAML } from '../conformance/ollama-cases.js';
import { GALLERY_INDEX, startLoadedHub, type LoadedHub } from '../fixtures/loaded-hub.js';
import { addToolsModel, shimClient, shimTarget, useServedApp } from './served-app.js';
import type OpenAI from 'openai';

let client: OpenAI;
let loaded: LoadedHub | undefined;
const folder = mkdtempSync(path.join(tmpdir(), 'hearth-ollama-'));
afterAll(async () => {
  rmSync(folder, { recursive: true, force: true });
  await loaded?.hub.close();
});

const served = useServedApp(async (served) => {
  // The settings a user makes in the Models panel (a hub URL, a gallery), read when the app starts.
  loaded = await startLoadedHub({ cors: true });
  await served.app.run(
    `localStorage.setItem('hearth.hubUrl', arg.hub); localStorage.setItem('hearth.galleries', JSON.stringify([{ name: 'hearth', url: arg.gallery }]));`,
    { hub: loaded.hub.url, gallery: `huggingface://${GALLERY_INDEX}` },
  );
  await served.app.page.reload();
  await served.app.waitReady();
  await addToolsModel(served, folder, OLLAMA_TOOLS_YAML);
  client = shimClient(served, 120_000);
});

defineOllamaConformance('browser shim', () => shimTarget(served, client, 'tiny.gguf'), () => 'tiny-tools');
defineOllamaPullConformance('browser shim', () => shimTarget(served, client, 'tiny.gguf'), () => {
  if (loaded === undefined) throw new Error('the hub stand-in starts in beforeAll');
  return loaded;
});
