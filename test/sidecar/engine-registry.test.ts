// The sidecar serves each model with the engine its config's backend names, from the engines the
// sidecar registered; a backend it lacks is a 400 that lists what it has.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ECHO_ENGINE } from '../fixtures/echo-engine.js';
import { startHarness, type Harness } from './harness.js';

const config = (name: string, backend: string): string => `name: ${name}\nbackend: ${backend}\ncontext_size: 256\nparameters:\n  model: tiny.gguf\n  temperature: 0\n`;

describe('engine registry (sidecar)', () => {
  let harness: Harness;
  let root: string;
  beforeAll(async () => {
    harness = await startHarness({
      extraEngines: [ECHO_ENGINE],
      files: { 'echo.yaml': config('echo-model', 'echo'), 'llama.yaml': config('llama-model', 'llama'), 'exl2.yaml': config('exl2-model', 'exllama2') },
    });
    root = harness.baseURL.replace(/\/v1$/, '');
  }, 60_000);
  afterAll(() => harness?.close());

  it('a second registered engine is chosen by its backend name', async () => {
    const reply = await harness.client.chat.completions.create({ model: 'echo-model', messages: [{ role: 'user', content: 'hello there' }] });
    expect(reply.choices[0]?.message.content).toBe('echo: hello there');
  });

  it('a LocalAI alias (backend: llama) runs llama.cpp, and /readyz says which engine and device serve each model', async () => {
    const reply = await harness.client.completions.create({ model: 'llama-model', prompt: 'abc', max_tokens: 2 });
    expect(reply.usage?.completion_tokens).toBeGreaterThan(0);
    const ready = (await (await fetch(`${root}/readyz`)).json()) as { models: Array<{ name: string; backend: string; device: string }> };
    expect(ready.models).toEqual(
      expect.arrayContaining([
        { name: 'echo-model', backend: 'echo', device: 'nothing' },
        { name: 'llama-model', backend: 'llama-cpp', device: 'cpu, 1 thread' },
      ]),
    );
  });

  it("a backend the sidecar lacks is a 400 listing the sidecar's backends", async () => {
    const error = await harness.client.chat.completions.create({ model: 'exl2-model', messages: [{ role: 'user', content: 'x' }] }).catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 400, error: { code: 'unsupported_backend', param: 'model', type: 'invalid_request_error' } });
    expect((error as Error).message).toContain('Model "exl2-model" uses backend "exllama2", which this sidecar does not have. Backends here: llama-cpp (also llama, llama-ggml, rwkv, autogptq), echo.');
  });
});
