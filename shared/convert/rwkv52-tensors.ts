// rwkv.cpp's RWKV v5.2 files as llama.cpp's rwkv6 architecture. v6 is v5.2 plus two data-dependent
// LoRA terms (token-shift mixes and decay); with those LoRA weights zero, v6 computes exactly v5.2:
// - v5.2 mixes x*mix + x_prev*(1-mix); rwkv6 computes x + (x_prev-x)*lerp, so lerp = 1 - mix;
// - rwkv.cpp stores v5.2's decay already as exp(-exp(w)); rwkv6 wants w: w = ln(-ln(stored));
// - time_faaaa ("u") is rwkv6's time_mix_first as it is.
// - llama.cpp's group norm (ln_x) uses epsilon 64e-5 where rwkv.cpp's v5.2 uses 1e-5. Group norm of
//   8x its input with epsilon 64e-5 equals group norm of the input with 1e-5, and v5.2's wkv output
//   is linear in the value projection, so the value weights are scaled by 8 (exact in binary
//   floating point): llama.cpp then matches rwkv.cpp's logits (checked against its test fixtures).
import type { ByteSource } from './byte-source.js';
import { badModelFile } from './conversion-error.js';
import type { GgufMetadata } from './gguf-header.js';
import type { RwkvCppFile, RwkvTensorRecord } from './read-rwkv-cpp.js';
import type { RwkvVocab } from './rwkv-vocab.js';
import type { ConversionPlan, PlannedTensor } from './write-gguf.js';
import { float16BitsToFloat32, float32ToFloat16Bits } from './float16.js';

/** LoRA ranks of the zero LoRA tensors: the smallest llama.cpp handles is 1; these are cheap anyway. */
const TIME_MIX_EXTRA_DIM = 32;
const TIME_DECAY_EXTRA_DIM = 64;

const count = (dims: readonly number[]): number => dims.reduce((a, d) => a * d, 1);

function copied(record: RwkvTensorRecord, name: string, dims: number[]): PlannedTensor {
  return { name, dims, ggmlType: record.type.id, byteLength: record.byteLength, sourceOffset: record.dataOffset, sourceLength: record.byteLength };
}

function zeros(name: string, dims: number[]): PlannedTensor {
  const byteLength = count(dims) * 4;
  return { name, dims, ggmlType: 0, byteLength, sourceOffset: 0, sourceLength: 0, produce: async () => new Uint8Array(byteLength) };
}

/** An F32 vector computed elementwise from an F32 source tensor. */
function mapped(source: ByteSource, record: RwkvTensorRecord, name: string, dims: number[], f: (x: number) => number): PlannedTensor {
  if (record.type.id !== 0) throw badModelFile(source.name, `its tensor "${record.name}" is not FP32, as rwkv.cpp writes time_ tensors.`);
  return {
    name,
    dims,
    ggmlType: 0,
    byteLength: record.byteLength,
    sourceOffset: record.dataOffset,
    sourceLength: record.byteLength,
    produce: async (src) => {
      const bytes = await src.read(record.dataOffset, record.byteLength);
      const input = new DataView(bytes.buffer, bytes.byteOffset, bytes.length);
      const out = new Uint8Array(record.byteLength);
      const view = new DataView(out.buffer);
      for (let i = 0; i < record.byteLength; i += 4) view.setFloat32(i, f(input.getFloat32(i, true)), true);
      return out;
    },
  };
}

/** Byte offsets of the f16 scales (d, and m where the type has one) in one block of each type. */
const SCALE_OFFSETS: ReadonlyMap<string, readonly number[]> = new Map([
  ['Q4_0', [0]],
  ['Q5_0', [0]],
  ['Q8_0', [0]],
  ['Q4_1', [0, 2]],
  ['Q5_1', [0, 2]],
]);

