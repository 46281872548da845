// Which loaded engines an unload releases. Stand-in engines: this is bookkeeping of names and
// files (engines are loaded for real in test/sidecar); they only record that they were disposed.
import { describe, expect, it } from 'vitest';
import type { Engine, ModelLoadSpec } from '../../shared/engine/engine.js';
import { EngineRegistry } from '../../shared/engine/engine-registry.js';
import { looseModelConfig } from '../../shared/models/model-catalog.js';
import type { ModelConfig } from '../../shared/models/model-config.js';
import { ModelManager } from '../../shared/models/model-manager.js';
import { MemoryModelFiles } from '../fixtures/memory-model-files.js';

function setup(defaults: ConstructorParameters<typeof ModelManager>[2] = {}) {
  const files = new MemoryModelFiles();
  for (const file of ['w.gguf', 'other.gguf']) files.files.set(file, new Uint8Array(4));
  const disposed: string[] = [];
  let loads = 0;
  const events: string[] = [];
  const create = (): Engine => {
    const id = `engine${++loads}`;
    return {
      load: async () => void events.push(`load ${id}`),
      dispose: async () => {
        await Promise.resolve();
        disposed.push(id);
        events.push(`disposed ${id}`);
      },
      describe: () => ({ backend: 'test', device: 'none', threads: 0 }),
    } as unknown as Engine;
  };
  const models = new ModelManager(files, new EngineRegistry('test', [{ backend: 'llama-cpp', create }]), defaults);
  return { models, disposed, events };
}

const config = (name: string, file: string): ModelConfig => ({ ...looseModelConfig(file), name });

describe('ModelManager.unload', () => {
  it('by model name releases that engine only', async () => {
    const { models, disposed } = setup();
    await models.engineFor(config('a', 'w.gguf'));
    await models.engineFor(config('b', 'w.gguf'));
    await models.unload('a');
    expect(disposed).toEqual(['engine1']);
    expect([models.isLoaded('a'), models.isLoaded('b')]).toEqual([false, true]);
  });

  it('by file releases every engine loaded from it: configs that use it and the file asked for by name', async () => {
    const { models, disposed } = setup();
    await models.engineFor(config('a', 'w.gguf'));
    await models.engineFor(looseModelConfig('w.gguf'));
    await models.engineFor(config('c', 'other.gguf'));
    await models.unload('w.gguf');
    expect(disposed.sort()).toEqual(['engine1', 'engine2']);
    expect([models.isLoaded('a'), models.isLoaded('w.gguf'), models.isLoaded('c')]).toEqual([false, false, true]);
  });
});

describe('ModelManager.isLoading', () => {
  it('is true, by model name or by the file its config names, only until the load has finished', async () => {
    const { models } = setup();
    const loading = models.engineFor(config('a', 'w.gguf'));
    expect([models.isLoading('a'), models.isLoading('w.gguf'), models.isLoading('other.gguf')]).toEqual([true, true, false]);
    await loading;
    expect([models.isLoading('a'), models.isLoading('w.gguf'), models.isLoaded('a')]).toEqual([false, false, true]);
  });
});

describe('ModelManager lifecycle', () => {
  it("keep_alive 0 (unloadWhenIdle) leaves a model that another request is using", async () => {
    const { models, disposed } = setup({ parallel: 2 });
    const a = config('a', 'w.gguf');
    const other = await models.admit(a);
    await models.engineFor(a);
    await models.unloadWhenIdle('a', 'keep_alive 0');
    expect([models.isLoaded('a'), disposed]).toEqual([true, []]);
    other.release();
    await models.unloadWhenIdle('a', 'keep_alive 0');
    expect([models.isLoaded('a'), disposed]).toEqual([false, ['engine1']]);
  });

  it('--max-loaded-models frees the evicted model before the next one loads', async () => {
    const { models, events } = setup({ maxLoadedModels: 1 });
    await models.engineFor(config('a', 'w.gguf'));
    await models.engineFor(config('b', 'other.gguf'));
    expect(events).toEqual(['load engine1', 'disposed engine1', 'load engine2']);
    expect(models.loadedModels().map((model) => model.name)).toEqual(['b']);
  });
});

describe('ModelManager: files beside a model (ModelLoadSpec.companions, the tab)', () => {
  /** A store that locates companions as the tab's does; the engine records the spec it was given. */
  function withCompanions(stored: string[]) {
    const files = new MemoryModelFiles();
    for (const file of stored) files.files.set(file, new Uint8Array(4));
    const store = Object.assign(files, {
      locateCompanions: async (names: readonly string[]) =>
        Object.fromEntries(names.filter((name) => files.files.has(name)).map((name) => [name, { source: `blob:${name}`, stamp: '4:0' }])),
    });
    const specs: ModelLoadSpec[] = [];
    const create = (): Engine => ({ load: async (spec: ModelLoadSpec) => void specs.push(spec), dispose: async () => undefined, describe: () => ({ backend: 'test', device: 'none', threads: 0 }) }) as unknown as Engine;
    return { models: new ModelManager(store, new EngineRegistry('test', [{ backend: 'llama-cpp', create }])), specs };
  }

  it("hands over an rwkv.cpp model's tokenizer candidates that are stored, and nothing for GGUF files", async () => {
    const { models, specs } = withCompanions(['world.bin', 'w.gguf', 'rwkv_vocab_v20230424.txt', 'world.bin.tokenizer.json', 'other.bin.tokenizer.txt']);
    await models.engineFor(looseModelConfig('world.bin'));
    await models.engineFor(looseModelConfig('w.gguf'));
    expect(Object.keys(specs[0]?.companions ?? {}).sort()).toEqual(['rwkv_vocab_v20230424.txt', 'world.bin.tokenizer.json']);
    expect(specs[0]?.companions?.['rwkv_vocab_v20230424.txt']).toEqual({ source: 'blob:rwkv_vocab_v20230424.txt', stamp: '4:0' });
    expect(specs[1]).not.toHaveProperty('companions');
  });

  it('leaves the spec unchanged when none is stored', async () => {
    const { models, specs } = withCompanions(['world.bin']);
    await models.engineFor(looseModelConfig('world.bin'));
    expect(specs[0]).not.toHaveProperty('companions');
  });
});
