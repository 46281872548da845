// Node file handles as the converter's ByteSource and ByteSink.
import type { FileHandle } from 'node:fs/promises';
import type { ByteSink, ByteSource } from '../../shared/convert/byte-source.js';

export function fileByteSource(handle: FileHandle, name: string, size: number): ByteSource {
  return {
    name,
    size,
    async read(offset, length) {
      const want = Math.max(0, Math.min(length, size - offset));
      const buffer = Buffer.allocUnsafe(want);
      let got = 0;
      while (got < want) {
        const { bytesRead } = await handle.read(buffer, got, want - got, offset + got);
        if (bytesRead === 0) break;
        got += bytesRead;
      }
      // A plain Uint8Array, not a Buffer: Buffer#slice shares memory (with Node's pool, for small
      // reads) where Uint8Array#slice copies, and the converter relies on the Uint8Array meaning.
      return new Uint8Array(buffer.buffer, buffer.byteOffset, got);
    },
  };
}

export function fileByteSink(handle: FileHandle): ByteSink {
  return {
    async write(bytes) {
      let done = 0;
      while (done < bytes.length) {
        const { bytesWritten } = await handle.write(bytes, done, bytes.length - done);
        done += bytesWritten;
      }
    },
  };
}
