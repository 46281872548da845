// Reading bodies under a byte cap: request bodies (413) and gallery files (file_too_large).
import { describe, expect, it } from 'vitest';
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
