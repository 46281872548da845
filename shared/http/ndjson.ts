// Newline-delimited JSON framing (Ollama's streams), used only at the edge: one JSON object per
// line. Errors after the headers are sent travel as one `{"error": "..."}` line, as Ollama does.
import { errorMessage } from '../base/error-message.js';

const encoder = new TextEncoder();

export const NDJSON_HEADERS: Record<string, string> = {
  'content-type': 'application/x-ndjson',
  'cache-control': 'no-cache',
  'x-accel-buffering': 'no',
};

function line(value: unknown): Uint8Array {
  return encoder.encode(`${JSON.stringify(value)}\n`);
}

function isAbort(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { name?: unknown }).name === 'AbortError';
}

export function ndjsonResponse(events: AsyncIterable<unknown>, options: { signal?: AbortSignal; onError?: (error: unknown) => void } = {}): Response {
  const { signal, onError } = options;
  const iterator = events[Symbol.asyncIterator]();
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const result = await iterator.next();
        if (result.done) {
          controller.close();
          return;
        }
        controller.enqueue(line(result.value));
      } catch (error) {
        // A client that went away aborts its work: nobody is left to tell.
        if (isAbort(error) || signal?.aborted === true) {
          try {
            controller.close();
          } catch {
            // already closed or cancelled
          }
          return;
        }
        onError?.(error);
        controller.enqueue(line({ error: errorMessage(error) }));
        controller.close();
      }
    },
    async cancel() {
      await iterator.return?.();
    },
  });
  return new Response(body, { status: 200, headers: NDJSON_HEADERS });
}
