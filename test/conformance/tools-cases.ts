// Conformance cases for grammars, JSON output and tools, written once for every surface. The model
// has random weights, so the cases check what the grammar guarantees: shapes, schemas, wire format.
// The target's model needs a context of at least 2048 tokens (the tool instructions are long).
import type OpenAI from 'openai';
import { describe, expect, it } from 'vitest';
import type { ConformanceTarget } from './conformance-target.js';
import { validateJson } from './validate-json-schema.js';
import { BAN_HIGH_BYTES } from '../fixtures/byte-ban.js';

/** 2 cores: at most this many generations at once. */
const PARALLEL = 4;

const PERSON_SCHEMA = {
  type: 'object',
  properties: {
    name: { type: 'string', minLength: 1, maxLength: 8 },
    age: { type: 'integer', minimum: 0, maximum: 120 },
    status: { enum: ['active', 'retired', 42] },
    tags: { type: 'array', items: { type: 'string', maxLength: 4 }, maxItems: 3 },
    nick: { anyOf: [{ type: 'string', maxLength: 4 }, { type: 'null' }] },
    home: { $ref: '#/$defs/place' },
    ok: { type: 'boolean' },
  },
  required: ['name', 'age', 'status'],
  additionalProperties: false,
  $defs: { place: { type: 'object', properties: { city: { type: 'string', maxLength: 6 }, zip: { const: 'Z1' } }, required: ['city'], additionalProperties: false } },
} as const;

const TOOLS: OpenAI.Chat.Completions.ChatCompletionTool[] = [
  {
    type: 'function',
    function: {
      name: 'get_weather',
      description: 'Current weather in a city',
      parameters: {
        type: 'object',
        properties: { city: { type: 'string', maxLength: 8 }, unit: { enum: ['celsius', 'fahrenheit'] } },
        required: ['city', 'unit'],
        additionalProperties: false,
      },
    },
  },
  {
    type: 'function',
    function: {
      name: 'add',
      parameters: { type: 'object', properties: { a: { type: 'integer', minimum: 0, maximum: 99 }, b: { type: 'integer', minimum: 0, maximum: 99 } }, required: ['a', 'b'] },
    },
  },
];

function schemaOf(name: string): Record<string, unknown> {
  const tool = TOOLS.find((t) => t.type === 'function' && t.function.name === name);
  if (tool === undefined || tool.type !== 'function') throw new Error(`no tool ${name}`);
  return tool.function.parameters as Record<string, unknown>;
}

/** Runs `count` jobs, at most PARALLEL at a time. */
async function inBatches<T>(count: number, job: (i: number) => Promise<T>): Promise<T[]> {
  const results: T[] = [];
  for (let start = 0; start < count; start += PARALLEL) {
    results.push(...(await Promise.all(Array.from({ length: Math.min(PARALLEL, count - start) }, (_, k) => job(start + k)))));
  }
  return results;
}

function expectValidCall(call: { type: string; id: string; function: { name: string; arguments: string } } | undefined): void {
  expect(call?.type).toBe('function');
  expect(call?.id).toMatch(/^call_/);
  const args: unknown = JSON.parse(call?.function.arguments ?? '');
  expect(validateJson(args, schemaOf(call?.function.name ?? '')), call?.function.arguments).toEqual([]);
}

async function errorOf(target: ConformanceTarget, route: string, body: object): Promise<{ status: number; error: { message: string; type: string; param: string | null } }> {
  const response = await target.rawFetch(route, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: response.status, ...((await response.json()) as { error: { message: string; type: string; param: string | null } }) };
}

