// The node-llama-cpp engine against the generated tiny models (random weights: we assert shapes,
// counts and determinism, never meaning). Every wait has a deadline.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LlamaModel, Token } from 'node-llama-cpp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiError } from '../../shared/base/api-error.js';
import type { DoneEvent, GenerateOptions, GenerationEvent, SamplingSettings, TokenEvent } from '../../shared/engine/engine.js';
import { createChatWrapper, renderChatPrompt } from '../../sidecar/engine/chat-prompt.js';
import { defaultThreads } from '../../sidecar/engine/default-threads.js';
import { getSharedLlama } from '../../sidecar/engine/llama-instance.js';
import { createLlamaCppEngine, LlamaCppEngine } from '../../sidecar/engine/llama-cpp-engine.js';
import { Utf8TokenDecoder } from '../../sidecar/engine/utf8-token-decoder.js';
import { ensureTestModels } from '../fixtures/test-models.js';

const DEADLINE_MS = 20_000;
/** Byte tokens 128..255 banned: random models otherwise emit invalid UTF-8 (see TESTING.md). */
const BAN_HIGH_BYTES: ReadonlyMap<number, number> = new Map(Array.from({ length: 128 }, (_, i) => [128 + i, -100]));

function sampling(overrides: Partial<SamplingSettings> = {}): SamplingSettings {
  return {
    temperature: 0,
    topP: 1,
    topK: 0,
    repeatPenalty: 1,
    presencePenalty: 0,
    frequencyPenalty: 0,
    logitBias: new Map(),
    ...overrides,
  };
}

function options(maxTokens: number, overrides: Partial<SamplingSettings> = {}, signal?: AbortSignal): GenerateOptions {
  return { sampling: sampling(overrides), maxTokens, ...(signal === undefined ? {} : { signal }) };
}

async function withDeadline<T>(promise: Promise<T>, what: string, ms = DEADLINE_MS): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not finish within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

async function collect(stream: AsyncIterable<GenerationEvent>, what = 'generation'): Promise<GenerationEvent[]> {
  return withDeadline(
    (async () => {
      const events: GenerationEvent[] = [];
      for await (const event of stream) events.push(event);
      return events;
    })(),
    what,
  );
}

function tokensOf(events: readonly GenerationEvent[]): TokenEvent[] {
  return events.filter((e): e is TokenEvent => e.type === 'token');
}

function doneOf(events: readonly GenerationEvent[]): DoneEvent {
  const last = events.at(-1);
  if (last?.type !== 'done') throw new Error(`stream did not end with a done event: ${JSON.stringify(last)}`);
  expect(events.filter((e) => e.type === 'done')).toHaveLength(1);
  return last;
}

async function rejection(promise: Promise<unknown>, what: string): Promise<unknown> {
  try {
    await withDeadline(promise, what);
  } catch (error) {
    return error;
  }
  throw new Error(`${what} resolved but was expected to reject`);
}

let paths: Awaited<ReturnType<typeof ensureTestModels>>;
let engine: LlamaCppEngine;
const progress: number[] = [];

beforeAll(async () => {
  paths = await ensureTestModels();
  engine = createLlamaCppEngine();
  await withDeadline(
    engine.load(
      { source: paths.tinyQ8_0, threads: 1, contextSize: 128, parallel: 4, embeddings: true },
      { onProgress: (f) => progress.push(f) },
    ),
    'load',
  );
});

afterAll(async () => {
  await engine?.dispose();
});

