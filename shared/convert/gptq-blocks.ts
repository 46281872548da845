// GPTQ Linear weights -> ggml blocks (pure: typed arrays in, GGUF tensor bytes out).
//
// GPTQ layout (AutoGPTQ QuantLinear.pack; llama.cpp convert_hf_to_gguf.py dequant_gptq):
// qweight int32 [in*bits/32, out] holds, per output column, the input codes as one little-endian bit
// stream (code i at bit bits*i; at 3 bits codes straddle words); qzeros int32 [groups, out*bits/32]
// holds each group's output zeros the same way; scales f16 [groups, out]; g_idx int32 [in].
// W[o, i] = scale[g(i), o] * (q[i, o] - z[g(i), o]), where checkpoint_format "gptq" (v1) stores
// z - 1 (masked to `bits`) and "gptq_v2" stores z.
//
// ggml rows are output features with blocks of 32 along the inputs (ggml-common.h):
// Q4_0 {d f16, qs[16]: x[j] | x[j+16] << 4}, value d*(x-8); Q4_1 {d, m f16, qs[16]}, value d*x + m;
// Q8_0 {d f16, qs int8[32]}, value d*q.
import { float16BitsToFloat32, float32ToFloat16Bits } from './float16.js';
import { GGML_TYPE } from './ggml-types.js';

export const QK = 32;

export interface GptqLinear {
  readonly inFeatures: number;
  readonly outFeatures: number;
  readonly bits: number;
  readonly groups: number;
  readonly qweight: Uint32Array;
  readonly qzeros: Uint32Array;
  /** f16 bits, [groups, out]. */
  readonly scales: Uint16Array;
  /** The group of each input; i / group_size when the checkpoint has none. */
  readonly gIdx: Int32Array;
  /** 1 for checkpoint_format "gptq" (stored zero is z - 1), 0 for "gptq_v2". */
  readonly zeroOffset: number;
}

export type GptqTarget = 'Q4_0' | 'Q4_1' | 'Q8_0';
export const TARGET_TYPE: Record<GptqTarget, number> = { Q4_0: GGML_TYPE.Q4_0, Q4_1: GGML_TYPE.Q4_1, Q8_0: GGML_TYPE.Q8_0 };
export const TARGET_BLOCK_BYTES: Record<GptqTarget, number> = { Q4_0: 18, Q4_1: 20, Q8_0: 34 };

/** Value `k` of a little-endian bit stream of `bits`-bit values starting at word `base` (stride `stride` words). */
function streamValue(words: Uint32Array, base: number, stride: number, k: number, bits: number, mask: number): number {
  const bit = k * bits;
  const w = bit >>> 5;
  const shift = bit & 31;
  let v = (words[base + w * stride] ?? 0) >>> shift;
  if (shift + bits > 32) v |= (words[base + (w + 1) * stride] ?? 0) << (32 - shift);
  return v & mask;
}

/** The true zeros, [groups, out]. */
export function unpackZeros(linear: GptqLinear): Int32Array {
  const { outFeatures: out, groups, bits, qzeros, zeroOffset } = linear;
  const mask = (1 << bits) - 1;
  const wordsPerGroup = (out * bits) / 32;
  const zeros = new Int32Array(groups * out);
  for (let g = 0; g < groups; g++) {
    for (let o = 0; o < out; o++) zeros[g * out + o] = streamValue(qzeros, g * wordsPerGroup, 1, o, bits, mask) + zeroOffset;
  }
  return zeros;
}

/** The default g_idx: input i belongs to group i / group_size. */
export function sequentialGIdx(inFeatures: number, groupSize: number): Int32Array {
  const size = groupSize <= 0 ? inFeatures : groupSize;
  return Int32Array.from({ length: inFeatures }, (_, i) => Math.floor(i / size));
}

/** True when every block of 32 inputs lies in one group, so a block can keep the group's scale. */
export function blocksFollowGroups(gIdx: Int32Array): boolean {
  for (let b = 0; b < gIdx.length; b += QK) {
    const g = gIdx[b];
    for (let j = 1; j < QK; j++) if (gIdx[b + j] !== g) return false;
  }
  return true;
}

/**
 * The ggml type a linear becomes: exact repacks where the blocks fit (4-bit with every zero 8 is
 * Q4_0 bit for bit; other 4-bit is Q4_1 with m = -scale*zero rounded to f16; 8-bit is Q8_0), and
 * Q8_0 from the dequantized weights for act-order, 2-bit and 3-bit.
 */
export function chooseTarget(linear: GptqLinear, zeros: Int32Array): GptqTarget {
  if (!blocksFollowGroups(linear.gIdx)) return 'Q8_0';
  if (linear.bits === 4) return zeros.every((z) => z === 8) ? 'Q4_0' : 'Q4_1';
  return 'Q8_0';
}

