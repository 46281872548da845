// LocalAI's model selection rules against a real models folder.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import OpenAI from 'openai';
import { BAN_HIGH_BYTES, post, startHarness, type Harness } from './harness.js';

const ask = { messages: [{ role: 'user' as const, content: 'hi' }], max_tokens: 2, temperature: 0, logit_bias: BAN_HIGH_BYTES };

describe('model resolution with several models', () => {
  let harness: Harness;
  beforeAll(async () => {
    harness = await startHarness({
      models: { 'alpha.gguf': 'tinyQ8_0', 'beta.gguf': 'tinyF32' },
      files: { 'named.yaml': 'name: gpt-4\nparameters:\n  model: beta.gguf\n' },
    });
  });
  afterAll(async () => harness?.close());

  it('lists configs by name and loose files not referenced by a config', async () => {
    const ids = (await harness.client.models.list()).data.map((m) => m.id).sort();
    expect(ids).toEqual(['alpha.gguf', 'gpt-4']);
  });

  it('serves a config by name and a loose file by file name, echoing the requested name', async () => {
    const byConfig = await harness.client.chat.completions.create({ model: 'gpt-4', ...ask });
    expect(byConfig.model).toBe('gpt-4');
    const byFile = await harness.client.chat.completions.create({ model: 'alpha.gguf', ...ask });
    expect(byFile.model).toBe('alpha.gguf');
  });

  it('an unknown model is a 404 naming the available models', async () => {
    const error = await harness.client.chat.completions.create({ model: 'gpt-17', ...ask }).catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 404, error: { type: 'not_found_error', param: 'model' } });
    expect((error as Error).message).toMatch(/alpha\.gguf/);
    expect((error as Error).message).toMatch(/gpt-4/);
  });

  it('without a model in the body, a Bearer token naming a model selects it', async () => {
    const response = await post(harness.baseURL, '/chat/completions', ask, { authorization: 'Bearer gpt-4' });
    expect(response.status).toBe(200);
    expect(((await response.json()) as { model: string }).model).toBe('gpt-4');
  });

  it('without any model hint, the first model serves (as in LocalAI)', async () => {
    const response = await post(harness.baseURL, '/chat/completions', ask);
    expect(response.status).toBe(200);
    expect(((await response.json()) as { model: string }).model).toBe('alpha.gguf');
  });

  it('routes work without the /v1 prefix', async () => {
    const root = harness.baseURL.replace(/\/v1$/, '');
    const client = new OpenAI({ baseURL: root, apiKey: 'x', maxRetries: 0 });
    expect((await client.models.list()).data.length).toBe(2);
    const reply = await client.chat.completions.create({ model: 'gpt-4', ...ask });
    expect(reply.object).toBe('chat.completion');
  });

  it('a model file added while running is served without a restart', async () => {
    const { copyFileSync } = await import('node:fs');
    const path = await import('node:path');
    copyFileSync(path.join(harness.modelsDir, 'alpha.gguf'), path.join(harness.modelsDir, 'gamma.gguf'));
    const ids = (await harness.client.models.list()).data.map((m) => m.id);
    expect(ids).toContain('gamma.gguf');
  });
});

describe('model resolution with one model', () => {
  let harness: Harness;
  beforeAll(async () => {
    harness = await startHarness({ models: { 'only.gguf': 'tinyQ8_0' } });
  });
  afterAll(async () => harness?.close());

  it('serves every request whatever model it names', async () => {
    const reply = await harness.client.chat.completions.create({ model: 'ggml-koala-7b-model-q4_0-r2.bin', ...ask });
    expect(reply.choices).toHaveLength(1);
  });
});
