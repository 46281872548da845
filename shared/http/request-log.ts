// One info line per request: method, path, model, status, tokens and duration, never the prompt.
// A streamed reply is logged when its stream ends (or is cancelled), with its final counts. Only the
// sidecar mounts this (the tab logs no requests), so the tab's bundle does not carry it.
import type { MiddlewareHandler } from 'hono';
import type { Logger } from '../base/logger.js';
import { trackRequest, type RequestRecord } from './request-record.js';
import { isStreamedResponse } from './streamed-response.js';

export function requestLine(method: string, path: string, status: number, record: RequestRecord, milliseconds: number, note = ''): string {
  const model = record.model === undefined ? '' : ` model=${record.model}`;
  const tokens = record.promptTokens + record.completionTokens > 0 ? ` tokens=${record.promptTokens}+${record.completionTokens}` : '';
  return `${method} ${path} ${status}${model}${tokens} ${Math.round(milliseconds)}ms${note}`;
}

/**
 * Logs the request now, or, for a streamed reply, when its body ends: the same body, read through
 * a pass-through stream that notices the end and a cancel (the client went away).
 */
export function logWhenDone(response: Response, log: Logger, line: (note: string) => string): Response {
  const body = response.body;
  if (body === null || !isStreamedResponse(response)) {
    log('info', line(''));
    return response;
  }
  const reader = body.getReader();
  let logged = false;
  const once = (note: string): void => {
    if (logged) return;
    logged = true;
    log('info', line(note));
  };
  const wrapped = new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const { done, value } = await reader.read();
        if (done) {
          once('');
          controller.close();
        } else controller.enqueue(value);
      } catch (error) {
        once(' (stream failed)');
        controller.error(error);
      }
    },
    async cancel(reason) {
      once(' (client went away)');
      await reader.cancel(reason);
    },
  });
  return new Response(wrapped, { status: response.status, statusText: response.statusText, headers: response.headers });
}

/**
 * The same request seen with another signal. Not `new Request(raw, { signal })`: copying makes
 * @hono/node-server build a full web Request over a stream of the socket, so the body is no longer
 * read directly (its fast path for `text()`), which cost about 0.2 ms before every generation
 * (a proxy in front of a stub upstream, median of 400 paired requests). The view forwards every other property and method to the original.
 */
export function withSignal(request: Request, signal: AbortSignal): Request {
  return new Proxy(request, {
    get(target, key) {
      if (key === 'signal') return signal;
      const value: unknown = Reflect.get(target, key, target);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}

/**
 * The request log, and `shutdown` joined to each request's own signal: handlers see one signal, so
 * a shutdown stops generations and ends open streams with an error event (see event-stream.ts).
 */
export function requestLogMiddleware(log: Logger, shutdown?: AbortSignal): MiddlewareHandler {
  return async (c, next) => {
    const started = performance.now();
    const raw = c.req.raw;
    if (shutdown !== undefined) c.req.raw = withSignal(raw, AbortSignal.any([raw.signal, shutdown]));
    const record = trackRequest(c.req.raw.signal);
    await next();
    const { method, path } = c.req;
    const status = c.res.status;
    c.res = logWhenDone(c.res, log, (note) => requestLine(method, path, status, record, performance.now() - started, note));
  };
}
