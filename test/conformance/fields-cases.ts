// Request fields and the small routes, on every surface: logprobs in OpenAI's shapes (checked with
// the official client), llama.cpp's sampling fields honoured or refused by name, unknown fields
// ignored, models.retrieve, tokenize/detokenize and /version. Random-weight models: the cases
// check shapes, consistency and determinism, not meaning.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import OpenAI from 'openai';
import type { ConformanceTarget } from './conformance-target.js';
import { BAN_HIGH_BYTES, NEVER_END } from '../fixtures/byte-ban.js';
import { AI_SDK_OPENAI_CHAT, LANGCHAIN_CHAT_OPENAI, OPENAI_EXTRAS } from '../fixtures/client-default-bodies.js';

/** What a surface's engine can do beyond the core, as its README row says. */
export interface FieldSurface {
  /** typical_p and mirostat (llama-server's samplers in wllama; node-llama-cpp 3.21 has neither). */
  typicalAndMirostat: boolean;
  /** /v1/tokenize and /v1/detokenize (node-llama-cpp has a tokenizer API; wllama 3 has none). */
  tokenizer: boolean;
}

const PACKAGE_VERSION = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;

type TopEntry = { token: string; logprob: number; bytes: number[] | null };
type ChatEntry = TopEntry & { top_logprobs: TopEntry[] };

/** Logprobs are natural logs of probabilities, each alternative list sorted, the chosen token's value the same in its list. */
function expectSaneChatEntries(entries: readonly ChatEntry[], topCount: number, greedy: boolean): void {
  for (const entry of entries) {
    expect(typeof entry.token).toBe('string');
    expect(entry.logprob).toBeLessThanOrEqual(0);
    expect(Array.isArray(entry.bytes)).toBe(true);
    for (const byte of entry.bytes ?? []) expect(Number.isInteger(byte) && byte >= 0 && byte < 256).toBe(true);
    expect(entry.top_logprobs.length).toBeLessThanOrEqual(topCount);
    expect(entry.top_logprobs.length).toBeGreaterThan(0);
    for (const [i, alt] of entry.top_logprobs.entries()) {
      expect(alt.logprob).toBeLessThanOrEqual(0);
      if (i > 0) expect(alt.logprob).toBeLessThanOrEqual(entry.top_logprobs[i - 1]?.logprob ?? 0);
    }
    const same = entry.top_logprobs.find((alt) => alt.token === entry.token);
    if (same !== undefined) expect(same.logprob).toBeCloseTo(entry.logprob, 5);
    // Greedy decoding picks the likeliest token: it heads the list.
    if (greedy) {
      expect(entry.top_logprobs[0]?.token).toBe(entry.token);
      expect(entry.top_logprobs[0]?.logprob).toBeCloseTo(entry.logprob, 5);
    }
  }
}

