// A GPTQ checkpoint (Hugging Face repo, backend autogptq) as the GGUF llama.cpp's convert_hf_to_gguf.py
// would make for a LLaMA-family (or Qwen2) model, but keeping the quantization: each GPTQ Linear becomes
// Q4_0/Q4_1/Q8_0 blocks (gptq-blocks.ts), unquantized tensors are copied (F16/F32) or widened
// (BF16 -> F32), Q and K rows get llama.cpp's rotary permutation, and the tokenizer comes from
// tokenizer.model or tokenizer.json. One tensor is in memory at a time.
import type { ConversionSettings } from '../engine/engine.js';
import type { ByteSource } from './byte-source.js';
import { badModelFile } from './conversion-error.js';
import { float16BitsToFloat32 } from './float16.js';
import type { GgufMetadata, GgufValue } from './gguf-header.js';
import { GGML_TYPE } from './ggml-types.js';
import { checkpointBaseNames, readCheckpoint, readQuantizeConfig, type GptqQuantizeConfig } from './gptq-checkpoint.js';
import { chooseTarget, encodeGptqLinear, QK, ropeRowOrder, sequentialGIdx, TARGET_BLOCK_BYTES, TARGET_TYPE, unpackZeros, type GptqLinear, type GptqTarget } from './gptq-blocks.js';
import { hfTokenizerMetadata } from './hf-tokenizer.js';
import { readRepoJson } from './repo-files.js';
import type { RepoSource } from './repo-source.js';
import { readTensorBytes, type SafetensorsEntry } from './safetensors.js';
import type { BlockTransform, ConversionPlan, PlannedTensor } from './write-gguf.js';

type Json = Record<string, unknown>;

/**
 * HF model types and the llama.cpp architecture each becomes. LLaMA-family Q/K rows are permuted for
 * llama.cpp's rotary layout (convert_hf_to_gguf LlamaModel); Qwen2 keeps HF's (Qwen2Model) and has
 * q/k/v biases, which any architecture here may carry.
 */
const ARCHITECTURES: Readonly<Record<string, { arch: string; permute: boolean }>> = {
  llama: { arch: 'llama', permute: true },
  mistral: { arch: 'llama', permute: true },
  qwen2: { arch: 'qwen2', permute: false },
};

const LAYER_PARTS: Readonly<Record<string, string>> = {
  'self_attn.q_proj': 'attn_q',
  'self_attn.k_proj': 'attn_k',
  'self_attn.v_proj': 'attn_v',
  'self_attn.o_proj': 'attn_output',
  'mlp.gate_proj': 'ffn_gate',
  'mlp.up_proj': 'ffn_up',
  'mlp.down_proj': 'ffn_down',
};
const LAYER_NORMS: Readonly<Record<string, string>> = { input_layernorm: 'attn_norm', post_attention_layernorm: 'ffn_norm' };

interface Hparams {
  hidden: number;
  layers: number;
  ffn: number;
  heads: number;
  kvHeads: number;
  headDim: number;
  vocab: number;
  eps: number;
  ropeTheta: number;
  context: number;
}

function positiveInt(config: Json, key: string, file: string, fallback?: number): number {
  const v = config[key] ?? fallback;
  if (!Number.isSafeInteger(v) || (v as number) < 1) throw badModelFile(file, `its ${key} is ${JSON.stringify(config[key])}, not a positive whole number.`);
  return v as number;
}

function readHparams(config: Json, file: string, settings: ConversionSettings): Hparams {
  const hidden = positiveInt(config, 'hidden_size', file);
  const heads = positiveInt(config, 'num_attention_heads', file);
  const kvHeads = positiveInt(config, 'num_key_value_heads', file, heads);
  if (heads % kvHeads !== 0) throw badModelFile(file, `its num_attention_heads ${heads} is not a multiple of num_key_value_heads ${kvHeads}.`);
  const headDim = positiveInt(config, 'head_dim', file, Math.floor(hidden / heads));
  const num = (key: string, fallback: number): number => (typeof config[key] === 'number' ? (config[key] as number) : fallback);
  return {
    hidden,
    layers: positiveInt(config, 'num_hidden_layers', file),
    ffn: positiveInt(config, 'intermediate_size', file),
    heads,
    kvHeads,
    headDim,
    vocab: positiveInt(config, 'vocab_size', file),
    eps: settings.rmsNormEps ?? num('rms_norm_eps', 1e-6),
    ropeTheta: settings.ropeFreqBase ?? num('rope_theta', 10000),
    context: settings.contextSize ?? positiveInt(config, 'max_position_embeddings', file, 2048),
  };
}

