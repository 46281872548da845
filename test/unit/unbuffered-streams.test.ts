// Streams are declared chunked so @hono/node-server writes their first chunk at once (see
// sidecar/unbuffered-streams.ts); other answers keep their framing.
import { describe, expect, it } from 'vitest';
import { declareChunkedStream } from '../../sidecar/unbuffered-streams.js';
import { withSignal } from '../../shared/http/request-log.js';

const body = (): ReadableStream<Uint8Array> => new ReadableStream({ start: (c) => (c.enqueue(new Uint8Array([100])), c.close()) });

describe('declareChunkedStream', () => {
  it('declares SSE and NDJSON streams chunked, keeping status, headers and body', async () => {
    for (const type of ['text/event-stream; charset=utf-8', 'application/x-ndjson']) {
      const answer = declareChunkedStream(new Response(body(), { status: 201, headers: { 'content-type': type, 'x-request-id': 'r1' } }));
      expect(answer.headers.get('transfer-encoding')).toBe('chunked');
      expect(answer.status).toBe(201);
      expect(answer.headers.get('x-request-id')).toBe('r1');
      expect(await answer.text()).toBe('d');
    }
  });

  it('leaves JSON answers, bodiless answers and answers with a length as they are', () => {
    const json = new Response('{}', { headers: { 'content-type': 'application/json' } });
    const empty = new Response(null, { status: 204, headers: { 'content-type': 'text/event-stream' } });
    const sized = new Response('data: x\n\n', { headers: { 'content-type': 'text/event-stream', 'content-length': '9' } });
    for (const answer of [json, empty, sized]) expect(declareChunkedStream(answer)).toBe(answer);
  });
});

describe('withSignal', () => {
  it('answers the given signal and reads the body of the original request', async () => {
    const original = new Request('http://127.0.0.1/v1/completions', { method: 'POST', body: '{"a":1}', headers: { 'x-k': 'v' } });
    const controller = new AbortController();
    const view = withSignal(original, controller.signal);
    expect(view.signal).toBe(controller.signal);
    expect(view.headers.get('x-k')).toBe('v');
    expect(view).toBeInstanceOf(Request);
    expect(await view.json()).toEqual({ a: 1 });
    expect(original.bodyUsed).toBe(true);
  });
});
