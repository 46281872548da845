// backend autogptq's converter core on seeded GPTQ repos (test/fixtures/gptq). The independent
// reference is the fixture's ground truth (the integer codes, zeros and scales it chose, and the
// dequantized weights): Q4_0 bytes are packed here from the codes, other types are decoded here and
// compared with the dequantized weights within the quantizer's error.
import { describe, expect, it } from 'vitest';
import { ApiError } from '../../shared/base/api-error.js';
import type { ByteSink } from '../../shared/convert/byte-source.js';
import { memoryRepo } from '../../shared/convert/repo-files.js';
import { convertRepoToGguf } from '../../shared/convert/convert-to-gguf.js';
import type { ConversionSettings } from '../../shared/engine/engine.js';
import { float16BitsToFloat32 } from '../fixtures/gguf/gguf-writer.js';
import { packBitStream, type GptqLinearTruth } from '../fixtures/gptq/gptq-quantize.js';
import { readGguf, type ReadGguf } from '../fixtures/gptq/read-gguf.js';
import { gptqRepoInMemory, type GptqRepoOptions, type GptqRepoTruth } from '../fixtures/gptq/write-gptq-repo.js';

const REPO = 'TheBloke/tiny-GPTQ';

function memorySink(): ByteSink & { bytes(): Uint8Array } {
  const parts: Uint8Array[] = [];
  return {
    write: async (b) => void parts.push(b.slice()),
    bytes: () => {
      const out = new Uint8Array(parts.reduce((a, p) => a + p.length, 0));
      let at = 0;
      for (const p of parts) {
        out.set(p, at);
        at += p.length;
      }
      return out;
    },
  };
}

async function convertFiles(files: Map<string, Uint8Array>, settings: ConversionSettings = {}): Promise<Uint8Array> {
  const sink = memorySink();
  await convertRepoToGguf(memoryRepo(REPO, files), sink, settings);
  return sink.bytes();
}

async function convert(options: GptqRepoOptions, settings: ConversionSettings = {}): Promise<{ gguf: ReadGguf; bytes: Uint8Array; truth: GptqRepoTruth }> {
  const { files, truth } = await gptqRepoInMemory(options);
  const bytes = await convertFiles(files, settings);
  return { gguf: readGguf(bytes), bytes, truth };
}

const PARTS: ReadonlyArray<[hf: string, gguf: string]> = [
  ['self_attn.q_proj', 'attn_q'],
  ['self_attn.k_proj', 'attn_k'],
  ['self_attn.v_proj', 'attn_v'],
  ['self_attn.o_proj', 'attn_output'],
  ['mlp.gate_proj', 'ffn_gate'],
  ['mlp.up_proj', 'ffn_up'],
  ['mlp.down_proj', 'ffn_down'],
];

/** llama.cpp's permute: GGUF row r of a rotary projection is HF row srcRow(r), written out here. */
function srcRow(r: number, rows: number, heads: number): number {
  const headDim = rows / heads;
  const h = Math.floor(r / headDim);
  const within = r % headDim;
  return h * headDim + (within % 2 === 0 ? within / 2 : headDim / 2 + (within - 1) / 2);
}

function* linearsOf(truth: GptqRepoTruth): Generator<{ lin: GptqLinearTruth; gguf: string; rowOf: (r: number) => number }> {
  const o = truth.options;
  for (let l = 0; l < o.layers; l++) {
    for (const [hf, gguf] of PARTS) {
      const lin = truth.linears.get(`model.layers.${l}.${hf}`);
      if (lin === undefined) throw new Error(`no truth for ${hf}`);
      const rotary = o.modelType !== 'qwen2';
      const heads = !rotary ? undefined : gguf === 'attn_q' ? o.heads : gguf === 'attn_k' ? o.kvHeads : undefined;
      yield { lin, gguf: `blk.${l}.${gguf}.weight`, rowOf: heads === undefined ? (r) => r : (r) => srcRow(r, lin.outFeatures, heads) };
    }
  }
}