describe('load', () => {
  it('reports monotonic progress in [0, 1] that ends at 1', () => {
    expect(progress.length).toBeGreaterThan(1);
    expect(progress.at(-1)).toBe(1);
    for (const [i, f] of progress.entries()) {
      expect(f).toBeGreaterThanOrEqual(0);
      expect(f).toBeLessThanOrEqual(1);
      if (i > 0) expect(f).toBeGreaterThan(progress[i - 1] ?? -1);
    }
  });

  it('uses the configured per-sequence context size and thread count', () => {
    expect(engine.contextSize).toBe(128);
    expect(engine.threads).toBe(1);
  });

  it('defaults to one core fewer than the machine has, between 1 and 4 threads', () => {
    expect([1, 2, 3, 8, 64].map((cores) => defaultThreads(cores))).toEqual([1, 1, 2, 4, 4]);
  });

  it('rejects with an AbortError and frees everything when aborted', async () => {
    const e = new LlamaCppEngine();
    const controller = new AbortController();
    const error = await rejection(
      e.load({ source: paths.tinyF32, threads: 1 }, { signal: controller.signal, onProgress: () => controller.abort() }),
      'aborted load',
    );
    expect((error as Error).name).toBe('AbortError');
    expect(e.contextSize).toBe(0);
    await withDeadline(e.load({ source: paths.tinyF32, threads: 1, contextSize: 64 }), 'load after abort');
    expect(e.contextSize).toBe(64);
    await e.dispose();
  });
});

describe('corrupt model files', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'hearth-corrupt-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('names the file and the bad magic for random bytes', async () => {
    const path = join(dir, 'random.gguf');
    writeFileSync(path, randomBytes(64 * 1024));
    const error = await rejection(new LlamaCppEngine().load({ source: path, threads: 1 }), 'load random bytes');
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).kind).toBe('server');
    expect((error as ApiError).message).toContain(path);
    expect((error as ApiError).message).toContain('Invalid GGUF magic');
  });

  it('names the file and the reason for a truncated model', async () => {
    const path = join(dir, 'truncated.gguf');
    const bytes = readFileSync(paths.tinyQ8_0);
    writeFileSync(path, bytes.subarray(0, bytes.length >> 1));
    const error = await rejection(new LlamaCppEngine().load({ source: path, threads: 1 }), 'load truncated');
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).message).toContain(path);
    expect((error as ApiError).message).toMatch(/not within the file bounds|corrupt/);
  });

  it('reports a missing file as not found', async () => {
    const path = join(dir, 'missing.gguf');
    const error = await rejection(new LlamaCppEngine().load({ source: path }), 'load missing');
    expect((error as ApiError).kind).toBe('not_found');
    expect((error as ApiError).message).toContain(path);
  });

  it('refuses a context too big for memory instead of being OOM-killed later', async () => {
    for (const [contextSize, parallel] of [[4e8, 2], [1e12, 64]] as const) {
      const error = await rejection(
        new LlamaCppEngine().load({ source: paths.tinyQ8_0, threads: 1, contextSize, parallel }),
        `load a context of ${contextSize} x ${parallel}`,
      );
      expect((error as ApiError).kind).toBe('server');
      expect((error as ApiError).message).toMatch(/(needs about .* GB of memory|more than llama.cpp supports).*Lower context_size or parallel/);
    }
  });

  it('leaves the process and the loaded engine working', async () => {
    const events = await collect(engine.complete('still alive', options(4)));
    expect(doneOf(events).completionTokens).toBeGreaterThan(0);
  });
});

describe('tokenize', () => {
  it('parses special tokens', async () => {
    expect(await engine.tokenize('<|im_end|>')).toHaveLength(1);
    expect(await engine.tokenize('hello world')).not.toHaveLength(0);
  });
});

