// A streamed response from an async iterable of events, for any framing (SSE, NDJSON): pulled one
// event at a time, so a slow client slows the source; a client that goes away cancels the source;
// an error after the headers are sent travels as the framing's error frame, then its end.
import { isShutdown } from './shutdown.js';

export interface Framing {
  headers: Record<string, string>;
  /** One event's bytes. */
  event(value: unknown): Uint8Array;
  /** An error after the headers were sent. */
  error(error: unknown): Uint8Array;
  /** Sent after the last event (or the error), if the framing has an end marker. */
  end?: Uint8Array;
}

export interface EventStreamOptions {
  signal?: AbortSignal;
  onError?: (error: unknown) => void;
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

export function eventStreamResponse(events: AsyncIterable<unknown>, framing: Framing, { signal, onError }: EventStreamOptions = {}): Response {
  const iterator = events[Symbol.asyncIterator]();
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const result = await iterator.next();
        if (result.done) {
          if (framing.end !== undefined) controller.enqueue(framing.end);
          controller.close();
          return;
        }
        controller.enqueue(framing.event(result.value));
      } catch (error) {
        // The server is stopping: the client is still there and gets told, then the end marker.
        const shutdown = signal?.aborted === true && isShutdown(signal.reason) ? signal.reason : undefined;
        if (shutdown !== undefined) {
          controller.enqueue(framing.error(shutdown));
          if (framing.end !== undefined) controller.enqueue(framing.end);
          controller.close();
          return;
        }
        // A client that went away aborts its work: nobody is left to tell.
        if (isAbort(error) || signal?.aborted === true) {
          closeQuietly(controller);
          return;
        }
        onError?.(error);
        controller.enqueue(framing.error(error));
        if (framing.end !== undefined) controller.enqueue(framing.end);
        controller.close();
      }
    },
    async cancel() {
      await iterator.return?.();
    },
  });
  return new Response(body, { status: 200, headers: framing.headers });
}
