// Reads a request body as text under a byte cap (413 past it), once, where the JSON is parsed.
//
// Not a middleware such as hono/body-limit: that one reads `request.body` first, and on Node this
// makes @hono/node-server build a full web Request around a stream of the socket instead of the
// direct read it does for `request.text()`. That cost about 0.9 ms on every request before a
// generation could start (curl against the sidecar; bench/sidecar-throughput.ts, time to first
// token). Nor does anything here rebuild the Request: the route keeps the original one, whose
// signal is the one that reports a client going away.
import { readAtMost } from '../../downloads/read-at-most.js';
import { ApiError } from '../../base/api-error.js';

/** The body length a request declares. Behind an HTTP parser it is binding: no more is read. */
function declaredLength(headers: Headers): number | undefined {
  // With chunked transfer encoding a Content-Length means nothing (RFC 9112, 6.3).
  if (headers.has('transfer-encoding')) return undefined;
  const value = headers.get('content-length')?.trim();
  return value !== undefined && /^\d+$/.test(value) ? Number(value) : undefined;
}

/** UTF-8 length of a string, computed only when its length in UTF-16 units leaves any doubt. */
function fitsInBytes(text: string, maxBytes: number): boolean {
  if (text.length * 3 <= maxBytes) return true;
  return text.length <= maxBytes && new TextEncoder().encode(text).byteLength <= maxBytes;
}

/**
 * The body of a request that declares no length (a chunked upload, a Request made in a page),
 * counted while read; undefined past `maxBytes`. Firefox has no Request.body at all (undefined):
 * there the shim's body, already in memory, is read whole.
 */
async function readCounted(request: Request, maxBytes: number): Promise<Uint8Array | undefined> {
  const stream = request.body as ReadableStream<Uint8Array> | null | undefined;
  if (stream === null) return new Uint8Array(0);
  if (stream !== undefined) return readAtMost(stream, maxBytes);
  const bytes = new Uint8Array(await request.arrayBuffer());
  return bytes.byteLength > maxBytes ? undefined : bytes;
}

/** Each request's body text, so a second reader (the remote-model check, then the route) gets the same text. */
const texts = new WeakMap<Request, Promise<string>>();

export function readRequestText(request: Request, maxBytes: number): Promise<string> {
  let text = texts.get(request);
  if (text === undefined) {
    text = readOnce(request, maxBytes);
    texts.set(request, text);
  }
  return text;
}

async function readOnce(request: Request, maxBytes: number): Promise<string> {
  const tooLarge = (): ApiError =>
    new ApiError('payload_too_large', `The request body is larger than ${maxBytes} bytes.`, { code: 'payload_too_large' });
  const declared = declaredLength(request.headers);
  if (declared === undefined) {
    const bytes = await readCounted(request, maxBytes);
    if (bytes === undefined) throw tooLarge();
    return new TextDecoder().decode(bytes);
  }
  if (declared > maxBytes) throw tooLarge();
  const text = await request.text();
  // A Request made in-process can carry more than it declares; only an HTTP parser enforces it.
  if (!fitsInBytes(text, maxBytes)) throw tooLarge();
  return text;
}
