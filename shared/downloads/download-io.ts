// What downloads need from the outside world, injected by the composition root: the sidecar gives
// a models folder on disk and node:crypto, the browser gives its own storage and hash.

/** The subset of `fetch` downloads use (Node's global fetch and the browser's both fit). */
export type FetchLike = (url: string, init: { headers: Record<string, string>; signal?: AbortSignal }) => Promise<Response>;

/** A hash fed chunk by chunk, so a multi-gigabyte file is hashed while it streams. */
export interface IncrementalHash {
  update(chunk: Uint8Array): void;
  /** Lowercase hex digest. Call once, after the last update. */
  digestHex(): Promise<string>;
}

export type HashFactory = () => IncrementalHash;

/** `<file>.partial` while it downloads. Nothing reads it as a model until `commit`. */
export interface PartialFile {
  /** Bytes in the partial file so far. */
  readonly size: number;
  /** The bytes already there, to seed the hash when a download resumes. */
  read(): AsyncIterable<Uint8Array>;
  append(chunk: Uint8Array): Promise<void>;
  /** Empties the file, when the server will not resume and sends everything again. */
  truncate(): Promise<void>;
  close(): Promise<void>;
}

/**
 * The writable side of a model store. Every name is a plain file name; implementations refuse
 * anything else (and symlinks) with ApiError 400 before touching storage.
 */
export interface ModelFileWriter {
  /** Throws ApiError 400 when writing `fileName` could reach outside the store (symlink, not a plain name). */
  checkWritable(fileName: string): Promise<void>;
  /** True when the complete file exists. */
  exists(fileName: string): Promise<boolean>;
  /** Bytes of a complete file, for verifying a file that is already there. */
  read(fileName: string): AsyncIterable<Uint8Array>;
  /** Opens (creating if needed) `<fileName>.partial`, keeping what an earlier attempt wrote. */
  openPartial(fileName: string): Promise<PartialFile>;
  /** Atomically turns `<fileName>.partial` into `fileName`. */
  commit(fileName: string): Promise<void>;
  discardPartial(fileName: string): Promise<void>;
  /** Writes a small text file atomically (temporary file, then rename). */
  writeText(fileName: string, text: string): Promise<void>;
  /** Removes a file; no error when it is already gone. */
  remove(fileName: string): Promise<void>;
  /** Free bytes where the store writes, or undefined when unknown. */
  freeBytes(): Promise<number | undefined>;
}