export function defineFieldConformance(surface: string, target: () => ConformanceTarget, can: FieldSurface): void {
  describe(`request fields and small routes: ${surface}`, () => {
    const chatBody = (model: string) => ({ model, messages: [{ role: 'user' as const, content: 'Tell me a story' }], max_tokens: 8, temperature: 0, logit_bias: NEVER_END });

    it('chat logprobs: choices[].logprobs.content[] with token, logprob, bytes and top_logprobs, one per token', async () => {
      const { client, model } = target();
      const reply = await client.chat.completions.create({ ...chatBody(model), logprobs: true, top_logprobs: 3 });
      const choice = reply.choices[0];
      const content = choice?.logprobs?.content ?? [];
      expect(choice?.finish_reason).toBe('length');
      expect(content).toHaveLength(reply.usage?.completion_tokens ?? -1);
      expectSaneChatEntries(content, 3, true);
      expect(content.map((entry) => entry.token).join('')).toBe(choice?.message.content);
      // Without logprobs, none.
      const plain = await client.chat.completions.create(chatBody(model));
      expect(plain.choices[0]?.logprobs).toBeNull();
      expect(plain.choices[0]?.message.content).toBe(choice?.message.content);
    });

    it('chat logprobs streamed: each content chunk carries its tokens; together the same tokens as unstreamed', async () => {
      const { client, model } = target();
      const whole = await client.chat.completions.create({ ...chatBody(model), logprobs: true, top_logprobs: 2 });
      const stream = await client.chat.completions.create({ ...chatBody(model), logprobs: true, top_logprobs: 2, stream: true });
      const entries: ChatEntry[] = [];
      let text = '';
      for await (const chunk of stream) {
        const choice = chunk.choices[0];
        text += choice?.delta.content ?? '';
        if ((choice?.delta.content ?? '') !== '') expect(choice?.logprobs?.content?.length ?? 0).toBeGreaterThan(0);
        entries.push(...(choice?.logprobs?.content ?? []));
      }
      expect(text).toBe(whole.choices[0]?.message.content);
      expect(entries.map((entry) => entry.token)).toEqual(whole.choices[0]?.logprobs?.content?.map((entry) => entry.token));
      expectSaneChatEntries(entries, 2, true);
    });

    it('chat logprobs at temperature > 0: the sampled token is not always the top one, but its value is in the list', async () => {
      const { client, model } = target();
      const reply = await client.chat.completions.create({ ...chatBody(model), max_tokens: 16, temperature: 1.5, seed: 3, top_k: 0, top_p: 1, logprobs: true, top_logprobs: 20 } as OpenAI.ChatCompletionCreateParamsNonStreaming);
      expectSaneChatEntries(reply.choices[0]?.logprobs?.content ?? [], 20, false);
    });

    it('completions logprobs: N gives tokens, token_logprobs, top_logprobs and text_offset (echo shifts the offsets)', async () => {
      const { client, model } = target();
      const body = { model, prompt: 'Once upon a time', max_tokens: 8, temperature: 0, logit_bias: NEVER_END, logprobs: 2 };
      const reply = await client.completions.create(body);
      const choice = reply.choices[0];
      const logprobs = choice?.logprobs;
      expect(logprobs?.tokens).toHaveLength(8);
      expect(logprobs?.tokens?.join('')).toBe(choice?.text);
      expect(logprobs?.token_logprobs).toHaveLength(8);
      for (const value of logprobs?.token_logprobs ?? []) expect(value).toBeLessThanOrEqual(0);
      expect(logprobs?.top_logprobs).toHaveLength(8);
      for (const [i, top] of (logprobs?.top_logprobs ?? []).entries()) {
        const values = Object.values(top);
        expect(values.length).toBeGreaterThan(0);
        expect(values.length).toBeLessThanOrEqual(2);
        // Greedy: the chosen token is the likeliest alternative.
        expect(Math.max(...values)).toBeCloseTo(logprobs?.token_logprobs?.[i] ?? 1, 5);
      }
      let offset = 0;
      for (const [i, token] of (logprobs?.tokens ?? []).entries()) {
        expect(logprobs?.text_offset?.[i]).toBe(offset);
        offset += token.length;
      }
      const echoed = await client.completions.create({ ...body, echo: true });
      expect(echoed.choices[0]?.logprobs?.text_offset?.[0]).toBe(body.prompt.length);
      const plain = await client.completions.create({ ...body, logprobs: null });
      expect(plain.choices[0]?.logprobs).toBeNull();
    });

    it('completions logprobs streamed: offsets continue across chunks', async () => {
      const { client, model } = target();
      const body = { model, prompt: 'Once upon a time', max_tokens: 8, temperature: 0, logit_bias: NEVER_END, logprobs: 1 };
      const whole = await client.completions.create(body);
      const stream = await client.completions.create({ ...body, stream: true });
      const tokens: string[] = [];
      const offsets: number[] = [];
      for await (const chunk of stream) {
        const lp = chunk.choices[0]?.logprobs;
        tokens.push(...(lp?.tokens ?? []));
        offsets.push(...(lp?.text_offset ?? []));
      }
      expect(tokens).toEqual(whole.choices[0]?.logprobs?.tokens);
      expect(offsets).toEqual(whole.choices[0]?.logprobs?.text_offset);
    });

    it('top_logprobs without logprobs, or out of range, is a 400 naming it', async () => {
      const { client, model } = target();
      await expect(client.chat.completions.create({ ...chatBody(model), top_logprobs: 2 })).rejects.toMatchObject({ status: 400, param: 'top_logprobs' });
      await expect(client.chat.completions.create({ ...chatBody(model), logprobs: true, top_logprobs: 21 })).rejects.toMatchObject({ status: 400, param: 'top_logprobs' });
    });

    it('min_p 1 keeps only the likeliest token: the greedy text even at temperature 1.5', async () => {
      const { client, model } = target();
      const body = { model, prompt: 'The capital of France is', max_tokens: 16, logit_bias: NEVER_END };
      const greedy = (await client.completions.create({ ...body, temperature: 0 })).choices[0]?.text;
      const hot = { ...body, temperature: 1.5, seed: 7, top_k: 0, top_p: 1 } as typeof body;
      expect((await client.completions.create(hot)).choices[0]?.text).not.toBe(greedy);
      expect((await client.completions.create({ ...hot, min_p: 1 } as typeof body)).choices[0]?.text).toBe(greedy);
    });

    it('repeat_last_n 0 turns the repeat penalty off; a look-back changes the reply', async () => {
      const { client, model } = target();
      const body = { model, prompt: 'The sky is', max_tokens: 32, temperature: 0, logit_bias: NEVER_END };
      const plain = (await client.completions.create(body)).choices[0]?.text;
      const penalized = { ...body, repeat_penalty: 1.5 } as typeof body;
      expect((await client.completions.create(penalized)).choices[0]?.text).not.toBe(plain);
      expect((await client.completions.create({ ...penalized, repeat_last_n: 0 } as typeof body)).choices[0]?.text).toBe(plain);
    });

    it('ignore_eos keeps generating past end-of-turn tokens until max_tokens', async () => {
      const { client, model } = target();
      // Make the end-of-turn tokens (576, 578) all but certain.
      const body = { model, messages: [{ role: 'user' as const, content: 'Hi' }], max_tokens: 6, temperature: 0, logit_bias: { ...BAN_HIGH_BYTES, '576': 100, '578': 100 } };
      const ends = await client.chat.completions.create(body);
      expect(ends.choices[0]?.finish_reason).toBe('stop');
      const runs = await client.chat.completions.create({ ...body, ignore_eos: true } as typeof body);
      expect(runs.choices[0]?.finish_reason).toBe('length');
      expect(runs.usage?.completion_tokens).toBe(6);
    });

    it('n_keep is accepted: no engine here shifts the context, so the prompt is always kept whole', async () => {
      const { client, model } = target();
      const reply = await client.chat.completions.create({ ...chatBody(model), n_keep: -1 } as OpenAI.ChatCompletionCreateParamsNonStreaming);
      expect(reply.choices[0]?.finish_reason).toBe('length');
    });

    it(`typical_p and mirostat: ${can.typicalAndMirostat ? 'honoured' : 'a 400 naming the field'}`, async () => {
      const { client, model } = target();
      const base = { ...chatBody(model), temperature: 0.8, seed: 5 };
      for (const [param, extra] of [
        ['typical_p', { typical_p: 0.5 }],
        ['mirostat', { mirostat: 2, mirostat_tau: 4, mirostat_eta: 0.2 }],
      ] as const) {
        const request = client.chat.completions.create({ ...base, ...extra } as OpenAI.ChatCompletionCreateParamsNonStreaming);
        if (can.typicalAndMirostat) expect((await request).choices[0]?.message.content?.length ?? 0).toBeGreaterThan(0);
        else await expect(request).rejects.toMatchObject({ status: 400, param, code: 'unsupported_parameter' });
      }
      // Their "off" values ask for nothing and pass everywhere.
      const off = await client.chat.completions.create({ ...base, typical_p: 1, mirostat: 0 } as OpenAI.ChatCompletionCreateParamsNonStreaming);
      expect(off.choices).toHaveLength(1);
    });

    it('Ollama options reach the same samplers: min_p, repeat_last_n, num_keep; typical_p and mirostat where the engine has them', async () => {
      const { rootFetch, model } = target();
      const generate = async (options: object): Promise<Response> =>
        rootFetch('/api/generate', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model, prompt: 'The sky is', stream: false, options: { num_predict: 8, logit_bias: NEVER_END, ...options } }) });
      const plain = await generate({ temperature: 0 });
      expect(plain.status, await plain.clone().text()).toBe(200);
      const greedy = (await plain.json()) as { response: string };
      const minP = await generate({ temperature: 1.5, seed: 7, top_k: 0, top_p: 1, min_p: 1, repeat_last_n: 0, num_keep: 4 });
      expect(minP.status, await minP.clone().text()).toBe(200);
      expect(((await minP.json()) as { response: string }).response).toBe(greedy.response);
      const typical = await generate({ temperature: 0.8, typical_p: 0.5, mirostat: 2 });
      if (can.typicalAndMirostat) expect(typical.status).toBe(200);
      else {
        expect(typical.status).toBe(400);
        expect(((await typical.json()) as { error: string }).error).toMatch(/typical_p/);
      }
    });

    it('fields that would change the reply but cannot be honoured are a 400 naming them', async () => {
      const { rawFetch, model } = target();
      const cases: Array<[string, string, object]> = [
        ['/chat/completions', 'tfz', { tfz: 0.5 }],
        ['/chat/completions', 'web_search_options', { web_search_options: {} }],
        ['/chat/completions', 'modalities', { modalities: ['text', 'audio'] }],
        ['/completions', 'best_of', { best_of: 3 }],
        ['/completions', 'suffix', { suffix: 'the end' }],
      ];
      for (const [route, param, extra] of cases) {
        const isChat = route === '/chat/completions';
        const body = { model, max_tokens: 4, ...(isChat ? { messages: [{ role: 'user', content: 'Hi' }] } : { prompt: 'Hi' }), ...extra };
        const response = await rawFetch(route, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
        expect(response.status, param).toBe(400);
        expect(((await response.json()) as { error: { param: string } }).error.param).toBe(param);
      }
    });

    it('the default bodies of LangChain, the Vercel AI SDK and the openai client get a 200 (unknown fields are ignored)', async () => {
      const { rawFetch, model } = target();
      for (const [name, fields] of Object.entries({ LANGCHAIN_CHAT_OPENAI, AI_SDK_OPENAI_CHAT, OPENAI_EXTRAS })) {
        const body = { model, messages: [{ role: 'user', content: 'What is the weather in Paris?' }], logit_bias: BAN_HIGH_BYTES, ...fields };
        const response = await rawFetch('/chat/completions', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
        expect(response.status, `${name}: ${response.status === 200 ? '' : await response.clone().text()}`).toBe(200);
        await response.text();
      }
    });

    it('grammar_json_functions (LocalAI): the reply is JSON matching one of the function schemas', async () => {
      const { rawFetch, model } = target();
      const schema = {
        oneOf: [
          {
            type: 'object',
            properties: { function: { const: 'get_weather' }, arguments: { type: 'object', properties: { city: { enum: ['Paris', 'Rome'] } }, required: ['city'], additionalProperties: false } },
            required: ['function', 'arguments'],
            additionalProperties: false,
          },
        ],
      };
      const body = { model, messages: [{ role: 'user', content: 'Weather?' }], max_tokens: 200, temperature: 0, grammar_json_functions: schema };
      const response = await rawFetch('/chat/completions', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
      expect(response.status).toBe(200);
      const reply = (await response.json()) as OpenAI.ChatCompletion;
      const parsed = JSON.parse(reply.choices[0]?.message.content ?? '') as { function: string; arguments: { city: string } };
      expect(parsed.function).toBe('get_weather');
      expect(['Paris', 'Rome']).toContain(parsed.arguments.city);
      const both = await rawFetch('/chat/completions', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ ...body, grammar: 'root ::= "x"' }) });
      expect(both.status).toBe(400);
    });

    it('models.retrieve returns the model; an unknown id is 404 model_not_found', async () => {
      const { client, model } = target();
      const found = await client.models.retrieve(model);
      expect(found).toMatchObject({ id: model, object: 'model' });
      expect(typeof found.created).toBe('number');
      await expect(client.models.retrieve('no-such-model')).rejects.toMatchObject({ status: 404, code: 'model_not_found' });
    });

    it(`tokenize and detokenize: ${can.tokenizer ? 'round trip' : 'a clear 400'}`, async () => {
      const { rawFetch, model } = target();
      const post = (route: string, body: object) => rawFetch(route, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
      const tokenized = await post('/tokenize', { model, content: 'Hello world' });
      if (!can.tokenizer) {
        expect(tokenized.status).toBe(400);
        expect(((await tokenized.json()) as { error: { code: string } }).error.code).toBe('tokenize_unsupported');
        return;
      }
      expect(tokenized.status).toBe(200);
      const { tokens } = (await tokenized.json()) as { tokens: number[] };
      expect(tokens.length).toBeGreaterThan(0);
      for (const token of tokens) expect(Number.isInteger(token)).toBe(true);
      const detokenized = await post('/detokenize', { model, tokens });
      expect(detokenized.status).toBe(200);
      expect(((await detokenized.json()) as { content: string }).content).toContain('Hello world');
      const bad = await post('/detokenize', { model, tokens: [-1] });
      expect(bad.status).toBe(400);
      const outOfRange = await post('/detokenize', { model, tokens: [10_000_000] });
      expect(outOfRange.status).toBe(400);
      expect((await post('/tokenize', { model })).status).toBe(400);
    });

    it('GET /version answers package.json\'s version', async () => {
      const { rootFetch } = target();
      const response = await rootFetch('/version');
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({ version: PACKAGE_VERSION });
    });
  });
}
