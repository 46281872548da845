// Which comes first: an installed name, the Hugging Face auto-installer, or the single-model rule.
import { EngineRegistry } from '../../shared/engine/engine-registry.js';
import { describe, expect, it } from 'vitest';
import type { ApiContext } from '../../shared/http/api-context.js';
import { selectModel } from '../../shared/http/select-model.js';
import type { Engine } from '../../shared/engine/engine.js';
import type { AutoInstaller } from '../../shared/galleries/auto-installer.js';
import { parseHuggingFaceModelName } from '../../shared/galleries/hf-model-name.js';
import { ModelManager } from '../../shared/models/model-manager.js';
import { MemoryModelFiles } from '../fixtures/memory-model-files.js';

// Stand-in engine: these tests check which model is chosen; the models are 4-byte placeholders a
// real engine could not load (engines are tested with real models in test/sidecar).
const fakeEngine = { load: async () => undefined, dispose: async () => undefined } as unknown as Engine;

function context(withInstaller: boolean) {
  const files = new MemoryModelFiles();
  files.files.set('only.gguf', new Uint8Array(4));
  const installed: string[] = [];
  const autoInstaller: AutoInstaller = {
    canInstall: (model) => parseHuggingFaceModelName(model) !== undefined,
    async install(model) {
      installed.push(model);
      const file = parseHuggingFaceModelName(model)?.fileName ?? '';
      files.files.set(file, new Uint8Array(4));
      files.files.set(`${file}.yaml`, new TextEncoder().encode(`name: ${model}\nparameters:\n  model: ${file}\n`));
    },
  };
  const api: ApiContext = {
    store: files,
    models: new ModelManager(files, new EngineRegistry('test', [{ backend: 'llama-cpp', create: () => fakeEngine }])),
    owner: 'test',
    log: () => undefined,
    now: () => 0,
    ...(withInstaller ? { autoInstaller } : {}),
  };
  return { api, installed };
}

const request = new Request('http://x/v1/chat/completions');

describe('model selection with an auto-installer', () => {
  it('a plain unknown name still gets the single installed model (seed curl examples)', async () => {
    const { api, installed } = context(true);
    const selected = await selectModel(api, request, 'ggml-koala-7b-model-q4_0-r2.bin', true);
    expect(selected.entry.name).toBe('only.gguf');
    expect(installed).toEqual([]);
  });

  it('owner/repo/file is installed and served before the single-model fallback', async () => {
    const { api, installed } = context(true);
    const selected = await selectModel(api, request, 'TheBloke/X-GGUF/x.gguf', true);
    expect(installed).toEqual(['TheBloke/X-GGUF/x.gguf']);
    expect(selected.entry.name).toBe('TheBloke/X-GGUF/x.gguf');
    expect(selected.responseName).toBe('TheBloke/X-GGUF/x.gguf');
    selected.slot.release();
    // Installed now: the next request finds it by name without installing again.
    await selectModel(api, request, 'TheBloke/X-GGUF/x.gguf', true);
    expect(installed).toHaveLength(1);
  });

  it('without an installer (--no-auto-download), owner/repo/file falls back as any unknown name', async () => {
    const { api } = context(false);
    expect((await selectModel(api, request, 'TheBloke/X-GGUF/x.gguf', true)).entry.name).toBe('only.gguf');
  });
});
