// The `data:` payloads of a server-sent events body, in order, until `[DONE]` or the end. The chat
// UI reads streams with this instead of the openai SDK, which would add 145 KiB to every visit.
const EVENT_END = /\r?\n\r?\n/;

/** Yields each event's data (its `data:` lines joined by newlines); stops at `data: [DONE]` or when `signal` aborts. */
export async function* readSseData(body: ReadableStream<Uint8Array>, signal?: AbortSignal): AsyncGenerator<string, void, undefined> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  // A body that is not tied to the signal (a handler's own stream) must still stop on abort.
  const cancel = (): void => void reader.cancel().catch(() => undefined);
  signal?.addEventListener('abort', cancel, { once: true });
  let buffered = '';
  try {
    for (;;) {
      const { done, value } = await reader.read();
      buffered += done ? `${decoder.decode()}\n\n` : decoder.decode(value, { stream: true });
      for (let end = buffered.search(EVENT_END); end !== -1; end = buffered.search(EVENT_END)) {
        const event = buffered.slice(0, end);
        buffered = buffered.slice(end).replace(EVENT_END, '');
        const data = dataOf(event);
        if (data === '[DONE]') return;
        if (data !== undefined) yield data;
      }
      if (done) return;
    }
  } finally {
    signal?.removeEventListener('abort', cancel);
    // Stopping early (abort, an error event) cancels the body, which ends the generation.
    await reader.cancel().catch(() => undefined);
  }
}

function dataOf(event: string): string | undefined {
  const lines = event.split(/\r?\n/).filter((line) => line.startsWith('data:'));
  if (lines.length === 0) return undefined;
  return lines.map((line) => line.slice(line.startsWith('data: ') ? 6 : 5)).join('\n');
}
