import { describe, expect, it } from 'vitest';
import { ApiError, isApiError, type ApiErrorKind } from '../../shared/base/api-error.js';
import { SSE_HEADERS, sseResponse } from '../../shared/http/sse.js';

/** Every wait has a deadline, so a stream that never ends fails fast. */
async function within<T>(promise: Promise<T>, ms = 2000): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

async function* from(values: unknown[], failWith?: unknown): AsyncGenerator<unknown> {
  for (const value of values) yield value;
  if (failWith !== undefined) throw failWith;
}

describe('sseResponse', () => {
  it('frames each event as data: <json> and ends with [DONE]', async () => {
    const response = sseResponse(from([{ id: 'a', n: 1 }, { text: 'line\nbreak' }]));
    expect(response.status).toBe(200);
    expect(Object.fromEntries(response.headers)).toEqual({
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache',
      'x-accel-buffering': 'no',
    });
    expect(SSE_HEADERS['content-type']).toBe('text/event-stream; charset=utf-8');
    await expect(within(response.text())).resolves.toBe('data: {"id":"a","n":1}\n\ndata: {"text":"line\\nbreak"}\n\ndata: [DONE]\n\n');
  });

  it('an empty stream is just [DONE]', async () => {
    await expect(within(sseResponse(from([])).text())).resolves.toBe('data: [DONE]\n\n');
  });

  it('an ApiError thrown mid-stream becomes one error event, then [DONE]', async () => {
    const errors: unknown[] = [];
    const failure = new ApiError('exceed_context_size', 'The prompt is 5000 tokens but the context holds 4096.', { code: 'context_length_exceeded' });
    const response = sseResponse(from([{ n: 1 }], failure), { onError: (error) => errors.push(error) });
    expect(await within(response.text())).toBe(
      'data: {"n":1}\n\n' +
        'data: {"error":{"message":"The prompt is 5000 tokens but the context holds 4096.","type":"exceed_context_size_error","param":null,"code":"context_length_exceeded"}}\n\n' +
        'data: [DONE]\n\n',
    );
    expect(errors).toEqual([failure]);
  });

  it.each([
    { thrown: new Error('llama.cpp decode failed'), message: 'llama.cpp decode failed' },
    { thrown: 'plain string', message: 'plain string' },
  ])('any other error becomes a server_error event: $message', async ({ thrown, message }) => {
    const text = await within(sseResponse(from([], thrown)).text());
    expect(text).toBe(`data: ${JSON.stringify({ error: { message, type: 'server_error', param: null, code: null } })}\n\ndata: [DONE]\n\n`);
  });

  it('cancelling the response body ends the source iterator', async () => {
    let returned = false;
    let produced = 0;
    const source: AsyncIterable<unknown> = {
      [Symbol.asyncIterator]: () => ({
        next: async () => ({ done: false, value: { i: produced++ } }),
        return: async () => {
          returned = true;
          return { done: true, value: undefined };
        },
      }),
    };
    const reader = sseResponse(source).body!.getReader();
    const first = await within(reader.read());
    expect(new TextDecoder().decode(first.value)).toBe('data: {"i":0}\n\n');
    await within(reader.cancel());
    expect(returned).toBe(true);
  });

  it('cancelling runs the generator finally block (client disconnect aborts generation)', async () => {
    let cleanedUp = false;
    async function* endless(): AsyncGenerator<unknown> {
      try {
        for (let i = 0; ; i++) yield { i };
      } finally {
        cleanedUp = true;
      }
    }
    const reader = sseResponse(endless()).body!.getReader();
    await within(reader.read());
    await within(reader.cancel());
    expect(cleanedUp).toBe(true);
  });
});

describe('ApiError', () => {
  it.each<{ kind: ApiErrorKind; status: number; type: string }>([
    { kind: 'invalid_request', status: 400, type: 'invalid_request_error' },
    { kind: 'authentication', status: 401, type: 'authentication_error' },
    { kind: 'permission', status: 403, type: 'permission_error' },
    { kind: 'not_found', status: 404, type: 'not_found_error' },
    { kind: 'method_not_allowed', status: 405, type: 'invalid_request_error' },
    { kind: 'payload_too_large', status: 413, type: 'invalid_request_error' },
    { kind: 'unsupported_media_type', status: 415, type: 'invalid_request_error' },
    { kind: 'exceed_context_size', status: 400, type: 'exceed_context_size_error' },
    { kind: 'unavailable', status: 503, type: 'unavailable_error' },
    { kind: 'server', status: 500, type: 'server_error' },
  ])('$kind -> $status $type', async ({ kind, status, type }) => {
    const error = new ApiError(kind, `a ${kind} problem`, { param: 'p', code: 'invalid_value' });
    expect([error.status, error.type]).toEqual([status, type]);
    const response = error.toResponse();
    expect(response.status).toBe(status);
    expect(response.headers.get('content-type')).toBe('application/json');
    await expect(response.json()).resolves.toEqual({ error: { message: `a ${kind} problem`, type, param: 'p', code: 'invalid_value' } });
  });

  it('param and code default to null', async () => {
    const error = new ApiError('server', 'boom');
    expect(error.toJSON()).toEqual({ error: { message: 'boom', type: 'server_error', param: null, code: null } });
    await expect(error.toResponse().json()).resolves.toEqual(error.toJSON());
  });

  it('toResponse keeps extra headers but always answers JSON', () => {
    const response = new ApiError('authentication', 'no key').toResponse({ 'www-authenticate': 'Bearer', 'content-type': 'text/plain' });
    expect(response.headers.get('www-authenticate')).toBe('Bearer');
    expect(response.headers.get('content-type')).toBe('application/json');
    expect(response.status).toBe(401);
  });

  it('is an Error named ApiError that keeps its cause', () => {
    const cause = new Error('root');
    const error = new ApiError('unavailable', 'Model is loading', { cause });
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('ApiError');
    expect(error.cause).toBe(cause);
    expect(isApiError(error)).toBe(true);
    expect(isApiError(new Error('x'))).toBe(false);
    expect(isApiError({ kind: 'server', message: 'x' })).toBe(false);
    expect('cause' in new ApiError('server', 'no cause')).toBe(false);
  });

  it.each([
    new ApiError('not_found', 'The model "x" does not exist.', { param: 'model', code: 'model_not_found' }),
    new ApiError('server', 'plain'),
    new ApiError('exceed_context_size', 'too long', { code: 'context_length_exceeded' }),
  ])('toData/fromData round trip: $message', (error) => {
    const data = error.toData();
    // Plain data: survives structured cloning across a worker boundary.
    const copy = ApiError.fromData(structuredClone(data));
    expect(copy).toBeInstanceOf(ApiError);
    expect(data).toEqual({ kind: error.kind, message: error.message, param: error.param, code: error.code });
    expect([copy.kind, copy.message, copy.param, copy.code, copy.status, copy.type]).toEqual([
      error.kind,
      error.message,
      error.param,
      error.code,
      error.status,
      error.type,
    ]);
    expect(copy.toJSON()).toEqual(error.toJSON());
  });
});
