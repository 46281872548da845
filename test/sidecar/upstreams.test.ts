// Remote models (backend: openai): a Hearth sidecar forwarding to two other real Hearth sidecars on
// loopback. Killing an upstream is closing it with its connections cut (as a crash would), and
// restarting it is a new sidecar on the same port; every wait is a condition with a deadline.
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { LlamaCppEngine } from '../../sidecar/engine/llama-cpp-engine.js';
import type { GenerateOptions, GenerationEvent } from '../../shared/engine/engine.js';
import { NEVER_END } from '../fixtures/byte-ban.js';
import { BAN_HIGH_BYTES, post, startHarness, type Harness, type HarnessOptions } from './harness.js';

const WAIT = { timeout: 20_000, interval: 20 };
/** Far fewer tokens than a never-ending generation runs to when nobody stops it. */
const STOPPED_SOON = 1000;
const NEVER_ENDING = { max_tokens: 100_000, temperature: 1, logit_bias: NEVER_END };

interface Generation {
  tokens: number;
  ended: boolean;
}

/** What an upstream's engine is doing, seen from inside it; `hold` keeps new generations from producing a token. */
interface Probe {
  generations: Generation[];
  hold: boolean;
}

function observed(engine: LlamaCppEngine, probe: Probe): LlamaCppEngine {
  const watch = (generate: (options: GenerateOptions) => AsyncIterable<GenerationEvent>, options: GenerateOptions): AsyncIterable<GenerationEvent> => {
    const generation: Generation = { tokens: 0, ended: false };
    probe.generations.push(generation);
    return (async function* () {
      try {
        // Held: as an upstream that has not answered yet. Its client going away (abort) ends the wait.
        if (probe.hold) await new Promise((resolve) => options.signal?.addEventListener('abort', resolve, { once: true }));
        options.signal?.throwIfAborted();
        for await (const event of generate(options)) {
          if (event.type === 'token') generation.tokens += 1;
          yield event;
        }
      } finally {
        generation.ended = true;
      }
    })();
  };
  const complete = engine.complete.bind(engine);
  const chat = engine.chat.bind(engine);
  engine.complete = (prompt, options) => watch((o) => complete(prompt, o), options);
  engine.chat = (messages, options) => watch((o) => chat(messages, o), options);
  return engine;
}

interface Upstream {
  harness: Harness;
  probe: Probe;
}

async function startUpstream(options: HarnessOptions = {}, port = 0): Promise<Upstream> {
  const probe: Probe = { generations: [], hold: false };
  const harness = await startHarness({ ...options, sidecar: { parallel: 4, ...options.sidecar, port }, wrapEngine: (engine) => observed(engine, probe) });
  return { harness, probe };
}

/** `apiKey` goes in each upstream's entry as written (an `${ENV}` reference). */
function fleetYaml(urls: readonly string[], apiKey?: string): string {
  return [
    'name: fleet',
    'backend: openai',
    'model: tiny.gguf',
    'probe_interval: 100ms',
    'timeout: 30s',
    'upstreams:',
    ...urls.flatMap((url) => [`  - url: ${url}`, ...(apiKey === undefined ? [] : [`    api_key: ${apiKey}`])]),
    '',
  ].join('\n');
}

interface UpstreamRow {
  model: string;
  url: string;
  state: string;
  in_flight: number;
}

async function upstreamStates(proxy: Harness): Promise<UpstreamRow[]> {
  const body = (await (await fetch(`${proxy.sidecar.url}/readyz`)).json()) as { upstreams: UpstreamRow[] };
  return body.upstreams;
}

async function stateOf(proxy: Harness, url: string): Promise<string | undefined> {
  return (await upstreamStates(proxy)).find((row) => row.url === url)?.state;
}

/** The data of each SSE event in a whole streamed body. */
function sseEvents(text: string): string[] {
  return text
    .split('\n\n')
    .map((event) => event.trim())
    .filter((event) => event !== '')
    .map((event) => event.replace(/^data: /, ''));
}

