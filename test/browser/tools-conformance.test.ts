// The tools, grammar and JSON-output conformance cases against the in-browser shim (wllama in the
// worker, constrained by the same GBNF the shared core builds for the sidecar).
import type OpenAI from 'openai';
import { afterAll } from 'vitest';
import { defineToolsConformance } from '../conformance/tools-cases.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { tinySpec } from '../fixtures/gguf/llama-model-spec.js';
import { writeRandomLlama } from '../fixtures/gguf/write-random-llama.js';
import { addModelByUrl, shimClient, shimTarget, useServedApp } from './served-app.js';

let client: OpenAI;

// The tool instructions alone are ~450 tokens of the byte-level vocabulary: give replies room, as the
// sidecar's run does with the same YAML. llama-server (inside wllama) caps a slot's context at the
// model's training context, so this run uses the tiny model's weights with a 2048-token training context.
const TOOLS_YAML = 'name: tiny-tools\\nparameters:\\n  model: tiny.gguf\\ncontext_size: 2048\\n';

const folder = mkdtempSync(path.join(tmpdir(), 'hearth-tools-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

const served = useServedApp(async (served) => {
  const modelPath = path.join(folder, 'tiny-2k.gguf');
  await writeRandomLlama(modelPath, { ...tinySpec('Q8_0'), contextLength: 2048 });
  served.server.addFile('/fixtures/tiny.gguf', modelPath);
  await addModelByUrl(served, '/fixtures/tiny.gguf');
  // A LocalAI YAML config next to the model in browser storage, written as the app stores files.
  await served.app.run(`
    const root = await navigator.storage.getDirectory();
    const folder = await root.getDirectoryHandle("models", { create: true });
    const handle = await folder.getFileHandle('tiny-tools.yaml', { create: true });
    const writable = await handle.createWritable();
    await writable.write("${TOOLS_YAML}");
    await writable.close();`);
  client = shimClient(served, 120_000);
});

defineToolsConformance('browser shim', () => shimTarget(served, client, 'tiny-tools'));
