// Server-sent events framing, used only at the edge: `data: <json>\n\n` per event, then
// `data: [DONE]` (typed streams, as the Responses API sends them, name each event instead). Cancelling the response stream (client gone) ends the source iterator.
import { ApiError } from '../base/api-error.js';
import { errorMessage } from '../base/error-message.js';
import { eventStreamResponse, type EventStreamOptions, type Framing } from './event-stream.js';

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

export interface SseOptions extends EventStreamOptions {
  /** Typed events (the Responses API): an `event: <type>` line before each, and no [DONE] at the end. Defaults to `false`. */
  typed?: boolean;
}

export function sseResponse(events: AsyncIterable<unknown>, options: SseOptions = {}): Response {
  const { typed = false, ...rest } = options;
  const framing: Framing = {
    headers: SSE_HEADERS,
    event: (value) => frame(JSON.stringify(value), typed ? typeOf(value) : undefined),
    error: (error) => errorFrame(error, typed),
    ...(typed ? {} : { end: frame('[DONE]') }),
  };
  return eventStreamResponse(events, framing, rest);
}
