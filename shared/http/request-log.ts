// One info line per request: method, path, model, status, tokens and duration, never the prompt.
// A streamed reply is logged when its stream ends (or is cancelled), with its final counts. The
// routes note the model and token counts on the request's signal, which every layer already has.
import type { Logger } from '../base/logger.js';

export interface RequestRecord {
  model?: string;
  promptTokens: number;
  completionTokens: number;
}

const RECORDS = new WeakMap<AbortSignal, RequestRecord>();

export function trackRequest(signal: AbortSignal): RequestRecord {
  const record: RequestRecord = { promptTokens: 0, completionTokens: 0 };
  RECORDS.set(signal, record);
  return record;
}

/** The model a request was served by (a no-op for requests the router does not log). */
export function noteModel(signal: AbortSignal, model: string): void {
  const record = RECORDS.get(signal);
  if (record !== undefined) record.model = model;
}

export function noteTokens(signal: AbortSignal, promptTokens: number, completionTokens: number): void {
  const record = RECORDS.get(signal);
  if (record === undefined) return;
  record.promptTokens += promptTokens;
  record.completionTokens += completionTokens;
}

export function requestLine(method: string, path: string, status: number, record: RequestRecord, milliseconds: number, note = ''): string {
  const model = record.model === undefined ? '' : ` model=${record.model}`;
  const tokens = record.promptTokens + record.completionTokens > 0 ? ` tokens=${record.promptTokens}+${record.completionTokens}` : '';
  return `${method} ${path} ${status}${model}${tokens} ${Math.round(milliseconds)}ms${note}`;
}

const STREAM_TYPES = ['text/event-stream', 'application/x-ndjson'];

/**
 * Logs the request now, or, for a streamed reply, when its body ends: the same body, read through
 * a pass-through stream that notices the end and a cancel (the client went away).
 */
export function logWhenDone(response: Response, log: Logger, line: (note: string) => string): Response {
  const type = response.headers.get('content-type') ?? '';
  const body = response.body;
  if (body === null || !STREAM_TYPES.some((streamType) => type.startsWith(streamType))) {
    log('info', line(''));
    return response;
  }
  const reader = body.getReader();
  let logged = false;
  const once = (note: string): void => {
    if (logged) return;
    logged = true;
    log('info', line(note));
  };
  const wrapped = new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const { done, value } = await reader.read();
        if (done) {
          once('');
          controller.close();
        } else controller.enqueue(value);
      } catch (error) {
        once(' (stream failed)');
        controller.error(error);
      }
    },
    async cancel(reason) {
      once(' (client went away)');
      await reader.cancel(reason);
    },
  });
  return new Response(wrapped, { status: response.status, statusText: response.statusText, headers: response.headers });
}
