// The tab's llama.cpp (wllama) on converted rwkv.cpp models computes what rwkv.cpp computes: after
// the tokens '"', 'i', 'n', its top next-token log-probabilities equal those of rwkv.cpp's
// expected-logits files within the tolerances the sidecar test states (1e-4 FP32, 2e-3 FP16). The
// GGUF is the sidecar's conversion; test/browser/app-legacy-models.test.ts checks that the tab's
// own conversion of the same file has the same bytes.
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureGguf } from '../../sidecar/convert/ensure-gguf.js';
import { openEnginePage, type EnginePage } from './engine-page.js';
import { haveRwkvFixtures, RWKV_FIXTURES } from '../fixtures/rwkv-fixtures.js';

const MODELS = [
  { file: 'tiny-rwkv-7v0-834K-FP32.bin', expected: 'expected-logits-7v0-834K.bin', tolerance: 1e-4 },
  { file: 'tiny-rwkv-7v0-834K-FP16.bin', expected: 'expected-logits-7v0-834K.bin', tolerance: 2e-3 },
  { file: 'tiny-rwkv-5v2-730K-FP32.bin', expected: 'expected-logits-5v2-730K.bin', tolerance: 1e-4 },
] as const;

function logSoftmax(logits: readonly number[]): number[] {
  const max = Math.max(...logits);
  const lse = max + Math.log(logits.reduce((sum, v) => sum + Math.exp(v - max), 0));
  return logits.map((v) => v - lse);
}

describe.skipIf(!haveRwkvFixtures())('rwkv.cpp models in wllama (browser)', () => {
  const scratch = mkdtempSync(path.join(tmpdir(), 'hearth-rwkv-tab-'));
  let browser: EnginePage;

  beforeAll(async () => {
    const files: Record<string, string> = {};
    for (const { file } of MODELS) {
      copyFileSync(path.join(RWKV_FIXTURES, file), path.join(scratch, file));
      files[`/models/${file}.gguf`] = (await ensureGguf(path.join(scratch, file))).path;
    }
    browser = await openEnginePage({ files });
    await browser.api.loadPageWllama();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    rmSync(scratch, { recursive: true, force: true });
  });

  it.each(MODELS)('$file: top next-token log-probabilities match rwkv.cpp', async ({ file, expected, tolerance }) => {
    await browser.page.evaluate(`window.pageWllama.load('/models/${file}.gguf', 64, 1)`);
    // The byte-level vocabulary tokenizes '"in' as the bytes 0x22 0x69 0x6e, rwkv.cpp's test input.
    const got = (await browser.page.evaluate(`window.pageWllama.nextTokenLogprobs('"in', 10)`)) as Array<{ id: number; logprob: number }>;
    expect(got).toHaveLength(10);
    const raw = readFileSync(path.join(RWKV_FIXTURES, expected));
    const want = logSoftmax(Array.from(new Float32Array(raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.length))));
    const order = want.map((logprob, id) => ({ id, logprob })).sort((a, b) => b.logprob - a.logprob);
    expect(got[0]?.id).toBe(order[0]?.id);
    for (const { id, logprob } of got) expect(Math.abs(logprob - (want[id] ?? 0))).toBeLessThan(tolerance);
  }, 120_000);
});
