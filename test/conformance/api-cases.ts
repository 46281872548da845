// The API conformance cases, written once and run against every surface (see ConformanceTarget).
// Models are random-weight fixtures: cases assert shapes, counts and determinism, not meaning.
import { describe, expect, it } from 'vitest';
import type { ConformanceTarget } from './conformance-target.js';
import { BAN_HIGH_BYTES, NEVER_END } from '../fixtures/byte-ban.js';
import { parsePrometheusText, sampleSum } from '../fixtures/prometheus-text.js';

const GREEDY = { temperature: 0, logit_bias: BAN_HIGH_BYTES } as const;

async function sseEvents(response: Response): Promise<string[]> {
  const text = await response.text();
  return text
    .split('\n\n')
    .filter((block) => block.trim() !== '')
    .map((block) => {
      expect(block.startsWith('data: ')).toBe(true);
      return block.slice('data: '.length);
    });
}

export function defineApiConformance(surface: string, target: () => ConformanceTarget): void {
  describe(`OpenAI API conformance: ${surface}`, () => {
    it('lists models', async () => {
      const { client, model } = target();
      const page = await client.models.list();
      expect(page.data.map((m) => m.id)).toContain(model);
      for (const m of page.data) expect(m.object).toBe('model');
    });

    it('chat completion: shape, exact usage, finish_reason length', async () => {
      const { client, model } = target();
      const reply = await client.chat.completions.create({ model, messages: [{ role: 'user', content: 'Hello' }], max_tokens: 12, ...GREEDY });
      expect(reply.object).toBe('chat.completion');
      expect(reply.id).toMatch(/^chatcmpl-/);
      expect(reply.choices).toHaveLength(1);
      const [choice] = reply.choices;
      expect(choice?.message.role).toBe('assistant');
      expect(typeof choice?.message.content).toBe('string');
      expect(['stop', 'length']).toContain(choice?.finish_reason);
      expect(reply.usage?.prompt_tokens).toBeGreaterThan(0);
      expect(reply.usage?.total_tokens).toBe((reply.usage?.prompt_tokens ?? 0) + (reply.usage?.completion_tokens ?? 0));
      if (choice?.finish_reason === 'length') expect(reply.usage?.completion_tokens).toBe(12);
    });

    it('max_tokens ends with finish_reason "length" and completion_tokens equal to it', async () => {
      const { client, model } = target();
      const reply = await client.completions.create({ model, prompt: 'Once upon a time', max_tokens: 7, temperature: 0, logit_bias: NEVER_END });
      expect(reply.object).toBe('text_completion');
      expect(reply.choices[0]?.finish_reason).toBe('length');
      expect(reply.usage?.completion_tokens).toBe(7);
      const chat = await client.chat.completions.create({ model, messages: [{ role: 'user', content: 'Hello' }], max_tokens: 5, temperature: 0, logit_bias: NEVER_END });
      expect(chat.choices[0]?.finish_reason).toBe('length');
      expect(chat.usage?.completion_tokens).toBe(5);
    });

    it('chat streaming: role first, one id, one token per chunk, [DONE], usage on request', async () => {
      const { rawFetch, model } = target();
      const response = await rawFetch('/chat/completions', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ model, messages: [{ role: 'user', content: 'Hi' }], max_tokens: 10, stream: true, stream_options: { include_usage: true }, ...GREEDY }),
      });
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
      const events = await sseEvents(response);
      expect(events.at(-1)).toBe('[DONE]');
      const chunks = events.slice(0, -1).map((e) => JSON.parse(e) as { id: string; object: string; choices: Array<{ delta: { role?: string; content?: string }; finish_reason: string | null }>; usage?: { completion_tokens: number; prompt_tokens: number; total_tokens: number } | null });
      expect(new Set(chunks.map((c) => c.id)).size).toBe(1);
      for (const c of chunks) expect(c.object).toBe('chat.completion.chunk');
      expect(chunks[0]?.choices[0]?.delta.role).toBe('assistant');
      const contentChunks = chunks.filter((c) => (c.choices[0]?.delta.content ?? '') !== '');
      const usageChunk = chunks.at(-1);
      expect(usageChunk?.choices).toEqual([]);
      expect(usageChunk?.usage?.total_tokens).toBe((usageChunk?.usage?.prompt_tokens ?? 0) + (usageChunk?.usage?.completion_tokens ?? 0));
      // one token per chunk: never more content chunks than tokens, and more than one when several tokens came
      expect(contentChunks.length).toBeLessThanOrEqual(usageChunk?.usage?.completion_tokens ?? 0);
      expect(contentChunks.length).toBeGreaterThanOrEqual((usageChunk?.usage?.completion_tokens ?? 0) - 1);
      const finish = chunks.filter((c) => c.choices[0]?.finish_reason);
      expect(finish).toHaveLength(1);
    });

    it('streamed and non-streamed greedy chat give the same text (SDK stream helper)', async () => {
      const { client, model } = target();
      const body = { model, messages: [{ role: 'user' as const, content: 'Tell me a story' }], max_tokens: 16, ...GREEDY };
      const whole = await client.chat.completions.create(body);
      const stream = await client.chat.completions.create({ ...body, stream: true });
      let text = '';
      for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
      expect(text).toBe(whole.choices[0]?.message.content);
    });

    it('greedy decoding is deterministic', async () => {
      const { client, model } = target();
      const body = { model, prompt: 'The capital of France is', max_tokens: 24, ...GREEDY };
      const [a, b] = await Promise.all([client.completions.create(body), client.completions.create(body)]);
      expect(a.choices[0]?.text).toBe(b.choices[0]?.text);
      expect(a.choices[0]?.text.length).toBeGreaterThan(0);
    });

    it('top_k 1 or a tiny top_p leaves only the likeliest token: the greedy text even at temperature 1.5', async () => {
      const { client, model } = target();
      const body = { model, prompt: 'The capital of France is', max_tokens: 16, logit_bias: NEVER_END };
      const greedy = (await client.completions.create({ ...body, temperature: 0 })).choices[0]?.text;
      const hot = { ...body, temperature: 1.5, seed: 7, top_k: 0, top_p: 1 };
      expect((await client.completions.create(hot)).choices[0]?.text).not.toBe(greedy);
      // top_k and top_p are LocalAI extensions to this OpenAI request type
      expect((await client.completions.create({ ...hot, top_k: 1 } as typeof body)).choices[0]?.text).toBe(greedy);
      expect((await client.completions.create({ ...hot, top_p: 1e-6 } as typeof body)).choices[0]?.text).toBe(greedy);
    });

    it('repeat_penalty, frequency_penalty and presence_penalty change a greedy reply, deterministically', async () => {
      const { client, model } = target();
      const body = { model, prompt: 'The sky is', max_tokens: 32, temperature: 0, logit_bias: NEVER_END };
      const plain = (await client.completions.create(body)).choices[0]?.text;
      const penalized = { ...body, frequency_penalty: 0.5, presence_penalty: 0.5, repeat_penalty: 1.5 };
      // repeat_penalty is a LocalAI extension to this OpenAI request type
      const [a, b] = await Promise.all([client.completions.create(penalized as typeof body), client.completions.create(penalized as typeof body)]);
      expect(a.choices[0]?.text).toBe(b.choices[0]?.text);
      expect(a.choices[0]?.text).not.toBe(plain);
    });

    it('a fixed seed gives the same text at temperature > 0; n > 1 gives n choices', async () => {
      const { client, model } = target();
      const body = { model, messages: [{ role: 'user' as const, content: 'Say something' }], max_tokens: 16, temperature: 0.9, seed: 42, n: 2, logit_bias: BAN_HIGH_BYTES };
      const a = await client.chat.completions.create(body);
      const b = await client.chat.completions.create(body);
      expect(a.choices.map((c) => c.index)).toEqual([0, 1]);
      expect(a.choices.map((c) => c.message.content)).toEqual(b.choices.map((c) => c.message.content));
      expect(a.usage?.completion_tokens).toBe(b.usage?.completion_tokens);
    });

    it('stop words end the text before the stop word with finish_reason "stop"', async () => {
      const { client, model } = target();
      const free = await client.completions.create({ model, prompt: 'abc', max_tokens: 24, temperature: 0, logit_bias: NEVER_END });
      const text = free.choices[0]?.text ?? '';
      expect(text.length).toBeGreaterThanOrEqual(8);
      // pick a stop word from the middle of what the model says anyway
      const stop = text.slice(4, 6);
      const stopped = await client.completions.create({ model, prompt: 'abc', max_tokens: 24, stop: [stop, 'never-appears'], temperature: 0, logit_bias: NEVER_END });
      expect(stopped.choices[0]?.finish_reason).toBe('stop');
      expect(stopped.choices[0]?.text).toBe(text.slice(0, text.indexOf(stop)));
      expect(stopped.choices[0]?.text).not.toContain(stop);
    });

    it('completions: list of prompts, echo, streaming', async () => {
      const { client, model } = target();
      const reply = await client.completions.create({ model, prompt: ['One', 'Two'], max_tokens: 4, echo: true, n: 2, ...GREEDY });
      expect(reply.choices.map((c) => c.index)).toEqual([0, 1, 2, 3]);
      expect(reply.choices[0]?.text.startsWith('One')).toBe(true);
      expect(reply.choices[2]?.text.startsWith('Two')).toBe(true);
      const stream = await client.completions.create({ model, prompt: 'Three', max_tokens: 4, stream: true, ...GREEDY });
      const parts: string[] = [];
      let finish: string | null = null;
      for await (const chunk of stream) {
        expect(chunk.object).toBe('text_completion');
        parts.push(chunk.choices[0]?.text ?? '');
        finish = chunk.choices[0]?.finish_reason ?? finish;
      }
      const whole = await client.completions.create({ model, prompt: 'Three', max_tokens: 4, ...GREEDY });
      expect(parts.join('')).toBe(whole.choices[0]?.text);
      expect(finish).toBe(whole.choices[0]?.finish_reason);
    });

    it('edits return an edit object', async () => {
      const { rawFetch, model } = target();
      const response = await rawFetch('/edits', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ model, instruction: 'rephrase', input: 'Black cat jumped out of the window', max_tokens: 8, ...GREEDY }),
      });
      expect(response.status).toBe(200);
      const edit = (await response.json()) as { object: string; choices: Array<{ text: string; index: number }>; usage: { prompt_tokens: number } };
      expect(edit.object).toBe('edit');
      expect(edit.choices[0]?.index).toBe(0);
      expect(typeof edit.choices[0]?.text).toBe('string');
      expect(edit.usage.prompt_tokens).toBeGreaterThan(0);
    });

    it('embeddings: one vector per input, same length, deterministic, float and base64', async () => {
      const { client, model } = target();
      const a = await client.embeddings.create({ model, input: ['hello world', 'another text'] });
      expect(a.data).toHaveLength(2);
      const dims = a.data[0]?.embedding.length ?? 0;
      expect(dims).toBeGreaterThan(0);
      expect(a.data[1]?.embedding).toHaveLength(dims);
      expect(a.usage.prompt_tokens).toBeGreaterThan(0);
      const floats = await client.embeddings.create({ model, input: 'hello world', encoding_format: 'float' });
      // the SDK's default is base64 (decoded to float32): equal up to float32 rounding
      const b64 = a.data[0]?.embedding ?? [];
      floats.data[0]?.embedding.forEach((v, i) => expect(b64[i]).toBeCloseTo(v, 5));
      const again = await client.embeddings.create({ model, input: 'hello world', encoding_format: 'float' });
      expect(again.data[0]?.embedding).toEqual(floats.data[0]?.embedding);
    });

    it('bad input gets OpenAI-style 400s naming the param', async () => {
      const { rawFetch, model } = target();
      const cases: Array<[string, string, string | null]> = [
        ['/chat/completions', '{"model": "x", "messages": [', null],
        ['/chat/completions', JSON.stringify({ model, messages: [] }), 'messages'],
        ['/chat/completions', JSON.stringify({ model, messages: 'hi' }), 'messages'],
        ['/chat/completions', JSON.stringify({ model, messages: [{ role: 'wizard', content: 'hi' }] }), 'messages[0].role'],
        ['/chat/completions', JSON.stringify({ model, messages: [{ role: 'user', content: 'hi' }], n: 0 }), 'n'],
        ['/chat/completions', JSON.stringify({ model, messages: [{ role: 'user', content: 'hi' }], max_tokens: -5 }), 'max_tokens'],
        ['/chat/completions', JSON.stringify({ model, messages: [{ role: 'user', content: 'hi' }], temperature: 'hot' }), 'temperature'],
        ['/completions', JSON.stringify({ model, prompt: 42 }), 'prompt'],
        ['/completions', JSON.stringify({ model }), 'prompt'],
        ['/embeddings', JSON.stringify({ model, input: [] }), 'input'],
        ['/edits', JSON.stringify({ model, input: 'text' }), 'instruction'],
      ];
      for (const [route, body, param] of cases) {
        const response = await rawFetch(route, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
        expect(response.status, `${route} ${body}`).toBe(400);
        const json = (await response.json()) as { error: { message: string; type: string; param: string | null; code: string | null } };
        expect(json.error.type).toBe('invalid_request_error');
        expect(json.error.message.length).toBeGreaterThan(10);
        expect(json.error.param, body).toBe(param);
      }
    });

    it('a prompt longer than the context is a 400 exceed_context_size_error', async () => {
      const { client, model } = target();
      const long = 'lorem ipsum dolor sit amet '.repeat(400);
      const error = await client.completions.create({ model, prompt: long, max_tokens: 4 }).catch((e: unknown) => e);
      expect(error).toMatchObject({ status: 400, error: { type: 'exceed_context_size_error', param: 'prompt' } });
    });

    it('every route answers the same without /v1 (LocalAI\'s aliases), and /healthz and /readyz answer', async () => {
      const { rawFetch, rootFetch, model } = target();
      const post = (body: object): RequestInit => ({ method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
      const chat = { model, messages: [{ role: 'user', content: 'Hello' }], max_tokens: 6, ...GREEDY };
      const completion = { model, prompt: 'Once upon a time', max_tokens: 6, ...GREEDY };
      const pairs: Array<[string, RequestInit | undefined, (body: any) => unknown]> = [
        ['/chat/completions', post(chat), (body) => [body.object, body.choices[0].message.content, body.usage]],
        ['/completions', post(completion), (body) => [body.object, body.choices[0].text, body.usage]],
        ['/models', undefined, (body) => body.data.map((m: { id: string }) => m.id)],
      ];
      for (const [route, init, essence] of pairs) {
        const [prefixed, bare] = [await rawFetch(route, init), await rootFetch(route, init)];
        expect([prefixed.status, bare.status], route).toEqual([200, 200]);
        expect(essence(await bare.json()), route).toEqual(essence(await prefixed.json()));
      }
      const bareStream = await rootFetch('/chat/completions', post({ ...chat, stream: true }));
      expect((await sseEvents(bareStream)).at(-1)).toBe('[DONE]');
      expect((await rootFetch('/embeddings', post({ model, input: 'hi' }))).status).toBe(200);
      const health = await rootFetch('/healthz');
      expect([health.status, await health.json()]).toEqual([200, { status: 'ok' }]);
      const ready = await rootFetch('/readyz');
      expect(ready.status).toBe(200);
      const readiness = (await ready.json()) as { status: string; models: Array<{ name: string; backend: string; device: string }> };
      expect(readiness.status).toBe('ready');
      expect(readiness.models).toContainEqual({ name: model, backend: expect.any(String), device: expect.any(String) });
      expect((await rootFetch('/readyz', { method: 'POST' })).status).toBe(405);
    });

    it('/metrics answers Prometheus text whose counters move as requests run', async () => {
      const { client, rootFetch, model } = target();
      const scrape = async () => {
        const response = await rootFetch('/metrics');
        expect(response.status).toBe(200);
        expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
        return parsePrometheusText(await response.text());
      };
      const before = await scrape();
      const reply = await client.completions.create({ model, prompt: 'Once upon a time', max_tokens: 5, temperature: 0, logit_bias: NEVER_END });
      const after = await scrape();
      const moved = (name: string, labels: Record<string, string> = {}) => sampleSum(after, name, labels) - sampleSum(before, name, labels);
      expect(moved('hearth_requests_total', { route: '/completions', method: 'POST', status: '200' })).toBe(1);
      expect(moved('hearth_generated_tokens_total')).toBe(reply.usage?.completion_tokens);
      expect(moved('hearth_prompt_tokens_total')).toBe(reply.usage?.prompt_tokens);
      expect(moved('hearth_time_to_first_token_seconds_count')).toBe(1);
      expect(moved('hearth_time_per_output_token_seconds_count')).toBe(4);
      expect(after.some((s) => s.name === 'hearth_model_loaded' && s.value === 1)).toBe(true);
      expect(after.some((s) => s.name === 'hearth_slots' && s.value >= 1)).toBe(true);
    });

    it('a repeated prompt reuses the cached prefix (counted in /metrics) with the same greedy text; cache_prompt: false does not', async () => {
      const { rawFetch, rootFetch, model } = target();
      const prompt = 'A shared system prompt that many requests repeat word for word, then a question. '.repeat(2);
      const complete = async (extra: object) => {
        const response = await rawFetch('/completions', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ model, prompt, max_tokens: 8, ...GREEDY, ...extra }),
        });
        expect(response.status).toBe(200);
        return ((await response.json()) as { choices: Array<{ text: string }> }).choices[0]?.text;
      };
      const hits = async () => sampleSum(parsePrometheusText(await (await rootFetch('/metrics')).text()), 'hearth_prompt_cache_hit_tokens_total', { model });
      const cold = await complete({ cache_prompt: false });
      await complete({});
      const before = await hits();
      expect(await complete({})).toBe(cold);
      const cached = await hits();
      expect(cached - before).toBeGreaterThan(10);
      expect(await complete({ cache_prompt: false })).toBe(cold);
      expect(await hits()).toBe(cached);
    });

    it('unknown routes are 404 JSON, wrong methods 405', async () => {
      const { rawFetch } = target();
      const missing = await rawFetch('/nope');
      expect(missing.status).toBe(404);
      expect(((await missing.json()) as { error: { type: string } }).error.type).toBe('not_found_error');
      const wrong = await rawFetch('/chat/completions', { method: 'GET' });
      expect(wrong.status).toBe(405);
      expect(((await wrong.json()) as { error: { message: string } }).error.message).toMatch(/POST/);
    });
  });
}
