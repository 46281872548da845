import { describe, expect, it } from 'vitest';
import { ApiError } from '../../shared/base/api-error.js';
import { parseChatRequest } from '../../shared/http/parse/parse-chat-request.js';
import { parseCompletionRequest } from '../../shared/http/parse/parse-completion-request.js';
import { parseEditRequest } from '../../shared/http/parse/parse-edit-request.js';
import { parseEmbeddingRequest } from '../../shared/http/parse/parse-embedding-request.js';
import { parseJsonBody } from '../../shared/http/parse/parse-json-body.js';
import { readGenerationFields } from '../../shared/http/parse/generation-fields.js';
import type { JsonObject } from '../../shared/base/field-readers.js';
import { apiErrorOf } from '../fixtures/api-error-of.js';

async function asyncApiErrorOf(parse: () => Promise<unknown>): Promise<ApiError> {
  let thrown: unknown;
  try {
    await parse();
  } catch (error) {
    thrown = error;
  }
  expect(thrown).toBeInstanceOf(ApiError);
  return thrown as ApiError;
}

const user = { role: 'user', content: 'Hi' };

describe('readGenerationFields', () => {
  it('defaults when the request sets nothing', () => {
    expect(readGenerationFields({})).toEqual({
      sampling: { logitBias: new Map() },
      stop: [],
      n: 1,
      stream: false,
      includeUsage: false,
      ignoredFields: [],
    });
  });

  it('maps every field to its name', () => {
    const fields = readGenerationFields({
      model: 'phi',
      user: 'u-1',
      max_tokens: 64,
      temperature: 0.2,
      top_p: 0.5,
      top_k: 7,
      seed: 42,
      repeat_penalty: 1.1,
      presence_penalty: -0.5,
      frequency_penalty: 1.5,
      logit_bias: { '15': -100, '42': 2.5 },
      stop: ['\n', '###'],
      n: 3,
      stream: true,
      stream_options: { include_usage: true },
      min_p: 0.05,
      typical_p: 0.9,
      repeat_last_n: -1,
      ignore_eos: true,
      n_keep: 4,
      mirostat: 2,
      mirostat_tau: 4,
    });
    expect(fields).toEqual({
      model: 'phi',
      user: 'u-1',
      maxTokens: 64,
      sampling: {
        temperature: 0.2,
        topP: 0.5,
        topK: 7,
        seed: 42,
        repeatPenalty: 1.1,
        presencePenalty: -0.5,
        frequencyPenalty: 1.5,
        logitBias: new Map([
          [15, -100],
          [42, 2.5],
        ]),
        minP: 0.05,
        typicalP: 0.9,
        repeatLastN: -1,
        ignoreEos: true,
        mirostat: { mode: 2, tau: 4, eta: 0.1 },
      },
      stop: ['\n', '###'],
      n: 3,
      stream: true,
      includeUsage: true,
      ignoredFields: [],
    });
  });

  it.each([
    { body: { max_completion_tokens: 10, max_tokens: 99 }, maxTokens: 10 },
    { body: { max_tokens: 99 }, maxTokens: 99 },
    { body: { max_completion_tokens: null, max_tokens: 5 }, maxTokens: 5 },
    { body: { max_completion_tokens: 7 }, maxTokens: 7 },
  ])('max_completion_tokens wins over max_tokens: $body', ({ body, maxTokens }) => {
    expect(readGenerationFields(body).maxTokens).toBe(maxTokens);
  });

  it.each([
    { stop: '###', expected: ['###'] },
    { stop: ['a', 'b'], expected: ['a', 'b'] },
    { stop: null, expected: [] },
    { stop: ['', 'x', ''], expected: ['x'] },
    { stop: '', expected: [] },
  ])('stop $stop -> $expected', ({ stop, expected }) => {
    expect(readGenerationFields({ stop }).stop).toEqual(expected);
  });

  it('an empty model name means "not given"', () => {
    expect(readGenerationFields({ model: '' })).not.toHaveProperty('model');
  });

  it('stream_options without include_usage means no usage chunk', () => {
    expect(readGenerationFields({ stream: true, stream_options: {} }).includeUsage).toBe(false);
    expect(readGenerationFields({ stream: true, stream_options: null }).includeUsage).toBe(false);
  });

  it.each<{ body: JsonObject; param: string; code: string; message: string }>([
    { body: { max_tokens: 0 }, param: 'max_tokens', code: 'invalid_value', message: "'max_tokens' must be at least 1, but got 0." },
    { body: { max_tokens: 1.5 }, param: 'max_tokens', code: 'invalid_type', message: "'max_tokens' must be an integer, but got the number 1.5." },
    { body: { max_tokens: '10' }, param: 'max_tokens', code: 'invalid_type', message: "'max_tokens' must be an integer, but got a string." },
    { body: { max_completion_tokens: -1 }, param: 'max_completion_tokens', code: 'invalid_value', message: 'at least 1, but got -1' },
    { body: { temperature: 2.5 }, param: 'temperature', code: 'invalid_value', message: "'temperature' must be at most 2, but got 2.5." },
    { body: { temperature: -0.1 }, param: 'temperature', code: 'invalid_value', message: 'at least 0, but got -0.1' },
    { body: { temperature: 'hot' }, param: 'temperature', code: 'invalid_type', message: "'temperature' must be a number, but got a string." },
    { body: { temperature: true }, param: 'temperature', code: 'invalid_type', message: 'must be a number, but got boolean true' },
    { body: { top_p: 1.01 }, param: 'top_p', code: 'invalid_value', message: 'at most 1, but got 1.01' },
    { body: { top_k: -1 }, param: 'top_k', code: 'invalid_value', message: 'at least 0, but got -1' },
    { body: { seed: 0.5 }, param: 'seed', code: 'invalid_type', message: 'must be an integer' },
    { body: { repeat_penalty: 0 }, param: 'repeat_penalty', code: 'invalid_value', message: "'repeat_penalty' must be greater than 0, but got 0." },
    { body: { presence_penalty: 3 }, param: 'presence_penalty', code: 'invalid_value', message: 'at most 2, but got 3' },
    { body: { frequency_penalty: -2.5 }, param: 'frequency_penalty', code: 'invalid_value', message: 'at least -2, but got -2.5' },
    { body: { n: 0 }, param: 'n', code: 'invalid_value', message: "'n' must be at least 1, but got 0." },
    { body: { n: 17 }, param: 'n', code: 'invalid_value', message: "'n' must be at most 16, but got 17." },
    { body: { n: [2] }, param: 'n', code: 'invalid_type', message: "'n' must be an integer, but got an array." },
    { body: { stream: 'yes' }, param: 'stream', code: 'invalid_type', message: "'stream' must be true or false, but got a string." },
    { body: { stream_options: true }, param: 'stream_options', code: 'invalid_type', message: "'stream_options' must be an object." },
    {
      body: { stream_options: { include_usage: 1 } },
      param: 'stream_options.include_usage',
      code: 'invalid_type',
      message: "'stream_options.include_usage' must be true or false, but got the number 1.",
    },
    { body: { stop: 5 }, param: 'stop', code: 'invalid_type', message: "'stop' must be a string or a list of strings." },
    { body: { stop: ['a', 1] }, param: 'stop', code: 'invalid_type', message: "'stop' must be a string or a list of strings." },
    { body: { stop: Array.from({ length: 17 }, (_, i) => `s${i}`) }, param: 'stop', code: 'invalid_value', message: 'at most 16 strings' },
    { body: { model: 3 }, param: 'model', code: 'invalid_type', message: "'model' must be a string, but got the number 3." },
    { body: { user: {} }, param: 'user', code: 'invalid_type', message: "'user' must be a string, but got an object." },
    { body: { logit_bias: [1, 2] }, param: 'logit_bias', code: 'invalid_type', message: 'mapping token ids to numbers' },
    { body: { logit_bias: { abc: 1 } }, param: 'logit_bias', code: 'invalid_value', message: 'token ids (non-negative integers), but got "abc"' },
    { body: { logit_bias: { '-5': 1 } }, param: 'logit_bias', code: 'invalid_value', message: 'but got "-5"' },
    { body: { logit_bias: { '1.5': 1 } }, param: 'logit_bias', code: 'invalid_value', message: 'but got "1.5"' },
    { body: { logit_bias: { '7': 101 } }, param: 'logit_bias', code: 'invalid_value', message: 'from -100 to 100, but token 7 has 101' },
    { body: { logit_bias: { '7': '1' } }, param: 'logit_bias', code: 'invalid_value', message: 'but token 7 has "1"' },
  ])('$param: $body -> 400', ({ body, param, code, message }) => {
    const error = apiErrorOf(() => readGenerationFields(body));
    expect({ kind: error.kind, status: error.status, type: error.type, param: error.param, code: error.code }).toEqual({
      kind: 'invalid_request',
      status: 400,
      type: 'invalid_request_error',
      param,
      code,
    });
    expect(error.message).toContain(message);
  });
});

