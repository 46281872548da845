// The GGUF that llama.cpp's convert_llama_ggml_to_gguf.py makes from a legacy LLaMA GGML file:
// same tensor bytes under GGUF names, its metadata keys, and the SentencePiece ("llama") vocabulary
// with <unk>/<s>/</s> and <0xNN> byte tokens. What a GGML file cannot carry comes from the YAML.
import type { ConversionSettings } from '../engine/engine.js';
import type { ByteSource } from './byte-source.js';
import { badModelFile } from './conversion-error.js';
import type { GgufMetadata } from './gguf-header.js';
import { legacyLayout, legacyTensorType, type LegacyTensorType } from './legacy-quants.js';
import { readLlamaGgml, type LlamaGgmlFile } from './read-llama-ggml.js';
import type { ConversionPlan, PlannedTensor } from './write-gguf.js';

/** LocalAI config values a GGML file has no field for (rms_norm_eps, ngqa, rope_freq_base, context_size). */
export type LlamaGgmlSettings = ConversionSettings;

/** The reference converter's defaults: eps 5e-6 sits between LLaMA 1 (1e-6) and LLaMA 2 (1e-5). */
export const LLAMA_GGML_DEFAULTS = { rmsNormEps: 5e-6, ngqa: 1, contextSize: 2048 } as const;

/** llama.cpp's names before GGUF -> GGUF names (gguf-py's tensor_mapping for LLaMA). */
function ggufName(name: string): string | undefined {
  const fixed: Record<string, string> = { 'tok_embeddings.weight': 'token_embd.weight', 'norm.weight': 'output_norm.weight', 'output.weight': 'output.weight' };
  if (fixed[name] !== undefined) return fixed[name];
  const m = /^layers\.(\d+)\.(.+)\.weight$/.exec(name);
  if (m === null) return undefined;
  const parts: Record<string, string> = {
    'attention.wq': 'attn_q',
    'attention.wk': 'attn_k',
    'attention.wv': 'attn_v',
    'attention.wo': 'attn_output',
    attention_norm: 'attn_norm',
    'feed_forward.w1': 'ffn_gate',
    'feed_forward.w2': 'ffn_down',
    'feed_forward.w3': 'ffn_up',
    ffn_norm: 'ffn_norm',
  };
  const part = parts[m[2] ?? ''];
  return part === undefined ? undefined : `blk.${m[1]}.${part}.weight`;
}

const SPIECE_SPACE = new Uint8Array([0xe2, 0x96, 0x81]);
const ascii = new TextEncoder();

/** Token bytes and type as the reference converter writes them. */
function convertToken(id: number, text: Uint8Array): { text: Uint8Array; type: number } {
  if (id === 0) return { text: ascii.encode('<unk>'), type: 2 };
  if (id === 1) return { text: ascii.encode('<s>'), type: 3 };
  if (id === 2) return { text: ascii.encode('</s>'), type: 3 };
  if (text.length === 0) return { text, type: 3 };
  if (id <= 258 && text.length === 1) return { text: ascii.encode(`<0x${(text[0] ?? 0).toString(16).toUpperCase().padStart(2, '0')}>`), type: 6 };
  const parts: number[] = [];
  for (const b of text) {
    if (b === 0x20) parts.push(...SPIECE_SPACE);
    else parts.push(b);
  }
  return { text: new Uint8Array(parts), type: 1 };
}

function headCountKv(file: LlamaGgmlFile, ngqa: number, name: string): number {
  const kv = file.hparams.nHead / ngqa;
  if (!Number.isInteger(kv) || kv < 1) throw badModelFile(name, `ngqa ${ngqa} in its config does not divide its ${file.hparams.nHead} attention heads.`);
  return kv;
}

