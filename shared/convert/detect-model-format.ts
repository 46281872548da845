// What a model file is, from its first 8 bytes: GGUF runs as it is; the others convert or are refused.
import { MAGIC } from './read-llama-ggml.js';

export type ModelFormat = 'gguf' | 'llama-ggml' | 'rwkv' | 'unknown';

export function detectModelFormat(head: Uint8Array): ModelFormat {
  if (head.length < 4) return 'unknown';
  const view = new DataView(head.buffer, head.byteOffset, head.length);
  const magic = view.getUint32(0, true);
  if (magic === MAGIC.gguf) return 'gguf';
  if (magic === MAGIC.ggml || magic === MAGIC.ggjt) return 'llama-ggml';
  if (magic === MAGIC.ggmf) {
    const version = head.length >= 8 ? view.getUint32(4, true) : 0;
    return version === 100 || version === 101 ? 'rwkv' : 'llama-ggml';
  }
  return 'unknown';
}
