// Adding, listing and deleting the user's models: by URL, by Hugging Face name, or from a local
// file. Every add checks the size against the engine's limit and the quota before reading the body.
import type { BrowserModelStore } from './browser-model-store.js';
import { checkedModelStream, type ByteProgress } from './checked-model-stream.js';
import { resolveHubName } from './hub-url.js';
import { assertModelFits, ModelRefusedError, type StorageRoom } from './model-limits.js';
import { fileNameFromUrl, isModelFileName } from './model-file-name.js';
import { isRwkvWorldVocabName } from '../../shared/convert/rwkv-tokenizer-files.js';

/** Model files, and the RWKV World vocabulary that rwkv.cpp World models need beside them. */
const isStorable = (name: string): boolean => isModelFileName(name) || (isRwkvWorldVocabName(name) && !name.startsWith('.') && !/[/\\\0]/.test(name));
import type { ModelFileStorage } from './opfs-model-files.js';
import type { ModelFileWriter } from '../../shared/downloads/download-io.js';
import { ApiError } from '../../shared/base/api-error.js';
import { errorMessage } from '../../shared/base/error-message.js';
import type { FileIdentity } from './resumable-fetch.js';
import { defined } from '../../shared/base/defined.js';
import { groupStoredRepos, type StoredRepo } from './stored-repos.js';

export interface AddOptions {
  signal?: AbortSignal;
  onProgress?: (progress: ByteProgress) => void;
}

export interface DownloadOptions extends AddOptions {
  /** The file an earlier, paused attempt started on: the download resumes if it is still the same. */
  resume?: FileIdentity;
  /** Called when the server describes the file from byte 0, so a pause can keep it for resuming. */
  onIdentity?: (identity: FileIdentity) => void;
}

/** Where downloads keep `<name>.partial` until they complete. */
export interface PartialDownloads extends ModelFileWriter {
  partialSize(fileName: string): Promise<number>;
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
  /** Loaded on first use (off the initial JS). */
  partials(): Promise<PartialDownloads>;
  /** Called after a model file is deleted, so an engine loaded from it can be unloaded. */
  onRemoved?(name: string): Promise<void> | void;
  /** Deletes a stored Hugging Face repo (autogptq), its converted copy, and unloads what uses it. */
  removeRepo?(name: string): Promise<void>;
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
    return names.filter(isStorable).map((name) => ({ name, size: stored.get(name), bundled: this.#deps.store.isBundled(name) }));
  }

  /** Hugging Face repos (autogptq) stored on a model's first load: not models themselves, but they take room. */
  async listRepos(): Promise<StoredRepo[]> {
    await this.#deps.store.listFiles();
    return groupStoredRepos(this.#deps.store.listStored());
  }

  async removeRepo(name: string): Promise<void> {
    if (this.#deps.removeRepo === undefined) throw new Error('This app cannot delete stored repos.');
    await this.#deps.removeRepo(name);
  }

  addFromHub(name: string, hubUrl: string, options: DownloadOptions = {}): Promise<string> {
    return this.addFromUrl(resolveHubName(name, hubUrl), options);
  }

  /**
   * Downloads into `<name>.partial` and renames it when complete. An abort (Pause or Cancel) keeps
   * the partial bytes: calling this again with the identity `onIdentity` reported resumes with
   * Range; discardDownload() drops them.
   */
  async addFromUrl(url: string, options: DownloadOptions = {}): Promise<string> {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      throw new ModelRefusedError(`"${url}" is not a URL. Paste a full https:// link to a .gguf file.`);
    }
    const fileName = await this.#checkName(fileNameFromUrl(parsed.href));
    // Loaded here, off the initial JS (it has a size budget).
    const [{ downloadFile }, { resumableFetch }, files] = await Promise.all([
      import('../../shared/downloads/download-file.js'),
      import('./resumable-fetch.js'),
      this.#deps.partials(),
    ]);
    // A refusal (too big, not a model) must stop the downloader's retries: it aborts this inner
    // signal, and the refusal, not the abort, is what the caller gets.
    const inner = new AbortController();
    const stop = (): void => inner.abort(options.signal?.reason);
    options.signal?.addEventListener('abort', stop, { once: true });
    if (options.signal?.aborted === true) stop();
    let refusal: unknown;
    const stopWith = (error: unknown): void => {
      refusal = error;
      inner.abort(error);
    };
    try {
      await downloadFile({
        fetch: resumableFetch({
          network: this.#deps.fetch,
          fileName,
          known: options.resume,
          onIdentity: (identity) => options.onIdentity?.(identity),
          checkSize: async (total) => {
            try {
              assertModelFits(fileName, total, await this.#deps.readRoom());
            } catch (error) {
              stopWith(error);
              throw error;
            }
          },
          onRefused: stopWith,
        }),
        files,
        createHash: () => {
          throw new Error('no checksum is known for a model added by URL');
        },
        url: parsed.href,
        fileName,
        signal: inner.signal,
        onProgress: ({ downloaded, total }) => options.onProgress?.({ received: downloaded, total }),
      });
    } catch (error) {
      if (refusal !== undefined) {
        await files.discardPartial(fileName).catch(() => undefined);
        throw refusal;
      }
      // The browser hides why a fetch failed (offline, refused, CORS): say what the user can check.
      if (!inner.signal.aborted && error instanceof ApiError && error.code === 'download_failed' && error.cause instanceof TypeError) {
        throw new Error(`Could not reach ${parsed.origin}: ${errorMessage(error.cause).replace(/\.$/, '')}. Check the address and your connection.`, { cause: error });
      }
      throw error;
    } finally {
      options.signal?.removeEventListener('abort', stop);
    }
    return fileName;
  }

  /** Bytes a paused or interrupted download of `fileName` kept (0 when none). */
  async downloadedSoFar(fileName: string): Promise<number> {
    return (await this.#deps.partials()).partialSize(fileName);
  }

  /** Deletes what a paused download kept (Cancel). */
  async discardDownload(fileName: string): Promise<void> {
    await (await this.#deps.partials()).discardPartial(fileName);
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
    if (!isStorable(name)) throw new ModelRefusedError(`"${name}" is not a .gguf or .bin model file (or an RWKV World vocabulary, rwkv_vocab_v20230424.txt).`);
    if ((await this.#deps.store.listFiles()).includes(name)) throw new ModelRefusedError(`A model named ${name} is already installed. Delete it first to replace it.`);
    return name;
  }

  async #save(fileName: string, body: ReadableStream<Uint8Array>, total: number | undefined, options: AddOptions): Promise<void> {
    const checked = body.pipeThrough(checkedModelStream(fileName, total, options.onProgress));
    await this.#deps.files.write(fileName, checked, defined({ signal: options.signal }));
  }
}
