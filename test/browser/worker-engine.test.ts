// The browser engine (wllama in a worker behind comlink) in real headless Chromium, through the
// engine test page, with the generated tiny model served next to the app.
import { availableParallelism } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GenerationEvent } from '../../shared/engine/engine.js';
import type { TestGenerateResult } from '../../web/test-pages/engine-page.js';
import { ensureTestModels } from '../fixtures/test-models.js';
import { openEnginePage, type EnginePage } from './engine-page.js';
import { GREEDY, GREEDY_NO_EOG } from './sampling.js';

const MODEL_URL = '/models/tiny-q8_0.gguf';
const CHATML_HI = '<|im_start|>user\nhi<|im_end|>\n<|im_start|>assistant\n';

const NO_EOG = GREEDY_NO_EOG;

const tokens = (events: GenerationEvent[]) => events.filter((e) => e.type === 'token');
const done = (result: TestGenerateResult) => {
  const last = result.events.at(-1);
  if (last?.type !== 'done') throw new Error(`no done event: ${JSON.stringify(result)}`);
  return last;
};

describe('browser engine (wllama in a worker)', () => {
  let browser: EnginePage;
  let engine: number;
  let loadResult: Awaited<ReturnType<EnginePage['api']['load']>>;

  beforeAll(async () => {
    const models = await ensureTestModels();
    browser = await openEnginePage({ files: { [MODEL_URL]: models.tinyQ8_0 } });
    engine = await browser.api.create();
    loadResult = await browser.api.load(engine, { source: MODEL_URL, contextSize: 256 });
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('loads with progress up to 1, with threads because the page is cross-origin isolated', async () => {
    expect(loadResult.error).toBeUndefined();
    expect(await browser.crossOriginIsolated()).toBe(true);
    expect(loadResult.progress.at(-1)).toBe(1);
    expect(loadResult.progress).toEqual([...loadResult.progress].sort((a, b) => a - b));
    expect(loadResult.contextSize).toBe(256);
    // every core but one (at least one), as in the sidecar. Plain headless Chromium offers no
    // WebGPU adapter with shader-f16 (SwiftShader lacks it, or --disable-gpu gives none): WASM, and
    // describe() says why (webgpu.test.ts runs the GPU path on the software-Vulkan rig).
    expect(loadResult.info).toEqual({
      backend: 'wllama',
      device: 'wasm',
      threads: Math.max(1, availableParallelism() - 1),
      reason: expect.stringMatching(/lacks shader-f16|no WebGPU adapter|has no WebGPU/),
    });
    // Everything came from our server; the log holds every request the page and its workers made.
    const urls = browser.server.requests.map((r) => r.url);
    expect(urls).toContain(MODEL_URL);
    // Our own wasm asset, never wllama's CDN build.
    expect(urls.some((url) => /^\/assets\/wllama-[\w-]+\.wasm$/.test(url))).toBe(true);
  });

  it('rejects an aborted load with an AbortError and can load afterwards', async () => {
    const other = await browser.api.create();
    const aborted = await browser.api.load(other, { source: MODEL_URL, contextSize: 128 }, 0);
    expect(aborted.error?.name).toBe('AbortError');
    const again = await browser.api.create();
    expect((await browser.api.load(again, { source: MODEL_URL, contextSize: 128 })).error).toBeUndefined();
    await browser.api.dispose(again);
  });

  /** Events without the prompt's cachedTokens, which differ between a cold and a cached run. */
  const uncached = (events: GenerationEvent[]) => events.map((event) => (event.type === 'prompt' ? { type: event.type, promptTokens: event.promptTokens } : event));

  it('streams one event per token with exact counts, deterministically', async () => {
    const request = { kind: 'complete' as const, prompt: 'The hearth was', sampling: NO_EOG, maxTokens: 16 };
    const a = await browser.api.generate(engine, request);
    const b = await browser.api.generate(engine, request);
    expect(a.error).toBeUndefined();
    expect(a.events[0]).toMatchObject({ type: 'prompt', promptTokens: 3 });
    const generated = tokens(a.events);
    expect(generated).toHaveLength(16);
    for (const t of generated) expect(Number.isInteger(t.tokenId) && t.tokenId >= 0 && (t.tokenId < 128 || t.tokenId > 255)).toBe(true);
    expect(done(a)).toEqual({ type: 'done', finishReason: 'length', promptTokens: 3, completionTokens: 16 });
    // The second run reuses the first's cached prompt (greedy: the same tokens all the same).
    expect(uncached(b.events)).toEqual(uncached(a.events));
  });

  it('renders chat with the GGUF chat template (ChatML)', async () => {
    const chat = await browser.api.generate(engine, { kind: 'chat', messages: [{ role: 'user', content: 'hi' }], sampling: GREEDY, maxTokens: 12 });
    const raw = await browser.api.generate(engine, { kind: 'complete', prompt: CHATML_HI, sampling: GREEDY, maxTokens: 12 });
    expect(chat.error).toBeUndefined();
    // wllama cannot show the rendered text, so compare with the expected rendering as a raw prompt
    // (the second evaluation reuses the first's cached prompt, so cachedTokens differs).
    expect(uncached(chat.events)).toEqual(uncached(raw.events));
    expect(done(chat).completionTokens).toBe(tokens(chat.events).length);
  });

  it('stops at maxTokens with "length" and at the end of the context', async () => {
    const short = await browser.api.generate(engine, { kind: 'complete', prompt: 'Once', sampling: GREEDY, maxTokens: 1 });
    expect(done(short)).toMatchObject({ finishReason: 'length', completionTokens: 1 });
    // A huge budget still ends: the 256-token context caps prompt + completion (EOG banned so it must fill up).
    const full = await browser.api.generate(engine, { kind: 'complete', prompt: 'Once', sampling: NO_EOG, maxTokens: 100_000 });
    const end = done(full);
    expect(end.finishReason).toBe('length');
    expect(end.promptTokens + end.completionTokens).toBeLessThanOrEqual(256);
    expect(end.completionTokens).toBe(tokens(full.events).length);
  });

  it('aborts mid-stream promptly and stays usable', async () => {
    const aborted = await browser.api.generate(engine, { kind: 'complete', prompt: 'The hearth was', sampling: GREEDY, maxTokens: 200, abortAfterTokens: 3 });
    expect(aborted.error?.name).toBe('AbortError');
    expect(tokens(aborted.events)).toHaveLength(3);
    // A slow consumer, as on a busy machine, gets the worker's tokens in batches of several: the
    // abort after the third must still be the last token delivered (it once let the rest of the
    // batch through, which failed this test under load only).
    const slow = await browser.api.generate(engine, { kind: 'complete', prompt: 'The hearth was', sampling: GREEDY, maxTokens: 200, abortAfterTokens: 3, consumerDelayMs: 100 });
    expect(slow.error?.name).toBe('AbortError');
    expect(tokens(slow.events)).toHaveLength(3);
    const next = await browser.api.generate(engine, { kind: 'complete', prompt: 'The hearth was', sampling: GREEDY, maxTokens: 4 });
    expect(done(next)).toMatchObject({ finishReason: 'length', completionTokens: 4 });
  });

  it('constrains output with a GBNF grammar', async () => {
    for (const prompt of ['Answer:', 'Is the fire warm?', 'The hearth was']) {
      const result = await browser.api.generate(engine, { kind: 'complete', prompt, sampling: GREEDY, maxTokens: 8, grammar: 'root ::= "yes" | "no"' });
      const text = tokens(result.events).map((t) => t.text).join('');
      expect(['yes', 'no']).toContain(text);
      expect(done(result).finishReason).toBe('stop');
    }
  });

  it('bans end-of-generation tokens with a -100 bias', async () => {
    // ChatML's <|im_end|> (578) and <|endoftext|> (576) banned: the grammar cannot end, so it runs to the budget.
    const result = await browser.api.generate(engine, { kind: 'complete', prompt: 'Answer:', sampling: NO_EOG, maxTokens: 6, grammar: 'root ::= [a-z]+' });
    expect(done(result)).toMatchObject({ finishReason: 'length', completionTokens: 6 });
    expect(tokens(result.events).filter((t) => t.tokenId === 576 || t.tokenId === 578)).toEqual([]);
  });

  it('reports errors as ApiError with kind, status and code', async () => {
    const tooLong = await browser.api.generate(engine, { kind: 'complete', prompt: 'the fire '.repeat(300), sampling: GREEDY, maxTokens: 4 });
    expect(tooLong.error).toMatchObject({ isApiError: true, kind: 'exceed_context_size', status: 400 });
    const tokenized = await browser.api.tokenize(engine, 'hi');
    expect(tokenized.error).toMatchObject({ isApiError: true, kind: 'invalid_request', status: 400, code: 'tokenize_unsupported' });
    const embedded = await browser.api.embed(engine, ['hi']);
    expect(embedded.error).toMatchObject({ isApiError: true, kind: 'invalid_request', status: 400 });
    expect(embedded.error?.message).toContain('embeddings: true');
    const other = await browser.api.create();
    const missing = await browser.api.load(other, { source: '/models/missing.gguf' });
    expect(missing.error).toMatchObject({ isApiError: true, kind: 'not_found', status: 404 });
    expect(missing.error?.message).toContain('/models/missing.gguf');
  });

  it('embeds when loaded with embeddings: true', async () => {
    const other = await browser.api.create();
    expect((await browser.api.load(other, { source: MODEL_URL, contextSize: 128, embeddings: true })).error).toBeUndefined();
    const result = await browser.api.embed(other, ['first text', 'second text']);
    expect(result.error).toBeUndefined();
    expect(result.vectors).toHaveLength(2);
    expect(result.vectors?.[0]).toHaveLength(64);
    expect(result.promptTokens).toBeGreaterThan(0);
    await browser.api.dispose(other);
  });

  it('turns invalid UTF-8 output into a clear error and keeps the engine usable', async () => {
    // Without the byte ban, a random model at temperature 1 soon emits a stray continuation byte.
    let failure: TestGenerateResult['error'];
    for (let seed = 1; seed <= 20 && failure === undefined; seed++) {
      const result = await browser.api.generate(engine, {
        kind: 'complete',
        prompt: 'The hearth was',
        sampling: { ...GREEDY, temperature: 1, seed, logitBias: [] },
        maxTokens: 64,
      });
      failure = result.error;
    }
    expect(failure).toMatchObject({ isApiError: true, kind: 'server', status: 500, code: 'invalid_utf8' });
    expect(failure?.message).toContain('not valid UTF-8');
    const after = await browser.api.generate(engine, { kind: 'complete', prompt: 'The hearth was', sampling: GREEDY, maxTokens: 4 });
    expect(done(after)).toMatchObject({ finishReason: 'length', completionTokens: 4 });
  });
});
