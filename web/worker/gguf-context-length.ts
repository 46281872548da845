// Reads `<arch>.context_length` from a GGUF header. wllama needs n_ctx before it loads a model, and
// loading with a model's full training context (128k for some) would allocate a huge KV cache.
const TYPE_SIZES: Readonly<Record<number, number>> = { 0: 1, 1: 1, 2: 2, 3: 2, 4: 4, 5: 4, 6: 4, 7: 1, 10: 8, 11: 8, 12: 8 };
const STRING = 8;
const ARRAY = 9;
/** Metadata before the tensor infos is small; 16 MiB covers vocabularies of 250k tokens. */
const HEADER_BYTES = 16 << 20;

/** The training context length, or undefined if the header does not say (or is not GGUF). */
export async function readGgufContextLength(file: Blob): Promise<number | undefined> {
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
  try {
    if (u32() !== 0x46554747) return undefined; // "GGUF" little-endian
    u32(); // version
    u64(); // tensor count
    const kvCount = u64();
    for (let i = 0; i < kvCount; i++) {
      const key = text();
      const type = u32();
      if (key.endsWith('.context_length') && (type === 4 || type === 5)) return u32();
      if (key.endsWith('.context_length') && (type === 10 || type === 11)) return u64();
      skip(type);
    }
  } catch {
    // A header larger than HEADER_BYTES or a malformed file: let llama.cpp report the real problem.
  }
  return undefined;
}
