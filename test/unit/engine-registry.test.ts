import { describe, expect, it } from 'vitest';
import { EngineRegistry } from '../../shared/engine/engine-registry.js';
import { createEchoEngine } from '../fixtures/echo-engine.js';

describe('EngineRegistry', () => {
  const registry = new EngineRegistry('browser tab', [{ backend: 'wllama', aliases: ['llama-cpp', 'llama'], create: createEchoEngine }]);

  it('finds an engine by its name or an alias', () => {
    expect(['wllama', 'llama-cpp', 'llama'].map((name) => registry.has(name))).toEqual([true, true, true]);
    expect(registry.entryFor('llama', 'm').backend).toBe('wllama');
  });

  it("refuses a backend it lacks with a 400 naming the model, the surface and the surface's backends", () => {
    expect(() => registry.entryFor('exllama', 'm')).toThrow(
      expect.objectContaining({
        status: 400,
        code: 'unsupported_backend',
        param: 'model',
        message: 'Model "m" uses backend "exllama", which this browser tab does not have. Backends here: wllama (also llama-cpp, llama).',
      }),
    );
  });

  it('says why a refused backend cannot run and what to use instead', () => {
    const refused = { exllama2: 'EXL2 checkpoints need ExLlamaV2 (Python and CUDA). Use a GGUF of the same model.' };
    const sidecar = new EngineRegistry('sidecar', [{ backend: 'llama-cpp', create: createEchoEngine }], refused);
    expect(() => sidecar.entryFor('exllama2', 'exl2-model')).toThrow(
      expect.objectContaining({ status: 400, code: 'unsupported_backend', message: expect.stringMatching(/backend "exllama2".*ExLlamaV2.*Use a GGUF of the same model/) }),
    );
  });

  it('refuses two engines under one name', () => {
    expect(() => new EngineRegistry('x', [{ backend: 'a', create: createEchoEngine }, { backend: 'b', aliases: ['a'], create: createEchoEngine }])).toThrow(/"a"/);
  });
});
