// rwkv.cpp files onto llama.cpp's RWKV architectures: v7 as rwkv7, v5.2 as rwkv6 (with zero LoRA).
// Each mapping is checked against rwkv.cpp's own logits for its test models
// (test/sidecar/rwkv-backend.test.ts). llama.cpp cannot run v4 or v5.1; v6 has no rwkv.cpp test
// model to check against, so it is refused rather than converted into a model that may answer wrongly.
import type { ConversionSettings } from '../engine/engine.js';
import type { ByteSource } from './byte-source.js';
import { badModelFile } from './conversion-error.js';
import { readRwkvCpp } from './read-rwkv-cpp.js';
import type { ConversionPlan, PlannedTensor } from './write-gguf.js';
import type { GgufMetadata } from './gguf-header.js';
import { byteRwkvVocab, parseWorldVocab, type RwkvVocab } from './rwkv-vocab.js';
import { mapRwkv7Tensor } from './rwkv7-tensors.js';
import { planRwkv52 } from './rwkv52-tensors.js';
import type { RwkvCppFile, RwkvTensorRecord } from './read-rwkv-cpp.js';

/** What a rwkv.cpp conversion may need beside the model file. */
export interface RwkvExtras {
  /** Text of rwkv_vocab_v20230424.txt (the World tokenizer); byte-level models (256 tokens) need none. */
  worldVocab?: { name: string; text: string };
  /** A Hugging Face tokenizer.json found beside the model instead (LocalAI's `<model>.tokenizer.json`, such as 20B_tokenizer.json). */
  pairedTokenizer?: string;
}

export async function planRwkvCpp(source: ByteSource, _settings: ConversionSettings = {}, extras: RwkvExtras = {}): Promise<ConversionPlan> {
  const file = await readRwkvCpp(source);
  switch (file.version) {
    case '4':
    case '5.1':
      throw badModelFile(
        source.name,
        `it is an RWKV v${file.version} model. llama.cpp (which Hearth runs, natively and in the browser) implements RWKV v6 and v7 only, so v${file.version} cannot run here. Use an RWKV v6 or v7 model as GGUF (for example from Hugging Face, "RWKV GGUF"), or run this file with rwkv.cpp.`,
      );
    case '6':
      throw badModelFile(
        source.name,
        'it is an rwkv.cpp model of RWKV v6. Hearth converts rwkv.cpp\'s v5.2 and v7 files, whose conversion is checked against rwkv.cpp\'s own results; v6 files are not checked yet, so they are refused rather than risk wrong answers. Use the same model as a GGUF file (llama.cpp\'s rwkv6 architecture) instead.',
      );
    case '5.2':
      return planRwkv52(source, file, rwkvVocab(source, file, extras));
    case '7':
      return planRwkv7(source, file, rwkvVocab(source, file, extras));
  }
}

const BYTE_LEVEL_VOCAB = 256;

function rwkvVocab(source: ByteSource, file: RwkvCppFile, { worldVocab, pairedTokenizer }: RwkvExtras): RwkvVocab {
  if (file.nVocab <= BYTE_LEVEL_VOCAB) return byteRwkvVocab(file.nVocab);
  if (worldVocab === undefined && pairedTokenizer !== undefined) {
    throw badModelFile(
      source.name,
      `it comes with ${pairedTokenizer}, a Hugging Face (GPT-NeoX "20B") tokenizer. llama.cpp's RWKV tokenizer is the RWKV World vocabulary only, so models for that tokenizer (RWKV "Pile" and "Raven" models) cannot run here. Use an RWKV World model (v5.2 or v7 from rwkv.cpp, or an RWKV GGUF).`,
    );
  }
  if (worldVocab === undefined) {
    throw badModelFile(
      source.name,
      `it has ${file.nVocab} tokens, so it needs the RWKV World tokenizer: put rwkv_vocab_v20230424.txt (from rwkv.cpp or ChatRWKV) beside it, or name it as ${source.name}.tokenizer.txt. (Models for the GPT-NeoX 20B_tokenizer.json, RWKV v4 "Pile" models, cannot run on llama.cpp, whose RWKV tokenizer is World only.)`,
    );
  }
  const parsed = parseWorldVocab(worldVocab.text, file.nVocab);
  if (typeof parsed === 'string') throw badModelFile(source.name, `its tokenizer ${worldVocab.name} is not the RWKV World vocabulary: ${parsed}.`);
  return parsed;
}