/** The rope_freqs tensor llama.cpp's converter makes for Llama 3.1-style "llama3" rope scaling (LlamaModel.generate_extra_tensors). */
export function llama3RopeFactors(scaling: Json, ropeTheta: number, headDim: number): Float32Array {
  const num = (key: string, fallback: number): number => (typeof scaling[key] === 'number' ? (scaling[key] as number) : fallback);
  const factor = num('factor', 8);
  const low = num('low_freq_factor', 1);
  const high = num('high_freq_factor', 4);
  const oldContext = num('original_max_position_embeddings', 8192);
  const lowWavelen = oldContext / low;
  const highWavelen = oldContext / high;
  const out = new Float32Array(headDim / 2);
  for (let i = 0; i < out.length; i++) {
    const freq = 1 / Math.fround(ropeTheta ** Math.fround((2 * i) / headDim));
    const wavelen = (2 * Math.PI) / freq;
    if (wavelen < highWavelen) out[i] = 1;
    else if (wavelen > lowWavelen) out[i] = factor;
    else {
      const smooth = (oldContext / wavelen - low) / (high - low);
      out[i] = 1 / ((1 - smooth) / factor + smooth);
    }
  }
  return out;
}

/** rope_scaling as GGUF keys (linear) or as a rope_freqs tensor (llama3); anything else is refused. */
function ropeScaling(config: Json, file: string, arch: string, h: Hparams): { metadata: GgufMetadata; tensors: PlannedTensor[] } {
  const s = config['rope_scaling'];
  if (s === undefined || s === null) return { metadata: [], tensors: [] };
  const scaling = typeof s === 'object' && !Array.isArray(s) ? (s as Json) : {};
  const kind = scaling['rope_type'] ?? scaling['type'];
  const factor = scaling['factor'];
  if (kind === 'linear' && typeof factor === 'number') {
    return {
      metadata: [
        [`${arch}.rope.scaling.type`, { type: 'string', value: 'linear' }],
        [`${arch}.rope.scaling.factor`, { type: 'float32', value: factor }],
      ],
      tensors: [],
    };
  }
  if (kind === 'llama3' && arch === 'llama') {
    const factors = llama3RopeFactors(scaling, h.ropeTheta, h.headDim);
    const bytes = new Uint8Array(factors.buffer);
    return {
      metadata: [],
      tensors: [{ name: 'rope_freqs.weight', dims: [factors.length], ggmlType: GGML_TYPE.F32, byteLength: bytes.length, sourceOffset: 0, sourceLength: 0, source: EMPTY_SOURCE, produce: async () => bytes }],
    };
  }
  throw badModelFile(file, `its rope_scaling ${JSON.stringify(s)} is not one this converter writes ("linear", or "llama3" for LLaMA).`);
}

/** The source of tensors made from config values alone. */
const EMPTY_SOURCE: ByteSource = { name: 'config.json', size: 0, read: async () => new Uint8Array(0) };

// Float tensors: 1-D ones (norms, biases) become F32 as llama.cpp wants; 2-D ones keep F16/F32, BF16 widens to F32.
const f16ToF32: BlockTransform = {
  sourceUnit: 2,
  apply(src) {
    const out = new Float32Array(src.length / 2);
    const view = new DataView(src.buffer, src.byteOffset, src.length);
    for (let i = 0; i < out.length; i++) out[i] = float16BitsToFloat32(view.getUint16(2 * i, true));
    return new Uint8Array(out.buffer);
  },
};
const bf16ToF32: BlockTransform = {
  sourceUnit: 2,
  apply(src) {
    const out = new Uint32Array(src.length / 2);
    const view = new DataView(src.buffer, src.byteOffset, src.length);
    for (let i = 0; i < out.length; i++) out[i] = view.getUint16(2 * i, true) << 16;
    return new Uint8Array(out.buffer);
  },
};

/** An Int32Array over (aligned) tensor bytes. */
const int32s = (b: Uint8Array): Int32Array => new Int32Array(b.buffer, b.byteOffset, b.length / 4);

class RepoPlanner {
  readonly tensors: PlannedTensor[] = [];
  readonly targets = new Map<GptqTarget, number>();
  readonly #entries: Map<string, SafetensorsEntry>;
  readonly #used = new Set<string>();
  readonly #quant: GptqQuantizeConfig;
  readonly #repo: RepoSource;