describe('complete', () => {
  it('streams a prompt event, one event per token, then one done event with exact counts', async () => {
    const prompt = 'Once upon a time';
    const events = await collect(engine.complete(prompt, options(12, { logitBias: BAN_HIGH_BYTES })));
    const promptTokens = (await engine.tokenize(prompt)).length;
    expect(events[0]).toEqual({ type: 'prompt', promptTokens });
    const tokens = tokensOf(events);
    const done = doneOf(events);
    expect(done.promptTokens).toBe(promptTokens);
    expect(done.completionTokens).toBe(tokens.length);
    expect(events).toHaveLength(tokens.length + 2);
    for (const t of tokens) expect(Number.isInteger(t.tokenId)).toBe(true);
  });

  it('is deterministic when greedy', async () => {
    const a = tokensOf(await collect(engine.complete('The sky is', options(24)))).map((t) => t.tokenId);
    const b = tokensOf(await collect(engine.complete('The sky is', options(24)))).map((t) => t.tokenId);
    expect(a.length).toBeGreaterThan(0);
    expect(b).toEqual(a);
  });

  it('is deterministic with a fixed seed at temperature 0.8, and seeds matter', async () => {
    const run = async (seed: number): Promise<string> =>
      tokensOf(await collect(engine.complete('Hello', options(24, { temperature: 0.8, seed, logitBias: BAN_HIGH_BYTES }))))
        .map((t) => t.text)
        .join('');
    const first = await run(42);
    expect(first.length).toBeGreaterThan(0);
    expect(await run(42)).toBe(first);
    const others = [await run(1), await run(2), await run(3)];
    expect(new Set([first, ...others]).size).toBeGreaterThan(1);
  });

  it('stops with "stop" at an end-of-generation token without emitting it', async () => {
    const eog = new Set([...(await engine.tokenize('<|im_end|>')), ...(await engine.tokenize('<|endoftext|>'))]);
    const stopped: DoneEvent[] = [];
    // Greedy continuations of these prompts end with <|im_end|> on the tiny model; any one suffices.
    for (const prompt of ['x', 'a', 'hello', 'hi']) {
      const events = await collect(engine.complete(prompt, options(100)));
      const done = doneOf(events);
      expect(tokensOf(events).filter((t) => eog.has(t.tokenId))).toEqual([]);
      expect(done.completionTokens).toBe(tokensOf(events).length);
      if (done.finishReason === 'stop') {
        expect(done.completionTokens).toBeLessThan(100);
        stopped.push(done);
      }
    }
    expect(stopped.length).toBeGreaterThan(0);
  });

  it('can ban end-of-generation tokens with logit bias, forcing a full-length reply', async () => {
    const eog = [...(await engine.tokenize('<|im_end|>')), ...(await engine.tokenize('<|endoftext|>'))];
    let stopping: string | undefined;
    for (const prompt of ['x', 'a', 'hello', 'hi']) {
      if (doneOf(await collect(engine.complete(prompt, options(100)))).finishReason === 'stop') stopping ??= prompt;
    }
    expect(stopping).toBeDefined();
    const banned = new Map(eog.map((id) => [id, -100]));
    const done = doneOf(await collect(engine.complete(stopping ?? 'x', options(100, { logitBias: banned }))));
    expect(done).toMatchObject({ finishReason: 'length', completionTokens: 100 });
  });

  it('applies repeat, frequency and presence penalties deterministically', async () => {
    const penalized = { repeatPenalty: 1.5, frequencyPenalty: 0.5, presencePenalty: 0.5 };
    const plain = tokensOf(await collect(engine.complete('The sky is', options(32)))).map((t) => t.tokenId);
    const a = tokensOf(await collect(engine.complete('The sky is', options(32, penalized)))).map((t) => t.tokenId);
    const b = tokensOf(await collect(engine.complete('The sky is', options(32, penalized)))).map((t) => t.tokenId);
    expect(b).toEqual(a);
    expect(a).not.toEqual(plain);
  });

  it('stops with "length" after exactly maxTokens', async () => {
    const done = doneOf(await collect(engine.complete('Count with me:', options(7))));
    expect(done).toMatchObject({ finishReason: 'length', completionTokens: 7 });
  });

  it('caps a huge maxTokens at the context and ends with "length"', async () => {
    const done = doneOf(await collect(engine.complete('hello', options(1_000_000, { logitBias: BAN_HIGH_BYTES }))));
    expect(done.finishReason).toBe('length');
    expect(done.promptTokens + done.completionTokens).toBe(engine.contextSize);
  });

  it('rejects a prompt that does not fit the context with exceed_context_size', async () => {
    const prompt = 'a'.repeat(500);
    const promptTokens = (await engine.tokenize(prompt)).length;
    expect(promptTokens).toBeGreaterThanOrEqual(engine.contextSize);
    const error = await rejection(collect(engine.complete(prompt, options(4))), 'too-long prompt');
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).kind).toBe('exceed_context_size');
    expect((error as ApiError).message).toContain(`The prompt is ${promptTokens} tokens long`);
    expect((error as ApiError).message).toContain(`holds ${engine.contextSize}`);
  });

  it('keeps banned tokens out of the output (logit bias -100)', async () => {
    for (const seed of [1, 2, 3]) {
      const tokens = tokensOf(await collect(engine.complete('xyz', options(48, { temperature: 1, seed, logitBias: BAN_HIGH_BYTES }))));
      expect(tokens.length).toBeGreaterThan(0);
      expect(tokens.filter((t) => t.tokenId >= 128 && t.tokenId <= 255)).toEqual([]);
    }
  });

  it('rejects a logit bias for a token outside the vocabulary', async () => {
    const error = await rejection(collect(engine.complete('x', options(2, { logitBias: new Map([[10_000_000, 5]]) }))), 'bad bias');
    expect((error as ApiError).kind).toBe('invalid_request');
    expect((error as ApiError).param).toBe('logit_bias');
  });

  it('runs 8 concurrent generations on 4 sequences, 4 at a time, to completion', async () => {
    let active = 0;
    let maxActive = 0;
    const run = async (i: number): Promise<DoneEvent> => {
      const events: GenerationEvent[] = [];
      for await (const event of engine.complete(`request ${i}`, options(16, { logitBias: BAN_HIGH_BYTES }))) {
        if (event.type === 'token' && events.every((e) => e.type !== 'token')) maxActive = Math.max(maxActive, ++active);
        if (event.type === 'done') active -= 1;
        events.push(event);
      }
      return doneOf(events);
    };
    const dones = await withDeadline(Promise.all(Array.from({ length: 8 }, (_, i) => run(i))), '8 concurrent generations');
    for (const done of dones) expect(done.completionTokens).toBeGreaterThan(0);
    expect(maxActive).toBe(4);
  });
});

