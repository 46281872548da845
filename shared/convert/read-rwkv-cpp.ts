// Pass 1 for rwkv.cpp model files (its docs/FILE_FORMAT.md): a header of six u32 (magic "ggmf",
// version 100 or 101, n_vocab, n_embed, n_layer, data_type), then tensors {u32 dim_count (1-3),
// u32 key_length, u32 data_type, u32 ne[dim_count], key, data} with no padding. The data types are
// rwkv.cpp's own enum, not ggml's. The RWKV version shows in which tensors exist.
import type { ByteSource } from './byte-source.js';
import { badModelFile } from './conversion-error.js';
import { GGML_TYPES, type GgmlTypeInfo } from './ggml-types.js';
import { HeaderReader } from './header-reader.js';
import { MAGIC } from './detect-model-format.js';

export type RwkvVersion = '4' | '5.1' | '5.2' | '6' | '7';

export interface RwkvTensorRecord {
  name: string;
  dims: number[];
  /** The ggml type the data is in. */
  type: GgmlTypeInfo & { id: number };
  dataOffset: number;
  byteLength: number;
}

export interface RwkvCppFile {
  fileVersion: number;
  nVocab: number;
  nEmbed: number;
  nLayer: number;
  version: RwkvVersion;
  tensors: RwkvTensorRecord[];
}

/** rwkv.cpp's data_type -> ggml type (retired 4-6 and 10 excluded). */
const RWKV_TO_GGML: ReadonlyMap<number, number> = new Map([[0, 0], [1, 1], [2, 2], [3, 3], [7, 6], [8, 7], [9, 8]]);

function rwkvVersion(names: ReadonlySet<string>): RwkvVersion {
  if (names.has('blocks.0.att.x_rwkvag') || names.has('blocks.0.att.r_k')) return '7';
  if (names.has('blocks.0.att.time_maa_x')) return '6';
  if (names.has('blocks.0.att.gate.weight')) return '5.2';
  if (names.has('blocks.0.att.ln_x.weight')) return '5.1';
  return '4';
}

export async function readRwkvCpp(source: ByteSource): Promise<RwkvCppFile> {
  const r = new HeaderReader(source);
  const magic = await r.u32('the magic number');
  const fileVersion = await r.u32('the format version');
  if (magic !== MAGIC.ggmf || (fileVersion !== 100 && fileVersion !== 101)) {
    throw badModelFile(source.name, 'it is not an rwkv.cpp model (those start with "ggmf" and version 100 or 101).');
  }
  const nVocab = await r.u32('n_vocab');
  const nEmbed = await r.u32('n_embed');
  const nLayer = await r.u32('n_layer');
  await r.u32('data_type');
  const tensors: RwkvTensorRecord[] = [];
  while (r.remaining > 0) {
    const nDims = await r.u32('a tensor record');
    const keyLength = await r.u32('a tensor record');
    const dataType = await r.u32('a tensor record');
    if (nDims < 1 || nDims > 3 || keyLength === 0 || keyLength > 4096) {
      throw badModelFile(source.name, `the tensor record at byte ${r.position - 12} is damaged (${nDims} dimensions, key of ${keyLength} bytes).`);
    }
    const dims: number[] = [];
    for (let d = 0; d < nDims; d++) dims.push(await r.u32('a tensor shape'));
    const name = await r.text(keyLength, 'a tensor name');
    const ggml = RWKV_TO_GGML.get(dataType);
    const info = ggml === undefined ? undefined : GGML_TYPES.get(ggml);
    if (ggml === undefined || info === undefined) throw badModelFile(source.name, `tensor "${name}" has rwkv.cpp data type ${dataType}, which this converter does not read (it reads FP32, FP16, Q4_0, Q4_1, Q5_0, Q5_1 and Q8_0).`);
    if (fileVersion === 100 && ggml > 1) {
      throw badModelFile(source.name, 'it is quantized in rwkv.cpp\'s old format (file version 100), whose blocks llama.cpp no longer reads. Quantize the FP16 model again with a current rwkv.cpp.');
    }
    const elements = dims.reduce((a, d) => a * d, 1);
    if ((dims[0] ?? 0) % info.blockSize !== 0) throw badModelFile(source.name, `tensor "${name}" rows do not fill ${info.name} blocks.`);
    const byteLength = (elements / info.blockSize) * info.blockBytes;
    const dataOffset = r.position;
    r.skip(byteLength, `the data of tensor "${name}"`);
    tensors.push({ name, dims, type: { ...info, id: ggml }, dataOffset, byteLength });
  }
  return { fileVersion, nVocab, nEmbed, nLayer, version: rwkvVersion(new Set(tensors.map((t) => t.name))), tensors };
}
