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
      return buffer.subarray(0, got);
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