  readonly #family: string;

  constructor(repo: RepoSource, entries: Map<string, SafetensorsEntry>, quant: GptqQuantizeConfig, family: string) {
    this.#family = family;
    this.#repo = repo;
    this.#entries = entries;
    this.#quant = quant;
  }

  has(name: string): boolean {
    return this.#entries.has(name);
  }

  #take(name: string): SafetensorsEntry {
    const entry = this.#entries.get(name);
    if (entry === undefined) throw badModelFile(this.#repo.name, `its checkpoint has no tensor "${name}", which a ${this.#family} model needs.`);
    this.#used.add(name);
    return entry;
  }

  #expectShape(entry: SafetensorsEntry, shape: readonly number[]): void {
    if (entry.shape.length !== shape.length || entry.shape.some((d, i) => d !== shape[i])) {
      throw badModelFile(entry.source.name, `tensor "${entry.name}" has shape [${entry.shape.join(', ')}], expected [${shape.join(', ')}] from config.json.`);
    }
  }

  /** An unquantized tensor (HF shape, outermost first), rows optionally permuted for rotary heads. */
  float(name: string, ggufName: string, shape: readonly number[], permuteHeads?: number): void {
    const entry = this.#take(name);
    this.#expectShape(entry, shape);
    if (entry.dtype !== 'F16' && entry.dtype !== 'BF16' && entry.dtype !== 'F32') throw badModelFile(entry.source.name, `tensor "${name}" is ${entry.dtype}; only F16, BF16 and F32 unquantized tensors convert.`);
    const elements = shape.reduce((a, d) => a * d, 1);
    const keepF16 = entry.dtype === 'F16' && shape.length === 2;
    const ggmlType = keepF16 ? GGML_TYPE.F16 : GGML_TYPE.F32;
    const transform = entry.dtype === 'F16' && !keepF16 ? f16ToF32 : entry.dtype === 'BF16' ? bf16ToF32 : undefined;
    const base = { name: ggufName, dims: [...shape].reverse(), ggmlType, byteLength: elements * (keepF16 ? 2 : 4), source: entry.source, sourceOffset: entry.offset, sourceLength: entry.length };
    if (permuteHeads === undefined) {
      this.tensors.push({ ...base, ...(transform === undefined ? {} : { transform }) });
      return;
    }
    const rows = shape[0] ?? 1;
    const order = ropeRowOrder(rows, permuteHeads);
    this.tensors.push({
      ...base,
      produce: async () => {
        const raw = await readTensorBytes(entry, ['F16', 'BF16', 'F32']);
        const bytes = transform === undefined ? raw : transform.apply(raw);
        const rowBytes = bytes.length / rows;
        const out = new Uint8Array(bytes.length);
        for (let r = 0; r < rows; r++) out.set(bytes.subarray((order[r] ?? 0) * rowBytes, ((order[r] ?? 0) + 1) * rowBytes), r * rowBytes);
        return out;
      },
    });
  }

  /** A Linear: GPTQ-quantized (qweight/qzeros/scales/g_idx) or, if the checkpoint left it so, a float weight. */
  async linear(module: string, ggufBase: string, inF: number, outF: number, permuteHeads?: number): Promise<void> {
    if (this.has(`${module}.weight`)) {
      this.float(`${module}.weight`, `${ggufBase}.weight`, [outF, inF], permuteHeads);
    } else {
      await this.#gptq(module, `${ggufBase}.weight`, inF, outF, permuteHeads);
    }
    if (this.has(`${module}.bias`)) this.float(`${module}.bias`, `${ggufBase}.bias`, [outF], permuteHeads);
  }

  async #gptq(module: string, ggufName: string, inF: number, outF: number, permuteHeads?: number): Promise<void> {
    const { bits, groupSize, zeroOffset } = this.#quant;
    const qweight = this.#take(`${module}.qweight`);
    const qzeros = this.#take(`${module}.qzeros`);
    const scales = this.#take(`${module}.scales`);
    const gIdxEntry = this.has(`${module}.g_idx`) ? this.#take(`${module}.g_idx`) : undefined;
    if (inF % QK !== 0) throw badModelFile(qweight.source.name, `tensor "${qweight.name}" has ${inF} inputs, not a multiple of ${QK}, so it cannot become ggml blocks.`);
    const groups = scales.shape[0] ?? 0;
    const expectedGroups = Math.ceil(inF / (groupSize === -1 ? inF : groupSize));
    this.#expectShape(qweight, [(inF * bits) / 32, outF]);
    this.#expectShape(scales, [groups, outF]);
    this.#expectShape(qzeros, [groups, (outF * bits) / 32]);
    if (gIdxEntry !== undefined) this.#expectShape(gIdxEntry, [inF]);
    if (gIdxEntry === undefined && groups !== expectedGroups) throw badModelFile(scales.source.name, `tensor "${scales.name}" has ${groups} groups, but group_size ${groupSize} over ${inF} inputs makes ${expectedGroups}.`);
    for (const e of [qweight, qzeros]) if (e.dtype !== 'I32') throw badModelFile(e.source.name, `tensor "${e.name}" is ${e.dtype}; GPTQ packs it as I32.`);
    if (scales.dtype !== 'F16') throw badModelFile(scales.source.name, `tensor "${scales.name}" is ${scales.dtype}; GPTQ scales are F16.`);
    const load = async (withWeights: boolean): Promise<GptqLinear> => {
      const gIdx = gIdxEntry === undefined ? sequentialGIdx(inF, groupSize) : int32s(await readTensorBytes(gIdxEntry, ['I32']));
      for (const g of gIdx) if (g < 0 || g >= groups) throw badModelFile(gIdxEntry?.source.name ?? this.#repo.name, `tensor "${module}.g_idx" names group ${g}, but there are ${groups}.`);
      const z = await readTensorBytes(qzeros, ['I32']);
      const w = withWeights ? await readTensorBytes(qweight, ['I32']) : new Uint8Array(0);
      const s = withWeights ? await readTensorBytes(scales, ['F16']) : new Uint8Array(0);
      return {
        inFeatures: inF,
        outFeatures: outF,
        bits,
        groups,
        qweight: new Uint32Array(w.buffer, w.byteOffset, w.length / 4),
        qzeros: new Uint32Array(z.buffer, z.byteOffset, z.length / 4),
        scales: new Uint16Array(s.buffer, s.byteOffset, s.length / 2),
        gIdx,
        zeroOffset,
      };
    };
    // The type must be known for the header, so zeros and g_idx (small) are read now and again later.
    const probe = await load(false);
    const target = chooseTarget(probe, unpackZeros(probe));
    this.targets.set(target, (this.targets.get(target) ?? 0) + 1);
    const order = permuteHeads === undefined ? undefined : ropeRowOrder(outF, permuteHeads);
    this.tensors.push({
      name: ggufName,
      dims: [inF, outF],
      ggmlType: TARGET_TYPE[target],
      byteLength: outF * (inF / QK) * TARGET_BLOCK_BYTES[target],
      source: qweight.source,
      sourceOffset: qweight.offset,
      sourceLength: qweight.length + qzeros.length + scales.length + (gIdxEntry?.length ?? 0),
      produce: async () => {
        const linear = await load(true);
        return encodeGptqLinear(linear, target, unpackZeros(linear), order);
      },
    });
  }

  /** Tensors nobody asked for: llama.cpp refuses to guess what they are, and so do we. */
  checkAllUsed(): void {
    for (const [name, entry] of this.#entries) {
      if (this.#used.has(name) || name.endsWith('.rotary_emb.inv_freq')) continue;
      throw badModelFile(entry.source.name, `its tensor "${name}" is not part of a ${this.#family} model as this converter knows it.`);
    }
  }
}

