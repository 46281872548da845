// Reads a safetensors file's header (format: huggingface/safetensors): an 8-byte little-endian
// header length N, N bytes of JSON {name: {dtype, shape, data_offsets: [begin, end]}, __metadata__},
// then the data, offsets relative to byte 8 + N. Only the header is read here; tensor bytes are
// read later, one tensor at a time.
import type { ByteSource } from './byte-source.js';
import { badModelFile } from './conversion-error.js';

export type SafetensorsDtype = 'F16' | 'BF16' | 'F32' | 'I32';
const DTYPE_BYTES: Readonly<Record<string, number>> = { F64: 8, F32: 4, F16: 2, BF16: 2, I64: 8, I32: 4, I16: 2, I8: 1, U8: 1, BOOL: 1, F8_E4M3: 1, F8_E5M2: 1 };
const READABLE: ReadonlySet<string> = new Set<SafetensorsDtype>(['F16', 'BF16', 'F32', 'I32']);

export interface SafetensorsEntry {
  readonly name: string;
  /** The file it lives in. */
  readonly source: ByteSource;
  readonly dtype: string;
  readonly shape: readonly number[];
  /** Absolute offset of the data in the file. */
  readonly offset: number;
  readonly length: number;
}

/** Headers above this are not safetensors (the format caps them at 100 MB). */
const MAX_HEADER = 100_000_000;

export async function readSafetensorsHeader(source: ByteSource): Promise<Map<string, SafetensorsEntry>> {
  if (source.size < 8) throw badModelFile(source.name, `it ends early (${source.size} bytes, less than a safetensors header). Download it again.`);
  const prefix = await source.read(0, 8);
  const length = Number(new DataView(prefix.buffer, prefix.byteOffset, 8).getBigUint64(0, true));
  if (length > MAX_HEADER) throw badModelFile(source.name, `it is not a safetensors file (its header length ${length} is implausible).`);
  if (8 + length > source.size) throw badModelFile(source.name, `it ends early (truncated inside its ${length}-byte safetensors header). Download it again.`);
  const headerBytes = await source.read(8, length);
  let header: unknown;
  try {
    header = JSON.parse(new TextDecoder().decode(headerBytes));
  } catch (error) {
    throw badModelFile(source.name, `its safetensors header is not valid JSON (${error instanceof Error ? error.message : String(error)}).`);
  }
  if (typeof header !== 'object' || header === null || Array.isArray(header)) throw badModelFile(source.name, 'its safetensors header is not a JSON object.');
  const dataStart = 8 + length;
  const entries = new Map<string, SafetensorsEntry>();
  for (const [name, raw] of Object.entries(header)) {
    if (name === '__metadata__') continue;
    const { dtype, shape, data_offsets: offsets } = (raw ?? {}) as { dtype?: unknown; shape?: unknown; data_offsets?: unknown };
    const size = typeof dtype === 'string' ? DTYPE_BYTES[dtype] : undefined;
    const dims = Array.isArray(shape) && shape.every((d) => Number.isSafeInteger(d) && d >= 0) ? (shape as number[]) : undefined;
    const range = Array.isArray(offsets) && offsets.length === 2 && offsets.every((d) => Number.isSafeInteger(d) && d >= 0) ? (offsets as [number, number]) : undefined;
    if (typeof dtype !== 'string' || size === undefined || dims === undefined || range === undefined) {
      throw badModelFile(source.name, `its safetensors header entry for "${name}" is malformed (needs dtype, shape and data_offsets).`);
    }
    const bytes = dims.reduce((a, d) => a * d, 1) * size;
    if (range[1] - range[0] !== bytes) throw badModelFile(source.name, `tensor "${name}" has ${range[1] - range[0]} bytes of data, but its ${dtype} shape [${dims.join(', ')}] needs ${bytes}.`);
    if (dataStart + range[1] > source.size) throw badModelFile(source.name, `it ends early (truncated inside tensor "${name}"). Download it again.`);
    entries.set(name, { name, source, dtype, shape: dims, offset: dataStart + range[0], length: bytes });
  }
  return entries;
}

/** Reads a whole tensor after checking its dtype is one the converter handles. */
export async function readTensorBytes(entry: SafetensorsEntry, dtypes: readonly SafetensorsDtype[]): Promise<Uint8Array> {
  if (!READABLE.has(entry.dtype) || !dtypes.includes(entry.dtype as SafetensorsDtype)) {
    throw badModelFile(entry.source.name, `tensor "${entry.name}" is ${entry.dtype}, which this converter cannot read here (expected ${dtypes.join(' or ')}).`);
  }
  const bytes = await entry.source.read(entry.offset, entry.length);
  if (bytes.length !== entry.length) throw badModelFile(entry.source.name, `it ends early (truncated inside tensor "${entry.name}"). Download it again.`);
  // Copy into an aligned buffer so typed-array views (Int32Array, Uint16Array) are valid. Not
  // `.slice()`: on a Node Buffer that is a view of the same memory, not a copy.
  return bytes.byteOffset % 4 === 0 ? bytes : new Uint8Array(bytes);
}
