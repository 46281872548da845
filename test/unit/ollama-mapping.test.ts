// The pure Ollama mappings: request bodies -> our parsed requests, reply events -> Ollama chunks,
// job statuses -> pull progress, the request clock, NDJSON framing.
import { describe, expect, it } from 'vitest';
import { isKeepAliveZero, ollamaOptionFields, ollamaResponseFormat, parseOllamaChat, parseOllamaGenerate } from '../../shared/http/ollama/parse-ollama-request.js';
import { collectOllamaChunks, ollamaChunks, type ReplyShape } from '../../shared/http/ollama/ollama-replies.js';
import { pullStatusOf } from '../../shared/http/ollama/pull-progress.js';
import { RequestClock } from '../../shared/http/ollama/request-clock.js';
import { ndjsonResponse } from '../../shared/http/ndjson.js';
import { ApiError } from '../../shared/base/api-error.js';
import type { ChatReplyEvent } from '../../shared/generation/decode-chat-replies.js';
import type { JobStatus } from '../../shared/galleries/job-tracker.js';

const timings = { total_duration: 5, load_duration: 1, prompt_eval_count: 0, prompt_eval_duration: 1, eval_count: 0, eval_duration: 3 };
const shape = (kind: 'chat' | 'generate'): ReplyShape => ({ kind, model: 'm', createdAt: 'T', timings: (c) => ({ ...timings, prompt_eval_count: c.promptTokens, eval_count: c.completionTokens }) });

async function* events(list: ChatReplyEvent[]): AsyncGenerator<{ index: number; event: ChatReplyEvent }> {
  for (const event of list) yield { index: 0, event };
}

async function all<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

describe('Ollama requests', () => {
  it('options map onto OpenAI sampling fields; num_predict -1 means no limit', () => {
    expect(ollamaOptionFields({ options: { temperature: 0.1, top_p: 0.5, top_k: 3, seed: 7, stop: ['x'], num_predict: 9, repeat_penalty: 1.1, num_ctx: 4096 } })).toEqual({
      temperature: 0.1, top_p: 0.5, top_k: 3, seed: 7, stop: ['x'], max_tokens: 9, repeat_penalty: 1.1,
    });
    expect(ollamaOptionFields({ options: { num_predict: -1 } })).toEqual({});
    expect(() => ollamaOptionFields({ options: { num_predict: 'many' } })).toThrow(ApiError);
    expect(() => ollamaOptionFields({ options: 3 })).toThrow(/'options' must be an object/);
  });

  it('format: "json" is JSON mode, an object a schema, anything else a 400', () => {
    expect(ollamaResponseFormat('json')).toEqual({ type: 'json_object' });
    expect(ollamaResponseFormat({ type: 'object' })).toEqual({ type: 'json_schema', json_schema: { name: 'response', schema: { type: 'object' } } });
    expect(ollamaResponseFormat('')).toBeUndefined();
    expect(() => ollamaResponseFormat('yaml')).toThrow(/'format'/);
  });

  it('keep_alive: zero as a number or a duration', () => {
    for (const zero of [0, '0', '0s', '0m']) expect(isKeepAliveZero(zero)).toBe(true);
    for (const other of [undefined, 300, '5m', -1, '-1']) expect(isKeepAliveZero(other)).toBe(false);
    expect(() => isKeepAliveZero('soon')).toThrow(/keep_alive/);
  });

  it('chat: streams by default; tool calls with object arguments and tool results by tool_name', () => {
    const parsed = parseOllamaChat({
      model: 'm',
      messages: [
        { role: 'user', content: 'hi' },
        { role: 'assistant', content: '', tool_calls: [{ function: { name: 'f', arguments: { a: 1 } } }] },
        { role: 'tool', content: '42', tool_name: 'f' },
      ],
      tools: [{ type: 'function', function: { name: 'f', parameters: { type: 'object' } } }],
      options: { temperature: 0 },
    });
    expect(parsed.stream).toBe(true);
    expect(parsed.chat.model).toBe('m');
    expect(parsed.chat.sampling.temperature).toBe(0);
    expect(parsed.chat.messages[1]?.toolCalls).toEqual([{ id: 'call_0', name: 'f', arguments: '{"a":1}' }]);
    expect(parsed.chat.messages[2]).toMatchObject({ role: 'tool', content: '42', name: 'f' });
    expect(parsed.chat.tools?.tools.map((t) => t.name)).toEqual(['f']);
    expect(() => parseOllamaChat({ messages: [{ role: 'user', content: 'x', images: ['AAAA'] }] })).toThrow(/images/);
  });

  it('generate: system and prompt as one turn; raw keeps the prompt; an empty prompt only loads', () => {
    const parsed = parseOllamaGenerate({ model: 'm', prompt: 'p', system: 's', stream: false, keep_alive: 0 });
    expect(parsed.chat.messages.map((m) => [m.role, m.content])).toEqual([['system', 's'], ['user', 'p']]);
    expect(parsed).toMatchObject({ stream: false, unloadAfter: true, loadOnly: false });
    expect(parseOllamaGenerate({ prompt: 'p', raw: true }).rawPrompt).toBe('p');
    expect(parseOllamaGenerate({ model: 'm' }).loadOnly).toBe(true);
    expect(() => parseOllamaGenerate({ prompt: 'p', suffix: 'q' })).toThrow(/suffix/);
  });
});

