// The converter's only contact with storage: random reads from the source model and appends to the
// output. A Node file handle, a browser Blob/File and an OPFS file all fit, so the core stays isomorphic.

/** A read-only model file. `read` may return fewer bytes only at the end of the file. */
export interface ByteSource {
  /** Shown in error messages: the file name the user knows. */
  readonly name: string;
  readonly size: number;
  read(offset: number, length: number): Promise<Uint8Array>;
}

/** Where the GGUF goes, in order. */
export interface ByteSink {
  write(bytes: Uint8Array): Promise<void>;
}

/** A ByteSource over bytes already in memory (tests, small files). */
export function memorySource(name: string, bytes: Uint8Array): ByteSource {
  return {
    name,
    size: bytes.length,
    read: async (offset, length) => bytes.subarray(offset, Math.min(bytes.length, offset + length)),
  };
}
