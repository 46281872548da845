// Refuses request bodies over the limit with 413 before a route reads them.
//
// Not hono/body-limit: that one reads `request.body` first, and on Node this makes
// @hono/node-server build a full web Request around a stream of the socket instead of the direct
// read it does for `request.text()`. That cost about 0.9 ms on every request before a generation
// could start (curl against the sidecar; see bench/sidecar-throughput.ts, time to first token).
import type { MiddlewareHandler } from 'hono';
import { readAtMost } from '../downloads/read-at-most.js';
import { ApiError } from './api-error.js';

/** The body length a request declares, when it is binding: an HTTP server never reads past it. */
function declaredLength(headers: Headers): number | undefined {
  // With chunked transfer encoding a Content-Length means nothing (RFC 9112, 6.3).
  if (headers.has('transfer-encoding')) return undefined;
  const value = headers.get('content-length')?.trim();
  return value !== undefined && /^\d+$/.test(value) ? Number(value) : undefined;
}

export function bodyLimit(maxBytes: number): MiddlewareHandler {
  const tooLarge = (): Response =>
    new ApiError('payload_too_large', `The request body is larger than ${maxBytes} bytes.`, { code: 'payload_too_large' }).toResponse();
  return async (c, next) => {
    const request = c.req.raw;
    const declared = declaredLength(request.headers);
    if (declared !== undefined) return declared > maxBytes ? tooLarge() : next();
    // Chunked uploads, and Requests made in a page (the browser shim), carry no binding length:
    // count while reading, and hand the route a Request over the bytes read.
    if (request.body === null) return next();
    const body = await readAtMost(request.body, maxBytes);
    if (body === undefined) return tooLarge();
    c.req.raw = new Request(request, { body });
    return next();
  };
}