function planned(record: RwkvTensorRecord, name: string, dims: number[]): PlannedTensor {
  return { name, dims, ggmlType: record.type.id, byteLength: record.byteLength, sourceOffset: record.dataOffset, sourceLength: record.byteLength };
}

function planRwkv7(source: ByteSource, file: RwkvCppFile, vocab: RwkvVocab): ConversionPlan {
  const byName = new Map(file.tensors.map((t) => [t.name, t]));
  const need = (name: string): RwkvTensorRecord => {
    const t = byName.get(name);
    if (t === undefined) throw badModelFile(source.name, `it has no ${name} tensor, which an RWKV v7 model needs.`);
    return t;
  };
  const tensors: PlannedTensor[] = [];
  for (const record of file.tensors) {
    const mapped = mapRwkv7Tensor(record.name, record.dims);
    if (mapped === undefined) throw badModelFile(source.name, `its tensor "${record.name}" is not one of an RWKV v7 model's.`);
    tensors.push(planned(record, mapped.name, mapped.dims));
    // llama.cpp wants v0/v1/v2 in block 0 too, where RWKV v7 has none (it never reads them there);
    // llama.cpp's own converter fills them with a0/a1/a2, and so do we.
    const a = /^blocks\.0\.att\.a([012])$/.exec(record.name);
    if (a !== null) tensors.push(planned(record, `blk.0.time_mix_v${a[1]}.weight`, mapped.dims));
  }
  const rk = need('blocks.0.att.r_k');
  const rank = (name: string): number => need(name).dims[1] ?? 0;
  const metadata: GgufMetadata = [
    ['general.architecture', { type: 'string', value: 'rwkv7' }],
    ['general.name', { type: 'string', value: source.name }],
    ['general.description', { type: 'string', value: `converted from rwkv.cpp (RWKV v7) by Hearth` }],
    ['general.file_type', { type: 'uint32', value: need('blocks.0.att.key.weight').type.id === 1 ? 1 : 0 }],
    ['rwkv7.context_length', { type: 'uint32', value: 1048576 }],
    ['rwkv7.embedding_length', { type: 'uint32', value: file.nEmbed }],
    ['rwkv7.block_count', { type: 'uint32', value: file.nLayer }],
    ['rwkv7.attention.layer_norm_epsilon', { type: 'float32', value: 1e-5 }],
    ['rwkv7.wkv.head_size', { type: 'uint32', value: rk.dims[0] ?? 0 }],
    ['rwkv7.attention.decay_lora_rank', { type: 'uint32', value: rank('blocks.0.att.w1') }],
    ['rwkv7.attention.iclr_lora_rank', { type: 'uint32', value: rank('blocks.0.att.a1') }],
    ['rwkv7.attention.value_residual_mix_lora_rank', { type: 'uint32', value: file.nLayer > 1 ? rank('blocks.1.att.v1') : rank('blocks.0.att.a1') }],
    ['rwkv7.attention.gate_lora_rank', { type: 'uint32', value: rank('blocks.0.att.g1') }],
    ['rwkv7.feed_forward_length', { type: 'uint32', value: need('blocks.0.ffn.key.weight').dims[1] ?? 0 }],
    ['rwkv7.attention.head_count', { type: 'uint32', value: 0 }],
    ['tokenizer.ggml.model', { type: 'string', value: 'rwkv' }],
    ['tokenizer.ggml.tokens', { type: 'string[]', value: vocab.tokens }],
    ['tokenizer.ggml.token_type', { type: 'int32[]', value: vocab.types }],
  ];
  return { metadata, tensors };
}
