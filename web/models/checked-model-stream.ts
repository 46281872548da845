// Counts bytes for progress and checks the GGUF magic on the way to storage, so an HTML error page
// or a wrong file is refused after 4 bytes instead of after a full download.
import { MAX_MODEL_FILE_BYTES, ModelRefusedError, formatBytes } from './model-limits.js';

export interface ByteProgress {
  received: number;
  /** Undefined when the server sent no Content-Length. */
  total: number | undefined;
}

const MAGIC = [0x47, 0x47, 0x55, 0x46]; // "GGUF"

export function checkedModelStream(fileName: string, total: number | undefined, onProgress?: (progress: ByteProgress) => void): TransformStream<Uint8Array, Uint8Array> {
  let received = 0;
  const head: number[] = [];
  return new TransformStream<Uint8Array, Uint8Array>({
    transform(chunk, controller) {
      for (let i = 0; head.length < MAGIC.length && i < chunk.length; i += 1) head.push(chunk[i] ?? 0);
      if (head.length === MAGIC.length && head.some((byte, i) => byte !== MAGIC[i])) {
        const shown = String.fromCharCode(...head).replace(/[^\x20-\x7e]/g, '?');
        throw new ModelRefusedError(`${fileName} is not a GGUF model: it starts with "${shown}" instead of "GGUF".`);
      }
      received += chunk.length;
      // Without a Content-Length the size check happens here, as the bytes arrive.
      if (received > MAX_MODEL_FILE_BYTES) {
        throw new ModelRefusedError(`${fileName} is larger than ${formatBytes(MAX_MODEL_FILE_BYTES)}, the most the in-browser engine loads per file. Run it with the sidecar instead.`);
      }
      controller.enqueue(chunk);
      onProgress?.({ received, total });
    },
    flush() {
      if (head.length < MAGIC.length) throw new ModelRefusedError(`${fileName} is too short to be a GGUF model (${received} bytes).`);
    },
  });
}
