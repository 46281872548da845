// Reads what the worker needs from a GGUF header before loading: `<arch>.context_length` (wllama
// needs n_ctx up front, and a model's full training context of 128k would allocate a huge KV
// cache), `<arch>.block_count`, and the byte size of the largest tensor (a WebGPU adapter whose
// buffer limits are smaller cannot hold it, so the model must go to WASM).
import { GGML_BLOCKS } from '../../shared/convert/ggml-types.js';

/** GGUF metadata value types of fixed size: bytes each. */
const TYPE_SIZES: Readonly<Record<number, number>> = { 0: 1, 1: 1, 2: 2, 3: 2, 4: 4, 5: 4, 6: 4, 7: 1, 10: 8, 11: 8, 12: 8 };
const STRING = 8;
const ARRAY = 9;
/** Metadata and tensor infos are small; 16 MiB covers vocabularies of 250k tokens. */
const HEADER_BYTES = 16 << 20;

export interface GgufHeader {
  /** The training context length, if the header says. */
  contextLength?: number | undefined;
  /** Transformer blocks (`<arch>.block_count`), if the header says. */
  blockCount?: number | undefined;
  /** Bytes of the largest tensor; undefined when a tensor's type is unknown here or the header is unreadable. */
  largestTensorBytes?: number;
}

/** What the header says; an unreadable or non-GGUF file gives `{}` and llama.cpp reports the real problem. */
export async function readGgufHeader(file: Blob): Promise<GgufHeader> {
  const view = new DataView(await file.slice(0, HEADER_BYTES).arrayBuffer());
  let offset = 0;
  const u32 = (): number => {
    const value = view.getUint32(offset, true);
    offset += 4;
    return value;
  };
  const u64 = (): number => {
    const value = Number(view.getBigUint64(offset, true));
    offset += 8;
    return value;
  };
  const text = (): string => {
    const length = u64();
    const value = new TextDecoder().decode(new Uint8Array(view.buffer, offset, length));
    offset += length;
    return value;
  };
  const skip = (type: number): void => {
    if (type === STRING) {
      const length = u64(); // read before `offset +=` evaluates offset
      offset += length;
    } else if (type === ARRAY) {
      const itemType = u32();
      const count = u64();
      const size = TYPE_SIZES[itemType];
      if (size !== undefined) offset += size * count;
      else for (let i = 0; i < count; i++) skip(itemType);
    } else offset += TYPE_SIZES[type] ?? Number.NaN;
  };
  const integer = (type: number): number | undefined => {
    if (type === 4 || type === 5) return u32();
    if (type === 10 || type === 11) return u64();
    skip(type);
    return undefined;
  };
  const header: GgufHeader = {};
  try {
    if (u32() !== 0x46554747) return header; // "GGUF" little-endian
    u32(); // version
    const tensorCount = u64();
    const kvCount = u64();
    for (let i = 0; i < kvCount; i++) {
      const key = text();
      const type = u32();
      if (key.endsWith('.context_length')) header.contextLength = integer(type);
      else if (key.endsWith('.block_count')) header.blockCount = integer(type);
      else skip(type);
    }
    let largest = 0;
    for (let i = 0; i < tensorCount; i++) {
      text(); // name
      const dims = u32();
      let elements = 1;
      for (let d = 0; d < dims; d++) elements *= u64();
      const block = GGML_BLOCKS.get(u32());
      u64(); // data offset
      if (block === undefined) return header;
      largest = Math.max(largest, Math.ceil(elements / block[0]) * block[1]);
    }
    header.largestTensorBytes = largest;
  } catch {
    // A header larger than HEADER_BYTES or a malformed file: keep what was read.
  }
  return header;
}
