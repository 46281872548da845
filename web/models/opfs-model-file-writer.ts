// The shared installer's ModelFileWriter over the app's OPFS models folder (the one OpfsModelFiles
// lists), so gallery installs land where the Models panel and the engine already look. Downloads
// grow `<name>.partial`; only commit() gives a file its real name.
import { ApiError } from '../../shared/base/api-error.js';
import type { ModelFileWriter, PartialFile } from '../../shared/downloads/download-io.js';
import { formatBytes, MAX_MODEL_FILE_BYTES } from './model-limits.js';
import { openModelsDirectory } from './opfs-model-files.js';
import { readStorageQuota } from './storage-quota.js';
import { readChunks } from '../../shared/downloads/read-chunks.js';

const PARTIAL = '.partial';

/**
 * A writable only reaches the file on close(), so a partial file is checkpointed (closed and
 * reopened) now and then, or a reload would lose everything. Reopening copies the file, so
 * checkpoints wait until the file grew by a quarter: the copying stays linear in the file size.
 */
const CHECKPOINT_MIN_BYTES = 8 * 1024 * 1024;
const CHECKPOINT_MIN_MS = 1000;
const CHECKPOINT_GROWTH = 0.25;

/** Chromium's OPFS handles can rename themselves; not every TS DOM lib declares it yet. */
interface MovableFileHandle extends FileSystemFileHandle {
  move?(newName: string): Promise<void>;
}

function refuse(name: string, reason: string): ApiError {
  return new ApiError('invalid_request', `Refusing to write "${name}" in browser storage: ${reason}.`, { param: 'filename', code: 'unsafe_file_name' });
}

function isNotFound(error: unknown): boolean {
  return error instanceof DOMException && (error.name === 'NotFoundError' || error.name === 'TypeMismatchError');
}

/** OPFS has no symlinks or paths: a plain name is all a file name needs to be. */
function assertPlain(name: string): void {
  if (name === '' || name === '.' || name === '..') throw refuse(name, 'it is not a file name');
  if (/[/\\]/.test(name)) throw refuse(name, 'it contains a path separator');
  if ([...name].some((char) => char.charCodeAt(0) < 32 || char.charCodeAt(0) === 127)) throw refuse(name, 'it contains a NUL or control character');
}

class OpfsPartialFile implements PartialFile {
  #writable: FileSystemWritableFileStream | undefined;
  #committedSize: number;
  #lastCheckpoint = Date.now();
  #closed = false;

  readonly #handle: FileSystemFileHandle;
  readonly #name: string;

  constructor(
    handle: FileSystemFileHandle,
    name: string,
    public size: number,
  ) {
    this.#handle = handle;
    this.#name = name;
    this.#committedSize = size;
  }

  async *read(): AsyncIterable<Uint8Array> {
    if (this.size === 0) return;
    await this.#checkpoint();
    yield* readChunks((await this.#handle.getFile()).slice(0, this.size).stream());
  }

  async append(chunk: Uint8Array): Promise<void> {
    if (this.size + chunk.byteLength > MAX_MODEL_FILE_BYTES) {
      throw new ApiError(
        'invalid_request',
        `${this.#name} is larger than ${formatBytes(MAX_MODEL_FILE_BYTES)}, the most the in-browser engine (32-bit WebAssembly) loads per file. Run it with the sidecar instead.`,
        { code: 'model_too_large' },
      );
    }
    this.#writable ??= await this.#open();
    await this.#writable.write(chunk as Uint8Array<ArrayBuffer>);
    this.size += chunk.byteLength;
    const grown = this.size - this.#committedSize;
    const due = grown >= CHECKPOINT_MIN_BYTES || Date.now() - this.#lastCheckpoint >= CHECKPOINT_MIN_MS;
    if (due && grown >= this.#committedSize * CHECKPOINT_GROWTH) await this.#checkpoint();
  }

  async truncate(): Promise<void> {
    await this.#checkpoint();
    const writable = await this.#handle.createWritable({ keepExistingData: false });
    await writable.close();
    this.size = 0;
    this.#committedSize = 0;
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#checkpoint();
  }

  async #open(): Promise<FileSystemWritableFileStream> {
    const writable = await this.#handle.createWritable({ keepExistingData: true });
    await writable.seek(this.size);
    return writable;
  }

  /** Makes what was appended so far durable (a reload keeps it). */
  async #checkpoint(): Promise<void> {
    const writable = this.#writable;
    this.#writable = undefined;
    if (writable !== undefined) await writable.close();
    this.#committedSize = this.size;
    this.#lastCheckpoint = Date.now();
  }
}

export class OpfsModelFileWriter implements ModelFileWriter {
  #folder: Promise<FileSystemDirectoryHandle> | undefined;