/** Q4_0 bytes from the ground truth: {d = the GPTQ scale as f16, qs[j] = q[j] | q[j+16] << 4}. */
function expectedQ4_0(lin: GptqLinearTruth, rowOf: (r: number) => number): Uint8Array {
  const { inFeatures: inF, outFeatures: out } = lin;
  const bytes = new Uint8Array(out * (inF / 32) * 18);
  let at = 0;
  for (let r = 0; r < out; r++) {
    const o = rowOf(r);
    for (let b = 0; b < inF / 32; b++) {
      const g = lin.gIdx[b * 32] ?? 0;
      const d = lin.scaleBits[g * out + o] ?? 0;
      bytes[at] = d & 0xff;
      bytes[at + 1] = d >> 8;
      for (let j = 0; j < 16; j++) bytes[at + 2 + j] = (lin.codes[(b * 32 + j) * out + o] ?? 0) | ((lin.codes[(b * 32 + j + 16) * out + o] ?? 0) << 4);
      at += 18;
    }
  }
  return bytes;
}

/** Decodes Q4_1 / Q8_0 (ggml-common.h) into floats [rows, cols]. */
function dequantize(type: number, data: Uint8Array, count: number): Float32Array {
  const view = new DataView(data.buffer, data.byteOffset, data.length);
  const out = new Float32Array(count);
  const blockBytes = type === 3 ? 20 : 34;
  for (let b = 0; b < count / 32; b++) {
    const at = b * blockBytes;
    const d = float16BitsToFloat32(view.getUint16(at, true));
    for (let j = 0; j < 32; j++) {
      if (type === 3) {
        const m = float16BitsToFloat32(view.getUint16(at + 2, true));
        const byte = data[at + 4 + (j % 16)] ?? 0;
        out[b * 32 + j] = d * (j < 16 ? byte & 15 : byte >> 4) + m;
      } else {
        out[b * 32 + j] = d * view.getInt8(at + 2 + j);
      }
    }
  }
  return out;
}

/** max |converted - truth| / bound over every block, where bound is the block's allowed error. */
function worstError(lin: GptqLinearTruth, rowOf: (r: number) => number, got: Float32Array, blockBound: (truthBlock: Float32Array) => number): number {
  const { inFeatures: inF, outFeatures: out } = lin;
  let worst = 0;
  for (let r = 0; r < out; r++) {
    const o = rowOf(r);
    for (let b = 0; b < inF / 32; b++) {
      const want = lin.weight.subarray(o * inF + b * 32, o * inF + b * 32 + 32);
      const bound = blockBound(want);
      for (let j = 0; j < 32; j++) {
        const e = Math.abs((got[r * inF + b * 32 + j] ?? 0) - (want[j] ?? 0));
        worst = Math.max(worst, bound === 0 ? (e === 0 ? 0 : Infinity) : e / bound);
      }
    }
  }
  return worst;
}

const amax = (xs: Float32Array): number => xs.reduce((a, x) => Math.max(a, Math.abs(x)), 0);
/** Q8_0 from floats: half a step of amax/127, plus the f16 rounding of d (2^-11 relative) over 127 steps. */
const q8Bound = (block: Float32Array): number => (amax(block) / 127) * 0.5 * 1.01 + amax(block) * 2 ** -11;

