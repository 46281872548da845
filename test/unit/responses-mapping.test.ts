// The Responses API's pure mappings: request body -> chat generation inputs, reply events -> typed
// stream events and response objects, the bounded store, and typed SSE framing. No model.
import { describe, expect, it } from 'vitest';
import type { ChatReplyEvent } from '../../shared/generation/decode-chat-replies.js';
import { parseInputItems } from '../../shared/http/responses/parse-input-items.js';
import { parseResponsesRequest } from '../../shared/http/responses/parse-responses-request.js';
import { ResponseEvents } from '../../shared/http/responses/response-events.js';
import { ResponseStore } from '../../shared/http/responses/response-store.js';
import type { ResponseObject } from '../../shared/http/responses/response-types.js';
import { sseResponse } from '../../shared/http/sse.js';
import { apiErrorOf } from '../fixtures/api-error-of.js';

const SKELETON: ResponseObject = {
  id: 'resp_1', object: 'response', created_at: 100, status: 'in_progress', completed_at: null, error: null, incomplete_details: null,
  instructions: null, max_output_tokens: null, metadata: null, model: 'm', output: [], output_text: '', parallel_tool_calls: true,
  previous_response_id: null, store: true, temperature: null, text: { format: { type: 'text' } }, tool_choice: 'auto', tools: [], top_p: null,
};

function writer(): ResponseEvents {
  let n = 0;
  return new ResponseEvents(SKELETON, (prefix) => `${prefix}_${n++}`, () => 200);
}

const END = (finishReason: 'stop' | 'length' | 'tool_calls'): ChatReplyEvent => ({ type: 'end', finishReason, promptTokens: 5, completionTokens: 3 });

describe('parseInputItems', () => {
  it('reads a string, messages with text parts, calls and their outputs as chat messages', () => {
    expect(parseInputItems('hi')).toEqual([{ role: 'user', content: 'hi' }]);
    expect(
      parseInputItems([
        { role: 'developer', content: 'be brief' },
        { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'a' }, { type: 'input_text', text: 'b' }] },
        { type: 'message', role: 'assistant', id: 'msg_1', status: 'completed', content: [{ type: 'output_text', text: 'thinking', annotations: [] }] },
        { type: 'function_call', id: 'fc_1', call_id: 'call_1', name: 'f', arguments: '{"x":1}', status: 'completed' },
        { type: 'function_call', call_id: 'call_2', name: 'g', arguments: '{}' },
        { type: 'function_call_output', call_id: 'call_1', output: '42' },
      ]),
    ).toEqual([
      { role: 'system', content: 'be brief' },
      { role: 'user', content: 'ab' },
      { role: 'assistant', content: 'thinking', toolCalls: [{ id: 'call_1', name: 'f', arguments: '{"x":1}' }, { id: 'call_2', name: 'g', arguments: '{}' }] },
      { role: 'tool', content: '42', toolCallId: 'call_1' },
    ]);
  });

  it('refuses items and parts a text model cannot take, naming them', () => {
    expect(apiErrorOf(() => parseInputItems([{ type: 'reasoning', summary: [] }])).param).toBe('input[0].type');
    const image = apiErrorOf(() => parseInputItems([{ role: 'user', content: [{ type: 'input_image', image_url: 'x' }] }]));
    expect(image.param).toBe('input[0].content[0]');
    expect(image.message).toContain('"input_image"');
    expect(apiErrorOf(() => parseInputItems([{ type: 'function_call_output', output: 'x' }])).param).toBe('input[0].call_id');
  });
});

describe('parseResponsesRequest', () => {
  it('maps sampling, max_output_tokens, text.format and function tools onto the chat path', () => {
    const request = parseResponsesRequest({
      model: 'm', input: 'hi', instructions: 'sys', temperature: 0.5, top_p: 0.9, max_output_tokens: 7, store: false, previous_response_id: 'resp_0',
      text: { format: { type: 'json_schema', name: 'p', schema: { type: 'object' }, strict: true } },
      tools: [{ type: 'function', name: 'f', parameters: { type: 'object', properties: {} }, strict: true }],
      tool_choice: { type: 'function', name: 'f' },
    });
    expect(request.generation).toMatchObject({ model: 'm', maxTokens: 7, n: 1, sampling: { temperature: 0.5, topP: 0.9 } });
    expect(request).toMatchObject({ instructions: 'sys', store: false, previousResponseId: 'resp_0' });
    expect(request.output.responseFormat).toEqual({ type: 'json_schema', name: 'p', schema: { type: 'object' }, strict: true });
    expect(request.output.tools).toEqual({ tools: [{ name: 'f', parameters: { type: 'object', properties: {} }, strict: true }], choice: { mode: 'named', name: 'f' }, parallel: false, legacy: false });
    expect(request.echo.tools).toEqual([{ type: 'function', name: 'f', description: null, parameters: { type: 'object', properties: {} }, strict: true }]);
    expect(request.echo.toolChoice).toEqual({ type: 'function', name: 'f' });
  });

  it('treats an empty tools list as none, and names errors as the client spelled the fields', () => {
    expect(parseResponsesRequest({ input: 'hi', tools: [] }).output.tools).toBeUndefined();
    expect(apiErrorOf(() => parseResponsesRequest({})).param).toBe('input');
    const badName = apiErrorOf(() => parseResponsesRequest({ input: 'hi', tools: [{ type: 'function', name: 'a b' }] }));
    expect(badName.param).toBe('tools[0].name');
    expect(badName.message).not.toContain('.function.');
    expect(apiErrorOf(() => parseResponsesRequest({ input: 'hi', text: { format: { type: 'xml' } } })).param).toBe('text.format.type');
  });

  it('refuses hosted tools with one 400 naming every one of them', () => {
    const error = apiErrorOf(() => parseResponsesRequest({ input: 'hi', tools: [{ type: 'function', name: 'f' }, { type: 'web_search' }, { type: 'computer_use_preview' }] }));
    expect(error.status).toBe(400);
    expect(error.param).toBe('tools[1].type');
    expect(error.code).toBe('unsupported_tool');
    expect(error.message).toContain('"web_search", "computer_use_preview"');
  });
});