/** The tensor times 8: F32/F16 values, or the f16 scales of quantized blocks (both exact: a power of two). */
function scaledBy8(source: ByteSource, record: RwkvTensorRecord, name: string, dims: number[]): PlannedTensor {
  const type = record.type.name;
  const scales = SCALE_OFFSETS.get(type);
  if (type !== 'F32' && type !== 'F16' && scales === undefined) throw badModelFile(source.name, `its tensor "${record.name}" is ${type}, which this converter does not rescale.`);
  const unit = record.type.blockBytes;
  const f16 = (view: DataView, at: number): void => view.setUint16(at, float32ToFloat16Bits(float16BitsToFloat32(view.getUint16(at, true)) * 8), true);
  return {
    ...copied(record, name, dims),
    transform: {
      sourceUnit: unit,
      apply(bytes) {
        // A copy: the source's bytes may be a view the caller still owns.
        const out = new Uint8Array(bytes);
        const view = new DataView(out.buffer);
        for (let at = 0; at < out.length; at += unit) {
          if (type === 'F32') view.setFloat32(at, view.getFloat32(at, true) * 8, true);
          else if (type === 'F16') f16(view, at);
          else for (const offset of scales ?? []) f16(view, at + offset);
        }
        return out;
      },
    },
  };
}

const oneMinus = (x: number): number => 1 - x;
/** exp(-exp(w)) back to w. */
const decayLogit = (stored: number): number => Math.log(-Math.log(stored));

