// Encodes a GGUF v3 header (magic, counts, metadata, tensor infos, padding) into bytes. Layout:
// ggml/include/gguf.h and gguf-py. Tensor data follows, each tensor at its aligned offset.

export type GgufValue =
  | { readonly type: 'uint32'; readonly value: number }
  | { readonly type: 'int32'; readonly value: number }
  | { readonly type: 'float32'; readonly value: number }
  | { readonly type: 'bool'; readonly value: boolean }
  | { readonly type: 'string'; readonly value: string }
  | { readonly type: 'string[]'; readonly value: ReadonlyArray<string | Uint8Array> }
  | { readonly type: 'int32[]'; readonly value: ArrayLike<number> }
  | { readonly type: 'float32[]'; readonly value: ArrayLike<number> };

export type GgufMetadata = ReadonlyArray<readonly [key: string, value: GgufValue]>;

export interface GgufTensorInfo {
  readonly name: string;
  /** ggml order: ne0 (the contiguous row length) first. */
  readonly dims: readonly number[];
  readonly ggmlType: number;
  readonly byteLength: number;
}

export const GGUF_ALIGNMENT = 32;
const GGUF_MAGIC = 0x46554747; // "GGUF" as a little-endian u32
const VALUE_TYPE = { uint32: 4, int32: 5, float32: 6, bool: 7, string: 8, array: 9 } as const;
const utf8 = new TextEncoder();

export const alignUp = (n: number, alignment: number): number => Math.ceil(n / alignment) * alignment;

/** Growable little-endian byte buffer. */
class Bytes {
  #buf = new Uint8Array(1 << 16);
  #view = new DataView(this.#buf.buffer);
  length = 0;
  #room(n: number): void {
    if (this.length + n <= this.#buf.length) return;
    const next = new Uint8Array(Math.max(this.#buf.length * 2, this.length + n));
    next.set(this.#buf.subarray(0, this.length));
    this.#buf = next;
    this.#view = new DataView(next.buffer);
  }
  u8(v: number): void { this.#room(1); this.#view.setUint8(this.length, v); this.length += 1; }
  u32(v: number): void { this.#room(4); this.#view.setUint32(this.length, v, true); this.length += 4; }
  i32(v: number): void { this.#room(4); this.#view.setInt32(this.length, v, true); this.length += 4; }
  f32(v: number): void { this.#room(4); this.#view.setFloat32(this.length, v, true); this.length += 4; }
  u64(v: number): void { this.#room(8); this.#view.setBigUint64(this.length, BigInt(v), true); this.length += 8; }
  raw(bytes: Uint8Array): void { this.#room(bytes.length); this.#buf.set(bytes, this.length); this.length += bytes.length; }
  /** A GGUF string; raw bytes pass through as they are (legacy vocabularies hold partial UTF-8). */
  str(s: string | Uint8Array): void { const b = typeof s === 'string' ? utf8.encode(s) : s; this.u64(b.length); this.raw(b); }
  zeros(n: number): void { this.#room(n); this.#buf.fill(0, this.length, this.length + n); this.length += n; }
  done(): Uint8Array { return this.#buf.slice(0, this.length); }
}

function writeValue(b: Bytes, v: GgufValue): void {
  switch (v.type) {
    case 'uint32': b.u32(VALUE_TYPE.uint32); b.u32(v.value); return;
    case 'int32': b.u32(VALUE_TYPE.int32); b.i32(v.value); return;
    case 'float32': b.u32(VALUE_TYPE.float32); b.f32(v.value); return;
    case 'bool': b.u32(VALUE_TYPE.bool); b.u8(v.value ? 1 : 0); return;
    case 'string': b.u32(VALUE_TYPE.string); b.str(v.value); return;
    case 'string[]':
      b.u32(VALUE_TYPE.array); b.u32(VALUE_TYPE.string); b.u64(v.value.length);
      for (const s of v.value) b.str(s);
      return;
    case 'int32[]':
      b.u32(VALUE_TYPE.array); b.u32(VALUE_TYPE.int32); b.u64(v.value.length);
      for (let i = 0; i < v.value.length; i++) b.i32(v.value[i] ?? 0);
      return;
    case 'float32[]':
      b.u32(VALUE_TYPE.array); b.u32(VALUE_TYPE.float32); b.u64(v.value.length);
      for (let i = 0; i < v.value.length; i++) b.f32(v.value[i] ?? 0);
      return;
  }
}

/** The header up to the start of the data section (padded to the alignment). */
export function encodeGgufHeader(metadata: GgufMetadata, tensors: readonly GgufTensorInfo[]): Uint8Array {
  const b = new Bytes();
  b.u32(GGUF_MAGIC);
  b.u32(3);
  b.u64(tensors.length);
  b.u64(metadata.length + 1);
  for (const [key, value] of metadata) {
    b.str(key);
    writeValue(b, value);
  }
  b.str('general.alignment');
  writeValue(b, { type: 'uint32', value: GGUF_ALIGNMENT });
  let offset = 0;
  for (const t of tensors) {
    b.str(t.name);
    b.u32(t.dims.length);
    for (const d of t.dims) b.u64(d);
    b.u32(t.ggmlType);
    b.u64(offset);
    offset = alignUp(offset + t.byteLength, GGUF_ALIGNMENT);
  }
  b.zeros(alignUp(b.length, GGUF_ALIGNMENT) - b.length);
  return b.done();
}
