// Ollama API conformance cases, written once and run against every surface with the official
// `ollama` npm client, unmodified, whose fetch goes to the target. Random-weight models: the cases
// assert shapes, counts and determinism, not meaning.
import { Ollama, type ChatResponse, type ProgressResponse, type Tool } from 'ollama';
import { describe, expect, it } from 'vitest';
import type { ConformanceTarget } from './conformance-target.js';
import { BAN_HIGH_BYTES, NEVER_END } from '../fixtures/byte-ban.js';
import { validateJson } from './validate-json-schema.js';
import type { LoadedHub } from '../fixtures/loaded-hub.js';

/** Greedy, text only. `logit_bias` in options is Hearth's addition (Ollama has none). */
const GREEDY = { temperature: 0, logit_bias: BAN_HIGH_BYTES };

const WEATHER: Tool = {
  type: 'function',
  function: {
    name: 'get_weather',
    description: 'Current weather in a city',
    parameters: { type: 'object', properties: { city: { type: 'string', description: 'city', maxLength: 8 } as object }, required: ['city'] },
  },
};

/**
 * The tools model's config. Tool instructions are long in the byte-level vocabulary, so it gets room;
 * its YAML template turns on LocalAI's no-action mode, where every reply is a call (words come as a
 * call to "answer"), so a seeded reply calls the tool without Ollama having a tool_choice.
 */
export const OLLAMA_TOOLS_YAML = `name: tiny-tools
parameters:
  model: tiny.gguf
context_size: 2048
template:
  chat_message: |-
    <|im_start|>{{.RoleName}}
    {{.Content}}<|im_end|>
`;

/** The `ollama` client, its requests made by the target's fetch (HTTP for the sidecar, the page for the tab). */
export function ollamaClient(target: ConformanceTarget): Ollama {
  return new Ollama({
    host: 'http://127.0.0.1:1',
    fetch: (input, init) => target.rootFetch(new URL(input instanceof Request ? input.url : String(input)).pathname, init),
  });
}

function expectTimings(reply: { total_duration: number; load_duration: number; prompt_eval_duration: number; eval_duration: number }): void {
  for (const value of [reply.total_duration, reply.load_duration, reply.prompt_eval_duration, reply.eval_duration]) {
    expect(Number.isInteger(value) && value >= 0).toBe(true);
  }
  expect(reply.total_duration).toBeGreaterThanOrEqual(reply.eval_duration);
}

async function ndjsonLines(response: Response): Promise<Array<Record<string, unknown>>> {
  expect(response.headers.get('content-type')).toMatch(/^application\/x-ndjson/);
  const text = await response.text();
  expect(text.endsWith('\n')).toBe(true);
  return text.trimEnd().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
}

