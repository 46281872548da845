// The models folder as a ModelFileWriter: downloads go to `<name>.partial` and are renamed into
// place only when complete; text files are written to a temporary file and renamed. No write
// follows a symlink, and every name is a plain file name inside the folder.
import { constants, createReadStream } from 'node:fs';
import { lstat, mkdir, open, rename, rm, statfs, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { ApiError } from '../../shared/base/api-error.js';
import type { ModelFileWriter, PartialFile } from '../../shared/downloads/download-io.js';
import { assertSafeFileName } from '../models-folder.js';
import { removeConverted } from '../convert/ensure-gguf.js';

const PARTIAL = '.partial';

function refuse(name: string, reason: string): ApiError {
  return new ApiError('invalid_request', `Refusing to write "${name}" in the models folder: ${reason}.`, { param: 'filename', code: 'unsafe_file_name' });
}

function isMissing(error: unknown): boolean {
  return (error as { code?: string }).code === 'ENOENT';
}

class PartialOnDisk implements PartialFile {
  readonly #handle: FileHandle;
  readonly #file: string;
  constructor(
    handle: FileHandle,
    file: string,
    public size: number,
  ) {
    this.#handle = handle;
    this.#file = file;
  }

  async *read(): AsyncIterable<Uint8Array> {
    if (this.size === 0) return;
    for await (const chunk of createReadStream(this.#file, { start: 0, end: this.size - 1 })) yield chunk as Uint8Array;
  }

  async append(chunk: Uint8Array): Promise<void> {
    let written = 0;
    while (written < chunk.byteLength) {
      const { bytesWritten } = await this.#handle.write(chunk, written, chunk.byteLength - written, this.size + written);
      written += bytesWritten;
    }
    this.size += written;
  }

  async truncate(): Promise<void> {
    await this.#handle.truncate(0);
    this.size = 0;
  }

  #closed = false;
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#handle.close();
  }
}

export class ModelsFolderWriter implements ModelFileWriter {
  readonly folder: string;

  constructor(folder: string) {
    this.folder = path.resolve(folder);
  }

  #pathOf(name: string): string {
    assertSafeFileName(name);
    return path.join(this.folder, name);
  }

  /** Only regular files or nothing may sit where we write; a symlink could point anywhere. */
  async #checkTarget(name: string, file: string): Promise<void> {
    try {
      const info = await lstat(file);
      if (info.isSymbolicLink()) throw refuse(name, 'it is a symbolic link');
      if (!info.isFile()) throw refuse(name, 'something other than a file has that name');
    } catch (error) {
      if (!isMissing(error)) throw error;
    }
  }

  async checkWritable(name: string): Promise<void> {
    try {
      assertSafeFileName(name);
    } catch (error) {
      throw error instanceof ApiError ? refuse(name, 'it is not a plain file name') : error;
    }
    await this.#checkTarget(name, this.#pathOf(name));
    await this.#checkTarget(`${name}${PARTIAL}`, this.#pathOf(`${name}${PARTIAL}`));
  }

  async exists(name: string): Promise<boolean> {
    try {
      const info = await lstat(this.#pathOf(name));
      return info.isFile();
    } catch (error) {
      if (isMissing(error)) return false;
      throw error;
    }
  }

  async *read(name: string): AsyncIterable<Uint8Array> {
    await this.#checkTarget(name, this.#pathOf(name));
    for await (const chunk of createReadStream(this.#pathOf(name))) yield chunk as Uint8Array;
  }

  async openPartial(name: string): Promise<PartialFile> {
    await this.checkWritable(name);
    await mkdir(this.folder, { recursive: true });
    const file = this.#pathOf(`${name}${PARTIAL}`);
    // O_NOFOLLOW: a symlink planted after the check still cannot redirect the write.
    const handle = await open(file, constants.O_RDWR | constants.O_CREAT | constants.O_NOFOLLOW, 0o644);
    const { size } = await handle.stat();
    return new PartialOnDisk(handle, file, size);
  }

  async commit(name: string): Promise<void> {
    await this.checkWritable(name);
    // rename() replaces the destination entry itself and never follows a symlink there.
    await rename(this.#pathOf(`${name}${PARTIAL}`), this.#pathOf(name));
  }

  async discardPartial(name: string): Promise<void> {
    await rm(this.#pathOf(`${name}${PARTIAL}`), { force: true });
  }

  async writeText(name: string, text: string): Promise<void> {
    await this.checkWritable(name);
    await mkdir(this.folder, { recursive: true });
    const temporary = this.#pathOf(`.${name}.${process.pid}.${Date.now()}.tmp`);
    const handle = await open(temporary, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, 0o644);
    try {
      await handle.writeFile(text, 'utf8');
    } finally {
      await handle.close();
    }
    await rename(temporary, this.#pathOf(name));
  }

  async remove(name: string): Promise<void> {
    await this.#checkTarget(name, this.#pathOf(name)).catch((error: unknown) => {
      // A symlink is removed as a link (rm does not follow it); anything else odd is refused.
      if (!(error instanceof ApiError && /symbolic link/.test(error.message))) throw error;
    });
    await rm(this.#pathOf(name), { force: true });
    // A legacy model's GGUF conversion would otherwise stay in .hearth-cache, unseen and unused.
    await removeConverted(this.#pathOf(name));
  }

  async freeBytes(): Promise<number | undefined> {
    try {
      const stats = await statfs(this.folder);
      return Number(stats.bavail) * Number(stats.bsize);
    } catch {
      return undefined;
    }
  }
}
