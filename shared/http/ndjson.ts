// Newline-delimited JSON framing (Ollama's streams), used only at the edge: one JSON object per
// line. Errors after the headers are sent travel as one `{"error": "..."}` line, as Ollama does.
import { errorMessage } from '../base/error-message.js';
import { eventStreamResponse, type EventStreamOptions, type Framing } from './event-stream.js';

const encoder = new TextEncoder();

export const NDJSON_HEADERS: Record<string, string> = {
  'content-type': 'application/x-ndjson',
  'cache-control': 'no-cache',
  'x-accel-buffering': 'no',
};

function line(value: unknown): Uint8Array {
  return encoder.encode(`${JSON.stringify(value)}\n`);
}

/** Ollama's streams: no end marker; an error is one `{"error": "..."}` line. */
const NDJSON: Framing = { headers: NDJSON_HEADERS, event: line, error: (error) => line({ error: errorMessage(error) }) };

export function ndjsonResponse(events: AsyncIterable<unknown>, options: EventStreamOptions = {}): Response {
  return eventStreamResponse(events, NDJSON, options);
}
