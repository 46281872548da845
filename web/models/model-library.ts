// Adding, listing and deleting the user's models: by URL, by Hugging Face name, or from a local
// file. Every add checks the size against the engine's limit and the quota before reading the body.
import type { BrowserModelStore } from './browser-model-store.js';
import { checkedModelStream, type ByteProgress } from './checked-model-stream.js';
import { resolveHubName } from './hub-url.js';
import { assertModelFits, ModelRefusedError, type StorageRoom } from './model-limits.js';
import { fileNameFromUrl, isModelFileName } from './model-file-name.js';
import type { ModelFileStorage } from './opfs-model-files.js';
import { errorMessage } from '../../shared/base/error-message.js';
import { defined } from '../../shared/base/defined.js';

export interface AddOptions {
  signal?: AbortSignal;
  onProgress?: (progress: ByteProgress) => void;
}

export interface LibraryModel {
  name: string;
  /** Bytes, when known (stored files). */
  size: number | undefined;
  bundled: boolean;
}

export interface LibraryDeps {
  store: BrowserModelStore;
  files: ModelFileStorage;
  readRoom(): Promise<StorageRoom>;
  fetch: typeof fetch;
  /** Called after a model file is deleted, so an engine loaded from it can be unloaded. */
  onRemoved?(name: string): Promise<void> | void;
}

export class ModelLibrary {
  readonly #deps: LibraryDeps;
  constructor(deps: LibraryDeps) {
    this.#deps = deps;
  }

  async list(): Promise<LibraryModel[]> {
    const names = await this.#deps.store.listFiles();
    // listFiles() just scanned the folder; listStored() reports that scan.
    const stored = new Map(this.#deps.store.listStored().map((file) => [file.name, file.size]));
    return names.filter(isModelFileName).map((name) => ({ name, size: stored.get(name), bundled: this.#deps.store.isBundled(name) }));
  }

  addFromHub(name: string, hubUrl: string, options: AddOptions = {}): Promise<string> {
    return this.addFromUrl(resolveHubName(name, hubUrl), options);
  }

  async addFromUrl(url: string, options: AddOptions = {}): Promise<string> {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      throw new ModelRefusedError(`"${url}" is not a URL. Paste a full https:// link to a .gguf file.`);
    }
    const fileName = await this.#checkName(fileNameFromUrl(parsed.href));
    const init: RequestInit = defined({ signal: options.signal });
    let response: Response;
    try {
      response = await this.#deps.fetch(parsed.href, init);
    } catch (error) {
      if (options.signal?.aborted === true) throw error;
      throw new Error(`Could not reach ${parsed.origin}: ${errorMessage(error).replace(/\.$/, '')}. Check the address and your connection.`);
    }
    if (!response.ok || response.body === null) {
      throw new Error(`${parsed.href} answered ${response.status} ${response.statusText}: the file could not be downloaded.`);
    }
    const length = response.headers.get('content-length');
    const total = length === null ? undefined : Number(length);
    try {
      if (total !== undefined) assertModelFits(fileName, total, await this.#deps.readRoom());
    } catch (error) {
      // Refused on the headers alone: drop the connection instead of leaving the body pending.
      await response.body.cancel().catch(() => undefined);
      throw error;
    }
    await this.#save(fileName, response.body, total, options);
    return fileName;
  }

  async addFromFile(file: File, options: AddOptions = {}): Promise<string> {
    const fileName = await this.#checkName(file.name);
    assertModelFits(fileName, file.size, await this.#deps.readRoom());
    await this.#save(fileName, file.stream(), file.size, options);
    return fileName;
  }

  async remove(name: string): Promise<void> {
    await this.#deps.store.remove(name);
    await this.#deps.onRemoved?.(name);
  }

  async #checkName(name: string): Promise<string> {
    if (!isModelFileName(name)) throw new ModelRefusedError(`"${name}" is not a .gguf or .bin model file.`);
    if ((await this.#deps.store.listFiles()).includes(name)) throw new ModelRefusedError(`A model named ${name} is already installed. Delete it first to replace it.`);
    return name;
  }

  async #save(fileName: string, body: ReadableStream<Uint8Array>, total: number | undefined, options: AddOptions): Promise<void> {
    const checked = body.pipeThrough(checkedModelStream(fileName, total, options.onProgress));
    await this.#deps.files.write(fileName, checked, defined({ signal: options.signal }));
  }
}