describe('parseChatRequest', () => {
  it('maps messages and generation fields', () => {
    const request = parseChatRequest({
      model: 'chat',
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'Hi', name: 'ann' },
        { role: 'assistant', content: 'Hello!' },
      ],
      max_tokens: 8,
    });
    expect(request.messages).toEqual([
      { role: 'system', content: 'Be brief.' },
      { role: 'user', content: 'Hi', name: 'ann' },
      { role: 'assistant', content: 'Hello!' },
    ]);
    expect(request.model).toBe('chat');
    expect(request.maxTokens).toBe(8);
    expect(request.n).toBe(1);
  });

  it.each([
    { role: 'developer', expected: 'system' },
    { role: 'function', expected: 'tool' },
    { role: 'tool', expected: 'tool' },
  ])('role $role -> $expected', ({ role, expected }) => {
    expect(parseChatRequest({ messages: [{ role, content: 'x' }] }).messages[0]?.role).toBe(expected);
  });

  it('joins text parts in order', () => {
    const request = parseChatRequest({
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'Describe ' },
            { type: 'text', text: '' },
            { type: 'text', text: 'this.' },
          ],
        },
      ],
    });
    expect(request.messages).toEqual([{ role: 'user', content: 'Describe this.' }]);
  });

  it('null or missing assistant content is empty text', () => {
    const request = parseChatRequest({
      messages: [user, { role: 'assistant', content: null }, { role: 'assistant' }],
    });
    expect(request.messages.slice(1)).toEqual([
      { role: 'assistant', content: '' },
      { role: 'assistant', content: '' },
    ]);
  });

  it.each<{ body: JsonObject; param: string; code: string; message: string }>([
    { body: {}, param: 'messages', code: 'missing_required_parameter', message: "'messages' is required" },
    { body: { messages: null }, param: 'messages', code: 'missing_required_parameter', message: "'messages' is required" },
    { body: { messages: 'hi' }, param: 'messages', code: 'invalid_value', message: "'messages' must be a list" },
    { body: { messages: [] }, param: 'messages', code: 'invalid_value', message: 'at least one message' },
    { body: { messages: [user, 'hi'] }, param: 'messages[1]', code: 'invalid_value', message: "'messages[1]' must be an object" },
    { body: { messages: [user, { content: 'x' }] }, param: 'messages[1].role', code: 'invalid_value', message: "'messages[1].role' is required." },
    {
      body: { messages: [user, { role: 'bot', content: 'x' }] },
      param: 'messages[1].role',
      code: 'invalid_value',
      message: `'messages[1].role' is "bot"; expected one of system, user, assistant, tool`,
    },
    {
      body: { messages: [{ role: 7, content: 'x' }] },
      param: 'messages[0].role',
      code: 'invalid_type',
      message: "'messages[0].role' must be a string, but got the number 7.",
    },
    {
      body: { messages: [{ role: 'user', content: null }] },
      param: 'messages[0].content',
      code: 'invalid_value',
      message: "'messages[0].content' is required for user messages.",
    },
    {
      body: { messages: [{ role: 'system' }] },
      param: 'messages[0].content',
      code: 'invalid_value',
      message: "'messages[0].content' is required for system messages.",
    },
    {
      body: { messages: [{ role: 'user', content: 42 }] },
      param: 'messages[0].content',
      code: 'invalid_value',
      message: 'must be a string or a list of text parts',
    },
    {
      body: { messages: [{ role: 'user', content: ['hi'] }] },
      param: 'messages[0].content[0]',
      code: 'invalid_value',
      message: `must be an object like {"type": "text"`,
    },
    {
      body: { messages: [{ role: 'user', content: [{ type: 'text', text: 'a' }, { type: 'image_url', image_url: { url: 'x' } }] }] },
      param: 'messages[0].content[1].type',
      code: 'invalid_value',
      message: `'messages[0].content[1].type' is "image_url"; only "text" parts are supported`,
    },
    {
      body: { messages: [{ role: 'user', content: [{ type: 'text', text: 3 }] }] },
      param: 'messages[0].content[0].text',
      code: 'invalid_value',
      message: "'messages[0].content[0].text' must be a string.",
    },
    {
      body: { messages: [{ role: 'user', content: 'x', name: 5 }] },
      param: 'messages[0].name',
      code: 'invalid_type',
      message: "'messages[0].name' must be a string",
    },
    { body: { messages: [user], n: 0 }, param: 'n', code: 'invalid_value', message: "'n' must be at least 1" },
  ])('$param: $message', ({ body, param, code, message }) => {
    const error = apiErrorOf(() => parseChatRequest(body));
    expect({ kind: error.kind, status: error.status, param: error.param, code: error.code }).toEqual({
      kind: 'invalid_request',
      status: 400,
      param,
      code,
    });
    expect(error.message).toContain(message);
  });

  // Role names are looked up in a plain object, so names inherited from Object.prototype must not pass as roles.
  it.each(['constructor', '__proto__'])('role "%s" is rejected, not looked up on the prototype', (role) => {
    const error = apiErrorOf(() => parseChatRequest({ messages: [{ role, content: 'x' }] }));
    expect(error.param).toBe('messages[0].role');
    expect(error.status).toBe(400);
    expect(error.message).toContain(`"${role}"`);
  });
});

