// Continuous batching and the prompt-prefix cache, on the real engine: concurrent generations share
// decode steps without changing their output, a request arriving mid-generation starts at once,
// a shared prompt prefix is reused (and `cache_prompt: false` opts out) with unchanged output, and a
// client leaving mid-batch frees its sequence.
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { LlamaCppEngine } from '../../sidecar/engine/llama-cpp-engine.js';
import { NEVER_END } from '../fixtures/byte-ban.js';
import { BAN_HIGH_BYTES, post, startHarness, type Harness } from './harness.js';

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

/** How long a generation may take to start, to finish or to stop. */
const WAIT = { timeout: 20_000, interval: 5 };

/** A harness whose engine (the real one) the test can read stats from. */
async function start(parallel: number, contextSize = 2048): Promise<{ harness: Harness; engine: () => LlamaCppEngine }> {
  let engine: LlamaCppEngine | undefined;
  harness = await startHarness({
    sidecar: { parallel, contextSize },
    wrapEngine: (created) => (engine = created),
  });
  return {
    harness,
    engine: () => {
      if (engine === undefined) throw new Error('no engine was created yet');
      return engine;
    },
  };
}

/** A streamed completion read chunk by chunk. */
interface OpenStream {
  /** Resolves with the text once the stream ends. */
  text: Promise<string>;
  /** Chunks received so far. */
  chunks: () => number;
  finished: () => boolean;
  cancel: () => Promise<void>;
}

async function openStream(h: Harness, body: object): Promise<OpenStream> {
  const response = await post(h.baseURL, '/completions', { ...body, stream: true });
  expect(response.status).toBe(200);
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  let chunks = 0;
  let finished = false;
  let raw = '';
  const text = (async () => {
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        raw += decoder.decode(value, { stream: true });
        chunks += 1;
      }
    } catch {
      // cancelled
    }
    finished = true;
    return raw
      .split('\n')
      .filter((line) => line.startsWith('data: {'))
      .map((line) => (JSON.parse(line.slice(6)) as { choices: Array<{ text?: string }> }).choices[0]?.text ?? '')
      .join('');
  })();
  return { text, chunks: () => chunks, finished: () => finished, cancel: () => reader.cancel() };
}

const PROMPTS = ['Once upon a time', 'The weather today', 'In the beginning', 'A list of colours'];
const greedy = (prompt: string, maxTokens: number, extra: object = {}): object => ({
  model: 'tiny.gguf',
  prompt,
  max_tokens: maxTokens,
  temperature: 0,
  logit_bias: NEVER_END,
  ...extra,
});

describe('continuous batching', () => {
  it('4 concurrent streams share decode steps, and each gets exactly its solo greedy output', async () => {
    const TOKENS = 48;
    const { harness: h, engine } = await start(4);
    const solo: string[] = [];
    for (const prompt of PROMPTS) {
      const reply = await h.client.completions.create(greedy(prompt, TOKENS, { cache_prompt: false }) as never);
      solo.push((reply as unknown as { choices: Array<{ text: string }> }).choices[0]!.text);
    }
    const before = engine().stats();
    const streams = await Promise.all(PROMPTS.map((prompt) => openStream(h, greedy(prompt, TOKENS, { cache_prompt: false }))));
    const texts = await Promise.all(streams.map((stream) => stream.text));
    const after = engine().stats();
    expect(texts).toEqual(solo);
    const steps = after.decodeSteps - before.decodeSteps;
    const sequences = after.batchedSequences - before.batchedSequences;
    // One sequence per step would take 4 x TOKENS steps (the solo runs did).
    expect(sequences).toBe(4 * TOKENS);
    expect(sequences / steps).toBeGreaterThan(2);
    expect(after.generations - before.generations).toBe(4);
  });

  it('a request arriving while two generations stream gets its first token before they finish', async () => {
    const { harness: h } = await start(3, 4096);
    // Leaves one sequence holding tokens: the short request below must erase them (the context lock).
    await h.client.completions.create(greedy('Warm up', 8) as never);
    const long = await Promise.all([0, 1].map(() => openStream(h, greedy('Go on and on', 3000, { temperature: 1 }))));
    await vi.waitFor(() => expect(Math.min(...long.map((stream) => stream.chunks()))).toBeGreaterThan(2), WAIT);
    const short = await openStream(h, greedy('Hello', 4));
    await vi.waitFor(() => expect(short.chunks()).toBeGreaterThan(0), WAIT);
    // Before: the short request waited for the context lock until both long ones finished.
    expect(long.map((stream) => stream.finished())).toEqual([false, false]);
    await short.text;
    await Promise.all(long.map((stream) => stream.cancel()));
  });

  it('a client leaving mid-batch frees its sequence for the next request while the other keeps going', async () => {
    const { harness: h, engine } = await start(2, 4096);
    const [leaving, staying] = await Promise.all([0, 1].map(() => openStream(h, greedy('Keep going', 3000, { temperature: 1 }))));
    await vi.waitFor(() => expect(Math.min(leaving!.chunks(), staying!.chunks())).toBeGreaterThan(2), WAIT);
    await leaving!.cancel();
    // Both sequences were busy: this one can only run on the sequence the leaving client freed.
    const next = await h.client.completions.create(greedy('Next', 6) as never);
    expect((next as unknown as { usage: { completion_tokens: number } }).usage.completion_tokens).toBe(6);
    expect(staying!.finished()).toBe(false);
    await staying!.cancel();
    await vi.waitFor(() => expect(engine().stats().generations).toBe(3), WAIT);
    expect(h.log.filter((line) => line.startsWith('error'))).toEqual([]);
  });
});

