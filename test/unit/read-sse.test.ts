// The chat UI's SSE reader: events split anywhere across chunks, CRLF, multi-line data, [DONE].
import { describe, expect, it } from 'vitest';
import { readSseData } from '../../web/ui/read-sse.js';

function body(...parts: string[]): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  return new ReadableStream({
    start(controller) {
      for (const part of parts) controller.enqueue(encoder.encode(part));
      controller.close();
    },
  });
}

async function collect(stream: ReadableStream<Uint8Array>, signal?: AbortSignal): Promise<string[]> {
  const out: string[] = [];
  for await (const data of readSseData(stream, signal)) out.push(data);
  return out;
}

describe('readSseData', () => {
  it('yields each event once, however the bytes are split, and stops at [DONE]', async () => {
    const text = 'data: {"a":1}\n\ndata: {"b":"é"}\n\ndata: [DONE]\n\ndata: {"after":true}\n\n';
    const bytes = new TextEncoder().encode(text);
    for (let cut = 1; cut < bytes.length; cut += 7) {
      const stream = new ReadableStream<Uint8Array>({
        start(controller) {
          controller.enqueue(bytes.slice(0, cut));
          controller.enqueue(bytes.slice(cut));
          controller.close();
        },
      });
      expect(await collect(stream), `split at byte ${cut}`).toEqual(['{"a":1}', '{"b":"é"}']);
    }
  });

  it('reads CRLF framing, joins multi-line data, skips comments, and flushes a last event without a blank line', async () => {
    expect(await collect(body(': keep-alive\r\n\r\ndata: one\r\ndata: two\r\n\r\n', 'data:three'))).toEqual(['one\ntwo', 'three']);
  });

  it('stops when the signal aborts, even if the body never ends', async () => {
    const controller = new AbortController();
    const endless = new ReadableStream<Uint8Array>({
      start(c) {
        c.enqueue(new TextEncoder().encode('data: first\n\n'));
      },
    });
    const seen: string[] = [];
    for await (const data of readSseData(endless, controller.signal)) {
      seen.push(data);
      controller.abort();
    }
    expect(seen).toEqual(['first']);
  });
});
