// Reads the pieces of a SentencePiece model file (tokenizer.model), a protobuf ModelProto
// (google/sentencepiece sentencepiece_model.proto): field 1 repeats SentencePiece {piece = 1,
// score = 2 (float), type = 3 (enum, default NORMAL)}; normalizer_spec = 3 has add_dummy_prefix = 3.
// Only what llama.cpp's _set_vocab_sentencepiece writes into a GGUF is read.
import { badModelFile } from './conversion-error.js';

/** sentencepiece_model.proto's SentencePiece.Type, numbered as GGUF's token types are. */
export const PIECE_NORMAL = 1;

export interface SentencePiece {
  readonly piece: Uint8Array;
  readonly score: number;
  readonly type: number;
}

export interface SentencePieceModel {
  readonly pieces: readonly SentencePiece[];
  readonly addDummyPrefix: boolean;
}

class ProtoReader {
  at: number;
  readonly #bytes: Uint8Array;
  readonly #end: number;
  readonly #file: string;
  constructor(bytes: Uint8Array, file: string, start = 0, end = bytes.length) {
    this.#bytes = bytes;
    this.at = start;
    this.#end = end;
    this.#file = file;
  }
  get done(): boolean {
    return this.at >= this.#end;
  }
  #fail(): never {
    throw badModelFile(this.#file, `it is not a valid SentencePiece model (protobuf ends early at byte ${this.at}).`);
  }
  varint(): number {
    let value = 0;
    let scale = 1;
    for (;;) {
      if (this.at >= this.#end) this.#fail();
      const b = this.#bytes[this.at++] ?? 0;
      value += (b & 0x7f) * scale;
      if (b < 0x80) return value;
      scale *= 128;
      if (scale > 2 ** 63) this.#fail();
    }
  }
  /** A length-delimited field's [start, end). */
  span(): [number, number] {
    const length = this.varint();
    const start = this.at;
    if (start + length > this.#end) this.#fail();
    this.at += length;
    return [start, start + length];
  }
  float32(): number {
    if (this.at + 4 > this.#end) this.#fail();
    const v = new DataView(this.#bytes.buffer, this.#bytes.byteOffset + this.at, 4).getFloat32(0, true);
    this.at += 4;
    return v;
  }
  skip(wire: number): void {
    if (wire === 0) this.varint();
    else if (wire === 1) this.at += 8;
    else if (wire === 2) this.span();
    else if (wire === 5) this.at += 4;
    else throw badModelFile(this.#file, `it is not a valid SentencePiece model (protobuf wire type ${wire}).`);
    if (this.at > this.#end) this.#fail();
  }
  sub(start: number, end: number): ProtoReader {
    return new ProtoReader(this.#bytes, this.#file, start, end);
  }
}

export function readSentencePieceModel(bytes: Uint8Array, file: string): SentencePieceModel {
  const top = new ProtoReader(bytes, file);
  const pieces: SentencePiece[] = [];
  let addDummyPrefix = true;
  while (!top.done) {
    const key = top.varint();
    const field = Math.floor(key / 8);
    const wire = key & 7;
    if (field === 1 && wire === 2) {
      const [start, end] = top.span();
      const r = top.sub(start, end);
      let piece: Uint8Array = new Uint8Array(0);
      let score = 0;
      let type = PIECE_NORMAL;
      while (!r.done) {
        const k = r.varint();
        if (k === (1 << 3) + 2) {
          const [s, e] = r.span();
          piece = bytes.subarray(s, e);
        } else if (k === (2 << 3) + 5) score = r.float32();
        else if (k === (3 << 3) + 0) type = r.varint();
        else r.skip(k & 7);
      }
      pieces.push({ piece, score, type });
    } else if (field === 3 && wire === 2) {
      const [start, end] = top.span();
      const r = top.sub(start, end);
      while (!r.done) {
        const k = r.varint();
        if (k === (3 << 3) + 0) addDummyPrefix = r.varint() !== 0;
        else r.skip(k & 7);
      }
    } else top.skip(wire);
  }
  if (pieces.length === 0) throw badModelFile(file, 'it is not a SentencePiece model (it has no pieces).');
  return { pieces, addDummyPrefix };
}