describe('chat', () => {
  it("renders the model's ChatML template with the generation prompt", async () => {
    const llama = await getSharedLlama();
    const model: LlamaModel = await llama.loadModel({ modelPath: paths.tinyQ8_0, gpuLayers: 0 });
    try {
      const wrapper = createChatWrapper(model);
      const rendered = renderChatPrompt(model, wrapper, [{ role: 'user', content: 'hi' }]);
      expect(model.detokenize(rendered.tokens, true)).toBe('<|im_start|>user\nhi<|im_end|>\n<|im_start|>assistant\n');
      // Special-token text inside a message stays text: users cannot forge turns.
      const forged = renderChatPrompt(model, wrapper, [{ role: 'user', content: '<|im_end|>' }]);
      const imEnd = model.tokenize('<|im_end|>', true)[0];
      expect(forged.tokens.filter((t) => t === imEnd)).toHaveLength(1);
    } finally {
      await model.dispose();
    }
  });

  it('streams tokens and a done event whose promptTokens match the rendered template', async () => {
    const events = await collect(engine.chat([{ role: 'user', content: 'hi' }], options(10, { logitBias: BAN_HIGH_BYTES })));
    const expected = (await engine.tokenize('<|im_start|>user\nhi<|im_end|>\n<|im_start|>assistant\n')).length;
    const done = doneOf(events);
    expect(done.promptTokens).toBe(expected);
    expect(done.completionTokens).toBe(tokensOf(events).length);
    expect(['stop', 'length']).toContain(done.finishReason);
  });
});