describe('ResponseEvents', () => {
  it('opens a message around text and completes the response with usage', () => {
    const events = writer();
    const all = [...events.start(), ...events.push({ type: 'content', text: 'He' }), ...events.push({ type: 'content', text: 'llo' }), ...events.push(END('stop'))];
    expect(all.map((event) => event.type)).toEqual([
      'response.created', 'response.in_progress', 'response.output_item.added', 'response.content_part.added', 'response.output_text.delta',
      'response.output_text.delta', 'response.output_text.done', 'response.content_part.done', 'response.output_item.done', 'response.completed',
    ]);
    expect(all.map((event) => event.sequence_number)).toEqual(all.map((_, index) => index));
    const final = events.response;
    expect(final).toMatchObject({ status: 'completed', completed_at: 200, output_text: 'Hello', incomplete_details: null });
    expect(final.output).toEqual([{ type: 'message', id: 'msg_0', role: 'assistant', status: 'completed', content: [{ type: 'output_text', text: 'Hello', annotations: [] }] }]);
    expect(final.usage).toEqual({ input_tokens: 5, input_tokens_details: { cached_tokens: 0, cache_write_tokens: 0 }, output_tokens: 3, output_tokens_details: { reasoning_tokens: 0 }, total_tokens: 8 });
    // Events carry snapshots: the created event still shows the response as it started.
    expect(all[0]?.type === 'response.created' ? all[0].response.output : undefined).toEqual([]);
  });

  it('turns tool calls into function_call items with argument deltas', () => {
    const events = writer();
    events.start();
    const calls = [
      ...events.push({ type: 'tool-call', index: 0, id: 'call_a', name: 'f' }),
      ...events.push({ type: 'tool-arguments', index: 0, text: '{"x":' }),
      ...events.push({ type: 'tool-arguments', index: 0, text: '1}' }),
      ...events.push({ type: 'tool-call', index: 1, id: 'call_b', name: 'g' }),
      ...events.push({ type: 'tool-arguments', index: 1, text: '{}' }),
      ...events.push(END('tool_calls')),
    ];
    expect(calls.map((event) => event.type)).toEqual([
      'response.output_item.added', 'response.function_call_arguments.delta', 'response.function_call_arguments.delta',
      'response.function_call_arguments.done', 'response.output_item.done', 'response.output_item.added', 'response.function_call_arguments.delta',
      'response.function_call_arguments.done', 'response.output_item.done', 'response.completed',
    ]);
    expect(events.response.output).toEqual([
      { type: 'function_call', id: 'fc_0', call_id: 'call_a', name: 'f', arguments: '{"x":1}', status: 'completed' },
      { type: 'function_call', id: 'fc_1', call_id: 'call_b', name: 'g', arguments: '{}', status: 'completed' },
    ]);
  });

  it('a reply cut by max_output_tokens is incomplete, and so is its open item', () => {
    const events = writer();
    events.start();
    const last = [...events.push({ type: 'content', text: 'x' }), ...events.push(END('length'))].at(-1);
    expect(last?.type).toBe('response.incomplete');
    expect(events.response).toMatchObject({ status: 'incomplete', incomplete_details: { reason: 'max_output_tokens' }, completed_at: null });
    expect(events.response.output[0]?.status).toBe('incomplete');
  });
});

describe('ResponseStore', () => {
  const stored = (id: string) => ({ response: { ...SKELETON, id }, conversation: [{ role: 'user' as const, content: id }] });

  it('keeps the last N, forgets the oldest, and names unknown ids (404 to retrieve, 400 to continue)', () => {
    const store = new ResponseStore(2);
    for (const id of ['a', 'b', 'c']) store.put(stored(id));
    expect(store.get('a')).toBeUndefined();
    expect(store.get('c')?.conversation).toEqual([{ role: 'user', content: 'c' }]);
    expect(apiErrorOf(() => store.retrieve('a')).status).toBe(404);
    const previous = apiErrorOf(() => store.previous('a'));
    expect([previous.status, previous.param, previous.code]).toEqual([400, 'previous_response_id', 'previous_response_not_found']);
    expect(previous.message).toContain('"a"');
    expect(store.delete('b')).toBe(true);
    expect(store.delete('b')).toBe(false);
  });
});

describe('typed SSE framing', () => {
  it('names each event by its type and sends no [DONE]', async () => {
    async function* events(): AsyncGenerator<unknown> {
      yield { type: 'response.created', sequence_number: 0 };
      yield { type: 'response.completed', sequence_number: 1 };
    }
    const text = await sseResponse(events(), { typed: true }).text();
    expect(text).toBe('event: response.created\ndata: {"type":"response.created","sequence_number":0}\n\nevent: response.completed\ndata: {"type":"response.completed","sequence_number":1}\n\n');
  });
});