let running: Array<{ close(): Promise<void> }> = [];
afterEach(async () => {
  await Promise.all(running.map((item) => item.close().catch(() => undefined)));
  running = [];
});

async function fleet(upstreamOptions: HarnessOptions[] = [{}, {}], proxyOptions: HarnessOptions = {}, apiKey?: string): Promise<{ upstreams: Upstream[]; proxy: Harness }> {
  const upstreams = await Promise.all(upstreamOptions.map((options) => startUpstream(options)));
  running.push(...upstreams.map((u) => u.harness));
  // The first as its /v1 base (as vLLM's docs write it), the others as the server root.
  const urls = upstreams.map((u, index) => (index === 0 ? `${u.harness.sidecar.url}/v1` : u.harness.sidecar.url));
  const proxy = await startHarness({ ...proxyOptions, models: {}, files: { 'fleet.yaml': fleetYaml(urls, apiKey) } });
  running.push(proxy);
  return { upstreams, proxy };
}

describe('remote models: a sidecar in front of other sidecars', () => {
  it('lists the remote model, reports its upstreams up, and answers through them', async () => {
    const { upstreams, proxy } = await fleet();
    const models = await proxy.client.models.list();
    expect(models.data.map((m) => [m.id, m.owned_by])).toEqual([['fleet', 'remote']]);
    await vi.waitFor(async () => expect((await upstreamStates(proxy)).map((row) => row.state)).toEqual(['up', 'up']), WAIT);
    expect((await upstreamStates(proxy)).map((row) => row.url)).toEqual(upstreams.map((u) => u.harness.sidecar.url));

    const reply = await proxy.client.chat.completions.create({ model: 'fleet', messages: [{ role: 'user', content: 'Hi' }], max_tokens: 8, temperature: 0, logit_bias: BAN_HIGH_BYTES });
    expect(reply.model).toBe('fleet');
    expect(reply.usage?.completion_tokens).toBeGreaterThan(0);
    const completion = await proxy.client.completions.create({ model: 'fleet', prompt: 'Once', max_tokens: 4, temperature: 0, logit_bias: BAN_HIGH_BYTES });
    expect(completion.model).toBe('fleet');
    const embedding = await proxy.client.embeddings.create({ model: 'fleet', input: ['one', 'two'] });
    expect(embedding.data).toHaveLength(2);
    expect(embedding.model).toBe('fleet');

    // An upstream's own 4xx comes back as it was (the proxy does not validate forwarded requests).
    const bad = await post(proxy.baseURL, '/chat/completions', { model: 'fleet', messages: 'not a list' });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { param: string } }).error.param).toBe('messages');
    // Routes that are not forwarded say so instead of failing to load a "openai" engine.
    const ollama = await post(proxy.sidecar.url, '/api/chat', { model: 'fleet', messages: [{ role: 'user', content: 'Hi' }] });
    expect(ollama.status).toBe(400);
    expect(await ollama.text()).toContain('/v1/chat/completions');

    const metrics = await (await fetch(`${proxy.sidecar.url}/metrics`)).text();
    expect(metrics).toMatch(/hearth_upstream_requests_total\{model="fleet",upstream="http:\/\/127\.0\.0\.1:\d+"\} [1-9]/);
  });

  it('spreads concurrent requests by in-flight count (2 and 2 over two upstreams)', async () => {
    const { upstreams, proxy } = await fleet();
    const streams = await Promise.all(
      Array.from({ length: 4 }, async (_, i) => {
        const response = await post(proxy.baseURL, '/completions', { model: 'fleet', prompt: `Go on ${i}:`, stream: true, ...NEVER_ENDING });
        expect(response.status).toBe(200);
        const reader = response.body!.getReader();
        await reader.read();
        return reader;
      }),
    );
    // Measured at both ends: the proxy's in-flight count and the generations each upstream runs.
    expect((await upstreamStates(proxy)).map((row) => row.in_flight)).toEqual([2, 2]);
    expect(upstreams.map((u) => u.probe.generations.length)).toEqual([2, 2]);
    await Promise.all(streams.map((reader) => reader.cancel()));
    await vi.waitFor(async () => expect((await upstreamStates(proxy)).map((row) => row.in_flight)).toEqual([0, 0]), WAIT);
  });

  it('a stream through the proxy matches the upstream stream chunk for chunk', async () => {
    const { upstreams, proxy } = await fleet([{}]);
    const body = { prompt: 'The sea', max_tokens: 24, temperature: 0, seed: 7, stream: true, logit_bias: BAN_HIGH_BYTES };
    const direct = sseEvents(await (await post(upstreams[0]!.harness.baseURL, '/completions', { ...body, model: 'tiny.gguf' })).text());
    const proxied = sseEvents(await (await post(proxy.baseURL, '/completions', { ...body, model: 'fleet' })).text());
    const comparable = (events: string[]) => events.map((data) => (data === '[DONE]' ? data : JSON.stringify({ ...(JSON.parse(data) as object), id: '', created: 0, model: '' })));
    expect(proxied.length).toBeGreaterThan(3);
    expect(comparable(proxied)).toEqual(comparable(direct));
    // The client's name for the model in every chunk, the upstream's in none.
    for (const data of proxied.slice(0, -1)) expect((JSON.parse(data) as { model: string }).model).toBe('fleet');
  });

  it('a client that leaves a stream stops the generation on the upstream', async () => {
    const { upstreams, proxy } = await fleet([{}]);
    const response = await post(proxy.baseURL, '/chat/completions', { model: 'fleet', messages: [{ role: 'user', content: 'Talk' }], stream: true, ...NEVER_ENDING });
    const reader = response.body!.getReader();
    await reader.read();
    await reader.read();
    const generation = await vi.waitFor(() => {
      const [first] = upstreams[0]!.probe.generations;
      expect(first?.tokens).toBeGreaterThan(0);
      return first;
    }, WAIT);
    await reader.cancel();
    await vi.waitFor(() => expect(generation?.ended).toBe(true), WAIT);
    expect(generation!.tokens).toBeLessThan(STOPPED_SOON);
    await vi.waitFor(async () => expect((await upstreamStates(proxy))[0]?.in_flight).toBe(0), WAIT);
  });

  it('an upstream killed mid-run: requests it had not started answering are retried, it goes down, and comes back up when restarted', async () => {
    const { upstreams, proxy } = await fleet();
    const [a, b] = upstreams as [Upstream, Upstream];
    const bUrl = b.harness.sidecar.url;
    await vi.waitFor(async () => expect((await upstreamStates(proxy)).map((row) => row.state)).toEqual(['up', 'up']), WAIT);

    // A stream already under way on b, which its death must end with an error event.
    const started = await Promise.all(
      [0, 1].map(async (i) => {
        const response = await post(proxy.baseURL, '/completions', { model: 'fleet', prompt: `Long ${i}`, stream: true, ...NEVER_ENDING });
        const reader = response.body!.getReader();
        await reader.read();
        return reader;
      }),
    );
    // b now holds what it is sent, as an upstream that has not started answering.
    b.probe.hold = true;
    const before = b.probe.generations.length;
    const pending = [
      ...[0, 1, 2, 3].map((i) => proxy.client.chat.completions.create({ model: 'fleet', messages: [{ role: 'user', content: `Q${i}` }], max_tokens: 6, temperature: 0, logit_bias: BAN_HIGH_BYTES })),
      ...[0, 1].map(async (i) => {
        const stream = await proxy.client.completions.create({ model: 'fleet', prompt: `S${i}`, max_tokens: 6, temperature: 0, stream: true, logit_bias: BAN_HIGH_BYTES });
        let text = '';
        for await (const chunk of stream) text += chunk.choices[0]?.text ?? '';
        return text;
      }),
    ];
    await vi.waitFor(() => expect(b.probe.generations.length - before).toBeGreaterThanOrEqual(2), WAIT);

    await b.harness.close();
    running = running.filter((item) => item !== b.harness);
    // Not one of them fails: those held on b had sent no byte yet, and went to a.
    const results = await Promise.allSettled(pending);
    expect(results.filter((result) => result.status === 'rejected')).toEqual([]);
    await vi.waitFor(async () => expect(await stateOf(proxy, bUrl)).toBe('down'), WAIT);
    const metrics = await (await fetch(`${proxy.sidecar.url}/metrics`)).text();
    const errors = new RegExp(`hearth_upstream_errors_total\\{model="fleet",upstream="${bUrl.replaceAll('.', '\\.')}"\\} ([0-9]+)`).exec(metrics);
    expect(Number(errors?.[1])).toBeGreaterThanOrEqual(1);

    // The stream that had started on b ends with an OpenAI-shaped error event; the one on a goes on.
    // b is stopped as Ctrl-C stops a sidecar, so its own "shutting down" event comes through the
    // proxy; a connection cut mid-stream (a crash) becomes the proxy's upstream_failed instead
    // (test/unit/upstream-pool.test.ts).
    const tails = await Promise.all(
      started.map(async (reader) => {
        let text = '';
        const decoder = new TextDecoder();
        for (;;) {
          const { done, value } = await Promise.race([reader.read(), new Promise<{ done: true; value: undefined }>((resolve) => setTimeout(() => resolve({ done: true, value: undefined }), 3000))]);
          if (done) break;
          text += decoder.decode(value);
          if (/upstream_failed|server_shutting_down/.test(text)) break;
        }
        await reader.cancel();
        return text;
      }),
    );
    expect(tails.filter((text) => /"code":"(upstream_failed|server_shutting_down)"/.test(text))).toHaveLength(1);

    const restarted = await startUpstream({}, b.harness.sidecar.port);
    running.push(restarted.harness);
    await vi.waitFor(async () => expect(await stateOf(proxy, bUrl)).toBe('up'), WAIT);
    // Back in the rotation: of two concurrent requests, it takes one.
    await Promise.all([0, 1].map((i) => proxy.client.completions.create({ model: 'fleet', prompt: `Back ${i}`, max_tokens: 4, temperature: 0, logit_bias: BAN_HIGH_BYTES })));
    expect(restarted.probe.generations.length).toBeGreaterThanOrEqual(1);
    expect(a.probe.generations.length).toBeGreaterThan(0);
  });

  it('sends each upstream its own key from the environment, never the client key', async () => {
    process.env['HEARTH_TEST_UPSTREAM_KEY'] = 'upstream-secret';
    try {
      // The proxy's config names the variable; the upstream wants its value, and would refuse the proxy's own key.
      const { proxy } = await fleet([{ sidecar: { apiKeys: ['upstream-secret'] } }], { sidecar: { apiKeys: ['proxy-key'] }, apiKey: 'proxy-key' }, '${HEARTH_TEST_UPSTREAM_KEY}');
      const reply = await proxy.client.completions.create({ model: 'fleet', prompt: 'Key', max_tokens: 4, temperature: 0, logit_bias: BAN_HIGH_BYTES });
      expect(reply.model).toBe('fleet');
      const readyz = await (await fetch(`${proxy.sidecar.url}/readyz`)).text();
      expect(readyz).not.toContain('upstream-secret');
      expect(proxy.log.join('\n')).not.toContain('upstream-secret');
    } finally {
      delete process.env['HEARTH_TEST_UPSTREAM_KEY'];
    }
  });

  it('a broken upstreams list is a clear config problem, not an unsupported backend', async () => {
    const proxy = await startHarness({ files: { 'bad.yaml': 'name: bad\nbackend: remote\nupstreams:\n  - url: ftp://x\n' } });
    running.push(proxy);
    const response = await post(proxy.baseURL, '/chat/completions', { model: 'bad', messages: [{ role: 'user', content: 'Hi' }] });
    const body = (await response.json()) as { error: { message: string; code: string } };
    expect(body.error.code).toBe('invalid_model_config');
    expect(body.error.message).toContain("'upstreams[0].url' must be an http:// or https:// URL");
  });
});
