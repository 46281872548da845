// Reads a whole stream into memory under a byte cap, so a wrong or hostile sender cannot make us
// buffer gigabytes.
import { readChunks } from './read-chunks.js';

/** The stream's bytes, or undefined (and the stream cancelled) as soon as they pass `maxBytes`. */
export async function readAtMost(stream: ReadableStream<Uint8Array>, maxBytes: number): Promise<Uint8Array<ArrayBuffer> | undefined> {
  const parts: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of readChunks(stream)) {
    size += chunk.byteLength;
    // Leaving the loop cancels the stream (readChunks).
    if (size > maxBytes) return undefined;
    parts.push(chunk);
  }
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const part of parts) {
    bytes.set(part, offset);
    offset += part.byteLength;
  }
  return bytes;
}