describe('parseCompletionRequest', () => {
  it.each([
    { prompt: 'Once', prompts: ['Once'] },
    { prompt: ['a', 'b'], prompts: ['a', 'b'] },
    { prompt: '', prompts: [''] },
  ])('prompt $prompt', ({ prompt, prompts }) => {
    expect(parseCompletionRequest({ prompt })).toMatchObject({ prompts, echo: false, n: 1, stop: [] });
  });

  it('reads echo and the generation fields', () => {
    expect(parseCompletionRequest({ prompt: 'x', echo: true, max_tokens: 3, stop: 'END' })).toMatchObject({
      prompts: ['x'],
      echo: true,
      maxTokens: 3,
      stop: ['END'],
    });
  });

  it.each<{ body: JsonObject; param: string; code: string; message: string }>([
    { body: {}, param: 'prompt', code: 'missing_required_parameter', message: "'prompt' is required" },
    { body: { prompt: null }, param: 'prompt', code: 'missing_required_parameter', message: "'prompt' is required" },
    { body: { prompt: [] }, param: 'prompt', code: 'invalid_value', message: 'non-empty list of strings' },
    { body: { prompt: 5 }, param: 'prompt', code: 'invalid_value', message: 'non-empty list of strings' },
    { body: { prompt: [1, 2, 3] }, param: 'prompt', code: 'invalid_value', message: 'token-id prompts are not supported' },
    { body: { prompt: Array.from({ length: 17 }, () => 'p') }, param: 'prompt', code: 'invalid_value', message: 'at most 16 strings' },
    { body: { prompt: 'x', echo: 'no' }, param: 'echo', code: 'invalid_type', message: "'echo' must be true or false" },
    { body: { prompt: 'x', temperature: 9 }, param: 'temperature', code: 'invalid_value', message: 'at most 2, but got 9' },
  ])('$param: $body', ({ body, param, code, message }) => {
    const error = apiErrorOf(() => parseCompletionRequest(body));
    expect({ status: error.status, param: error.param, code: error.code }).toEqual({ status: 400, param, code });
    expect(error.message).toContain(message);
  });
});