describe('sequence release', () => {
  let single: LlamaCppEngine;
  beforeAll(async () => {
    single = new LlamaCppEngine();
    await withDeadline(single.load({ source: paths.tinyQ8_0, threads: 1, contextSize: 256, parallel: 1 }), 'load parallel 1');
  });
  afterAll(async () => {
    await single?.dispose();
  });

  async function servesNextRequestPromptly(): Promise<void> {
    const done = doneOf(await collect(single.complete('next', options(4)), 'next request after release'));
    expect(done.completionTokens).toBeGreaterThan(0);
  }

  it('frees the sequence when the consumer breaks out early', async () => {
    let seen = 0;
    await withDeadline(
      (async () => {
        for await (const event of single.complete('early exit', options(200))) {
          if (event.type === 'token' && ++seen === 2) break;
        }
      })(),
      'early break',
    );
    expect(seen).toBe(2);
    await servesNextRequestPromptly();
  });

  it('frees the sequence and throws an AbortError when the signal aborts mid-stream', async () => {
    const controller = new AbortController();
    let seen = 0;
    const error = await rejection(
      (async () => {
        for await (const event of single.complete('abort me', options(200, {}, controller.signal))) {
          if (event.type === 'token' && ++seen === 2) controller.abort();
        }
      })(),
      'aborted stream',
    );
    expect((error as Error).name).toBe('AbortError');
    expect(seen).toBe(2);
    await servesNextRequestPromptly();
  });

  it('queues FIFO while the sequence is busy, and an aborted waiter leaves the queue', async () => {
    const order: string[] = [];
    const run = async (name: string, signal?: AbortSignal): Promise<void> => {
      for await (const event of single.complete(name, options(8, {}, signal))) if (event.type === 'done') order.push(name);
    };
    const controller = new AbortController();
    const first = run('first');
    const waiter = run('aborted', controller.signal);
    const second = run('second');
    controller.abort();
    const results = await withDeadline(Promise.allSettled([first, waiter, second]), 'queued generations');
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(order).toEqual(['first', 'second']);
  });
});

describe('embed', () => {
  it('returns one deterministic vector per input and counts prompt tokens', async () => {
    const a = await withDeadline(engine.embed(['hello world', 'goodbye']), 'embed');
    const b = await withDeadline(engine.embed(['hello world']), 'embed again');
    expect(a.vectors).toHaveLength(2);
    const [first, second] = a.vectors;
    expect(first?.length).toBeGreaterThan(0);
    expect(second).toHaveLength(first?.length ?? -1);
    expect(first?.every(Number.isFinite)).toBe(true);
    expect(b.vectors[0]).toEqual(first);
    expect(a.promptTokens).toBe((await engine.tokenize('hello world')).length + (await engine.tokenize('goodbye')).length);
  });

  it('refuses when the model was not loaded for embeddings', async () => {
    const e = new LlamaCppEngine();
    await withDeadline(e.load({ source: paths.tinyQ8_0, threads: 1, contextSize: 64, parallel: 1 }), 'load');
    const error = await rejection(e.embed(['x']), 'embed without embeddings');
    expect((error as ApiError).kind).toBe('invalid_request');
    await e.dispose();
  });
});

describe('utf-8 decoding', () => {
  it('yields "" for an incomplete multi-byte character and the whole character when complete', async () => {
    const text = 'é€😀';
    const ids = await engine.tokenize(text);
    // The tiny model's ids 0..255 are bytes, so these characters arrive one byte per token.
    expect(ids).toEqual([...Buffer.from(text, 'utf8')]);
    const llama = await getSharedLlama();
    const model = await llama.loadModel({ modelPath: paths.tinyQ8_0, gpuLayers: 0 });
    try {
      const decoder = new Utf8TokenDecoder<Token>((tokens, last) => model.detokenize(tokens, false, last));
      expect(ids.map((id) => decoder.push(id as Token))).toEqual(['', 'é', '', '', '€', '', '', '', '😀']);
      // Invalid bytes come out as U+FFFD once a later byte shows they cannot complete, or after 4 tokens.
      expect(([0xff, 0x41] as Token[]).map((id) => decoder.push(id))).toEqual(['', '\uFFFDA']);
      expect(([0xc3, 0xc3, 0xc3, 0xc3] as Token[]).map((id) => decoder.push(id))).toEqual(['', '', '', '\uFFFD'.repeat(4)]);
    } finally {
      await model.dispose();
    }
  });
});

describe('dispose', () => {
  it('is safe twice and makes further use fail clearly', async () => {
    const e = new LlamaCppEngine();
    await withDeadline(e.load({ source: paths.tinyF32, threads: 1, contextSize: 64, parallel: 1 }), 'load');
    await e.dispose();
    await e.dispose();
    const error = await rejection(collect(e.complete('x', options(2))), 'complete after dispose');
    expect((error as ApiError).kind).toBe('unavailable');
  });
});
