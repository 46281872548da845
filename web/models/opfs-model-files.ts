// Model files in the Origin Private File System: persistent, quota-managed, and readable as File
// objects without copying, which is what a 1 GB model needs. Writes go through createWritable(),
// whose swap file is only committed on close(), so a cancelled download leaves nothing half-written.
import { defined } from '../../shared/base/defined.js';

export interface StoredModelFile {
  name: string;
  size: number;
  lastModified: number;
  file: File;
}

export interface ModelFileStorage {
  /** Complete files only (downloads in progress are hidden). */
  list(): Promise<StoredModelFile[]>;
  /** Streams `body` into `name`; on error or abort nothing is left behind. */
  write(name: string, body: ReadableStream<Uint8Array>, options?: { signal?: AbortSignal }): Promise<void>;
  remove(name: string): Promise<void>;
}

/** The async iteration Chromium implements; declared here because not every TS DOM lib has it. */
interface IterableDirectory {
  values(): AsyncIterable<FileSystemHandle>;
}

/** The OPFS folder model files live in (gallery installs write there too). */
export const MODELS_FOLDER = 'models';

/** The OPFS folder that holds the models, created on first use. */
export function openModelsDirectory(): Promise<FileSystemDirectoryHandle> {
  return navigator.storage.getDirectory().then((root) => root.getDirectoryHandle(MODELS_FOLDER, { create: true }));
}

export class OpfsModelFiles implements ModelFileStorage {
  readonly #writing = new Set<string>();
  #folder: Promise<FileSystemDirectoryHandle> | undefined;

  #directory(): Promise<FileSystemDirectoryHandle> {
    this.#folder ??= openModelsDirectory();
    return this.#folder;
  }

  async list(): Promise<StoredModelFile[]> {
    const dir = await this.#directory();
    const files: StoredModelFile[] = [];
    for await (const handle of (dir as unknown as IterableDirectory).values()) {
      if (handle.kind !== 'file' || this.#writing.has(handle.name)) continue;
      const file = await (handle as FileSystemFileHandle).getFile();
      files.push({ name: handle.name, size: file.size, lastModified: file.lastModified, file });
    }
    return files.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  async write(name: string, body: ReadableStream<Uint8Array>, options: { signal?: AbortSignal } = {}): Promise<void> {
    if (this.#writing.has(name)) throw new Error(`${name} is already being saved.`);
    const dir = await this.#directory();
    const existed = await dir.getFileHandle(name).then(() => true, () => false);
    this.#writing.add(name);
    try {
      const handle = await dir.getFileHandle(name, { create: true });
      const writable = await handle.createWritable();
      // pipeTo aborts the writable on error or signal, which discards the swap file.
      await body.pipeTo(writable, defined({ signal: options.signal }));
    } catch (error) {
      if (!existed) await dir.removeEntry(name).catch(() => undefined);
      throw error;
    } finally {
      this.#writing.delete(name);
    }
  }

  async remove(name: string): Promise<void> {
    const dir = await this.#directory();
    await dir.removeEntry(name);
  }
}