describe('Ollama replies', () => {
  const end: ChatReplyEvent = { type: 'end', finishReason: 'tool_calls', promptTokens: 4, completionTokens: 9 };

  it('content as it comes, each tool call whole with parsed arguments, then the done chunk', async () => {
    const chunks = await all(
      ollamaChunks(events([{ type: 'content', text: 'a' }, { type: 'tool-call', index: 0, id: 'c', name: 'f' }, { type: 'tool-arguments', index: 0, text: '{"x":' }, { type: 'tool-arguments', index: 0, text: '1}' }, end]), shape('chat')),
    );
    expect(chunks).toEqual([
      { model: 'm', created_at: 'T', done: false, message: { role: 'assistant', content: 'a' } },
      { model: 'm', created_at: 'T', done: false, message: { role: 'assistant', content: '', tool_calls: [{ function: { index: 0, name: 'f', arguments: { x: 1 } } }] } },
      { model: 'm', created_at: 'T', done: true, done_reason: 'stop', message: { role: 'assistant', content: '' }, ...timings, prompt_eval_count: 4, eval_count: 9 },
    ]);
    const merged = await collectOllamaChunks(ollamaChunks(events([{ type: 'content', text: 'a' }, { type: 'tool-call', index: 0, id: 'c', name: 'f' }, end]), shape('chat')));
    expect(merged).toMatchObject({ done: true, message: { content: 'a', tool_calls: [{ function: { name: 'f', arguments: {} } }] } });
  });

  it('generate answers in `response`; "length" stays "length"', async () => {
    const merged = await collectOllamaChunks(
      ollamaChunks(events([{ type: 'content', text: 'x' }, { type: 'content', text: 'y' }, { type: 'end', finishReason: 'length', promptTokens: 1, completionTokens: 2 }]), shape('generate')),
    );
    expect(merged).toMatchObject({ response: 'xy', done: true, done_reason: 'length', eval_count: 2 });
  });

  it('pull progress from job statuses', () => {
    const status = { file_name: 'a.gguf', processed: false, file_size_bytes: 10, downloaded_size_bytes: 4 } as JobStatus;
    expect(pullStatusOf(status)).toEqual({ status: 'downloading a.gguf', digest: 'a.gguf', total: 10, completed: 4 });
    expect(pullStatusOf({ ...status, file_name: '' })).toBeUndefined();
  });

  it('the clock reports nanoseconds between its marks', () => {
    let now = 100;
    const clock = new RequestClock(() => now);
    now = 102;
    clock.loaded();
    now = 105;
    clock.firstToken();
    now = 110;
    expect(clock.timings({ promptTokens: 3, completionTokens: 5 })).toEqual({
      total_duration: 10_000_000, load_duration: 2_000_000, prompt_eval_count: 3, prompt_eval_duration: 3_000_000, eval_count: 5, eval_duration: 5_000_000,
    });
  });

  it('NDJSON: one object per line; a failure mid-stream is an {"error"} line', async () => {
    const response = ndjsonResponse((async function* () {
      yield { a: 1 };
      throw new ApiError('server', 'boom');
    })());
    expect(response.headers.get('content-type')).toBe('application/x-ndjson');
    expect(await response.text()).toBe('{"a":1}\n{"error":"boom"}\n');
  });
});
