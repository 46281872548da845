// Server-sent events framing, used only at the edge: `data: <json>\n\n` per event, then
// `data: [DONE]`. Cancelling the response stream (client gone) ends the source iterator.
import { ApiError } from '../base/api-error.js';
import { errorMessage } from '../base/error-message.js';

const encoder = new TextEncoder();

export const SSE_HEADERS: Record<string, string> = {
  'content-type': 'text/event-stream; charset=utf-8',
  'cache-control': 'no-cache',
  'x-accel-buffering': 'no',
};

function frame(data: string): Uint8Array {
  return encoder.encode(`data: ${data}\n\n`);
}

/** Errors after the headers are sent travel as one OpenAI-shaped error event before [DONE]. */
function errorFrame(error: unknown): Uint8Array {
  const apiError = error instanceof ApiError ? error : new ApiError('server', errorMessage(error));
  return frame(JSON.stringify(apiError.toJSON()));
}

function isAbort(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { name?: unknown }).name === 'AbortError';
}

function closeQuietly(controller: ReadableStreamDefaultController<Uint8Array>): void {
  try {
    controller.close();
  } catch {
    // already closed or cancelled
  }
}

export function sseResponse(events: AsyncIterable<unknown>, options: { signal?: AbortSignal; onError?: (error: unknown) => void } = {}): Response {
  const { signal, onError } = options;
  const iterator = events[Symbol.asyncIterator]();
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const result = await iterator.next();
        if (result.done) {
          controller.enqueue(frame('[DONE]'));
          controller.close();
          return;
        }
        controller.enqueue(frame(JSON.stringify(result.value)));
      } catch (error) {
        // A client that went away aborts its generation: nobody is left to tell.
        if (isAbort(error) || signal?.aborted === true) {
          closeQuietly(controller);
          return;
        }
        onError?.(error);
        controller.enqueue(errorFrame(error));
        controller.enqueue(frame('[DONE]'));
        controller.close();
      }
    },
    async cancel() {
      await iterator.return?.();
    },
  });
  return new Response(body, { status: 200, headers: SSE_HEADERS });
}
