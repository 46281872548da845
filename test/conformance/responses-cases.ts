// OpenAI Responses API conformance, written once for every surface, with the official `openai`
// client unmodified. The model has random weights: cases check shapes, exact usage, determinism
// (greedy replies equal the chat route's for the same prompt) and what grammars guarantee.
// The target's model needs a context of at least 2048 tokens (the tool instructions are long).
import OpenAI from 'openai';
import { describe, expect, it } from 'vitest';
import type { ConformanceTarget } from './conformance-target.js';
import { validateJson } from './validate-json-schema.js';
import { BAN_HIGH_BYTES, NEVER_END } from '../fixtures/byte-ban.js';

type CreateParams = OpenAI.Responses.ResponseCreateParamsNonStreaming;
/** Greedy, with llama.cpp's `logit_bias` (not in the SDK's Responses types, sent as is). */
const GREEDY = { temperature: 0, logit_bias: BAN_HIGH_BYTES };
const UNENDING = { temperature: 0, logit_bias: NEVER_END };

const WEATHER: OpenAI.Responses.FunctionTool = {
  type: 'function',
  name: 'get_weather',
  description: 'Current weather in a city',
  strict: true,
  parameters: {
    type: 'object',
    properties: { city: { type: 'string', maxLength: 8 }, unit: { enum: ['celsius', 'fahrenheit'] } },
    required: ['city', 'unit'],
    additionalProperties: false,
  },
};

const PERSON = {
  type: 'object',
  properties: { name: { type: 'string', minLength: 1, maxLength: 8 }, age: { type: 'integer', minimum: 0, maximum: 120 } },
  required: ['name', 'age'],
  additionalProperties: false,
} as const;

function create(client: OpenAI, body: object): Promise<OpenAI.Responses.Response> {
  return client.responses.create(body as CreateParams);
}

async function apiError(promise: Promise<unknown>): Promise<InstanceType<typeof OpenAI.APIError>> {
  const error: unknown = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  if (!(error instanceof OpenAI.APIError)) throw new Error(`expected an API error, got ${String(error)}`);
  return error;
}

function onlyCall(response: OpenAI.Responses.Response): OpenAI.Responses.ResponseFunctionToolCall {
  const calls = response.output.filter((item) => item.type === 'function_call');
  expect(calls).toHaveLength(1);
  const [call] = calls;
  if (call?.type !== 'function_call') throw new Error('no function call');
  return call;
}