export function defineToolsConformance(surface: string, target: () => ConformanceTarget): void {
  describe(`Tools, grammars and JSON output: ${surface}`, () => {
    const user = [{ role: 'user' as const, content: 'Tell me about someone.' }];

    it('json_schema: 50 seeds all parse and validate against the schema', { timeout: 240_000 }, async () => {
      const { client, model } = target();
      const replies = await inBatches(50, (seed) =>
        client.chat.completions.create({
          model,
          messages: user,
          seed,
          temperature: 1,
          max_tokens: 600,
          logit_bias: BAN_HIGH_BYTES,
          response_format: { type: 'json_schema', json_schema: { name: 'person', schema: PERSON_SCHEMA, strict: true } },
        }),
      );
      const texts = new Set<string>();
      for (const reply of replies) {
        const choice = reply.choices[0];
        expect(choice?.finish_reason).toBe('stop');
        const value: unknown = JSON.parse(choice?.message.content ?? '');
        expect(validateJson(value, PERSON_SCHEMA), choice?.message.content ?? '').toEqual([]);
        texts.add(choice?.message.content ?? '');
      }
      // Different seeds really sample different documents.
      expect(texts.size).toBeGreaterThan(40);
    });

    it('json_object: the reply always parses as a JSON object', { timeout: 120_000 }, async () => {
      const { client, model } = target();
      // A random model rarely closes a string on its own; favouring '"', '}' and ']' keeps replies short.
      const logitBias = { ...BAN_HIGH_BYTES, '34': 5, '125': 5, '93': 5 };
      const replies = await inBatches(20, (seed) =>
        client.chat.completions.create({ model, messages: user, seed, temperature: 1, max_tokens: 600, logit_bias: logitBias, response_format: { type: 'json_object' } }),
      );
      for (const reply of replies) {
        expect(reply.choices[0]?.finish_reason).toBe('stop');
        const value: unknown = JSON.parse(reply.choices[0]?.message.content ?? '');
        expect(typeof value === 'object' && value !== null && !Array.isArray(value)).toBe(true);
      }
    });

    it('grammar: a GBNF grammar for a fixed language always matches, on chat and completions', { timeout: 120_000 }, async () => {
      const { client, model } = target();
      const grammar = 'root ::= ("yes" | "no") ", " [a-z]{1,8} " " [0-9]{1,3}';
      const language = /^(yes|no), [a-z]{1,8} [0-9]{1,3}$/;
      const texts = await inBatches(20, async (seed) => {
        const body = { model, seed, temperature: 1, max_tokens: 64, logit_bias: BAN_HIGH_BYTES, grammar };
        if (seed % 2 === 0) {
          const reply = await client.completions.create({ ...body, prompt: 'Answer:' } as OpenAI.Completions.CompletionCreateParamsNonStreaming);
          return reply.choices[0]?.text;
        }
        const reply = await client.chat.completions.create({ ...body, messages: user } as OpenAI.Chat.Completions.ChatCompletionCreateParamsNonStreaming);
        return reply.choices[0]?.message.content;
      });
      for (const text of texts) expect(text).toMatch(language);
    });

    it('tool_choice "required" always yields tool calls whose arguments validate', { timeout: 180_000 }, async () => {
      const { client, model } = target();
      const replies = await inBatches(20, (seed) =>
        client.chat.completions.create({ model, messages: user, seed, temperature: 1, max_tokens: 1400, logit_bias: BAN_HIGH_BYTES, tools: TOOLS, tool_choice: 'required' }),
      );
      let parallel = 0;
      for (const reply of replies) {
        if ((reply.choices[0]?.message.tool_calls?.length ?? 0) > 1) parallel++;
        const choice = reply.choices[0];
        expect(choice?.finish_reason).toBe('tool_calls');
        expect(choice?.message.content).toBeNull();
        expect(choice?.message.tool_calls?.length).toBeGreaterThan(0);
        for (const call of choice?.message.tool_calls ?? []) {
          expect(['get_weather', 'add']).toContain(call.type === 'function' ? call.function.name : '');
          if (call.type === 'function') expectValidCall(call);
        }
      }
      // parallel_tool_calls defaults to true: some replies make several calls.
      expect(parallel).toBeGreaterThan(0);
    });

    it('a named tool_choice calls exactly that tool once; parallel_tool_calls false gives one call', async () => {
      const { client, model } = target();
      const named = await client.chat.completions.create({
        model, messages: user, seed: 7, temperature: 1, max_tokens: 600, logit_bias: BAN_HIGH_BYTES, tools: TOOLS,
        tool_choice: { type: 'function', function: { name: 'add' } },
      });
      expect(named.choices[0]?.message.tool_calls).toHaveLength(1);
      const call = named.choices[0]?.message.tool_calls?.[0];
      expect(call?.type === 'function' ? call.function.name : '').toBe('add');
      if (call?.type === 'function') expectValidCall(call);
      const single = await client.chat.completions.create({
        model, messages: user, seed: 8, temperature: 1, max_tokens: 600, logit_bias: BAN_HIGH_BYTES, tools: TOOLS, tool_choice: 'required', parallel_tool_calls: false,
      });
      expect(single.choices[0]?.message.tool_calls).toHaveLength(1);
    });

    it('tool_choice "auto" gives either text or valid tool calls', { timeout: 120_000 }, async () => {
      const { client, model } = target();
      const replies = await inBatches(8, (seed) =>
        client.chat.completions.create({ model, messages: user, seed, temperature: 1, max_tokens: 200, logit_bias: BAN_HIGH_BYTES, tools: TOOLS }),
      );
      for (const reply of replies) {
        const choice = reply.choices[0];
        if (choice?.message.tool_calls !== undefined) {
          expect(choice.finish_reason).toBe('tool_calls');
          for (const call of choice.message.tool_calls) if (call.type === 'function') expectValidCall(call);
        } else {
          expect(typeof choice?.message.content).toBe('string');
          expect(['stop', 'length']).toContain(choice?.finish_reason);
        }
      }
    });

    it('streamed tool-call deltas reassemble into the same calls as the non-streamed reply', async () => {
      const { client, model } = target();
      for (const seed of [3, 11]) {
        const body = { model, messages: user, seed, temperature: 1, max_tokens: 1400, logit_bias: BAN_HIGH_BYTES, tools: TOOLS, tool_choice: 'required' as const };
        const whole = await client.chat.completions.create(body);
        const stream = await client.chat.completions.create({ ...body, stream: true });
        const calls: Array<{ id: string; name: string; arguments: string }> = [];
        let finish: string | null = null;
        for await (const chunk of stream) {
          const choice = chunk.choices[0];
          finish = choice?.finish_reason ?? finish;
          for (const delta of choice?.delta.tool_calls ?? []) {
            if (delta.id !== undefined) {
              // The first delta of a call carries its index, id, type and name.
              expect(delta.index).toBe(calls.length);
              expect(delta.type).toBe('function');
              calls.push({ id: delta.id, name: delta.function?.name ?? '', arguments: delta.function?.arguments ?? '' });
            } else {
              expect(delta.function?.name).toBeUndefined();
              const call = calls[delta.index];
              if (call !== undefined) call.arguments += delta.function?.arguments ?? '';
            }
          }
        }
        expect(finish).toBe('tool_calls');
        const expected = (whole.choices[0]?.message.tool_calls ?? []).map((c) => (c.type === 'function' ? { name: c.function.name, arguments: c.function.arguments } : {}));
        expect(calls.map(({ name, arguments: args }) => ({ name, arguments: args }))).toEqual(expected);
      }
    });

    it('legacy functions + function_call answer with message.function_call', async () => {
      const { rawFetch, model } = target();
      const response = await rawFetch('/chat/completions', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          model, messages: user, seed: 5, temperature: 1, max_tokens: 600, logit_bias: BAN_HIGH_BYTES,
          functions: TOOLS.map((t) => (t.type === 'function' ? t.function : {})), function_call: { name: 'get_weather' },
        }),
      });
      expect(response.status).toBe(200);
      const reply = (await response.json()) as { choices: Array<{ finish_reason: string; message: { content: string | null; function_call?: { name: string; arguments: string }; tool_calls?: unknown } }> };
      const choice = reply.choices[0];
      expect(choice?.finish_reason).toBe('function_call');
      expect(choice?.message.tool_calls).toBeUndefined();
      expect(choice?.message.function_call?.name).toBe('get_weather');
      expect(validateJson(JSON.parse(choice?.message.function_call?.arguments ?? ''), schemaOf('get_weather'))).toEqual([]);
    });

    it('a multi-turn tool conversation (call, tool result, final answer) round-trips', async () => {
      const { client, model } = target();
      const first = await client.chat.completions.create({ model, messages: user, seed: 1, temperature: 1, max_tokens: 600, logit_bias: BAN_HIGH_BYTES, tools: TOOLS, tool_choice: 'required', parallel_tool_calls: false });
      const message = first.choices[0]?.message;
      const call = message?.tool_calls?.[0];
      expect(call).toBeDefined();
      const followUp: OpenAI.Chat.Completions.ChatCompletionMessageParam[] = [
        ...user,
        { role: 'assistant', content: null, tool_calls: message?.tool_calls ?? [] },
        { role: 'tool', tool_call_id: call?.id ?? '', content: '{"temperature": 21}' },
      ];
      const final = await client.chat.completions.create({ model, messages: followUp, seed: 2, max_tokens: 8, logit_bias: BAN_HIGH_BYTES, tools: TOOLS, tool_choice: 'none' });
      expect(typeof final.choices[0]?.message.content).toBe('string');
      expect(final.choices[0]?.message.tool_calls).toBeUndefined();
      // The call and its result are part of the prompt.
      const withoutTurns = await client.chat.completions.create({ model, messages: user, max_tokens: 1, logit_bias: BAN_HIGH_BYTES, tools: TOOLS, tool_choice: 'none' });
      expect(final.usage?.prompt_tokens).toBeGreaterThan((withoutTurns.usage?.prompt_tokens ?? 0) + 20);
    });

    it('bad grammars, schemas and tool choices get 400s naming the param', async () => {
      const t = target();
      const { model } = t;
      const messages = user;
      const cases: Array<[string, object, string, RegExp]> = [
        ['/chat/completions', { model, messages, grammar: 'root ::= "a" | missing' }, 'grammar', /missing/],
        ['/completions', { model, prompt: 'x', grammar: 'root ::= ("a"' }, 'grammar', /GBNF/],
        ['/chat/completions', { model, messages, response_format: { type: 'json_schema', json_schema: { name: 'x', schema: { type: 'string', pattern: '^a+$' } } } }, 'response_format', /pattern/],
        ['/chat/completions', { model, messages, response_format: { type: 'json_schema', json_schema: { name: 'x', schema: { type: 'strange' } } } }, 'response_format', /strange/],
        ['/chat/completions', { model, messages, response_format: { type: 'xml' } }, 'response_format', /xml/],
        ['/chat/completions', { model, messages, tools: TOOLS, tool_choice: { type: 'function', function: { name: 'nope' } } }, 'tool_choice', /nope/],
        ['/chat/completions', { model, messages, tool_choice: 'required' }, 'tool_choice', /tools/],
        ['/chat/completions', { model, messages, tools: [{ type: 'function', function: { name: 'f', parameters: { type: 'object', properties: { s: { type: 'string', pattern: 'x' } } } } }] }, 'tools[0].function.parameters', /pattern/],
        ['/chat/completions', { model, messages, tools: TOOLS, grammar: 'root ::= "a"' }, 'grammar', /tools/],
        ['/chat/completions', { model, messages, tools: [{ type: 'function', function: { name: 'bad name!' } }] }, 'tools[0].function.name', /bad name/],
      ];
      for (const [route, body, param, message] of cases) {
        const { status, error } = await errorOf(t, route, body);
        expect(status, JSON.stringify(body)).toBe(400);
        expect(error.type).toBe('invalid_request_error');
        expect(error.param, JSON.stringify(body)).toBe(param);
        expect(error.message).toMatch(message);
      }
    });
  });
}
