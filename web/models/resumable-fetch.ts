// The fetch a model download goes through, between the shared downloader (which asks for
// `Range: bytes=N-` to continue a partial file) and the network. It makes a resume safe when the
// file on the server may have changed since the pause: it sends the validator it saw as If-Range
// (the server then answers 200 with the new file instead of 206), and when a 206 still reports
// another size than before, it asks for the whole file, so two versions are never spliced. A fresh
// file (200) is checked before its body is stored: its size against the engine and the quota, and
// its first bytes for a model's magic.
import { parseContentRange } from '../../shared/downloads/range-plan.js';
import type { FetchLike } from '../../shared/downloads/download-io.js';
import { checkedModelStream } from './checked-model-stream.js';
import { ModelRefusedError } from './model-limits.js';

/** What identifies the file a partial download holds the start of. */
export interface FileIdentity {
  /** ETag, or Last-Modified when there is no ETag. */
  validator?: string;
  /** Complete size, when the server said. */
  total?: number;
}

export interface ResumableFetchOptions {
  network: typeof fetch;
  fileName: string;
  /** The file an earlier attempt started on (undefined for a new download). */
  known: FileIdentity | undefined;
  /** The file the server now serves, each time it sends it from byte 0. */
  onIdentity(identity: FileIdentity): void;
  /** Throws when a file of `total` bytes may not be stored; the download then stops. */
  checkSize(total: number): Promise<void>;
  /** The body turned out not to be a model (or too big): retrying would not help. */
  onRefused(error: ModelRefusedError): void;
}

/** Whether a 206 answer continues the same file the partial bytes came from. */
export function sameFile(known: FileIdentity | undefined, contentRange: string | null): boolean {
  if (known?.total === undefined) return true;
  const total = parseContentRange(contentRange)?.total;
  return total === undefined || total === known.total;
}

export function identityOf(headers: Headers): FileIdentity {
  const validator = headers.get('etag') ?? headers.get('last-modified') ?? undefined;
  const length = Number(headers.get('content-length') ?? NaN);
  return {
    ...(validator === undefined ? {} : { validator }),
    ...(Number.isSafeInteger(length) && length >= 0 ? { total: length } : {}),
  };
}

/** The request headers of one attempt: If-Range only goes with a Range and a validator. */
export function resumeHeaders(headers: Record<string, string>, known: FileIdentity | undefined): Record<string, string> {
  const hasRange = Object.keys(headers).some((name) => name.toLowerCase() === 'range');
  return hasRange && known?.validator !== undefined ? { ...headers, 'if-range': known.validator } : headers;
}

export function resumableFetch(options: ResumableFetchOptions): FetchLike {
  let known = options.known;
  return async (url, init) => {
    const get = (headers: Record<string, string>): Promise<Response> =>
      options.network(url, { headers, redirect: 'follow', ...(init.signal ? { signal: init.signal } : {}) });
    let response = await get(resumeHeaders(init.headers, known));
    if (response.status === 206 && !sameFile(known, response.headers.get('content-range'))) {
      // The server ignored If-Range (or gave no validator) but the size changed: start over.
      await response.body?.cancel().catch(() => undefined);
      response = await get({});
    }
    if (response.status !== 200 || response.body === null) return response;
    known = identityOf(response.headers);
    if (known.total !== undefined) {
      try {
        await options.checkSize(known.total);
      } catch (error) {
        // Refused on the headers alone: drop the connection instead of leaving the body pending.
        await response.body.cancel().catch(() => undefined);
        throw error;
      }
    }
    options.onIdentity(known);
    const checked = response.body.pipeThrough(checkedModelStream(options.fileName, known.total)).getReader();
    const body = new ReadableStream<Uint8Array>({
      async pull(controller) {
        try {
          const { done, value } = await checked.read();
          if (done) controller.close();
          else controller.enqueue(value);
        } catch (error) {
          if (error instanceof ModelRefusedError) options.onRefused(error);
          controller.error(error);
        }
      },
      cancel: (reason) => checked.cancel(reason),
    });
    return new Response(body, { status: response.status, statusText: response.statusText, headers: response.headers });
  };
}
