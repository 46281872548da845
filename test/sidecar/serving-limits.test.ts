// Admission control and model lifecycle on a real sidecar: a bounded queue (429 with Retry-After,
// nothing admitted is lost), a queued client that leaves frees its place, configs sharing a file
// share its weights, and idle or surplus models leave memory and come back on the next request.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { sharedWeights } from '../../sidecar/engine/shared-weights.js';
import { NEVER_END } from '../fixtures/byte-ban.js';
import { parsePrometheusText, sampleSum } from '../fixtures/prometheus-text.js';
import { post, startHarness, type Harness } from './harness.js';

const WAIT = { timeout: 20_000, interval: 10 };
/** A stream that runs until its client leaves or a few thousand tokens (the context) are generated. */
const ENDLESS = { model: 'tiny.gguf', prompt: 'Go on:', max_tokens: 100_000, temperature: 1, logit_bias: NEVER_END, stream: true };
const SHORT = { model: 'tiny.gguf', prompt: 'Hi', max_tokens: 8, temperature: 0, logit_bias: NEVER_END };

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

async function waiting(h: Harness): Promise<number> {
  const text = await (await fetch(`${h.sidecar.url}/metrics`)).text();
  return sampleSum(parsePrometheusText(text), 'hearth_queue_waiting');
}

async function loadedNames(h: Harness): Promise<string[]> {
  const body = (await (await fetch(`${h.sidecar.url}/readyz`)).json()) as { models: Array<{ name: string }> };
  return body.models.map((model) => model.name);
}

/** A sidecar with one slot and a queue of one, its slot taken by a stream of thousands of tokens that is still running, by a wide margin, while the test's other requests arrive. */
async function oneSlotBusy(): Promise<{ h: Harness; reader: ReadableStreamDefaultReader<Uint8Array> }> {
  harness = await startHarness({ sidecar: { parallel: 1, queue: 1, contextSize: 4096 } });
  const running = await post(harness.baseURL, '/completions', { ...ENDLESS, max_tokens: 3000 });
  const reader = running.body!.getReader();
  await reader.read();
  return { h: harness, reader };
}

describe('admission control', () => {
  it('beyond --parallel plus --queue, requests get 429 with Retry-After; every admitted request completes', async () => {
    const { h, reader } = await oneSlotBusy();
    const queued = post(h.baseURL, '/completions', SHORT);
    await vi.waitFor(async () => expect(await waiting(h)).toBe(1), WAIT);
    const refused = await post(h.baseURL, '/completions', SHORT);
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toBe('1');
    expect(await refused.json()).toMatchObject({ error: { type: 'rate_limit_error', code: 'queue_full' } });
    let streamed = '';
    for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) streamed += new TextDecoder().decode(chunk.value);
    expect(streamed.trimEnd().endsWith('data: [DONE]')).toBe(true);
    const second = await queued;
    expect(second.status).toBe(200);
    expect(((await second.json()) as { usage: { completion_tokens: number } }).usage.completion_tokens).toBe(8);
  });

  it('a client that leaves while queued frees its place in the queue', async () => {
    const { h, reader } = await oneSlotBusy();
    const leaving = new AbortController();
    const gone = fetch(`${h.baseURL}/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(SHORT), signal: leaving.signal }).catch(
      (error: unknown) => error,
    );
    await vi.waitFor(async () => expect(await waiting(h)).toBe(1), WAIT);
    leaving.abort();
    await gone;
    await vi.waitFor(async () => expect(await waiting(h)).toBe(0), WAIT);
    const next = post(h.baseURL, '/completions', SHORT);
    await vi.waitFor(async () => expect(await waiting(h)).toBe(1), WAIT);
    await reader.cancel();
    expect((await next).status).toBe(200);
  });
});

describe('model lifecycle', () => {
  const config = (name: string, contextSize: number): string => `name: ${name}\ncontext_size: ${contextSize}\nparameters:\n  model: tiny.gguf\n`;

  it('two configs on one model file load its weights once, each with its own context', async () => {
    harness = await startHarness({ files: { 'a.yaml': config('a', 256), 'b.yaml': config('b', 512) } });
    const h = harness;
    for (const model of ['a', 'b']) expect((await post(h.baseURL, '/completions', { ...SHORT, model })).status).toBe(200);
    const [a, b] = await Promise.all(['a', 'b'].map((name) => h.sidecar.models.readyEngineFor({ name, backend: 'llama-cpp', parameters: { model: 'tiny.gguf' }, stopwords: [], roles: {}, template: {} })));
    expect([a?.contextSize, b?.contextSize]).toEqual([256, 512]);
    const held = sharedWeights.inUse().filter(({ key }) => key.includes(h.modelsDir));
    expect(held).toEqual([{ key: expect.stringContaining('tiny.gguf'), users: 2 }]);
  });

  it('an idle model unloads after --idle-unload and loads again on the next request', async () => {
    harness = await startHarness({ sidecar: { idleUnloadMs: 300 } });
    const h = harness;
    expect((await post(h.baseURL, '/completions', SHORT)).status).toBe(200);
    expect(await loadedNames(h)).toEqual(['tiny.gguf']);
    await vi.waitFor(async () => expect(await loadedNames(h)).toEqual([]), WAIT);
    expect(h.log.some((line) => /unloaded model tiny\.gguf: unused for 0 s \(--idle-unload\)/.test(line))).toBe(true);
    expect(sharedWeights.inUse().filter(({ key }) => key.includes(h.modelsDir))).toEqual([]);
    expect((await post(h.baseURL, '/completions', SHORT)).status).toBe(200);
    expect(await loadedNames(h)).toEqual(['tiny.gguf']);
  });

  it('/api/ps shows when --idle-unload will unload a loaded model', async () => {
    harness = await startHarness({ sidecar: { idleUnloadMs: 60_000 } });
    const before = Date.now();
    expect((await post(harness.baseURL, '/completions', SHORT)).status).toBe(200);
    const ps = (await (await fetch(new URL('/api/ps', harness.baseURL))).json()) as { models: Array<{ name: string; expires_at: string }> };
    const expires = Date.parse(ps.models.find(({ name }) => name === 'tiny.gguf')?.expires_at ?? '');
    expect(expires).toBeGreaterThanOrEqual(before + 60_000);
    expect(expires).toBeLessThanOrEqual(Date.now() + 60_000);
  });

  it('--max-loaded-models unloads the least recently used idle model to load another', async () => {
    harness = await startHarness({ sidecar: { maxLoadedModels: 1 }, files: { 'a.yaml': config('a', 256), 'b.yaml': config('b', 256) } });
    const h = harness;
    expect((await post(h.baseURL, '/completions', { ...SHORT, model: 'a' })).status).toBe(200);
    expect((await post(h.baseURL, '/completions', { ...SHORT, model: 'b' })).status).toBe(200);
    expect(await loadedNames(h)).toEqual(['b']);
    expect(h.log.some((line) => /unloaded model a: to make room for b/.test(line))).toBe(true);
  });
});
