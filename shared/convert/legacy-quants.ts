// Quantized blocks as llama.cpp wrote them before ggjt v3, and their repacking into today's layouts
// (ggml-common.h). Before ggjt v3 (llama.cpp PR #1508) Q4_0, Q4_1 and Q8_0 kept their scales as
// f32; before ggjt v2 (PR #1405) 4-bit blocks packed neighbours x[2i], x[2i+1] into byte i, where
// today byte j holds x[j] (low nibble) and x[j+16] (high nibble).
import { float32ToFloat16Bits } from './float16.js';
import { GGML_TYPES, GGML_TYPE, type GgmlTypeInfo } from './ggml-types.js';
import type { BlockTransform } from './write-gguf.js';

const QK = 32;

export type LegacyLayout = 'interleaved-f32' | 'split-f32' | 'current';

/** How this file version lays out quantized blocks. */
export function legacyLayout(format: 'ggml' | 'ggmf' | 'ggjt', version: number): LegacyLayout {
  if (format !== 'ggjt' || version === 1) return 'interleaved-f32';
  return version === 2 ? 'split-f32' : 'current';
}

/** One block's 4-bit values, reused: a model has hundreds of millions of blocks. */
const q = new Uint8Array(QK);

/** Reorders 16 packed bytes from neighbour pairs to the x[j] / x[j+16] split. */
function unshuffleNibbles(src: Uint8Array, from: number, out: Uint8Array, to: number): void {
  for (let i = 0; i < QK / 2; i++) {
    const b = src[from + i] ?? 0;
    q[2 * i] = b & 0x0f;
    q[2 * i + 1] = b >> 4;
  }
  for (let j = 0; j < QK / 2; j++) out[to + j] = (q[j] ?? 0) | ((q[j + QK / 2] ?? 0) << 4);
}

function f32To16(view: DataView, at: number, out: DataView, to: number): void {
  out.setUint16(to, float32ToFloat16Bits(view.getFloat32(at, true)), true);
}

/** A transform from `scales` f32 values + `payload` bytes per block to f16 scales + the same payload. */
function scalesToF16(scales: number, payload: number, interleaved: boolean): BlockTransform {
  const srcBlock = 4 * scales + payload;
  const outBlock = 2 * scales + payload;
  return {
    sourceUnit: srcBlock,
    apply(src) {
      const blocks = src.length / srcBlock;
      const out = new Uint8Array(blocks * outBlock);
      const sv = new DataView(src.buffer, src.byteOffset, src.length);
      const ov = new DataView(out.buffer);
      for (let b = 0; b < blocks; b++) {
        const s = b * srcBlock;
        const o = b * outBlock;
        for (let k = 0; k < scales; k++) f32To16(sv, s + 4 * k, ov, o + 2 * k);
        if (interleaved) unshuffleNibbles(src, s + 4 * scales, out, o + 2 * scales);
        else out.set(src.subarray(s + 4 * scales, s + srcBlock), o + 2 * scales);
      }
      return out;
    },
  };
}

export interface LegacyTensorType {
  /** The GGUF type the tensor becomes. */
  readonly target: GgmlTypeInfo & { readonly id: number };
  /** Bytes per block in the source file. */
  readonly sourceBlockBytes: number;
  readonly transform?: BlockTransform;
}

/** What a tensor of `type` in a file of this layout becomes, or the reason it cannot be converted. */
export function legacyTensorType(type: number, layout: LegacyLayout): LegacyTensorType | string {
  if (type === 4 || type === 5) return `it uses Q4_${type - 2}, a quantization llama.cpp removed in May 2023. Quantize the original weights again (for example to Q4_K_M) or download a GGUF of this model.`;
  const info = GGML_TYPES.get(type);
  if (info === undefined) return `it has a tensor of unknown ggml type ${type}.`;
  const target = { ...info, id: type };
  if (layout === 'current' || type === GGML_TYPE.F32 || type === GGML_TYPE.F16) return { target, sourceBlockBytes: info.blockBytes };
  const interleaved = layout === 'interleaved-f32';
  if (type === GGML_TYPE.Q4_0) return { target, sourceBlockBytes: 4 + 16, transform: scalesToF16(1, 16, interleaved) };
  if (type === GGML_TYPE.Q4_1) return { target, sourceBlockBytes: 8 + 16, transform: scalesToF16(2, 16, interleaved) };
  if (type === GGML_TYPE.Q8_0) return { target, sourceBlockBytes: 4 + 32, transform: scalesToF16(1, 32, false) };
  if (!interleaved && (info.name === 'Q5_0' || info.name === 'Q5_1')) return { target, sourceBlockBytes: info.blockBytes };
  return `it has ${info.name} tensors in a layout older than ggjt v3 that this converter does not repack. Quantize the original weights again or download a GGUF of this model.`;
}