describe('parseEditRequest', () => {
  it('reads instruction and input', () => {
    expect(parseEditRequest({ instruction: 'Fix it', input: 'teh cat', temperature: 0 })).toMatchObject({
      instruction: 'Fix it',
      input: 'teh cat',
      sampling: { temperature: 0 },
    });
  });

  it('input defaults to empty text', () => {
    expect(parseEditRequest({ instruction: 'Write a haiku' }).input).toBe('');
  });

  it.each<{ body: JsonObject; param: string; code: string; message: string }>([
    { body: {}, param: 'instruction', code: 'missing_required_parameter', message: "'instruction' is required." },
    { body: { instruction: 1 }, param: 'instruction', code: 'invalid_type', message: "'instruction' must be a string" },
    { body: { instruction: 'x', input: ['a'] }, param: 'input', code: 'invalid_type', message: "'input' must be a string, but got an array." },
  ])('$param: $body', ({ body, param, code, message }) => {
    const error = apiErrorOf(() => parseEditRequest(body));
    expect({ status: error.status, param: error.param, code: error.code }).toEqual({ status: 400, param, code });
    expect(error.message).toContain(message);
  });
});

describe('parseEmbeddingRequest', () => {
  it.each([
    { body: { input: 'hello' }, expected: { inputs: ['hello'], encodingFormat: 'float' } },
    { body: { input: ['a', 'b'], model: 'emb' }, expected: { inputs: ['a', 'b'], encodingFormat: 'float', model: 'emb' } },
    { body: { input: 'x', encoding_format: 'base64', model: '' }, expected: { inputs: ['x'], encodingFormat: 'base64' } },
  ])('$body', ({ body, expected }) => {
    expect(parseEmbeddingRequest(body)).toEqual(expected);
  });

  it.each<{ body: JsonObject; param: string; code: string; message: string }>([
    { body: {}, param: 'input', code: 'missing_required_parameter', message: "'input' is required" },
    { body: { input: [] }, param: 'input', code: 'invalid_value', message: 'non-empty list of strings' },
    { body: { input: [[1, 2]] }, param: 'input', code: 'invalid_value', message: 'token-id inputs are not supported' },
    { body: { input: '' }, param: 'input', code: 'invalid_value', message: 'must not be an empty string' },
    { body: { input: ['a', ''] }, param: 'input[1]', code: 'invalid_value', message: 'must not be an empty string' },
    { body: { input: Array.from({ length: 257 }, () => 'x') }, param: 'input', code: 'invalid_value', message: 'at most 256 strings' },
    { body: { input: 'x', encoding_format: 'int8' }, param: 'encoding_format', code: 'invalid_value', message: 'but got "int8"' },
    { body: { input: 'x', model: 1 }, param: 'model', code: 'invalid_type', message: "'model' must be a string" },
  ])('$param: $message', ({ body, param, code, message }) => {
    const error = apiErrorOf(() => parseEmbeddingRequest(body));
    expect({ status: error.status, param: error.param, code: error.code }).toEqual({ status: 400, param, code });
    expect(error.message).toContain(message);
  });
});

