// Reads a model file's header fields in order, buffering the source in blocks so thousands of small
// fields (a 32k-token vocabulary) cost a few reads, and seeking past tensor data without reading it.
import type { ByteSource } from './byte-source.js';
import { badModelFile } from './conversion-error.js';

const BLOCK = 1 << 20;
const utf8 = new TextDecoder('utf-8', { fatal: false });

export class HeaderReader {
  readonly source: ByteSource;
  #position = 0;
  #buffer: Uint8Array = new Uint8Array(0);
  #bufferStart = 0;

  constructor(source: ByteSource, position = 0) {
    this.source = source;
    this.#position = position;
  }

  get position(): number {
    return this.#position;
  }

  get remaining(): number {
    return this.source.size - this.#position;
  }

  /** Moves forward without reading (tensor data); fails if that passes the end of the file. */
  skip(length: number, what: string): void {
    if (this.#position + length > this.source.size) this.#truncated(what);
    this.#position += length;
  }

  alignTo(alignment: number): void {
    const aligned = Math.ceil(this.#position / alignment) * alignment;
    this.skip(aligned - this.#position, 'padding');
  }

  async bytes(length: number, what: string): Promise<Uint8Array> {
    if (this.#position + length > this.source.size) this.#truncated(what);
    const end = this.#position + length;
    if (this.#position < this.#bufferStart || end > this.#bufferStart + this.#buffer.length) {
      this.#bufferStart = this.#position;
      this.#buffer = await this.source.read(this.#position, Math.max(length, BLOCK));
      if (this.#buffer.length < length) this.#truncated(what);
    }
    const from = this.#position - this.#bufferStart;
    this.#position = end;
    return this.#buffer.subarray(from, from + length);
  }

  async u32(what: string): Promise<number> {
    const b = await this.bytes(4, what);
    return new DataView(b.buffer, b.byteOffset, 4).getUint32(0, true);
  }

  async f32(what: string): Promise<number> {
    const b = await this.bytes(4, what);
    return new DataView(b.buffer, b.byteOffset, 4).getFloat32(0, true);
  }

  async text(length: number, what: string): Promise<string> {
    return utf8.decode(await this.bytes(length, what));
  }

  #truncated(what: string): never {
    throw badModelFile(this.source.name, `it ends early (truncated while reading ${what} at byte ${this.#position} of ${this.source.size}). Download it again.`);
  }
}