  constructor(private readonly readFreeBytes: () => Promise<number | undefined> = async () => (await readStorageQuota()).available) {}

  #directory(): Promise<FileSystemDirectoryHandle> {
    this.#folder ??= openModelsDirectory();
    return this.#folder;
  }

  async #fileHandle(name: string): Promise<FileSystemFileHandle | undefined> {
    assertPlain(name);
    return (await this.#directory()).getFileHandle(name).catch((error: unknown) => {
      if (isNotFound(error)) return undefined;
      throw error;
    });
  }

  /** A folder of that name (OPFS has only files and folders) would make the write fail later. */
  async #checkTarget(name: string): Promise<void> {
    const dir = await this.#directory();
    const folder = await dir.getDirectoryHandle(name).then(
      () => true,
      () => false,
    );
    if (folder) throw refuse(name, 'a folder has that name');
  }

  async checkWritable(name: string): Promise<void> {
    assertPlain(name);
    await this.#checkTarget(name);
    await this.#checkTarget(`${name}${PARTIAL}`);
  }

  async exists(name: string): Promise<boolean> {
    return (await this.#fileHandle(name)) !== undefined;
  }

  async *read(name: string): AsyncIterable<Uint8Array> {
    const handle = await this.#fileHandle(name);
    if (handle === undefined) throw new ApiError('not_found', `${name} is not in browser storage.`, { code: 'model_file_not_found' });
    yield* readChunks((await handle.getFile()).stream());
  }

  async openPartial(name: string): Promise<PartialFile> {
    await this.checkWritable(name);
    const handle = await (await this.#directory()).getFileHandle(`${name}${PARTIAL}`, { create: true });
    return new OpfsPartialFile(handle, name, (await handle.getFile()).size);
  }

  async commit(name: string): Promise<void> {
    await this.checkWritable(name);
    const dir = await this.#directory();
    const partial = (await dir.getFileHandle(`${name}${PARTIAL}`)) as MovableFileHandle;
    // A reinstall replaces a file whose checksum differed; move() does not overwrite everywhere.
    await this.remove(name);
    if (typeof partial.move === 'function') {
      await partial.move(name);
      return;
    }
    // No move(): copy, which is atomic too (the writable's swap file becomes the file on close).
    const target = await dir.getFileHandle(name, { create: true });
    try {
      await (await partial.getFile()).stream().pipeTo(await target.createWritable());
    } catch (error) {
      await dir.removeEntry(name).catch(() => undefined);
      throw error;
    }
    await dir.removeEntry(`${name}${PARTIAL}`);
  }

  /** Bytes in `<name>.partial` (0 when there is none), without creating it. */
  async partialSize(name: string): Promise<number> {
    const handle = await this.#fileHandle(`${name}${PARTIAL}`);
    return handle === undefined ? 0 : (await handle.getFile()).size;
  }

  async discardPartial(name: string): Promise<void> {
    await this.remove(`${name}${PARTIAL}`);
  }

  async writeText(name: string, text: string): Promise<void> {
    await this.checkWritable(name);
    const handle = await (await this.#directory()).getFileHandle(name, { create: true });
    // The writable's swap file replaces the old content only on close: readers never see half.
    const writable = await handle.createWritable();
    await writable.write(text);
    await writable.close();
  }

  async remove(name: string): Promise<void> {
    assertPlain(name);
    await (await this.#directory()).removeEntry(name).catch((error: unknown) => {
      if (!isNotFound(error)) throw error;
    });
  }

  freeBytes(): Promise<number | undefined> {
    return this.readFreeBytes();
  }
}