describe('autogptq conversion: weights', () => {
  it.each([
    ['gptq (v1 zeros)', { checkpointFormat: 'gptq' }],
    ['gptq_v2', { checkpointFormat: 'gptq_v2' }],
    ['group_size -1', { groupSize: -1 }],
    ['group_size 64, no g_idx tensor', { groupSize: 64, omitGIdx: true }],
  ] as const)('4-bit symmetric (%s) becomes Q4_0 byte for byte, Q/K rows permuted', async (_, options) => {
    const { gguf, truth } = await convert({ bits: 4, sym: true, ...options });
    for (const { lin, gguf: name, rowOf } of linearsOf(truth)) {
      const t = gguf.tensors.get(name);
      expect(t?.type, name).toBe(2);
      expect(t?.dims).toEqual([lin.inFeatures, lin.outFeatures]);
      expect(Buffer.from(t?.data ?? []).equals(Buffer.from(expectedQ4_0(lin, rowOf))), name).toBe(true);
    }
    expect(gguf.metadata.get('general.file_type')).toBe(2);
  });

  it('v1 and v2 checkpoints of the same symmetric weights convert to the same GGUF', async () => {
    const [v1, v2] = [await convert({ checkpointFormat: 'gptq' }), await convert({ checkpointFormat: 'gptq_v2' })];
    expect(Buffer.from(v1.bytes.subarray(v1.gguf.dataStart)).equals(Buffer.from(v2.bytes.subarray(v2.gguf.dataStart)))).toBe(true);
  });

  it.each(['gptq', 'gptq_v2'] as const)('4-bit asymmetric (%s) becomes Q4_1 within the f16 rounding of m = -scale*zero', async (checkpointFormat) => {
    const { gguf, truth } = await convert({ bits: 4, sym: false, checkpointFormat });
    for (const { lin, gguf: name, rowOf } of linearsOf(truth)) {
      const t = gguf.tensors.get(name);
      expect(t?.type, name).toBe(3);
      const got = dequantize(3, t?.data ?? new Uint8Array(), lin.inFeatures * lin.outFeatures);
      // The codes and d are exact; only m is rounded to f16: at most 2^-11 of |m| <= scale*15.
      expect(worstError(lin, rowOf, got, (block) => amax(block) * 2 ** -10 * 16 + 1e-12), name).toBeLessThanOrEqual(1);
    }
    // v1's stored zero is zero - 1: without the +1 every weight would be off by one scale.
    const lin = truth.linears.get('model.layers.0.mlp.up_proj');
    expect(lin?.zeros.some((z) => z !== 8)).toBe(true);
  });

  it('8-bit symmetric becomes Q8_0 exactly (d = scale, q = code - 128)', async () => {
    const { gguf, truth } = await convert({ bits: 8, sym: true, groupSize: 32 });
    for (const { lin, gguf: name, rowOf } of linearsOf(truth)) {
      const t = gguf.tensors.get(name);
      expect(t?.type, name).toBe(8);
      expect(worstError(lin, rowOf, dequantize(8, t?.data ?? new Uint8Array(), lin.inFeatures * lin.outFeatures), () => 0), name).toBe(0);
    }
    expect(gguf.metadata.get('general.file_type')).toBe(7);
  });

  it.each([
    ['8-bit asymmetric', { bits: 8, sym: false }],
    ['4-bit act-order (shuffled g_idx)', { bits: 4, descAct: true }],
    ['3-bit', { bits: 3 }],
    ['3-bit act-order, group -1', { bits: 3, descAct: true, groupSize: -1 }],
    ['2-bit asymmetric', { bits: 2, sym: false }],
  ] as const)('%s becomes Q8_0 within the quantizer error of the dequantized weights', async (_, options) => {
    const { gguf, truth } = await convert(options);
    for (const { lin, gguf: name, rowOf } of linearsOf(truth)) {
      const t = gguf.tensors.get(name);
      expect(t?.type, name).toBe(8);
      expect(worstError(lin, rowOf, dequantize(8, t?.data ?? new Uint8Array(), lin.inFeatures * lin.outFeatures), q8Bound), name).toBeLessThanOrEqual(1);
    }
    if ('descAct' in options && !('groupSize' in options)) {
      const gIdx = truth.linears.get('model.layers.0.self_attn.q_proj')?.gIdx ?? new Int32Array();
      expect([...gIdx].some((g, i) => i > 0 && g < (gIdx[i - 1] ?? 0))).toBe(true);
    }
  });

  it("the fixture packs 3-bit codes as AutoGPTQ's QuantLinear.pack loop does (codes straddling words)", () => {
    const codes = Array.from({ length: 64 }, (_, i) => (i * 5 + 3) & 7);
    // AutoGPTQ's 3-bit branch, transcribed: 32 codes into 3 words per step.
    const words: number[] = [];
    for (let i = 0; i < codes.length; ) {
      let w0 = 0;
      for (let j = i; j < i + 10; j++) w0 |= (codes[j] ?? 0) << (3 * (j - i));
      i += 10;
      w0 |= (codes[i] ?? 0) << 30;
      let w1 = ((codes[i] ?? 0) >> 2) & 1;
      i += 1;
      for (let j = i; j < i + 10; j++) w1 |= (codes[j] ?? 0) << (3 * (j - i) + 1);
      i += 10;
      w1 |= (codes[i] ?? 0) << 31;
      let w2 = ((codes[i] ?? 0) >> 1) & 3;
      i += 1;
      for (let j = i; j < i + 10; j++) w2 |= (codes[j] ?? 0) << (3 * (j - i) + 2);
      i += 10;
      words.push(w0 >>> 0, w1 >>> 0, w2 >>> 0);
    }
    expect([...packBitStream(codes, 3)]).toEqual(words);
  });

  it('embeddings, lm_head and norms: F16 copied, norms widened to F32, BF16 widened to F32', async () => {
    for (const floatDtype of ['F16', 'BF16', 'F32'] as const) {
      const { gguf, truth } = await convert({ floatDtype });
      const embd = gguf.tensors.get('token_embd.weight');
      expect(embd?.type).toBe(floatDtype === 'F16' ? 1 : 0);
      expect(embd?.dims).toEqual([64, truth.vocabSize]);
      const decode = (t: typeof embd): number[] => {
        const v = new DataView(t?.data.buffer ?? new ArrayBuffer(0), t?.data.byteOffset, t?.data.length);
        return t?.type === 1 ? Array.from({ length: (t.data.length ?? 0) / 2 }, (_, i) => float16BitsToFloat32(v.getUint16(2 * i, true))) : Array.from({ length: (t?.data.length ?? 0) / 4 }, (_, i) => v.getFloat32(4 * i, true));
      };
      expect(decode(embd)).toEqual([...(truth.floats.get('model.embed_tokens.weight')?.values ?? [])]);
      expect(decode(gguf.tensors.get('output.weight'))).toEqual([...(truth.floats.get('lm_head.weight')?.values ?? [])]);
      const norm = gguf.tensors.get('blk.1.ffn_norm.weight');
      expect(norm?.type).toBe(0);
      expect(decode(norm)).toEqual([...(truth.floats.get('model.layers.1.post_attention_layernorm.weight')?.values ?? [])]);
      expect(decode(gguf.tensors.get('output_norm.weight'))).toEqual([...(truth.floats.get('model.norm.weight')?.values ?? [])]);
    }
  });

  it('qwen2 keeps HF row order, writes q/k/v biases as F32, and uses the qwen2 architecture', async () => {
    const { gguf, truth } = await convert({ modelType: 'qwen2' });
    expect(gguf.metadata.get('general.architecture')).toBe('qwen2');
    expect(gguf.metadata.get('qwen2.attention.head_count_kv')).toBe(2);
    expect(gguf.metadata.get('tokenizer.ggml.pre')).toBe('qwen2');
    for (const { lin, gguf: name } of linearsOf(truth)) {
      expect(Buffer.from(gguf.tensors.get(name)?.data ?? []).equals(Buffer.from(expectedQ4_0(lin, (r) => r))), name).toBe(true);
    }
    for (const part of ['q', 'k', 'v']) {
      const bias = gguf.tensors.get(`blk.1.attn_${part}.bias`);
      expect(bias?.type).toBe(0);
      const values = new Float32Array(bias?.data.slice().buffer ?? new ArrayBuffer(0));
      expect([...values]).toEqual([...(truth.floats.get(`model.layers.1.self_attn.${part}_proj.bias`)?.values ?? [])]);
    }
    expect(gguf.tensors.has('blk.0.attn_output.bias')).toBe(false);
  });

  it('tied embeddings write no output.weight (llama.cpp reuses token_embd)', async () => {
    const { gguf } = await convert({ tieEmbeddings: true });
    expect(gguf.tensors.has('output.weight')).toBe(false);
    expect(gguf.tensors.has('token_embd.weight')).toBe(true);
    expect(gguf.tensors.size).toBe(1 + 2 * 9 + 1);
  });

  it('a sharded checkpoint converts to the same GGUF as the single file', async () => {
    const single = await convert({ shards: 1 });
    const sharded = await convert({ shards: 3 });
    expect(sharded.truth.checkpointFiles).toHaveLength(4);
    expect(Buffer.from(sharded.bytes).equals(Buffer.from(single.bytes))).toBe(true);
  });
});

