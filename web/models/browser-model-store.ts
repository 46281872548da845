// The browser's ModelStore: the bundled default model plus files in OPFS, seen by the shared core
// exactly like a LocalAI models folder. `locate` answers a URL the engine worker can fetch: a
// same-origin path for bundled files, a blob: URL for stored ones (blob URLs are readable by the
// page's workers and need no service worker).
import { ApiError } from '../../shared/base/api-error.js';
import type { ModelCompanion } from '../../shared/engine/engine.js';
import type { ModelStore } from '../../shared/models/model-store.js';
import type { BundledFile } from './bundled-models.js';
import { removeConvertedCopies } from './converted-copies.js';
import { assertPlainFileName } from './model-file-name.js';
import type { ModelFileStorage, StoredModelFile } from './opfs-model-files.js';

/** Config and template files are small; anything bigger is not one. */
const MAX_TEXT_BYTES = 1024 * 1024;

interface ObjectUrl {
  url: string;
  stamp: string;
}

export class BrowserModelStore implements ModelStore {
  readonly location = 'browser storage';
  readonly #objectUrls = new Map<string, ObjectUrl>();
  #stored = new Map<string, StoredModelFile>();

  readonly #files: ModelFileStorage;
  readonly #bundled: readonly BundledFile[];

  constructor(
    files: ModelFileStorage,
    bundled: readonly BundledFile[],
  ) {
    this.#files = files;
    this.#bundled = bundled;
  }

  async listFiles(): Promise<string[]> {
    await this.#refresh();
    const names = new Set([...this.#bundled.map((file) => file.name), ...this.#stored.keys()]);
    return [...names];
  }

  /** Stored model files with sizes, for the model list in the UI, as of the last listFiles(). */
  listStored(): StoredModelFile[] {
    return [...this.#stored.values()];
  }

  isBundled(name: string): boolean {
    return this.#bundled.some((file) => file.name === name);
  }

  /** Stored files only: a bundled file's size would cost a request. */
  async fileSize(name: string): Promise<number | undefined> {
    return this.#stored.get(name)?.size;
  }

  async readText(name: string): Promise<string | undefined> {
    assertPlainFileName(name);
    const bundled = this.#bundled.find((file) => file.name === name);
    if (bundled !== undefined) return bundled.text;
    const stored = this.#stored.get(name) ?? (await this.#refresh(), this.#stored.get(name));
    if (stored === undefined) return undefined;
    if (stored.size > MAX_TEXT_BYTES) throw new ApiError('server', `${name} in ${this.location} is larger than ${MAX_TEXT_BYTES} bytes; config files must be small.`);
    return stored.file.text();
  }

  locate(name: string): string {
    assertPlainFileName(name);
    const bundled = this.#bundled.find((file) => file.name === name);
    if (bundled?.url !== undefined) return new URL(bundled.url, location.href).href;
    const stored = this.#stored.get(name);
    if (stored === undefined) {
      throw new ApiError('not_found', `The model file "${name}" is not in ${this.location}. Add it in the Models panel.`, { param: 'model', code: 'model_file_not_found' });
    }
    const stamp = `${stored.size}:${stored.lastModified}`;
    const known = this.#objectUrls.get(name);
    if (known?.stamp === stamp) return known.url;
    if (known !== undefined) URL.revokeObjectURL(known.url);
    const url = URL.createObjectURL(stored.file);
    this.#objectUrls.set(name, { url, stamp });
    return url;
  }

  /** Stored files among `names` (an rwkv.cpp model's tokenizer), as of a fresh listing. */
  async locateCompanions(names: readonly string[]): Promise<Record<string, ModelCompanion>> {
    await this.#refresh();
    const found: Record<string, ModelCompanion> = {};
    for (const name of names) {
      const stored = this.#stored.get(name);
      if (stored !== undefined) found[name] = { source: this.locate(name), stamp: `${stored.size}:${stored.lastModified}` };
    }
    return found;
  }

  async remove(name: string): Promise<void> {
    assertPlainFileName(name);
    if (this.isBundled(name)) throw new Error(`${name} ships with the app and cannot be deleted.`);
    await this.#files.remove(name);
    // A legacy model's GGUF conversion would otherwise stay in hearth-cache, unseen and unused.
    await removeConvertedCopies(name);
    const known = this.#objectUrls.get(name);
    if (known !== undefined) URL.revokeObjectURL(known.url);
    this.#objectUrls.delete(name);
    this.#stored.delete(name);
  }

  async #refresh(): Promise<void> {
    const list = await this.#files.list();
    this.#stored = new Map(list.filter((file) => !this.isBundled(file.name)).map((file) => [file.name, file]));
    for (const [name, known] of this.#objectUrls) {
      if (this.#stored.has(name)) continue;
      URL.revokeObjectURL(known.url);
      this.#objectUrls.delete(name);
    }
  }
}