describe('parseJsonBody', () => {
  const MAX_BODY = 1 << 20;
  const post = (body: string, contentType?: string): Request =>
    new Request('http://localhost/v1/chat/completions', {
      method: 'POST',
      body,
      headers: contentType === undefined ? {} : { 'content-type': contentType },
    });

  it('parses an object without requiring a JSON content type', async () => {
    await expect(parseJsonBody(post('{"model":"m","n":2}', 'application/x-www-form-urlencoded'), MAX_BODY)).resolves.toEqual({ model: 'm', n: 2 });
    await expect(parseJsonBody(post(' {"a":[1]} \n', 'application/json'), MAX_BODY)).resolves.toEqual({ a: [1] });
  });

  it.each([
    { name: 'empty body', body: '', message: 'The request body is empty. Send a JSON object.' },
    { name: 'whitespace body', body: ' \n\t', message: 'The request body is empty. Send a JSON object.' },
    { name: 'malformed JSON', body: '{"model": ', message: 'The request body is not valid JSON: ' },
    { name: 'trailing comma', body: '{"a":1,}', message: 'The request body is not valid JSON: ' },
    { name: 'array', body: '[{"role":"user"}]', message: 'The request body must be a JSON object.' },
    { name: 'string', body: '"hi"', message: 'The request body must be a JSON object.' },
    { name: 'null', body: 'null', message: 'The request body must be a JSON object.' },
    { name: 'number', body: '42', message: 'The request body must be a JSON object.' },
  ])('$name -> 400 invalid_json', async ({ body, message }) => {
    const error = await asyncApiErrorOf(() => parseJsonBody(post(body, 'application/json'), MAX_BODY));
    expect({ kind: error.kind, status: error.status, type: error.type, code: error.code, param: error.param }).toEqual({
      kind: 'invalid_request',
      status: 400,
      type: 'invalid_request_error',
      code: 'invalid_json',
      param: null,
    });
    expect(error.message.startsWith(message)).toBe(true);
  });

  it('a malformed-JSON message includes the parser reason', async () => {
    const error = await asyncApiErrorOf(() => parseJsonBody(post('{oops}'), MAX_BODY));
    expect(error.message.length).toBeGreaterThan('The request body is not valid JSON: '.length);
  });

  it('a request without a body is empty', async () => {
    const error = await asyncApiErrorOf(() => parseJsonBody(new Request('http://localhost/v1/embeddings', { method: 'POST' }), MAX_BODY));
    expect(error.message).toBe('The request body is empty. Send a JSON object.');
  });
});