export function defineOllamaConformance(surface: string, target: () => ConformanceTarget, toolsModel: () => string): void {
  describe(`Ollama API conformance: ${surface}`, () => {
    const post = (path: string, body: object): Promise<Response> =>
      target().rootFetch(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

    it('version and tags list the model', async () => {
      const ollama = ollamaClient(target());
      expect((await ollama.version()).version).toMatch(/^\d+\.\d+\.\d+$/);
      const { models } = await ollama.list();
      // The tools model's YAML config stands for the file it names, which is then not listed.
      const model = models.find((m) => m.name === toolsModel());
      expect(model).toMatchObject({ model: toolsModel(), details: { format: 'gguf' } });
      expect(model?.digest).toMatch(/^[0-9a-f]{64}$/);
      // The size of the file the config names (both stores know a stored file's size).
      expect(model?.size).toBeGreaterThan(1000);
    });

    it('chat, not streaming: message, done_reason "length", exact eval_count, timings', async () => {
      const ollama = ollamaClient(target());
      const reply = await ollama.chat({ model: target().model, messages: [{ role: 'user', content: 'Hello' }], stream: false, options: { temperature: 0, num_predict: 6, logit_bias: NEVER_END } as object });
      expect(reply.model).toBe(target().model);
      expect(reply.message.role).toBe('assistant');
      expect(typeof reply.message.content).toBe('string');
      expect(reply.done).toBe(true);
      expect(reply.done_reason).toBe('length');
      expect(reply.eval_count).toBe(6);
      expect(reply.prompt_eval_count).toBeGreaterThan(0);
      expect(Number.isNaN(Date.parse(String(reply.created_at)))).toBe(false);
      expectTimings(reply);
    });

    it('chat streaming: NDJSON chunks, one done chunk last, same text as not streaming (greedy)', async () => {
      const ollama = ollamaClient(target());
      const request = { model: target().model, messages: [{ role: 'user', content: 'Hi there' }], options: { ...GREEDY, num_predict: 10 } as object };
      const whole = await ollama.chat({ ...request, stream: false });
      const parts: ChatResponse[] = [];
      for await (const part of await ollama.chat({ ...request, stream: true })) parts.push(part);
      expect(parts.at(-1)?.done).toBe(true);
      expect(parts.filter((p) => p.done)).toHaveLength(1);
      expect(parts.map((p) => p.message.content).join('')).toBe(whole.message.content);
      expect(parts.at(-1)?.eval_count).toBe(whole.eval_count);
      const lines = await ndjsonLines(await post('/api/chat', request));
      expect(lines.at(-1)).toMatchObject({ done: true, done_reason: whole.done_reason, eval_count: whole.eval_count });
    });

    it('generate: streaming and not agree; raw skips the template; stop words apply', async () => {
      const ollama = ollamaClient(target());
      const request = { model: target().model, prompt: 'Once upon a time', options: { ...GREEDY, num_predict: 8 } as object };
      const whole = await ollama.generate({ ...request, stream: false });
      expect(whole).toMatchObject({ model: target().model, done: true });
      let streamed = '';
      for await (const part of await ollama.generate({ ...request, stream: true })) streamed += part.response;
      expect(streamed).toBe(whole.response);
      const raw = await ollama.generate({ ...request, raw: true, stream: false });
      expect(raw.prompt_eval_count).toBeLessThan(whole.prompt_eval_count);
      const first = (whole.response ?? '').slice(0, 2);
      if (first.trim().length === 2) {
        const stopped = await ollama.generate({ ...request, stream: false, options: { ...GREEDY, num_predict: 8, stop: [first] } as object });
        expect(stopped.response).not.toContain(first);
      }
    });

    it('options.num_ctx bounds prompt and reply together; a prompt that does not fit is a 400', async () => {
      const ollama = ollamaClient(target());
      const request = { model: target().model, prompt: 'Once upon a time', stream: false as const };
      const free = await ollama.generate({ ...request, options: { temperature: 0, logit_bias: NEVER_END, num_predict: 20 } as object });
      const limit = free.prompt_eval_count + 5;
      const bounded = await ollama.generate({ ...request, options: { temperature: 0, logit_bias: NEVER_END, num_predict: 20, num_ctx: limit } as object });
      expect(bounded).toMatchObject({ done_reason: 'length', eval_count: 5, prompt_eval_count: free.prompt_eval_count });
      expect((free.response ?? '').startsWith(bounded.response ?? '')).toBe(true);
      await expect(ollama.generate({ ...request, options: { ...GREEDY, num_ctx: 2 } as object })).rejects.toMatchObject({ status_code: 400 });
    });

    it('format "json" and a JSON schema constrain the reply', async () => {
      const ollama = ollamaClient(target());
      const schema = { type: 'object', properties: { ok: { type: 'boolean' }, n: { type: 'integer', minimum: 0, maximum: 9 } }, required: ['ok', 'n'], additionalProperties: false };
      const reply = await ollama.chat({ model: target().model, messages: [{ role: 'user', content: 'JSON please' }], format: schema, stream: false, options: GREEDY as object });
      expect(validateJson(JSON.parse(reply.message.content), schema)).toEqual([]);
      const json = await ollama.generate({ model: target().model, prompt: 'JSON please', format: 'json', stream: false, options: { ...GREEDY, num_predict: 48 } as object });
      expect((json.response ?? '').trimStart().startsWith('{')).toBe(true);
      if (json.done_reason === 'stop') expect(typeof JSON.parse(json.response ?? '')).toBe('object');
    });

    it('a tool call round trip: tool_calls with object arguments, then the tool result answered', { timeout: 120_000 }, async () => {
      const ollama = ollamaClient(target());
      const model = toolsModel();
      const messages = [{ role: 'user', content: 'What is the weather in Paris?' }];
      let call: ChatResponse | undefined;
      // Ollama has no tool_choice: the model may answer in words. Seeded sampling finds a call deterministically.
      for (let seed = 0; seed < 12 && call === undefined; seed++) {
        const reply = await ollama.chat({ model, messages, tools: [WEATHER], stream: false, options: { ...GREEDY, temperature: 1, seed, num_predict: 200 } as object });
        expect(reply.done).toBe(true);
        if ((reply.message.tool_calls ?? []).length > 0) call = reply;
      }
      expect(call, 'no seed led the model to call the tool').toBeDefined();
      const [toolCall] = call?.message.tool_calls ?? [];
      expect(toolCall?.function.name).toBe('get_weather');
      expect(typeof toolCall?.function.arguments).toBe('object');
      expect(validateJson(toolCall?.function.arguments, WEATHER.function.parameters as Record<string, unknown>)).toEqual([]);
      const followUp = await ollama.chat({
        model,
        messages: [...messages, call?.message ?? { role: 'assistant', content: '' }, { role: 'tool', content: '{"temperature": 21}', tool_name: 'get_weather' }],
        tools: [WEATHER],
        stream: false,
        options: { ...GREEDY, num_predict: 16 } as object,
      });
      expect(followUp.done).toBe(true);
      expect(followUp.prompt_eval_count).toBeGreaterThan(call?.prompt_eval_count ?? 0);
    });

    it('embed and the older embeddings', async () => {
      const ollama = ollamaClient(target());
      const embedded = await ollama.embed({ model: target().model, input: ['one', 'two words'] });
      expect(embedded.model).toBe(target().model);
      expect(embedded.embeddings).toHaveLength(2);
      expect(embedded.embeddings[0]?.length).toBeGreaterThan(0);
      expect(embedded.prompt_eval_count).toBeGreaterThan(0);
      const single = await ollama.embeddings({ model: target().model, prompt: 'one' });
      expect(single.embedding).toHaveLength(embedded.embeddings[0]?.length ?? -1);
      single.embedding.forEach((value, i) => expect(value).toBeCloseTo(embedded.embeddings[0]?.[i] ?? NaN, 4));
    });

    it('show and ps; keep_alive 0 unloads after the request', async () => {
      const ollama = ollamaClient(target());
      const shown = await ollama.show({ model: target().model });
      expect(shown.details.format).toBe('gguf');
      expect(shown.capabilities).toContain('completion');
      await ollama.generate({ model: target().model, prompt: 'a', stream: false, options: { ...GREEDY, num_predict: 1 } as object });
      const running = (await ollama.ps()).models.find((m) => m.name === target().model);
      expect(running?.size).toBeGreaterThan(1000);
      expect(running?.size_vram).toBe(0);
      const unloaded = await ollama.generate({ model: target().model, prompt: 'a', keep_alive: 0, stream: false, options: { ...GREEDY, num_predict: 1 } as object });
      expect(unloaded.done).toBe(true);
      expect((await ollama.ps()).models.map((m) => m.name)).not.toContain(target().model);
      // An empty prompt loads the model (done_reason "load").
      const loaded = await ollama.generate({ model: target().model, prompt: '', stream: false });
      expect(loaded.done_reason).toBe('load');
      expect((await ollama.ps()).models.map((m) => m.name)).toContain(target().model);
    });

    it('errors are {"error": "..."} with the status: unknown model 404, bad body 400', async () => {
      const ollama = ollamaClient(target());
      await expect(ollama.chat({ model: 'no-such-model', messages: [{ role: 'user', content: 'x' }], stream: false })).rejects.toMatchObject({ status_code: 404 });
      await expect(ollama.show({ model: 'no-such-model' })).rejects.toMatchObject({ status_code: 404, error: "model 'no-such-model' not found" });
      const bad = await post('/api/chat', { model: target().model, messages: 'hi' });
      expect(bad.status).toBe(400);
      const body = (await bad.json()) as { error: unknown };
      expect(typeof body.error).toBe('string');
      const format = await post('/api/generate', { model: target().model, prompt: 'x', format: 'yaml' });
      expect(format.status).toBe(400);
      expect(((await format.json()) as { error: string }).error).toContain("'format'");
    });
  });
}

/**
 * POST /api/pull with the client's progress, then list, generate, delete: on a target whose
 * galleries include `hearth` (the loaded hub stand-in's index) and whose hub URL is the stand-in.
 */
export function defineOllamaPullConformance(surface: string, target: () => ConformanceTarget, loaded: () => LoadedHub): void {
  describe(`Ollama pull conformance: ${surface}`, () => {
    it('pulls a gallery model with Ollama-shaped progress, serves it, lists it, deletes it', { timeout: 120_000 }, async () => {
      const ollama = ollamaClient(target());
      const statuses: ProgressResponse[] = [];
      for await (const part of await ollama.pull({ model: 'hearth@tiny-chat', stream: true })) statuses.push(part);
      expect(statuses[0]).toEqual({ status: 'pulling manifest' });
      expect(statuses.at(-1)).toEqual({ status: 'success' });
      const downloads = statuses.filter((s) => s.status.startsWith('downloading '));
      expect(downloads.length).toBeGreaterThan(0);
      const last = downloads.at(-1);
      expect(last?.total).toBe(loaded().tinyBytes.length);
      expect(last?.completed).toBe(loaded().tinyBytes.length);
      expect(last?.digest).toBe('tiny-q8_0.gguf');
      expect((await ollama.list()).models.map((m) => m.name)).toContain('tiny-chat');
      const reply = await ollama.generate({ model: 'tiny-chat', prompt: 'hi', stream: false, options: { ...GREEDY, num_predict: 3 } as object });
      expect(reply).toMatchObject({ model: 'tiny-chat', done: true });
      expect(await ollama.delete({ model: 'tiny-chat' })).toEqual({ status: 'success' });
      expect((await ollama.list()).models.map((m) => m.name)).not.toContain('tiny-chat');
      await expect(ollama.delete({ model: 'tiny-chat' })).rejects.toMatchObject({ status_code: 404 });
    });

    it('an unknown gallery model is a 404 error before any progress', async () => {
      await expect(ollamaClient(target()).pull({ model: 'hearth@no-such-model', stream: true })).rejects.toMatchObject({ status_code: 404 });
    });
  });
}
