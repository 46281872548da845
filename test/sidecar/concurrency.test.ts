// Parallel requests share one context with several sequences; an aborted stream frees its sequence.
import { afterEach, describe, expect, it } from 'vitest';
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

  it('a client that drops a stream frees its sequence for the next request', async () => {
    harness = await startHarness({ sidecar: { parallel: 1 } });
    const controller = new AbortController();
    const response = await post(
      harness.baseURL,
      '/completions',
      // a long generation that would hold the only sequence for a while (the byte ban keeps EOS possible but unlikely to matter)
      { model: 'tiny.gguf', prompt: 'Go on forever:', max_tokens: 100000, stream: true, temperature: 1, logit_bias: BAN_HIGH_BYTES },
      {},
    );
    expect(response.status).toBe(200);
    const reader = response.body!.getReader();
    await reader.read();
    await reader.read();
    // drop the connection mid-stream
    await reader.cancel();
    controller.abort();
    const started = Date.now();
    const next = await harness.client.completions.create({ model: 'tiny.gguf', prompt: 'Next', max_tokens: 8, temperature: 0, logit_bias: BAN_HIGH_BYTES });
    expect(next.choices[0]?.text).toBeTypeOf('string');
    // the only sequence was released promptly, not after the whole long generation
    expect(Date.now() - started).toBeLessThan(5_000);
    // a client going away is routine, not an error to log
    expect(harness.log.filter((line) => line.startsWith('error'))).toEqual([]);
  });

  it('a non-streaming request whose client goes away is aborted too', async () => {
    harness = await startHarness({ sidecar: { parallel: 1 } });
    const controller = new AbortController();
    const pending = fetch(`${harness.baseURL}/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'tiny.gguf', prompt: 'Long', max_tokens: 100000, temperature: 1, logit_bias: BAN_HIGH_BYTES }),
      signal: controller.signal,
    }).catch((error: unknown) => error);
    await new Promise((resolve) => setTimeout(resolve, 300));
    controller.abort();
    await pending;
    const started = Date.now();
    const next = await harness.client.completions.create({ model: 'tiny.gguf', prompt: 'Next', max_tokens: 8, temperature: 0, logit_bias: BAN_HIGH_BYTES });
    expect(next.choices).toHaveLength(1);
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(harness.log.filter((line) => line.startsWith('error'))).toEqual([]);
  });
});