export async function planLlamaGgml(source: ByteSource, settings: LlamaGgmlSettings = {}): Promise<ConversionPlan> {
  const types = new Map<string, LegacyTensorType>();
  const file = await readLlamaGgml(source, ({ format, version }) => (record) => {
    const type = legacyTensorType(record.type, legacyLayout(format, version));
    if (typeof type === 'string') throw badModelFile(source.name, `tensor "${record.name}": ${type}`);
    const elements = record.dims.reduce((a, d) => a * d, 1);
    if ((record.dims[0] ?? 0) % type.target.blockSize !== 0) throw badModelFile(source.name, `tensor "${record.name}" rows of ${record.dims[0]} do not fill ${type.target.name} blocks.`);
    types.set(record.name, type);
    return (elements / type.target.blockSize) * type.sourceBlockBytes;
  });
  const { hparams } = file;
  const tensors: PlannedTensor[] = file.tensors.map((record) => {
    const name = ggufName(record.name);
    if (name === undefined) throw badModelFile(source.name, `its tensor "${record.name}" is not one of a LLaMA model's; only LLaMA-family GGML files convert (backend llama-ggml).`);
    const type = types.get(record.name);
    if (type === undefined) throw new Error(`Converter bug: no type for ${record.name}`);
    const blocks = record.dims.reduce((a, d) => a * d, 1) / type.target.blockSize;
    return {
      name,
      dims: record.dims,
      ggmlType: type.target.id,
      byteLength: blocks * type.target.blockBytes,
      sourceOffset: record.dataOffset,
      sourceLength: blocks * type.sourceBlockBytes,
      ...(type.transform === undefined ? {} : { transform: type.transform }),
    };
  });
  const ffn = file.tensors.find((t) => t.name === 'layers.0.feed_forward.w1.weight');
  if (ffn === undefined || ffn.dims.length !== 2) throw badModelFile(source.name, 'it has no layers.0.feed_forward.w1.weight tensor, so it is not a LLaMA model.');
  const tokens = file.vocab.map((token, id) => convertToken(id, token.text));
  const described = `converted from legacy ${file.format.toUpperCase()}v${file.version} by Hearth`;
  const metadata: GgufMetadata = [
    ['general.architecture', { type: 'string', value: 'llama' }],
    ['general.name', { type: 'string', value: source.name }],
    ['general.description', { type: 'string', value: described }],
    ['general.file_type', { type: 'uint32', value: hparams.ftype }],
    ['llama.context_length', { type: 'uint32', value: settings.contextSize ?? LLAMA_GGML_DEFAULTS.contextSize }],
    ['llama.embedding_length', { type: 'uint32', value: hparams.nEmbd }],
    ['llama.block_count', { type: 'uint32', value: hparams.nLayer }],
    ['llama.feed_forward_length', { type: 'uint32', value: ffn.dims[1] ?? 0 }],
    ['llama.rope.dimension_count', { type: 'uint32', value: hparams.nEmbd / hparams.nHead }],
    ['llama.attention.head_count', { type: 'uint32', value: hparams.nHead }],
    ['llama.attention.head_count_kv', { type: 'uint32', value: headCountKv(file, settings.ngqa ?? LLAMA_GGML_DEFAULTS.ngqa, source.name) }],
    ['llama.attention.layer_norm_rms_epsilon', { type: 'float32', value: settings.rmsNormEps ?? LLAMA_GGML_DEFAULTS.rmsNormEps }],
    ...(settings.ropeFreqBase === undefined ? [] : [['llama.rope.freq_base', { type: 'float32', value: settings.ropeFreqBase }] as const]),
    ['tokenizer.ggml.model', { type: 'string', value: 'llama' }],
    ['tokenizer.ggml.pre', { type: 'string', value: 'default' }],
    ['tokenizer.ggml.tokens', { type: 'string[]', value: tokens.map((t) => t.text) }],
    ['tokenizer.ggml.scores', { type: 'float32[]', value: file.vocab.map((t) => t.score) }],
    ['tokenizer.ggml.token_type', { type: 'int32[]', value: tokens.map((t) => t.type) }],
    ['tokenizer.ggml.unknown_token_id', { type: 'uint32', value: 0 }],
    ['tokenizer.ggml.bos_token_id', { type: 'uint32', value: 1 }],
    ['tokenizer.ggml.eos_token_id', { type: 'uint32', value: 2 }],
  ];
  return { metadata, tensors };
}
