// Parallel requests share one context with several sequences; an aborted stream frees its sequence.
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { LlamaCppEngine } from '../../sidecar/engine/llama-cpp-engine.js';
import { NEVER_END } from '../fixtures/byte-ban.js';
import { BAN_HIGH_BYTES, post, startHarness, type Harness } from './harness.js';

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

describe('sidecar concurrency', () => {
  it('8 concurrent requests all complete (4 sequences)', async () => {
    harness = await startHarness({ sidecar: { parallel: 4 } });
    const { client } = harness;
    const replies = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        client.chat.completions.create({ model: 'tiny.gguf', messages: [{ role: 'user', content: `Request ${i}` }], max_tokens: 24, temperature: 0, logit_bias: BAN_HIGH_BYTES }),
      ),
    );
    expect(replies).toHaveLength(8);
    for (const reply of replies) {
      expect(reply.choices[0]?.message.content).toBeTypeOf('string');
      expect(reply.usage?.completion_tokens).toBeGreaterThan(0);
    }
  });

  it('a client that drops a stream stops its generation and frees its sequence', async () => {
    const generations: Generation[] = [];
    harness = await startHarness({ sidecar: { parallel: 1, contextSize: CONTEXT }, wrapEngine: (engine) => countGenerations(engine, generations) });
    const response = await post(harness.baseURL, '/completions', { ...NEVER_ENDING, prompt: 'Go on forever:', stream: true });
    expect(response.status).toBe(200);
    const reader = response.body!.getReader();
    await reader.read();
    await reader.read();
    // drop the connection mid-stream
    await reader.cancel();
    const [dropped] = generations;
    await vi.waitFor(() => expect(dropped?.ended).toBe(true), WAIT);
    // Stopped near where the client left, far from the thousands of tokens it was asked for.
    expect(dropped!.tokens).toBeLessThan(STOPPED_SOON);
    const next = await harness.client.completions.create({ model: 'tiny.gguf', prompt: 'Next', max_tokens: 8, temperature: 0, logit_bias: BAN_HIGH_BYTES });
    expect(next.choices[0]?.text).toBeTypeOf('string');
    // a client going away is routine, not an error to log
    expect(harness.log.filter((line) => line.startsWith('error'))).toEqual([]);
  });

  it('a non-streaming request whose client goes away is aborted too', async () => {
    const generations: Generation[] = [];
    harness = await startHarness({ sidecar: { parallel: 1, contextSize: CONTEXT }, wrapEngine: (engine) => countGenerations(engine, generations) });
    const controller = new AbortController();
    const pending = fetch(`${harness.baseURL}/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ ...NEVER_ENDING, prompt: 'Long' }),
      signal: controller.signal,
    }).catch((error: unknown) => error);
    await vi.waitFor(() => expect(generations[0]?.tokens).toBeGreaterThan(0), WAIT);
    controller.abort();
    await pending;
    const [dropped] = generations;
    await vi.waitFor(() => expect(dropped?.ended).toBe(true), WAIT);
    expect(dropped!.tokens).toBeLessThan(STOPPED_SOON);
    const next = await harness.client.completions.create({ model: 'tiny.gguf', prompt: 'Next', max_tokens: 8, temperature: 0, logit_bias: BAN_HIGH_BYTES });
    expect(next.choices).toHaveLength(1);
    expect(harness.log.filter((line) => line.startsWith('error'))).toEqual([]);
  });
});

/** How long a generation may take to start or to stop. */
const WAIT = { timeout: 10_000, interval: 5 };
/** Tokens per sequence: the generation below would run to this limit unless stopped. */
const CONTEXT = 8192;
/** Far fewer tokens than a generation runs to when nobody stops it (thousands: CONTEXT). */
const STOPPED_SOON = 1000;
/** Never ends by itself: end tokens and invalid UTF-8 bytes are banned, max_tokens is huge. */
const NEVER_ENDING = { model: 'tiny.gguf', max_tokens: 100_000, temperature: 1, logit_bias: NEVER_END };

interface Generation {
  tokens: number;
  ended: boolean;
}

/** Counts what each completion generates, at the engine (the real one), and notes when it ends. */
function countGenerations(engine: LlamaCppEngine, generations: Generation[]): LlamaCppEngine {
  const complete = engine.complete.bind(engine);
  engine.complete = (prompt, options) => {
    const generation: Generation = { tokens: 0, ended: false };
    generations.push(generation);
    return (async function* () {
      try {
        for await (const event of complete(prompt, options)) {
          if (event.type === 'token') generation.tokens += 1;
          yield event;
        }
      } finally {
        generation.ended = true;
      }
    })();
  };
  return engine;
}