export function planRwkv52(source: ByteSource, file: RwkvCppFile, vocab: RwkvVocab): ConversionPlan {
  const byName = new Map(file.tensors.map((t) => [t.name, t]));
  const need = (name: string): RwkvTensorRecord => {
    const t = byName.get(name);
    if (t === undefined) throw badModelFile(source.name, `it has no ${name} tensor, which an RWKV v5.2 model needs.`);
    return t;
  };
  const C = file.nEmbed;
  const first = need('blocks.0.att.time_faaaa');
  // rwkv.cpp stores time_faaaa as (H, N, 1): ggml dims [1, N, H].
  const headSize = first.dims[1] ?? 0;
  if (headSize === 0 || C % headSize !== 0) throw badModelFile(source.name, `its time_faaaa shape [${first.dims.join(', ')}] does not give a head size.`);
  const ffn = need('blocks.0.ffn.key.weight').dims[1] ?? 0;
  const tensors: PlannedTensor[] = [
    copied(need('emb.weight'), 'token_embd.weight', [C, file.nVocab]),
    copied(need('blocks.0.ln0.weight'), 'token_embd_norm.weight', [C]),
    copied(need('blocks.0.ln0.bias'), 'token_embd_norm.bias', [C]),
    copied(need('ln_out.weight'), 'output_norm.weight', [C]),
    copied(need('ln_out.bias'), 'output_norm.bias', [C]),
    copied(need('head.weight'), 'output.weight', [C, file.nVocab]),
  ];
  for (let i = 0; i < file.nLayer; i++) {
    const b = (part: string): RwkvTensorRecord => need(`blocks.${i}.${part}`);
    const p = `blk.${i}`;
    tensors.push(
      copied(b('ln1.weight'), `${p}.attn_norm.weight`, [C]),
      copied(b('ln1.bias'), `${p}.attn_norm.bias`, [C]),
      copied(b('ln2.weight'), `${p}.attn_norm_2.weight`, [C]),
      copied(b('ln2.bias'), `${p}.attn_norm_2.bias`, [C]),
      zeros(`${p}.time_mix_w1.weight`, [C, TIME_MIX_EXTRA_DIM * 5]),
      zeros(`${p}.time_mix_w2.weight`, [TIME_MIX_EXTRA_DIM, C, 5]),
      zeros(`${p}.time_mix_lerp_x.weight`, [C, 1, 1]),
      zeros(`${p}.time_mix_lerp_w.weight`, [C, 1, 1]),
      mapped(source, b('att.time_mix_k'), `${p}.time_mix_lerp_k.weight`, [C, 1, 1], oneMinus),
      mapped(source, b('att.time_mix_v'), `${p}.time_mix_lerp_v.weight`, [C, 1, 1], oneMinus),
      mapped(source, b('att.time_mix_r'), `${p}.time_mix_lerp_r.weight`, [C, 1, 1], oneMinus),
      mapped(source, b('att.time_mix_g'), `${p}.time_mix_lerp_g.weight`, [C, 1, 1], oneMinus),
      copied(b('att.time_faaaa'), `${p}.time_mix_first.weight`, [headSize, C / headSize]),
      mapped(source, b('att.time_decay'), `${p}.time_mix_decay.weight`, [C], decayLogit),
      zeros(`${p}.time_mix_decay_w1.weight`, [C, TIME_DECAY_EXTRA_DIM]),
      zeros(`${p}.time_mix_decay_w2.weight`, [TIME_DECAY_EXTRA_DIM, C]),
      copied(b('att.key.weight'), `${p}.time_mix_key.weight`, [C, C]),
      scaledBy8(source, b('att.value.weight'), `${p}.time_mix_value.weight`, [C, C]),
      copied(b('att.receptance.weight'), `${p}.time_mix_receptance.weight`, [C, C]),
      copied(b('att.gate.weight'), `${p}.time_mix_gate.weight`, [C, C]),
      copied(b('att.ln_x.weight'), `${p}.time_mix_ln.weight`, [C]),
      copied(b('att.ln_x.bias'), `${p}.time_mix_ln.bias`, [C]),
      copied(b('att.output.weight'), `${p}.time_mix_output.weight`, [C, C]),
      mapped(source, b('ffn.time_mix_k'), `${p}.channel_mix_lerp_k.weight`, [C, 1, 1], oneMinus),
      mapped(source, b('ffn.time_mix_r'), `${p}.channel_mix_lerp_r.weight`, [C, 1, 1], oneMinus),
      copied(b('ffn.key.weight'), `${p}.channel_mix_key.weight`, [C, ffn]),
      copied(b('ffn.value.weight'), `${p}.channel_mix_value.weight`, [ffn, C]),
      copied(b('ffn.receptance.weight'), `${p}.channel_mix_receptance.weight`, [C, C]),
    );
  }
  const metadata: GgufMetadata = [
    ['general.architecture', { type: 'string', value: 'rwkv6' }],
    ['general.name', { type: 'string', value: source.name }],
    ['general.description', { type: 'string', value: 'converted from rwkv.cpp (RWKV v5.2, as rwkv6 with zero LoRA) by Hearth' }],
    ['general.file_type', { type: 'uint32', value: need('blocks.0.att.key.weight').type.id === 1 ? 1 : 0 }],
    ['rwkv6.context_length', { type: 'uint32', value: 1048576 }],
    ['rwkv6.embedding_length', { type: 'uint32', value: C }],
    ['rwkv6.block_count', { type: 'uint32', value: file.nLayer }],
    ['rwkv6.attention.layer_norm_epsilon', { type: 'float32', value: 1e-5 }],
    ['rwkv6.rescale_every_n_layers', { type: 'uint32', value: 0 }],
    ['rwkv6.wkv.head_size', { type: 'uint32', value: headSize }],
    ['rwkv6.time_mix_extra_dim', { type: 'uint32', value: TIME_MIX_EXTRA_DIM }],
    ['rwkv6.time_decay_extra_dim', { type: 'uint32', value: TIME_DECAY_EXTRA_DIM }],
    ['rwkv6.feed_forward_length', { type: 'uint32', value: ffn }],
    ['rwkv6.attention.head_count', { type: 'uint32', value: 0 }],
    ['tokenizer.ggml.model', { type: 'string', value: 'rwkv' }],
    ['tokenizer.ggml.tokens', { type: 'string[]', value: vocab.tokens }],
    ['tokenizer.ggml.token_type', { type: 'int32[]', value: vocab.types }],
  ];
  return { metadata, tensors };
}
