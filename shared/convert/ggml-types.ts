// ggml tensor types as GGUF stores them (ggml.h's enum, block layouts from ggml-common.h): elements
// per block and bytes per block, which is all a converter needs to size and copy tensor data.

export interface GgmlTypeInfo {
  readonly name: string;
  readonly blockSize: number;
  readonly blockBytes: number;
}

const QK_K = 256;

/** The types a GGUF may hold that legacy GGML and rwkv.cpp files can carry. */
export const GGML_TYPES: ReadonlyMap<number, GgmlTypeInfo> = new Map([
  [0, { name: 'F32', blockSize: 1, blockBytes: 4 }],
  [1, { name: 'F16', blockSize: 1, blockBytes: 2 }],
  [2, { name: 'Q4_0', blockSize: 32, blockBytes: 2 + 16 }],
  [3, { name: 'Q4_1', blockSize: 32, blockBytes: 2 + 2 + 16 }],
  [6, { name: 'Q5_0', blockSize: 32, blockBytes: 2 + 4 + 16 }],
  [7, { name: 'Q5_1', blockSize: 32, blockBytes: 2 + 2 + 4 + 16 }],
  [8, { name: 'Q8_0', blockSize: 32, blockBytes: 2 + 32 }],
  [10, { name: 'Q2_K', blockSize: QK_K, blockBytes: 2 + 2 + QK_K / 16 + QK_K / 4 }],
  [11, { name: 'Q3_K', blockSize: QK_K, blockBytes: 2 + QK_K / 4 + QK_K / 8 + 12 }],
  [12, { name: 'Q4_K', blockSize: QK_K, blockBytes: 2 + 2 + 12 + QK_K / 2 }],
  [13, { name: 'Q5_K', blockSize: QK_K, blockBytes: 2 + 2 + 12 + QK_K / 8 + QK_K / 2 }],
  [14, { name: 'Q6_K', blockSize: QK_K, blockBytes: 2 + QK_K / 16 + (3 * QK_K) / 4 }],
]);

export const GGML_TYPE = { F32: 0, F16: 1, Q4_0: 2, Q4_1: 3, Q8_0: 8 } as const;

/** Bytes of `elements` values of a type; undefined when rows do not fill whole blocks. */
export function ggmlByteSize(type: GgmlTypeInfo, dims: readonly number[]): number | undefined {
  const ne0 = dims[0] ?? 1;
  if (ne0 % type.blockSize !== 0) return undefined;
  const elements = dims.reduce((a, d) => a * d, 1);
  return (elements / type.blockSize) * type.blockBytes;
}