export function defineResponsesConformance(surface: string, target: () => ConformanceTarget): void {
  describe(`OpenAI Responses API: ${surface}`, () => {
    it('responses.create: a response object with exact usage, the same text as chat for the same prompt', async () => {
      const { client, model } = target();
      const response = await create(client, { model, input: 'Hello', max_output_tokens: 12, ...UNENDING });
      expect(response.object).toBe('response');
      expect(response.id).toMatch(/^resp_/);
      expect(response.model).toBe(model);
      expect(response.status).toBe('incomplete');
      expect(response.incomplete_details).toEqual({ reason: 'max_output_tokens' });
      expect(response.output).toHaveLength(1);
      const [message] = response.output;
      expect(message?.type).toBe('message');
      if (message?.type !== 'message') return;
      expect(message.role).toBe('assistant');
      expect(message.id).toMatch(/^msg_/);
      expect(message.content).toHaveLength(1);
      const text = message.content[0]?.type === 'output_text' ? message.content[0].text : undefined;
      expect(response.output_text).toBe(text);
      expect(response.usage?.output_tokens).toBe(12);
      expect(response.usage?.total_tokens).toBe((response.usage?.input_tokens ?? 0) + 12);

      const chat = await client.chat.completions.create({ model, messages: [{ role: 'user', content: 'Hello' }], max_tokens: 12, ...UNENDING });
      expect(response.output_text).toBe(chat.choices[0]?.message.content);
      expect(response.usage?.input_tokens).toBe(chat.usage?.prompt_tokens);
    });

    it('instructions and message items read like chat messages; input_text parts join', async () => {
      const { client, model } = target();
      const response = await create(client, {
        model,
        instructions: 'Be brief.',
        input: [{ role: 'user', content: [{ type: 'input_text', text: 'Hel' }, { type: 'input_text', text: 'lo' }] }],
        max_output_tokens: 8,
        ...UNENDING,
      });
      const chat = await client.chat.completions.create({
        model,
        messages: [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: 'Hello' }],
        max_tokens: 8,
        ...UNENDING,
      });
      expect(response.instructions).toBe('Be brief.');
      expect(response.output_text).toBe(chat.choices[0]?.message.content);
      expect(response.usage?.input_tokens).toBe(chat.usage?.prompt_tokens);
    });

    it('stream: typed events in order with consecutive sequence numbers, reassembling the plain response', async () => {
      const { client, model } = target();
      const body = { model, input: 'Tell me a story', max_output_tokens: 10, ...UNENDING };
      const plain = await create(client, body);
      const stream = await client.responses.create({ ...body, stream: true } as OpenAI.Responses.ResponseCreateParamsStreaming);
      const events: OpenAI.Responses.ResponseStreamEvent[] = [];
      for await (const event of stream) events.push(event);
      expect(events.map((event) => event.sequence_number)).toEqual(events.map((_, index) => index));
      const types = events.map((event) => event.type);
      expect(types.slice(0, 4)).toEqual(['response.created', 'response.in_progress', 'response.output_item.added', 'response.content_part.added']);
      expect(types.slice(-4)).toEqual(['response.output_text.done', 'response.content_part.done', 'response.output_item.done', 'response.incomplete']);
      const deltas = events.flatMap((event) => (event.type === 'response.output_text.delta' ? [event.delta] : []));
      expect(deltas.length).toBeGreaterThan(1);
      expect(deltas.join('')).toBe(plain.output_text);
      const created = events[0];
      expect(created?.type === 'response.created' ? created.response.status : undefined).toBe('in_progress');
      const last = events.at(-1);
      const final = last?.type === 'response.incomplete' ? last.response : undefined;
      expect(final?.output_text).toBe(plain.output_text);
      expect(final?.usage).toEqual(plain.usage);
      expect(new Set(events.map((event) => ('response' in event ? event.response.id : undefined)).filter(Boolean)).size).toBe(1);
    });

    it('responses.stream helper: events and the final response', async () => {
      const { client, model } = target();
      const body = { model, input: 'Tell me a story', max_output_tokens: 10, ...UNENDING };
      const plain = await create(client, body);
      const stream = client.responses.stream({ ...body, stream: true } as OpenAI.Responses.ResponseCreateParamsStreaming);
      let text = '';
      stream.on('response.output_text.delta', (event) => (text += event.delta));
      const final = await stream.finalResponse();
      expect(text).toBe(plain.output_text);
      expect(final.output_text).toBe(plain.output_text);
    });

    it('raw wire: `event:` lines, no [DONE], and /responses without /v1', async () => {
      const { rootFetch, model } = target();
      const response = await rootFetch('/responses', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ model, input: 'Hi', max_output_tokens: 3, stream: true, ...UNENDING }),
      });
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
      const blocks = (await response.text()).split('\n\n').filter((block) => block.trim() !== '');
      for (const block of blocks) {
        const [eventLine, dataLine] = block.split('\n');
        const data = JSON.parse(dataLine?.replace(/^data: /, '') ?? '') as { type: string };
        expect(eventLine).toBe(`event: ${data.type}`);
      }
      expect(blocks.at(-1)).toMatch(/^event: response\.incomplete\n/);
    });

    it('function call round trip: by previous_response_id and with the items sent back inline, alike', async () => {
      const { client, model } = target();
      const question = { role: 'user' as const, content: 'What is the weather in Paris?' };
      const first = await create(client, { model, input: [question], tools: [WEATHER], tool_choice: 'required', parallel_tool_calls: false, max_output_tokens: 600, ...GREEDY });
      expect(first.status).toBe('completed');
      const call = onlyCall(first);
      expect(call.call_id).toMatch(/^call_/);
      expect(call.id).toMatch(/^fc_/);
      expect(call.name).toBe('get_weather');
      expect(call.status).toBe('completed');
      expect(validateJson(JSON.parse(call.arguments), WEATHER.parameters ?? {}), call.arguments).toEqual([]);
      expect(first.tools).toEqual([WEATHER]);
      expect(first.tool_choice).toBe('required');
      expect(first.parallel_tool_calls).toBe(false);

      const result = { type: 'function_call_output' as const, call_id: call.call_id, output: '{"celsius": 21}' };
      const follow = { model, max_output_tokens: 8, ...UNENDING };
      const chained = await create(client, { ...follow, previous_response_id: first.id, input: [result] });
      expect(chained.previous_response_id).toBe(first.id);
      expect(chained.output[0]?.type).toBe('message');
      const inline = await create(client, { ...follow, input: [question, ...first.output, result] });
      expect(inline.output_text).toBe(chained.output_text);
      expect(inline.usage?.input_tokens).toBe(chained.usage?.input_tokens);
      // The call and its result are really in the prompt: more of it than the question alone.
      const alone = await create(client, { ...follow, input: [question] });
      expect(chained.usage?.input_tokens).toBeGreaterThan((alone.usage?.input_tokens ?? 0) + call.arguments.length / 4);
    });

    it('streamed function call: argument deltas reassemble into the plain call', async () => {
      const { client, model } = target();
      const body = { model, input: 'Weather?', tools: [WEATHER], tool_choice: { type: 'function', name: 'get_weather' }, max_output_tokens: 600, ...GREEDY };
      const plain = onlyCall(await create(client, body));
      const stream = await client.responses.create({ ...body, stream: true } as OpenAI.Responses.ResponseCreateParamsStreaming);
      const events: OpenAI.Responses.ResponseStreamEvent[] = [];
      for await (const event of stream) events.push(event);
      const added = events.find((event) => event.type === 'response.output_item.added');
      expect(added?.type === 'response.output_item.added' ? added.item : undefined).toMatchObject({ type: 'function_call', name: 'get_weather', arguments: '', status: 'in_progress' });
      const deltas = events.flatMap((event) => (event.type === 'response.function_call_arguments.delta' ? [event.delta] : []));
      expect(deltas.join('')).toBe(plain.arguments);
      const done = events.find((event) => event.type === 'response.function_call_arguments.done');
      expect(done?.type === 'response.function_call_arguments.done' ? [done.name, done.arguments] : []).toEqual(['get_weather', plain.arguments]);
      expect(events.at(-1)?.type).toBe('response.completed');
    });

    it('text.format json_schema: replies parse and validate; json_object gives an object', { timeout: 180_000 }, async () => {
      const { client, model } = target();
      for (const seed of [1, 2, 3]) {
        const response = await create(client, {
          model,
          input: 'Invent a person.',
          seed,
          temperature: 1,
          max_output_tokens: 600,
          logit_bias: BAN_HIGH_BYTES,
          text: { format: { type: 'json_schema', name: 'person', schema: PERSON, strict: true } },
        });
        expect(response.status).toBe('completed');
        expect(response.text?.format).toEqual({ type: 'json_schema', name: 'person', schema: PERSON, strict: true });
        expect(validateJson(JSON.parse(response.output_text), PERSON), response.output_text).toEqual([]);
      }
      const object = await create(client, {
        model, input: 'JSON please', seed: 4, temperature: 1, max_output_tokens: 600,
        logit_bias: { ...BAN_HIGH_BYTES, '34': 5, '125': 5, '93': 5 }, text: { format: { type: 'json_object' } },
      });
      const value: unknown = JSON.parse(object.output_text);
      expect(typeof value === 'object' && value !== null && !Array.isArray(value)).toBe(true);
    });

    it('retrieve and delete; store: false is not kept', async () => {
      const { client, model } = target();
      const response = await create(client, { model, input: 'Hello', max_output_tokens: 4, ...UNENDING });
      const kept = await client.responses.retrieve(response.id);
      expect(kept.id).toBe(response.id);
      expect(kept.output_text).toBe(response.output_text);
      expect(kept.usage).toEqual(response.usage);
      await client.responses.delete(response.id);
      expect((await apiError(client.responses.retrieve(response.id))).status).toBe(404);
      expect((await apiError(client.responses.delete(response.id))).status).toBe(404);

      const unkept = await create(client, { model, input: 'Hello', max_output_tokens: 4, store: false, ...UNENDING });
      expect((unkept as { store?: boolean }).store).toBe(false);
      expect((await apiError(client.responses.retrieve(unkept.id))).status).toBe(404);
      expect((await apiError(create(client, { model, input: 'More', previous_response_id: unkept.id }))).status).toBe(400);
    });

    it('an unknown previous_response_id is a 400 naming it', async () => {
      const { client, model } = target();
      const error = await apiError(create(client, { model, input: 'Hi', previous_response_id: 'resp_nope' }));
      expect(error.status).toBe(400);
      expect(error.type).toBe('invalid_request_error');
      expect(error.param).toBe('previous_response_id');
      expect(error.code).toBe('previous_response_not_found');
      expect(error.message).toContain('resp_nope');
    });

    it('hosted tool types are a 400 naming them', async () => {
      const { client, model } = target();
      const error = await apiError(create(client, { model, input: 'Hi', tools: [WEATHER, { type: 'web_search' }, { type: 'file_search', vector_store_ids: ['vs_1'] }] }));
      expect(error.status).toBe(400);
      expect(error.param).toBe('tools[1].type');
      expect(error.code).toBe('unsupported_tool');
      expect(error.message).toContain('"web_search", "file_search"');
    });
  });
}
