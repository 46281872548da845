// Server-sent events framing, used only at the edge: `data: <json>\n\n` per event, then
// `data: [DONE]` (typed streams, as the Responses API sends them, name each event instead). Cancelling the response stream (client gone) ends the source iterator.
import { ApiError } from '../base/api-error.js';
import { errorMessage } from '../base/error-message.js';

const encoder = new TextEncoder();

export const SSE_HEADERS: Record<string, string> = {
  'content-type': 'text/event-stream; charset=utf-8',
  'cache-control': 'no-cache',
  'x-accel-buffering': 'no',
};

function frame(data: string, event?: string): Uint8Array {
  return encoder.encode(`${event === undefined ? '' : `event: ${event}\n`}data: ${data}\n\n`);
}

/** The `type` of a typed event, for its `event:` line. */
function typeOf(value: unknown): string | undefined {
  const type = typeof value === 'object' && value !== null ? (value as { type?: unknown }).type : undefined;
  return typeof type === 'string' ? type : undefined;
}

/** Errors after the headers are sent travel as one OpenAI-shaped error event before [DONE]. */
function errorFrame(error: unknown, typed: boolean): Uint8Array {
  const apiError = error instanceof ApiError ? error : new ApiError('server', errorMessage(error));
  return frame(JSON.stringify(apiError.toJSON()), typed ? 'error' : undefined);
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

export interface SseOptions {
  signal?: AbortSignal;
  onError?: (error: unknown) => void;
  /** Typed events (the Responses API): an `event: <type>` line before each, and no [DONE] at the end. Defaults to `false`. */
  typed?: boolean;
}

export function sseResponse(events: AsyncIterable<unknown>, options: SseOptions = {}): Response {
  const { signal, onError, typed = false } = options;
  const iterator = events[Symbol.asyncIterator]();
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const result = await iterator.next();
        if (result.done) {
          if (!typed) controller.enqueue(frame('[DONE]'));
          controller.close();
          return;
        }
        controller.enqueue(frame(JSON.stringify(result.value), typed ? typeOf(result.value) : undefined));
      } catch (error) {
        // A client that went away aborts its generation: nobody is left to tell.
        if (isAbort(error) || signal?.aborted === true) {
          closeQuietly(controller);
          return;
        }
        onError?.(error);
        controller.enqueue(errorFrame(error, typed));
        if (!typed) controller.enqueue(frame('[DONE]'));
        controller.close();
      }
    },
    async cancel() {
      await iterator.return?.();
    },
  });
  return new Response(body, { status: 200, headers: SSE_HEADERS });
}
