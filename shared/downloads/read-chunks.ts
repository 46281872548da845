// Async iteration over a web ReadableStream through its reader: `for await` on the stream itself
// is not in every runtime's (or lib's) typings yet.
export async function* readChunks(stream: ReadableStream<Uint8Array>): AsyncGenerator<Uint8Array> {
  const reader = stream.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      yield value;
    }
  } finally {
    // Stops the transfer when the consumer leaves early (an error, a failed write).
    await reader.cancel().catch(() => undefined);
  }
}