/** LLAMA_FTYPE of the type most weights became (llama.h: MOSTLY_Q4_0 2, MOSTLY_Q4_1 3, MOSTLY_Q8_0 7). */
function fileType(targets: Map<GptqTarget, number>): number {
  const [top] = [...targets].sort((a, b) => b[1] - a[1]);
  return top === undefined ? 1 : ({ Q4_0: 2, Q4_1: 3, Q8_0: 7 } as const)[top[0]];
}

export async function planAutogptq(repo: RepoSource, settings: ConversionSettings = {}): Promise<ConversionPlan> {
  const configFile = `${repo.name}/config.json`;
  const config = await readRepoJson(repo, 'config.json');
  if (config === undefined) throw badModelFile(repo.name, 'it has no config.json. Download the whole repo, not only the checkpoint.');
  const modelType = config['model_type'];
  const family = typeof modelType === 'string' ? ARCHITECTURES[modelType] : undefined;
  if (typeof modelType !== 'string' || family === undefined) {
    throw badModelFile(configFile, `its model_type is ${JSON.stringify(modelType ?? null)}; backend autogptq converts LLaMA-family models (model_type llama or mistral) and qwen2.`);
  }
  const { arch, permute } = family;
  const h = readHparams(config, configFile, settings);
  const quant = await readQuantizeConfig(repo, config);
  const entries = await readCheckpoint(repo, checkpointBaseNames(settings.modelBaseName, quant));
  const p = new RepoPlanner(repo, entries, quant, arch === 'llama' ? 'LLaMA' : modelType);
  const qDim = h.heads * h.headDim;
  const kvDim = h.kvHeads * h.headDim;
  p.float('model.embed_tokens.weight', 'token_embd.weight', [h.vocab, h.hidden]);
  for (let l = 0; l < h.layers; l++) {
    const hf = `model.layers.${l}`;
    const blk = `blk.${l}`;
    p.float(`${hf}.input_layernorm.weight`, `${blk}.${LAYER_NORMS['input_layernorm']}.weight`, [h.hidden]);
    const shapes: Record<string, [number, number, number | undefined]> = {
      'self_attn.q_proj': [h.hidden, qDim, permute ? h.heads : undefined],
      'self_attn.k_proj': [h.hidden, kvDim, permute ? h.kvHeads : undefined],
      'self_attn.v_proj': [h.hidden, kvDim, undefined],
      'self_attn.o_proj': [qDim, h.hidden, undefined],
      'mlp.gate_proj': [h.hidden, h.ffn, undefined],
      'mlp.up_proj': [h.hidden, h.ffn, undefined],
      'mlp.down_proj': [h.ffn, h.hidden, undefined],
    };
    for (const [part, gguf] of Object.entries(LAYER_PARTS)) {
      const [inF, outF, heads] = shapes[part] ?? [0, 0, undefined];
      await p.linear(`${hf}.${part}`, `${blk}.${gguf}`, inF, outF, heads);
    }
    p.float(`${hf}.post_attention_layernorm.weight`, `${blk}.${LAYER_NORMS['post_attention_layernorm']}.weight`, [h.hidden]);
  }
  p.float('model.norm.weight', 'output_norm.weight', [h.hidden]);
  // Tied embeddings: no output.weight, and llama.cpp's loader reuses token_embd (as its converter does).
  if (p.has('lm_head.weight')) p.float('lm_head.weight', 'output.weight', [h.vocab, h.hidden]);
  p.checkAllUsed();
  const rope = ropeScaling(config, configFile, arch, h);

  const headKeys: Array<readonly [string, GgufValue]> =
    h.headDim === Math.floor(h.hidden / h.heads)
      ? []
      : [
          [`${arch}.attention.key_length`, { type: 'uint32', value: h.headDim }],
          [`${arch}.attention.value_length`, { type: 'uint32', value: h.headDim }],
        ];
  const metadata: GgufMetadata = [
    ['general.architecture', { type: 'string', value: arch }],
    ['general.name', { type: 'string', value: repo.name }],
    ['general.description', { type: 'string', value: `converted from a ${quant.bits}-bit GPTQ checkpoint by Hearth` }],
    ['general.file_type', { type: 'uint32', value: fileType(p.targets) }],
    ['general.quantization_version', { type: 'uint32', value: 2 }],
    [`${arch}.vocab_size`, { type: 'uint32', value: h.vocab }],
    [`${arch}.context_length`, { type: 'uint32', value: h.context }],
    [`${arch}.embedding_length`, { type: 'uint32', value: h.hidden }],
    [`${arch}.block_count`, { type: 'uint32', value: h.layers }],
    [`${arch}.feed_forward_length`, { type: 'uint32', value: h.ffn }],
    [`${arch}.rope.dimension_count`, { type: 'uint32', value: h.headDim }],
    [`${arch}.attention.head_count`, { type: 'uint32', value: h.heads }],
    [`${arch}.attention.head_count_kv`, { type: 'uint32', value: h.kvHeads }],
    ...headKeys,
    [`${arch}.attention.layer_norm_rms_epsilon`, { type: 'float32', value: h.eps }],
    [`${arch}.rope.freq_base`, { type: 'float32', value: h.ropeTheta }],
    ...rope.metadata,
    ...(await hfTokenizerMetadata(repo, config, h.vocab, modelType)),
  ];
  return { metadata, tensors: [...rope.tensors, ...p.tensors] };
}
