// The Responses API conformance cases against the in-browser shim (wllama in the worker, the same
// shared router and generation path as the sidecar).
import type OpenAI from 'openai';
import { afterAll } from 'vitest';
import { defineResponsesConformance } from '../conformance/responses-cases.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { tinySpec } from '../fixtures/gguf/llama-model-spec.js';
import { writeRandomLlama } from '../fixtures/gguf/write-random-llama.js';
import { addModelByUrl, shimClient, shimTarget, useServedApp } from './served-app.js';

let client: OpenAI;

// As in tools-conformance.test.ts: the tool instructions need a 2048-token context, and llama-server
// (inside wllama) caps a slot's context at the model's training context.
const TOOLS_YAML = 'name: tiny-tools\\nparameters:\\n  model: tiny.gguf\\ncontext_size: 2048\\n';

const folder = mkdtempSync(path.join(tmpdir(), 'hearth-responses-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

const served = useServedApp(async (served) => {
  const modelPath = path.join(folder, 'tiny-2k.gguf');
  await writeRandomLlama(modelPath, { ...tinySpec('Q8_0'), contextLength: 2048 });
  served.server.addFile('/fixtures/tiny.gguf', modelPath);
  await addModelByUrl(served, '/fixtures/tiny.gguf');
  await served.app.run(`
    const root = await navigator.storage.getDirectory();
    const folder = await root.getDirectoryHandle("models", { create: true });
    const handle = await folder.getFileHandle('tiny-tools.yaml', { create: true });
    const writable = await handle.createWritable();
    await writable.write("${TOOLS_YAML}");
    await writable.close();`);
  client = shimClient(served, 120_000);
});

defineResponsesConformance('browser shim', () => shimTarget(served, client, 'tiny-tools'));
