// Counts bytes for progress and checks the magic on the way to storage (GGUF, or a legacy GGML /
// rwkv.cpp file that converts on load), so an HTML error page or a wrong file is refused after
// 8 bytes instead of after a full download.
import { detectModelFormat } from '../../shared/convert/detect-model-format.js';
import { isRwkvWorldVocabName } from '../../shared/convert/rwkv-tokenizer-files.js';
import { MAX_MODEL_FILE_BYTES, ModelRefusedError, formatBytes } from './model-limits.js';

export interface ByteProgress {
  received: number;
  /** Undefined when the server sent no Content-Length. */
  total: number | undefined;
}

/** Magic and version: enough to tell GGUF, GGML and rwkv.cpp files apart. */
const HEAD_BYTES = 8;

export function checkedModelStream(fileName: string, total: number | undefined, onProgress?: (progress: ByteProgress) => void): TransformStream<Uint8Array, Uint8Array> {
  // An RWKV World vocabulary (text, stored beside rwkv.cpp models) has no magic; its parser checks it on load.
  const isModel = !isRwkvWorldVocabName(fileName);
  let received = 0;
  const head: number[] = [];
  return new TransformStream<Uint8Array, Uint8Array>({
    transform(chunk, controller) {
      const complete = head.length === HEAD_BYTES;
      for (let i = 0; head.length < HEAD_BYTES && i < chunk.length; i += 1) head.push(chunk[i] ?? 0);
      if (isModel && !complete && head.length === HEAD_BYTES && detectModelFormat(new Uint8Array(head)) === 'unknown') {
        const shown = String.fromCharCode(...head.slice(0, 4)).replace(/[^\x20-\x7e]/g, '?');
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
      if (isModel && head.length < HEAD_BYTES) throw new ModelRefusedError(`${fileName} is too short to be a GGUF model (${received} bytes).`);
    },
  });
}
