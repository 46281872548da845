// What a model file is, from its first 8 bytes: GGUF runs as it is; the others convert or are refused.
// (Kept tiny: the tab's main bundle checks downloads with it.)

export type ModelFormat = 'gguf' | 'llama-ggml' | 'rwkv' | 'unknown';

/** First four bytes of each format, read as a little-endian u32 (the files store "lmgg", "fmgg", "tjgg", "GGUF"). */
export const MAGIC = { ggml: 0x67676d6c, ggmf: 0x67676d66, ggjt: 0x67676a74, gguf: 0x46554747 } as const;

export function detectModelFormat(head: Uint8Array): ModelFormat {
  const magic = String.fromCharCode(...head.subarray(0, 4));
  if (magic === 'GGUF') return 'gguf';
  if (magic === 'lmgg' || magic === 'tjgg') return 'llama-ggml';
  if (magic !== 'fmgg') return 'unknown';
  // rwkv.cpp reuses "ggmf" with file version 100 or 101 (a little-endian u32); llama.cpp's ggmf is version 1.
  const rwkv = (head[4] === 100 || head[4] === 101) && head[5] === 0 && head[6] === 0 && head[7] === 0;
  return rwkv ? 'rwkv' : 'llama-ggml';
}
