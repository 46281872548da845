// `backend: llama-ggml` and loose legacy GGML files on the sidecar: converted to GGUF once, then
// served by llama.cpp. The independent check: the converted model and the GGUF written directly
// from the same seeded weights (test/fixtures/gguf) make the same greedy tokens from the same ids.
import { existsSync, readdirSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { getLlama, readGgufFileInfo, type Llama, type Token } from 'node-llama-cpp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { convertedPath, ensureGguf } from '../../sidecar/convert/ensure-gguf.js';
import { buildLlamaGgml } from '../fixtures/ggml/write-llama-ggml.js';
import { KOALA_YAML } from '../fixtures/ggml/koala-config.js';
import { tinySpec } from '../fixtures/gguf/llama-model-spec.js';
import { ensureTestModels } from '../fixtures/test-models.js';
import { post, startHarness, type Harness } from './harness.js';

const BROKEN_YAML = `name: broken
backend: llama-ggml
parameters:
  model: broken.ggmlv3.bin
`;
/** The converted vocabulary's <0xNN> byte tokens (ids 3-258) banned: random weights would pick partial UTF-8. */
const BAN_BYTE_TOKENS = Object.fromEntries(Array.from({ length: 256 }, (_, i) => [String(i + 3), -100]));
// A loose file has no YAML: one key/value head per head, LocalAI's defaults for the rest.
const LOOSE_SPEC = { ...tinySpec('Q4_0', 'loose'), headCountKv: 4 };

describe('llama-ggml backend (sidecar)', () => {
  let harness: Harness;
  let llama: Llama;

  beforeAll(async () => {
    harness = await startHarness({ files: { 'koala.yaml': KOALA_YAML, 'broken.yaml': BROKEN_YAML } });
    const dir = harness.modelsDir;
    writeFileSync(path.join(dir, 'ggml-koala-7b-model-q8_0-r2.bin'), buildLlamaGgml(tinySpec('Q8_0'), { magic: 'ggjt', version: 3, tensorType: 'Q8_0' }));
    writeFileSync(path.join(dir, 'old-ggjt-v1.q4_0.bin'), buildLlamaGgml(LOOSE_SPEC, { magic: 'ggjt', version: 1, tensorType: 'Q4_0' }));
    const whole = buildLlamaGgml(tinySpec('Q8_0'), { magic: 'ggjt', version: 3, tensorType: 'Q8_0' });
    writeFileSync(path.join(dir, 'broken.ggmlv3.bin'), whole.subarray(0, whole.length - 1000));
    llama = await getLlama({ gpu: false });
  }, 120_000);

  afterAll(async () => {
    await harness?.close();
  });

  it('a config with backend llama-ggml answers chat and completions', async () => {
    const chat = await harness.client.chat.completions.create({ model: 'koala', messages: [{ role: 'user', content: 'Hello' }], max_tokens: 6, logit_bias: BAN_BYTE_TOKENS });
    expect(chat.choices[0]?.message.content?.length).toBeGreaterThan(0);
    const completion = await harness.client.completions.create({ model: 'koala', prompt: 'Once upon a time', max_tokens: 6, logit_bias: BAN_BYTE_TOKENS });
    expect(completion.usage?.completion_tokens).toBeGreaterThan(0);
    expect(harness.log.join('\n')).toMatch(/Converting .*ggml-koala-7b-model-q8_0-r2\.bin \(llama-ggml\) to GGUF/);
  }, 120_000);

  it('a loose ggjt v1 file is converted instead of failing as "Invalid GGUF magic"', async () => {
    const completion = await harness.client.completions.create({ model: 'old-ggjt-v1.q4_0.bin', prompt: 'Hi', max_tokens: 4, logit_bias: BAN_BYTE_TOKENS });
    expect(completion.choices[0]?.text).toBeDefined();
    const models = await harness.client.models.list();
    const names = models.data.map((m) => m.id);
    expect(names).toContain('old-ggjt-v1.q4_0.bin');
    expect(names.some((n) => n.includes('.hearth-cache'))).toBe(false);
  }, 120_000);

  it('the converted GGUF has the reference converter metadata and makes the same greedy tokens as the direct GGUF', async () => {
    const converted = convertedPath(path.join(harness.modelsDir, 'ggml-koala-7b-model-q8_0-r2.bin'));
    const info = await readGgufFileInfo(converted);
    const meta = info.metadata as unknown as Record<string, Record<string, unknown>>;
    expect(meta.tokenizer?.ggml).toMatchObject({ model: 'llama', bos_token_id: 1, eos_token_id: 2 });
    expect(meta.llama).toMatchObject({ feed_forward_length: 192, context_length: 512, block_count: 2 });
    expect((meta.llama?.attention as Record<string, unknown>).head_count_kv).toBe(2);
    const direct = (await ensureTestModels()).tinyQ8_0;
    const greedy = async (file: string): Promise<number[]> => {
      const model = await llama.loadModel({ modelPath: file });
      const context = await model.createContext({ contextSize: 128 });
      const out: number[] = [];
      try {
        for await (const token of context.getSequence().evaluate([1, 300, 301, 302, 7] as Token[], { temperature: 0 })) {
          out.push(token);
          if (out.length === 12) break;
        }
      } finally {
        await context.dispose();
        await model.dispose();
      }
      return out;
    };
    const [a, b] = [await greedy(converted), await greedy(direct)];
    expect(a).toHaveLength(12);
    expect(a).toEqual(b);
  }, 120_000);

  it('re-uses the converted file while the source is unchanged, and converts again when it changes', async () => {
    const source = path.join(harness.modelsDir, 'ggml-koala-7b-model-q8_0-r2.bin');
    const settings = { rmsNormEps: 1e-5, ngqa: 2, contextSize: 512 };
    const before = statSync(convertedPath(source)).mtimeMs;
    expect((await ensureGguf(source, { settings })).converted).toBe(false);
    expect(statSync(convertedPath(source)).mtimeMs).toBe(before);
    const later = new Date(Date.now() + 5000);
    utimesSync(source, later, later);
    expect((await ensureGguf(source, { settings })).converted).toBe(true);
    expect((await ensureGguf(source, { settings: { ...settings, ngqa: 1 } })).converted).toBe(true);
  }, 60_000);

  it('reports conversion progress, rising to 1', async () => {
    const copy = path.join(harness.modelsDir, 'progress-copy.bin');
    writeFileSync(copy, buildLlamaGgml(tinySpec('F32'), { magic: 'ggjt', version: 3, tensorType: 'F32' }));
    const seen: number[] = [];
    expect((await ensureGguf(copy, { onProgress: (f) => seen.push(f) })).converted).toBe(true);
    expect(seen.length).toBeGreaterThan(10);
    expect(seen.at(-1)).toBe(1);
    expect(seen.every((f, i) => i === 0 || f >= (seen[i - 1] ?? 0))).toBe(true);
  }, 60_000);

  it('a truncated file gets a 500 naming the file and the reason, and leaves nothing half-written', async () => {
    const response = await post(harness.baseURL, '/chat/completions', { model: 'broken', messages: [{ role: 'user', content: 'Hi' }] });
    expect(response.status).toBe(500);
    const body = (await response.json()) as { error: { message: string; code: string } };
    expect(body.error.message).toMatch(/broken\.ggmlv3\.bin .*ends early/);
    expect(body.error.code).toBe('unsupported_model_format');
    const cache = path.join(harness.modelsDir, '.hearth-cache');
    expect(readdirSync(cache).filter((f) => f.includes('broken'))).toEqual([]);
    expect(existsSync(convertedPath(path.join(harness.modelsDir, 'broken.ggmlv3.bin')))).toBe(false);
  }, 60_000);
});