describe('autogptq conversion: metadata and tokenizers', () => {
  it('writes llama metadata from config.json, GQA included; settings override', async () => {
    const { gguf, truth } = await convert({ heads: 4, kvHeads: 2 });
    const m = gguf.metadata;
    expect(m.get('general.architecture')).toBe('llama');
    expect(m.get('general.name')).toBe(REPO);
    expect(m.get('llama.embedding_length')).toBe(64);
    expect(m.get('llama.block_count')).toBe(2);
    expect(m.get('llama.feed_forward_length')).toBe(128);
    expect(m.get('llama.attention.head_count')).toBe(4);
    expect(m.get('llama.attention.head_count_kv')).toBe(2);
    expect(m.get('llama.rope.dimension_count')).toBe(16);
    expect(m.get('llama.context_length')).toBe(512);
    expect(m.get('llama.vocab_size')).toBe(truth.vocabSize);
    expect(m.get('llama.attention.layer_norm_rms_epsilon')).toBeCloseTo(1e-5, 10);
    expect(m.get('llama.rope.freq_base')).toBe(10000);
    const over = (await convert({}, { contextSize: 4096, rmsNormEps: 1e-6, ropeFreqBase: 500000 })).gguf.metadata;
    expect([over.get('llama.context_length'), over.get('llama.rope.freq_base')]).toEqual([4096, 500000]);
    expect(over.get('llama.attention.layer_norm_rms_epsilon')).toBeCloseTo(1e-6, 12);
  });

  it('rope_scaling: linear as GGUF keys, llama3 as the rope_freqs tensor, others refused', async () => {
    const withScaling = async (scaling: unknown): Promise<ReadGguf> => {
      const { files } = await gptqRepoInMemory({});
      const config = JSON.parse(new TextDecoder().decode(files.get('config.json'))) as Record<string, unknown>;
      files.set('config.json', new TextEncoder().encode(JSON.stringify({ ...config, rope_scaling: scaling })));
      return readGguf(await convertFiles(files));
    };
    const linear = await withScaling({ type: 'linear', factor: 4 });
    expect([linear.metadata.get('llama.rope.scaling.type'), linear.metadata.get('llama.rope.scaling.factor')]).toEqual(['linear', 4]);
    const llama3 = await withScaling({ rope_type: 'llama3', factor: 8, low_freq_factor: 1, high_freq_factor: 4, original_max_position_embeddings: 8192 });
    const freqs = llama3.tensors.get('rope_freqs.weight');
    expect(freqs?.dims).toEqual([8]);
    // Llama 3.1's rule, written out: wavelengths under 8192/4 keep 1, over 8192/1 get the factor, between blend.
    const want = Array.from({ length: 8 }, (_, i) => {
      const wavelen = 2 * Math.PI * 10000 ** ((2 * i) / 16);
      if (wavelen < 2048) return 1;
      if (wavelen > 8192) return 8;
      const smooth = (8192 / wavelen - 1) / 3;
      return 1 / ((1 - smooth) / 8 + smooth);
    });
    const got = [...new Float32Array(freqs?.data.slice().buffer ?? new ArrayBuffer(0))];
    got.forEach((g, i) => expect(g).toBeCloseTo(want[i] ?? 0, 4));
    expect(want.some((w) => w !== 1 && w !== 8)).toBe(true);
    await expect(withScaling({ rope_type: 'yarn', factor: 4 })).rejects.toThrow(/config\.json .*rope_scaling .*is not one this converter writes/);
  });

  it('tokenizer.json (byte-level BPE) becomes the gpt2 vocabulary with merges, specials and chat template', async () => {
    const { gguf, truth } = await convert({ tokenizer: 'bpe' });
    const m = gguf.metadata;
    expect(m.get('tokenizer.ggml.model')).toBe('gpt2');
    expect(m.get('tokenizer.ggml.tokens')).toEqual(truth.tokens);
    expect((m.get('tokenizer.ggml.merges') as string[]).length).toBe(320);
    const types = m.get('tokenizer.ggml.token_type') as number[];
    expect(types.slice(truth.bosTokenId, truth.bosTokenId + 3)).toEqual([3, 3, 3]);
    expect(types[100]).toBe(1);
    expect(m.get('tokenizer.ggml.bos_token_id')).toBe(truth.bosTokenId);
    expect(m.get('tokenizer.ggml.eos_token_id')).toBe(truth.eosTokenId);
    expect(m.get('tokenizer.ggml.add_bos_token')).toBe(false);
    expect(m.get('tokenizer.chat_template')).toBe(truth.chatTemplate);
  });

  it('tokenizer.model (SentencePiece) becomes the llama vocabulary with scores and piece types', async () => {
    const { gguf, truth } = await convert({ tokenizer: 'sentencepiece' });
    const m = gguf.metadata;
    expect(m.get('tokenizer.ggml.model')).toBe('llama');
    expect(m.get('tokenizer.ggml.tokens')).toEqual(truth.tokens);
    const types = m.get('tokenizer.ggml.token_type') as number[];
    expect(types.slice(0, 4)).toEqual([2, 3, 3, 6]);
    expect(types[258]).toBe(6);
    expect(types[259]).toBe(1);
    expect((m.get('tokenizer.ggml.scores') as number[])[300]).toBe(-300);
    expect(m.get('tokenizer.ggml.add_space_prefix')).toBe(true);
    expect([m.get('tokenizer.ggml.bos_token_id'), m.get('tokenizer.ggml.eos_token_id'), m.get('tokenizer.ggml.unknown_token_id')]).toEqual([1, 2, 0]);
    expect(m.get('tokenizer.ggml.add_bos_token')).toBe(true);
  });

  it('a LLaMA-style tokenizer.json (byte_fallback) becomes the llama vocabulary; with both files tokenizer.model wins', async () => {
    const json = (await convert({ tokenizer: 'llama-json' })).gguf.metadata;
    const spm = (await convert({ tokenizer: 'sentencepiece' })).gguf.metadata;
    expect(json.get('tokenizer.ggml.model')).toBe('llama');
    expect(json.get('tokenizer.ggml.tokens')).toEqual(spm.get('tokenizer.ggml.tokens'));
    expect(json.get('tokenizer.ggml.token_type')).toEqual(spm.get('tokenizer.ggml.token_type'));
    const both = (await convert({ tokenizer: 'both' })).gguf.metadata;
    expect(both.get('tokenizer.ggml.scores')).toEqual(spm.get('tokenizer.ggml.scores'));
    expect(both.get('tokenizer.ggml.add_space_prefix')).toBe(true);
  });

  it('pads the vocabulary to config.json vocab_size with unused [PADn] tokens', async () => {
    const { gguf, truth } = await convert({ tokenizer: 'bpe', vocabSize: 608 });
    const tokens = gguf.metadata.get('tokenizer.ggml.tokens') as string[];
    expect(tokens).toHaveLength(608);
    expect(tokens[607]).toBe('[PAD607]');
    expect((gguf.metadata.get('tokenizer.ggml.token_type') as number[])[607]).toBe(5);
    expect(gguf.tensors.get('token_embd.weight')?.dims).toEqual([64, 608]);
    expect(truth.vocabSize).toBe(608);
  });

  it('finds the checkpoint by model_base_name, then quantize_config, then AutoGPTQ default names', async () => {
    const base = 'orca_mini_v2_13b-GPTQ-4bit-128g.no-act.order';
    const { files } = await gptqRepoInMemory({ modelBaseName: base });
    await expect(convertFiles(files)).rejects.toThrow(`looked for gptq_model-4bit-32g.safetensors.index.json, gptq_model-4bit-32g.safetensors, model.safetensors.index.json, model.safetensors`);
    await expect(convertFiles(files, { modelBaseName: base })).resolves.toBeInstanceOf(Uint8Array);
    await expect(convertFiles(files, { modelBaseName: `${base}.safetensors` })).resolves.toBeInstanceOf(Uint8Array);
    await expect(convertFiles(files, { modelBaseName: 'other' })).rejects.toThrow(/TheBloke\/tiny-GPTQ .*looked for other\.safetensors\.index\.json, other\.safetensors\. Set model_base_name/);
    const inConfig = await gptqRepoInMemory({ modelBaseName: base, baseNameInQuantizeConfig: true });
    await expect(convertFiles(inConfig.files)).resolves.toBeInstanceOf(Uint8Array);
    const autoName = await gptqRepoInMemory({ modelBaseName: 'gptq_model-4bit-32g' });
    await expect(convertFiles(autoName.files)).resolves.toBeInstanceOf(Uint8Array);
  });

  it('reads the quantize config from config.json quantization_config when quantize_config.json is absent', async () => {
    const a = await convert({ quantizeConfigIn: 'config.json' });
    const b = await convert({ quantizeConfigIn: 'quantize_config.json' });
    expect(Buffer.from(a.bytes.subarray(a.gguf.dataStart)).equals(Buffer.from(b.bytes.subarray(b.gguf.dataStart)))).toBe(true);
  });
});

