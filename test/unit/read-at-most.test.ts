// Reading bodies under a byte cap: request bodies (413) and gallery files (file_too_large).
import { describe, expect, it } from 'vitest';
import { readRequestText } from '../../shared/http/parse/read-request-text.js';
import { readAtMost } from '../../shared/downloads/read-at-most.js';
import { fetchLimitedText } from '../../shared/galleries/fetch-limited-text.js';

/** A stream of the given chunks that records whether the reader cancelled it. */
function chunked(...chunks: string[]): { stream: ReadableStream<Uint8Array>; cancelled: () => boolean } {
  let cancelled = false;
  const queue = chunks.map((chunk) => new TextEncoder().encode(chunk));
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      const next = queue.shift();
      if (next === undefined) controller.close();
      else controller.enqueue(next);
    },
    cancel() {
      cancelled = true;
    },
  });
  return { stream, cancelled: () => cancelled };
}

describe('readAtMost', () => {
  it('joins the chunks of a stream within the cap, up to exactly the cap', async () => {
    const bytes = await readAtMost(chunked('ab', 'cd', 'e').stream, 5);
    expect(new TextDecoder().decode(bytes)).toBe('abcde');
  });

  it('gives up as soon as the stream passes the cap, and cancels it', async () => {
    const source = chunked('ab', 'cd', 'ef', 'never read');
    await expect(readAtMost(source.stream, 5)).resolves.toBeUndefined();
    expect(source.cancelled()).toBe(true);
  });
});

describe('fetchLimitedText', () => {
  // The fetch is the injected one of the shared core; these Responses are real web Responses made
  // here, with a stream body and so no Content-Length, which is the case the count must catch.
  const fetchOf = (body: ReadableStream<Uint8Array>) => async () => new Response(body);

  it('reads a small file', async () => {
    await expect(fetchLimitedText(fetchOf(chunked('name: ', 'x').stream), 'http://hub.test/a.yaml', 100)).resolves.toBe('name: x');
  });

  it('refuses a file that grows past the limit without saying its length', async () => {
    await expect(fetchLimitedText(fetchOf(chunked('x'.repeat(60), 'y'.repeat(60)).stream), 'http://hub.test/big.yaml', 100)).rejects.toMatchObject({
      code: 'file_too_large',
    });
  });
});

describe('readRequestText', () => {
  const URL = 'http://localhost/v1/completions';
  const tooLarge = { status: 413, code: 'payload_too_large' };

  it('refuses a declared length over the cap without reading the body', async () => {
    const source = chunked('{}');
    const request = new Request(URL, { method: 'POST', body: source.stream, headers: { 'content-length': '2000' }, duplex: 'half' } as RequestInit);
    await expect(readRequestText(request, 1000)).rejects.toMatchObject(tooLarge);
    expect(request.bodyUsed).toBe(false);
  });

  it('counts a body of unknown length (chunked upload, a page\'s Request) while reading it', async () => {
    const stream = (): ReadableStream<Uint8Array> => chunked('{"a":', '"', 'x'.repeat(20), '"}').stream;
    const request = (): Request => new Request(URL, { method: 'POST', body: stream(), duplex: 'half' } as RequestInit);
    await expect(readRequestText(request(), 1000)).resolves.toBe(`{"a":"${'x'.repeat(20)}"}`);
    await expect(readRequestText(request(), 10)).rejects.toMatchObject(tooLarge);
  });

  it('reads whole, under the cap, a Request without a body stream (Firefox has no Request.body)', async () => {
    const firefoxLike = (text: string): Request => {
      const request = new Request(URL, { method: 'POST', body: text });
      Object.defineProperty(request, 'body', { value: undefined });
      return request;
    };
    await expect(readRequestText(firefoxLike('{"n":1}'), 100)).resolves.toBe('{"n":1}');
    await expect(readRequestText(firefoxLike('x'.repeat(101)), 100)).rejects.toMatchObject(tooLarge);
  });

  it('catches a Request made in-process that declares less than it carries, also in UTF-8 bytes', async () => {
    const lying = (text: string): Request => new Request(URL, { method: 'POST', body: text, headers: { 'content-length': '2' } });
    await expect(readRequestText(lying('x'.repeat(101)), 100)).rejects.toMatchObject(tooLarge);
    // 40 characters, 120 bytes
    await expect(readRequestText(lying('€'.repeat(40)), 100)).rejects.toMatchObject(tooLarge);
    await expect(readRequestText(lying('€'.repeat(33)), 100)).resolves.toBe('€'.repeat(33));
  });
});
