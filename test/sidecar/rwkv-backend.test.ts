// `backend: rwkv` on the sidecar with rwkv.cpp's own test models (rwkv.cpp's tests/, MIT): converted
// to llama.cpp's rwkv7 (v7) and rwkv6 (v5.2) architectures, serving completions and chat, and
// computing what rwkv.cpp computes: after the tokens '"', 'i', 'n' the next-token log-probabilities
// from llama.cpp equal those of rwkv.cpp's expected-logits files within 1e-4 (FP32) and 2e-3 (FP16,
// where rwkv.cpp's own FP16 run differs from its FP32 expectation by as much).
import { copyFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { getLlama, type Llama, type Token } from 'node-llama-cpp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { convertedPath } from '../../sidecar/convert/ensure-gguf.js';
import { post, startHarness, type Harness } from './harness.js';
import { haveRwkvFixtures, RWKV_FIXTURES } from '../fixtures/rwkv-fixtures.js';
import { buildRwkvWorldModel, WORLD_VOCAB_FILE } from '../fixtures/rwkv-world-model.js';

// rwkv.cpp's test models (~14 MB) are not committed; the team keeps them in a shared folder.

const MODELS = [
  { name: 'rwkv7', file: 'tiny-rwkv-7v0-834K-FP32.bin', expected: 'expected-logits-7v0-834K.bin', tolerance: 1e-4 },
  { name: 'rwkv7-f16', file: 'tiny-rwkv-7v0-834K-FP16.bin', expected: 'expected-logits-7v0-834K.bin', tolerance: 2e-3 },
  { name: 'rwkv5', file: 'tiny-rwkv-5v2-730K-FP32.bin', expected: 'expected-logits-5v2-730K.bin', tolerance: 1e-4 },
] as const;

const config = (name: string, file: string): string => `name: ${name}\nbackend: rwkv\nparameters:\n  model: ${file}\n  temperature: 0\n`;

/** log-softmax of raw logits. */
function logSoftmax(logits: readonly number[]): number[] {
  const max = Math.max(...logits);
  const lse = max + Math.log(logits.reduce((sum, v) => sum + Math.exp(v - max), 0));
  return logits.map((v) => v - lse);
}

describe.skipIf(!haveRwkvFixtures())('rwkv backend (sidecar)', () => {
  let harness: Harness;
  let llama: Llama;

  beforeAll(async () => {
    const files: Record<string, string> = {
      'old.yaml': config('rwkv4', 'tiny-rwkv-4v0-660K-FP32.bin'),
      'raven.yaml': config('raven', 'raven.bin'),
      // LocalAI's pairing of an RWKV model with a GPT-NeoX tokenizer.
      'raven.bin.tokenizer.json': '{"version":"1.0","model":{"type":"BPE","vocab":{},"merges":[]}}',
    };
    for (const m of MODELS) files[`${m.name}.yaml`] = config(m.name, m.file);
    // A World model (n_vocab 65536) with its own vocabulary beside it, and one without any: the
    // shared rwkv_vocab_v20230424.txt name would also be found for raven.bin, which must stay paired.
    files['world.yaml'] = config('world', 'rwkv-world.bin');
    files['world-bare.yaml'] = config('world-bare', 'rwkv-world-bare.bin');
    harness = await startHarness({ files });
    for (const file of [...MODELS.map((m) => m.file), 'tiny-rwkv-4v0-660K-FP32.bin']) copyFileSync(path.join(RWKV_FIXTURES, file), path.join(harness.modelsDir, file));
    // A World-sized model (n_vocab 65536 in its header) paired with a 20B tokenizer.
    const raven = Buffer.from(readFileSync(path.join(RWKV_FIXTURES, 'tiny-rwkv-7v0-834K-FP32.bin')));
    raven.writeUInt32LE(65536, 8);
    writeFileSync(path.join(harness.modelsDir, 'raven.bin'), raven);
    const world = buildRwkvWorldModel();
    writeFileSync(path.join(harness.modelsDir, 'rwkv-world.bin'), world);
    writeFileSync(path.join(harness.modelsDir, 'rwkv-world-bare.bin'), world);
    copyFileSync(WORLD_VOCAB_FILE, path.join(harness.modelsDir, 'rwkv-world.bin.tokenizer.txt'));
    llama = await getLlama({ gpu: false });
  }, 120_000);

  afterAll(async () => {
    await harness?.close();
  });

  it.each(MODELS)('$name ($file) answers completions and chat', async ({ name }) => {
    const completion = await harness.client.completions.create({ model: name, prompt: 'The quick brown', max_tokens: 8 });
    expect(completion.usage?.completion_tokens).toBeGreaterThan(0);
    const chat = await harness.client.chat.completions.create({ model: name, messages: [{ role: 'user', content: 'Hi' }], max_tokens: 4 });
    expect(chat.usage?.completion_tokens).toBeGreaterThan(0);
  }, 120_000);

  it.each(MODELS)("$name: llama.cpp's next-token log-probabilities match rwkv.cpp's expected logits", async ({ file, expected, tolerance }) => {
    const gguf = convertedPath(path.join(harness.modelsDir, file));
    const model = await llama.loadModel({ modelPath: gguf });
    const context = await model.createContext({ contextSize: 64 });
    try {
      const input = [0x22, 0x69, [0x6e, { generateNext: { probabilities: true } }]] as unknown as Parameters<ReturnType<typeof context.getSequence>['controlledEvaluate']>[0];
      const result = await context.getSequence().controlledEvaluate(input);
      const probabilities = (result[2] as { next?: { probabilities?: Map<Token, number> } } | undefined)?.next?.probabilities;
      expect(probabilities?.size).toBe(256);
      const raw = readFileSync(path.join(RWKV_FIXTURES, expected));
      const want = logSoftmax(Array.from(new Float32Array(raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.length))));
      let worst = 0;
      for (let token = 0; token < 256; token++) {
        const p = probabilities?.get(token as Token) ?? 0;
        // Below 1e-6 llama.cpp's float32 softmax has too few digits left to compare.
        if (p > 1e-6) worst = Math.max(worst, Math.abs(Math.log(p) - (want[token] ?? 0)));
      }
      expect(worst).toBeLessThan(tolerance);
      const top = (xs: number[]): number => xs.indexOf(Math.max(...xs));
      expect(top(Array.from({ length: 256 }, (_, t) => probabilities?.get(t as Token) ?? 0))).toBe(top(want));
    } finally {
      await context.dispose();
      await model.dispose();
    }
  }, 120_000);

  it('a World model (n_vocab 65536) with the RWKV World vocabulary beside it answers chat and completions', async () => {
    const completion = await harness.client.completions.create({ model: 'world', prompt: 'Hello world', max_tokens: 8 });
    expect(completion.usage?.completion_tokens).toBeGreaterThan(0);
    expect(completion.usage?.prompt_tokens).toBe(2);
    const chat = await harness.client.chat.completions.create({ model: 'world', messages: [{ role: 'user', content: 'Hi' }], max_tokens: 4 });
    expect(chat.usage?.completion_tokens).toBeGreaterThan(0);
  }, 120_000);

  it("the World model tokenizes with the World vocabulary's ids (rwkv_vocab_v20230424.txt: 'Hello' 33155, ' world' 40213)", async () => {
    const response = await post(harness.baseURL, '/tokenize', { model: 'world', content: 'Hello world' });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ tokens: [33155, 40213] });
    const back = await post(harness.baseURL, '/detokenize', { model: 'world', tokens: [33155, 40213] });
    expect(((await back.json()) as { content: string }).content).toBe('Hello world');
  }, 60_000);

  it('a World model without the vocabulary beside it gets a 500 saying which file to put there', async () => {
    const response = await post(harness.baseURL, '/completions', { model: 'world-bare', prompt: 'Hi' });
    expect(response.status).toBe(500);
    const body = (await response.json()) as { error: { message: string; code: string } };
    expect(body.error.message).toMatch(/rwkv-world-bare\.bin .*65536 tokens, so it needs the RWKV World tokenizer: put rwkv_vocab_v20230424\.txt .* beside it, or name it as rwkv-world-bare\.bin\.tokenizer\.txt/);
    expect(body.error.code).toBe('unsupported_model_format');
  }, 60_000);

  it('a model paired with a 20B_tokenizer.json gets a 500 saying llama.cpp cannot use that tokenizer', async () => {
    const response = await post(harness.baseURL, '/completions', { model: 'raven', prompt: 'Hi' });
    expect(response.status).toBe(500);
    const body = (await response.json()) as { error: { message: string } };
    expect(body.error.message).toMatch(/raven\.bin .*raven\.bin\.tokenizer\.json, a Hugging Face \(GPT-NeoX "20B"\) tokenizer.*cannot run here/);
  }, 60_000);

  it('an RWKV v4 file gets a 500 saying llama.cpp cannot run v4 and what to use instead', async () => {
    const response = await post(harness.baseURL, '/completions', { model: 'rwkv4', prompt: 'Hi' });
    expect(response.status).toBe(500);
    const body = (await response.json()) as { error: { message: string; code: string } };
    expect(body.error.message).toMatch(/tiny-rwkv-4v0-660K-FP32\.bin .*RWKV v4 model\. llama\.cpp .* implements RWKV v6 and v7 only.*Use an RWKV v6 or v7 model as GGUF/);
    expect(body.error.code).toBe('unsupported_model_format');
  }, 60_000);
});
