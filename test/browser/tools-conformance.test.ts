// The tools, grammar and JSON-output conformance cases against the in-browser shim (wllama in the
// worker, constrained by the same GBNF the shared core builds for the sidecar).
import OpenAI from 'openai';
import { afterAll, beforeAll } from 'vitest';
import type { ConformanceTarget } from '../conformance/conformance-target.js';
import { defineToolsConformance } from '../conformance/tools-cases.js';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { tinySpec } from '../fixtures/gguf/llama-model-spec.js';
import { writeRandomLlama } from '../fixtures/gguf/write-random-llama.js';
import { openApp, type AppPage } from './app-page.js';
import { startStaticServer, type StaticServer } from './static-server.js';

let server: StaticServer;
let app: AppPage;
let client: OpenAI;

// The tool instructions alone are ~450 tokens of the byte-level vocabulary: give replies room, as the
// sidecar's run does with the same YAML. llama-server (inside wllama) caps a slot's context at the
// model's training context, so this run uses the tiny model's weights with a 2048-token training context.
const TOOLS_YAML = 'name: tiny-tools\\nparameters:\\n  model: tiny.gguf\\ncontext_size: 2048\\n';

beforeAll(async () => {
  const modelPath = path.join(mkdtempSync(path.join(tmpdir(), 'hearth-tools-')), 'tiny-2k.gguf');
  await writeRandomLlama(modelPath, { ...tinySpec('Q8_0'), contextLength: 2048 });
  server = await startStaticServer();
  server.addFile('/fixtures/tiny.gguf', modelPath);
  app = await openApp(server.url);
  await app.waitReady();
  await app.run(`await hearthPage.hearth.library.addFromUrl(location.origin + '/fixtures/tiny.gguf');`);
  // A LocalAI YAML config next to the model in browser storage, written as the app stores files.
  await app.run(`
    const root = await navigator.storage.getDirectory();
    const folder = await root.getDirectoryHandle("models", { create: true });
    const handle = await folder.getFileHandle('tiny-tools.yaml', { create: true });
    const writable = await handle.createWritable();
    await writable.write("${TOOLS_YAML}");
    await writable.close();`);
  client = new OpenAI({ baseURL: `${server.url}/v1`, apiKey: 'local', fetch: app.pageFetch, maxRetries: 0, timeout: 120_000 });
});
afterAll(async () => {
  await app?.close();
  await server?.close();
});

defineToolsConformance('browser shim', (): ConformanceTarget => ({
  client,
  rawFetch: (route, init) => app.pageFetch(`${server.url}/v1${route}`, init),
  model: 'tiny-tools',
}));