/** Output rows decoded per step: bounded memory whatever the tensor's size. */
const ROWS_PER_STEP = 64;

/**
 * The tensor's ggml bytes. `rowOrder[r]` is the source output feature that becomes GGUF row r
 * (llama.cpp's Q/K permutation moves whole rows, so blocks stay intact); identity when absent.
 */
export function encodeGptqLinear(linear: GptqLinear, target: GptqTarget, zeros: Int32Array, rowOrder?: Int32Array): Uint8Array {
  const { inFeatures: inF, outFeatures: out, bits, qweight, scales, gIdx } = linear;
  const mask = (1 << bits) - 1;
  const blocks = inF / QK;
  const blockBytes = TARGET_BLOCK_BYTES[target];
  const rowBytes = blocks * blockBytes;
  const result = new Uint8Array(out * rowBytes);
  const view = new DataView(result.buffer);
  const codes = new Uint8Array(ROWS_PER_STEP * inF);
  const values = new Float32Array(QK);
  for (let r0 = 0; r0 < out; r0 += ROWS_PER_STEP) {
    const rows = Math.min(ROWS_PER_STEP, out - r0);
    // Decode codes for these rows input by input: each qweight word row is contiguous over outputs.
    for (let i = 0; i < inF; i++) {
      for (let r = 0; r < rows; r++) {
        const o = rowOrder?.[r0 + r] ?? r0 + r;
        codes[r * inF + i] = streamValue(qweight, o, out, i, bits, mask);
      }
    }
    for (let r = 0; r < rows; r++) {
      const o = rowOrder?.[r0 + r] ?? r0 + r;
      const rowAt = (r0 + r) * rowBytes;
      for (let b = 0; b < blocks; b++) {
        const at = rowAt + b * blockBytes;
        const c = r * inF + b * QK;
        if (target === 'Q4_0' || target === 'Q4_1') {
          const gz = (gIdx[b * QK] ?? 0) * out + o;
          const scaleBits = scales[gz] ?? 0;
          view.setUint16(at, scaleBits, true);
          let qs = at + 2;
          if (target === 'Q4_1') {
            view.setUint16(at + 2, float32ToFloat16Bits(-float16BitsToFloat32(scaleBits) * (zeros[gz] ?? 0)), true);
            qs = at + 4;
          }
          for (let j = 0; j < QK / 2; j++) result[qs + j] = (codes[c + j] ?? 0) | ((codes[c + j + QK / 2] ?? 0) << 4);
          continue;
        }
        // Q8_0: keep the codes when the block shares one group and q - z fits int8, else requantize.
        const g0 = gIdx[b * QK] ?? 0;
        let exact = bits === 8;
        for (let j = 0; j < QK && exact; j++) {
          const g = gIdx[b * QK + j] ?? 0;
          const q = (codes[c + j] ?? 0) - (zeros[g * out + o] ?? 0);
          if (g !== g0 || q < -128 || q > 127) exact = false;
        }
        if (exact) {
          view.setUint16(at, scales[g0 * out + o] ?? 0, true);
          for (let j = 0; j < QK; j++) view.setInt8(at + 2 + j, (codes[c + j] ?? 0) - (zeros[g0 * out + o] ?? 0));
          continue;
        }
        let amax = 0;
        for (let j = 0; j < QK; j++) {
          const gz = (gIdx[b * QK + j] ?? 0) * out + o;
          const v = float16BitsToFloat32(scales[gz] ?? 0) * ((codes[c + j] ?? 0) - (zeros[gz] ?? 0));
          values[j] = v;
          amax = Math.max(amax, Math.abs(v));
        }
        // ggml's quantize_row_q8_0_ref: d = amax/127, q = round(x/d), d stored as f16.
        const d = amax / 127;
        const id = d === 0 ? 0 : 1 / d;
        view.setUint16(at, float32ToFloat16Bits(d), true);
        for (let j = 0; j < QK; j++) {
          const x = (values[j] ?? 0) * id;
          view.setInt8(at + 2 + j, Math.sign(x) * Math.round(Math.abs(x)));
        }
      }
    }
  }
  return result;
}

/** llama.cpp's LlamaModel.permute for Q (heads = n_head) and K (heads = n_head_kv): source row of GGUF row r. */
export function ropeRowOrder(rows: number, heads: number): Int32Array {
  const headDim = rows / heads;
  const half = headDim / 2;
  const order = new Int32Array(rows);
  for (let r = 0; r < rows; r++) {
    const h = Math.floor(r / headDim);
    const rem = r % headDim;
    order[r] = h * headDim + (rem % 2) * half + Math.floor(rem / 2);
  }
  return order;
}
