// Pass 1 for legacy llama.cpp GGML files (before GGUF, mid-2023): header, hyperparameters,
// vocabulary and tensor records, seeking past the tensor data. Layouts as llama.cpp's
// convert_llama_ggml_to_gguf.py reads them: magic "ggml" (unversioned, no scores), "ggmf" v1
// (scores), "ggjt" v1-v3 (scores, tensor data aligned to 32 bytes).
import type { ByteSource } from './byte-source.js';
import { badModelFile } from './conversion-error.js';
import { HeaderReader } from './header-reader.js';

import { MAGIC } from './detect-model-format.js';

export type LegacyFormat = 'ggml' | 'ggmf' | 'ggjt';

export interface LlamaGgmlHparams {
  nVocab: number;
  nEmbd: number;
  nMult: number;
  nHead: number;
  nLayer: number;
  nRot: number;
  ftype: number;
}

export interface LegacyTensorRecord {
  name: string;
  /** ggml order, as the file stores them: ne0 first. */
  dims: number[];
  type: number;
  dataOffset: number;
}

export interface LlamaGgmlFile {
  format: LegacyFormat;
  version: number;
  hparams: LlamaGgmlHparams;
  vocab: Array<{ text: Uint8Array; score: number }>;
  tensors: LegacyTensorRecord[];
}

/** Bytes of one tensor's data in this file: the caller knows the per-version block layouts. */
export type TensorSizer = (record: Omit<LegacyTensorRecord, 'dataOffset'>) => number;

const MAX_NAME = 4096;
const MAX_TOKEN = 4096;

export async function readLlamaGgml(source: ByteSource, sizeOf: (file: Pick<LlamaGgmlFile, 'format' | 'version'>) => TensorSizer): Promise<LlamaGgmlFile> {
  const r = new HeaderReader(source);
  const magic = await r.u32('the magic number');
  let format: LegacyFormat;
  let version = 1;
  if (magic === MAGIC.ggml) format = 'ggml';
  else if (magic === MAGIC.ggmf) format = 'ggmf';
  else if (magic === MAGIC.ggjt) format = 'ggjt';
  else throw badModelFile(source.name, 'it does not start with a GGML magic ("ggml", "ggmf" or "ggjt"), so it is not a legacy llama.cpp GGML model.');
  if (format !== 'ggml') {
    version = await r.u32('the format version');
    if (format === 'ggmf' && (version === 100 || version === 101)) {
      throw badModelFile(source.name, 'it is an rwkv.cpp model (ggmf version ' + version + '), not a LLaMA GGML model. Set `backend: rwkv` in its config.');
    }
    const ok = format === 'ggmf' ? version === 1 : version >= 1 && version <= 3;
    if (!ok) throw badModelFile(source.name, `its ${format} format version ${version} is unknown (supported: ggmf v1, ggjt v1 to v3).`);
  }
  const h = [] as number[];
  for (const field of ['n_vocab', 'n_embd', 'n_mult', 'n_head', 'n_layer', 'n_rot', 'ftype']) h.push(await r.u32(`the hyperparameter ${field}`));
  const [nVocab = 0, nEmbd = 0, nMult = 0, nHead = 0, nLayer = 0, nRot = 0, ftype = 0] = h;
  if (nVocab < 3 || nEmbd === 0 || nHead === 0 || nLayer === 0 || nEmbd % nHead !== 0) {
    throw badModelFile(source.name, `its hyperparameters make no sense (n_vocab ${nVocab}, n_embd ${nEmbd}, n_head ${nHead}, n_layer ${nLayer}).`);
  }
  const vocab: LlamaGgmlFile['vocab'] = [];
  for (let i = 0; i < nVocab; i++) {
    const length = await r.u32(`the length of token ${i}`);
    if (length > MAX_TOKEN) throw badModelFile(source.name, `token ${i} claims ${length} bytes; the file is damaged.`);
    const text = (await r.bytes(length, `token ${i}`)).slice();
    const score = format === 'ggml' ? 0 : await r.f32(`the score of token ${i}`);
    vocab.push({ text, score });
  }
  const sizer = sizeOf({ format, version });
  const tensors: LegacyTensorRecord[] = [];
  while (r.remaining > 0) {
    const nDims = await r.u32('a tensor record');
    const nameLength = await r.u32('a tensor record');
    const type = await r.u32('a tensor record');
    if (nDims < 1 || nDims > 4 || nameLength === 0 || nameLength > MAX_NAME) {
      throw badModelFile(source.name, `the tensor record at byte ${r.position - 12} is damaged (${nDims} dimensions, name of ${nameLength} bytes).`);
    }
    const dims: number[] = [];
    for (let d = 0; d < nDims; d++) dims.push(await r.u32('a tensor shape'));
    const name = await r.text(nameLength, 'a tensor name');
    if (format === 'ggjt') r.alignTo(32);
    const record = { name, dims, type };
    const dataOffset = r.position;
    r.skip(sizer(record), `the data of tensor "${name}"`);
    tensors.push({ ...record, dataOffset });
  }
  return { format, version, hparams: { nVocab, nEmbd, nMult, nHead, nLayer, nRot, ftype }, vocab, tensors };
}