describe('autogptq conversion: bad repos get clear errors naming the file and the reason', () => {
  const text = (b: Uint8Array | undefined): string => new TextDecoder().decode(b);
  const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);
  const editJson = (files: Map<string, Uint8Array>, name: string, edit: (j: Record<string, unknown>) => void): void => {
    const j = JSON.parse(text(files.get(name))) as Record<string, unknown>;
    edit(j);
    files.set(name, utf8(JSON.stringify(j)));
  };
  /** Rewrites the safetensors header JSON in place (same length, padded with spaces). */
  const editHeader = (files: Map<string, Uint8Array>, name: string, edit: (header: string) => string): void => {
    const bytes = (files.get(name) ?? new Uint8Array()).slice();
    const n = Number(new DataView(bytes.buffer).getBigUint64(0, true));
    const edited = edit(text(bytes.subarray(8, 8 + n)));
    if (edited.length > n) throw new Error('edit made the header longer');
    bytes.set(utf8(edited.padEnd(n, ' ')), 8);
    files.set(name, bytes);
  };

  async function expectError(options: GptqRepoOptions, change: (files: Map<string, Uint8Array>) => void, message: RegExp, settings: ConversionSettings = {}): Promise<void> {
    const { files } = await gptqRepoInMemory(options);
    change(files);
    const error = await convertFiles(files, settings).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).code).toBe('unsupported_model_format');
    expect((error as Error).message).toMatch(/^The model file /);
    expect((error as Error).message).toMatch(message);
  }

  it('a truncated checkpoint', async () => {
    await expectError({}, (f) => f.set('model.safetensors', (f.get('model.safetensors') ?? new Uint8Array()).subarray(0, 150_000)), /TheBloke\/tiny-GPTQ\/model\.safetensors .*ends early \(truncated inside tensor "[^"]+"\)/);
    await expectError({}, (f) => f.set('model.safetensors', (f.get('model.safetensors') ?? new Uint8Array()).subarray(0, 100)), /model\.safetensors .*ends early \(truncated inside its \d+-byte safetensors header\)/);
  });

  it('a safetensors header that is not JSON', async () => {
    await expectError({}, (f) => editHeader(f, 'model.safetensors', (h) => h.replace('{', '[')), /model\.safetensors .*safetensors header is not valid JSON/);
  });

  it('a missing tensor', async () => {
    await expectError({}, (f) => editHeader(f, 'model.safetensors', (h) => h.replace('"model.layers.1.mlp.up_proj.qzeros"', '"model.layers.1.mlp.up_proj.qzeroz"')), /TheBloke\/tiny-GPTQ .*has no tensor "model\.layers\.1\.mlp\.up_proj\.qzeros"/);
  });

  it('an unknown extra tensor', async () => {
    await expectError({}, (f) => editHeader(f, 'model.safetensors', (h) => h.replace('"lm_head.weight"', '"lm_head.weigh2"')), /model\.safetensors .*its tensor "lm_head\.weigh2" is not part of a LLaMA model/);
  });

  it('an unsupported dtype', async () => {
    await expectError({}, (f) => editHeader(f, 'model.safetensors', (h) => h.replace(/("model\.embed_tokens\.weight":\{"dtype":)"F16"/, '$1"I16"')), /model\.safetensors .*tensor "model\.embed_tokens\.weight" is I16; only F16, BF16 and F32/);
  });

  it('unsupported bits, quant method and checkpoint format', async () => {
    await expectError({}, (f) => editJson(f, 'quantize_config.json', (j) => (j['bits'] = 5)), /quantize_config\.json .*5-bit weights; GPTQ checkpoints of 2, 3, 4 or 8 bits convert/);
    await expectError({}, (f) => editJson(f, 'quantize_config.json', (j) => (j['quant_method'] = 'awq')), /quantized with "awq", not GPTQ/);
    await expectError({}, (f) => editJson(f, 'quantize_config.json', (j) => (j['checkpoint_format'] = 'marlin')), /checkpoint_format "marlin" is not one this converter reads/);
  });

  it('an unsupported model_type', async () => {
    await expectError({}, (f) => editJson(f, 'config.json', (j) => (j['model_type'] = 'gpt_neox')), /config\.json .*model_type is "gpt_neox"; backend autogptq converts LLaMA-family models/);
  });

  it('a missing tokenizer', async () => {
    await expectError({ tokenizer: 'none' }, () => undefined, /TheBloke\/tiny-GPTQ .*no tokenizer: neither tokenizer\.model nor tokenizer\.json/);
  });

  it('a missing config.json, quantize config, checkpoint or shard', async () => {
    await expectError({}, (f) => f.delete('config.json'), /TheBloke\/tiny-GPTQ .*has no config\.json/);
    await expectError({}, (f) => f.delete('quantize_config.json'), /no quantize_config\.json, and its config\.json has no quantization_config/);
    await expectError({}, (f) => f.delete('model.safetensors'), /its checkpoint is missing: looked for .*model\.safetensors/);
    await expectError({ shards: 2 }, (f) => f.delete('model-00002-of-00002.safetensors'), /its shard model-00002-of-00002\.safetensors \(listed in model\.safetensors\.index\.json\) is missing/);
  });

  it('a bad tokenizer.model and a bad tokenizer.json', async () => {
    await expectError({ tokenizer: 'sentencepiece' }, (f) => f.set('tokenizer.model', (f.get('tokenizer.model') ?? new Uint8Array()).subarray(0, 1001)), /tokenizer\.model .*not a valid SentencePiece model/);
    await expectError({}, (f) => f.set('tokenizer.json', utf8('{"model": {"type": "Unigram", "vocab": []}}')), /tokenizer\.json .*tokenizer model is Unigram; only BPE/);
    await expectError({}, (f) => f.set('config.json', utf8('{ not json')), /config\.json .*not valid JSON/);
  });
});
