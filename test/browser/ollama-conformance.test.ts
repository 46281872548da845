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
import { tinySpec } from '../fixtures/gguf/llama-model-spec.js';
import { writeRandomLlama } from '../fixtures/gguf/write-random-llama.js';
import { addModelByUrl, shimClient, shimTarget, useServedApp } from './served-app.js';
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
  // llama-server (inside wllama) caps a slot's context at the model's training context, so the
  // tools model (context_size 2048) needs the tiny weights with a 2048-token training context.
  const modelPath = path.join(folder, 'tiny-2k.gguf');
  await writeRandomLlama(modelPath, { ...tinySpec('Q8_0'), contextLength: 2048 });
  served.server.addFile('/fixtures/tiny.gguf', modelPath);
  await addModelByUrl(served, '/fixtures/tiny.gguf');
  await served.app.run(`
    const root = await navigator.storage.getDirectory();
    const folder = await root.getDirectoryHandle("models", { create: true });
    const handle = await folder.getFileHandle('tiny-tools.yaml', { create: true });
    const writable = await handle.createWritable();
    await writable.write(${JSON.stringify(OLLAMA_TOOLS_YAML)});
    await writable.close();`);
  client = shimClient(served, 120_000);
});

defineOllamaConformance('browser shim', () => shimTarget(served, client, 'tiny.gguf'), () => 'tiny-tools');
defineOllamaPullConformance('browser shim', () => shimTarget(served, client, 'tiny.gguf'), () => {
  if (loaded === undefined) throw new Error('the hub stand-in starts in beforeAll');
  return loaded;
});
