// ggml tensor types as GGUF stores them (ggml.h's enum, block layouts from ggml-common.h): elements
// per block and bytes per block, which is all a converter needs to size and copy tensor data.

export interface GgmlTypeInfo {
  readonly name: string;
  readonly blockSize: number;
  readonly blockBytes: number;
}

/**
 * Every ggml tensor type a GGUF may hold: [elements per block, bytes per block] (ggml-common.h).
 * The tab sizes tensors of any GGUF with it (web/worker/gguf-header.ts); the converter's types below
 * are the subset legacy files can carry.
 */
export const GGML_BLOCKS: ReadonlyMap<number, readonly [number, number]> = new Map([
  [0, [1, 4]], // F32
  [1, [1, 2]], // F16
  [2, [32, 18]], // Q4_0
  [3, [32, 20]], // Q4_1
  [6, [32, 22]], // Q5_0
  [7, [32, 24]], // Q5_1
  [8, [32, 34]], // Q8_0
  [9, [32, 36]], // Q8_1
  [10, [256, 84]], // Q2_K
  [11, [256, 110]], // Q3_K
  [12, [256, 144]], // Q4_K
  [13, [256, 176]], // Q5_K
  [14, [256, 210]], // Q6_K
  [15, [256, 292]], // Q8_K
  [16, [256, 66]], // IQ2_XXS
  [17, [256, 74]], // IQ2_XS
  [18, [256, 98]], // IQ3_XXS
  [19, [256, 50]], // IQ1_S
  [20, [32, 18]], // IQ4_NL
  [21, [256, 110]], // IQ3_S
  [22, [256, 82]], // IQ2_S
  [23, [256, 136]], // IQ4_XS
  [24, [1, 1]], // I8
  [25, [1, 2]], // I16
  [26, [1, 4]], // I32
  [27, [1, 8]], // I64
  [28, [1, 8]], // F64
  [29, [256, 56]], // IQ1_M
  [30, [1, 2]], // BF16
  [34, [256, 54]], // TQ1_0
  [35, [256, 66]], // TQ2_0
  [39, [32, 17]], // MXFP4
]);

function typeInfo(name: string, id: number): [number, GgmlTypeInfo] {
  const [blockSize, blockBytes] = GGML_BLOCKS.get(id) ?? [0, 0];
  return [id, { name, blockSize, blockBytes }];
}

/** The types a GGUF may hold that legacy GGML and rwkv.cpp files can carry. */
export const GGML_TYPES: ReadonlyMap<number, GgmlTypeInfo> = new Map([
  typeInfo('F32', 0),
  typeInfo('F16', 1),
  typeInfo('Q4_0', 2),
  typeInfo('Q4_1', 3),
  typeInfo('Q5_0', 6),
  typeInfo('Q5_1', 7),
  typeInfo('Q8_0', 8),
  typeInfo('Q2_K', 10),
  typeInfo('Q3_K', 11),
  typeInfo('Q4_K', 12),
  typeInfo('Q5_K', 13),
  typeInfo('Q6_K', 14),
]);

export const GGML_TYPE = { F32: 0, F16: 1, Q4_0: 2, Q4_1: 3, Q8_0: 8 } as const;

/** Bytes of `elements` values of a type; undefined when rows do not fill whole blocks. */
export function ggmlByteSize(type: GgmlTypeInfo, dims: readonly number[]): number | undefined {
  const ne0 = dims[0] ?? 1;
  if (ne0 % type.blockSize !== 0) return undefined;
  const elements = dims.reduce((a, d) => a * d, 1);
  return (elements / type.blockSize) * type.blockBytes;
}