describe('prompt-prefix cache', () => {
  // About 600 tokens of system prompt shared by both requests.
  const system = `You are a careful assistant. ${'Answer briefly and check every fact. '.repeat(28)}`;
  const chat = (question: string, extra: object = {}): object => ({
    model: 'tiny.gguf',
    messages: [
      { role: 'system', content: system },
      { role: 'user', content: question },
    ],
    max_tokens: 24,
    // Greedy: a sampled token may move with the batch shape (see reproducible() in the engine).
    temperature: 0,
    seed: 42,
    n: 2,
    logit_bias: BAN_HIGH_BYTES,
    ...extra,
  });
  const contents = (reply: unknown): Array<string | null> =>
    (reply as { choices: Array<{ message: { content: string | null } }> }).choices.map((choice) => choice.message.content);

  it('a second request sharing a long prefix evaluates only the rest, with output identical to a cold run', async () => {
    const { harness: h, engine } = await start(4);
    const cold = contents(await h.client.chat.completions.create(chat('What is the capital of France?', { cache_prompt: false }) as never));
    const afterCold = engine().stats();
    expect(afterCold.promptCacheHitTokens).toBe(0);

    await h.client.chat.completions.create(chat('Say hello.') as never);
    const beforeWarm = engine().stats();
    const warm = contents(await h.client.chat.completions.create(chat('What is the capital of France?') as never));
    const afterWarm = engine().stats();
    expect(warm).toEqual(cold);
    // Both choices (n = 2) found the system prompt, at least, in a sequence's cache.
    expect(afterWarm.promptCacheHitTokens - beforeWarm.promptCacheHitTokens).toBeGreaterThan(2 * 500);
  });

  it('a fixed seed at a temperature above 0 skips the cache unless cache_prompt asks for it', async () => {
    const { harness: h, engine } = await start(2);
    const sampled = { max_tokens: 12, temperature: 0.9, seed: 7 };
    const first = await h.client.completions.create(greedy(`${system} Sampled`, 12, sampled) as never);
    const again = await h.client.completions.create(greedy(`${system} Sampled`, 12, sampled) as never);
    expect(engine().stats().promptCacheHitTokens).toBe(0);
    expect((again as unknown as { choices: unknown[] }).choices).toEqual((first as unknown as { choices: unknown[] }).choices);
    await h.client.completions.create(greedy(`${system} Sampled`, 12, { ...sampled, cache_prompt: true }) as never);
    expect(engine().stats().promptCacheHitTokens).toBeGreaterThan(500);
  });

  it('cache_prompt: false evaluates the whole prompt again, and gives the same output', async () => {
    const { harness: h, engine } = await start(2);
    const first = await h.client.completions.create(greedy(`${system} First`, 12) as never);
    const before = engine().stats();
    const again = await h.client.completions.create(greedy(`${system} First`, 12, { cache_prompt: false }) as never);
    const after = engine().stats();
    expect(after.promptCacheHitTokens - before.promptCacheHitTokens).toBe(0);
    expect(after.promptTokens - before.promptTokens).toBeGreaterThan(500);
    expect((again as unknown as { choices: unknown[] }).choices).toEqual((first as unknown as { choices: unknown[] }).choices);
    const cached = await h.client.completions.create(greedy(`${system} First`, 12) as never);
    expect(engine().stats().promptCacheHitTokens - after.promptCacheHitTokens).toBeGreaterThan(500);
    expect((cached as unknown as { choices: unknown[] }).choices).toEqual((first as unknown as { choices: unknown[] }).choices);
  });
});
