// Where the tab keeps models that are a folder of files (autogptq). Browser storage has no folders,
// so a repo's files are stored flat under a prefix: `TheBloke--orca_mini_v2_13b-GPTQ--config.json`.
// A Hugging Face `owner/repo` is fetched from the hub (the Models panel's hub URL) on the model's
// first load; the worker then converts the stored files to GGUF. Weights the in-browser engine
// could never load are refused before they are downloaded. The Models panel deletes a stored repo
// through remove().
import { ApiError } from '../../shared/base/api-error.js';
import type { HashFactory } from '../../shared/downloads/download-io.js';
import { fetchHubRepo, isRepoFetched } from '../../shared/galleries/fetch-hub-repo.js';
import { REPO_MARKER } from '../../shared/galleries/hub-repo-files.js';
import type { HubAccess } from '../../shared/galleries/hub-access.js';
import { parseHubRepoId, type ModelRepos, type PrepareRepoOptions, type RepoLocation } from '../../shared/models/model-repos.js';
import type { BrowserModelStore } from './browser-model-store.js';
import { formatBytes, MAX_MODEL_FILE_BYTES } from './model-limits.js';
import { assertPlainFileName } from './model-file-name.js';
import { OpfsModelFileWriter } from './opfs-model-file-writer.js';
import { removeConvertedCopies } from './converted-copies.js';
import { groupStoredRepos } from './stored-repos.js';
import { repoCacheKey } from '../worker/converted-copy-names.js';

export interface BrowserReposOptions {
  store: BrowserModelStore;
  hub: HubAccess;
  createHash: HashFactory;
  /** The loaded models: a repo in use by a load is not deleted, and a deleted repo's models are unloaded. */
  models?: { isLoading(name: string): boolean; unload(name: string): Promise<void> };
}

export class BrowserRepos implements ModelRepos {
  readonly #options: BrowserReposOptions;
  readonly #fetching = new Map<string, Promise<unknown>>();
  /** Deletions by prefix: a load that starts meanwhile waits, then fetches the repo afresh. */
  readonly #deleting = new Map<string, Promise<void>>();

  constructor(options: BrowserReposOptions) {
    this.#options = options;
  }

  async prepare(model: string, { settings, onProgress, signal }: PrepareRepoOptions): Promise<RepoLocation> {
    const { store, hub, createHash } = this.#options;
    const hubId = parseHubRepoId(model);
    const prefix = `${hubId?.folder ?? model}--`;
    assertPlainFileName(prefix);
    const name = (path: string): string => `${prefix}${path}`;
    await this.#deleting.get(prefix)?.catch(() => undefined);
    if (hubId !== undefined) {
      const files = new OpfsModelFileWriter();
      if (!(await isRepoFetched(files, name, hubId, settings.modelBaseName))) {
        let running = this.#fetching.get(prefix);
        if (running === undefined) {
          running = fetchHubRepo({
            hub,
            repo: hubId,
            files,
            name,
            createHash,
            ...(settings.modelBaseName === undefined ? {} : { modelBaseName: settings.modelBaseName }),
            ...(signal ? { signal } : {}),
            ...(onProgress ? { onProgress } : {}),
            checkWeights: (bytes) => {
              if (bytes <= MAX_MODEL_FILE_BYTES) return;
              throw new ApiError(
                'invalid_request',
                `${model} is ${formatBytes(bytes)}; the in-browser engine (32-bit WebAssembly) loads at most ${formatBytes(MAX_MODEL_FILE_BYTES)} per model. Choose a smaller model, or run it with the sidecar (npm start).`,
                { param: 'model', code: 'model_too_large' },
              );
            },
          });
          this.#fetching.set(prefix, running);
          void running.finally(() => this.#fetching.delete(prefix)).catch(() => undefined);
        }
        await running;
      }
    }
    await store.listFiles();
    const stored = store.listStored().filter((file) => file.name.startsWith(prefix) && !file.name.slice(prefix.length).startsWith('.'));
    if (stored.length === 0) {
      throw new ApiError('not_found', `The model repo "${model}" is not in ${store.location}. In the tab, name a Hugging Face repo (owner/repo) in parameters.model: its files are downloaded on first use.`, {
        param: 'model',
        code: 'model_file_not_found',
      });
    }
    const files = Object.fromEntries(stored.map((file) => [file.name.slice(prefix.length), store.locate(file.name)]));
    const stamp = stored.map((file) => `${file.name}:${file.size}:${file.lastModified}`).join(',');
    return { source: model, repo: { name: model, files, stamp } };
  }

  /**
   * Deletes a stored hub repo: every one of its files and its converted copy in `hearth-cache`,
   * after unloading the models that use it. Refused while a load is downloading, converting or
   * loading it (the simple safe choice: a delete racing a download could leave files the marker
   * vouches for missing). The check and the deletion's lock are taken in one step, so a load that
   * starts during the deletion waits for it and then downloads the repo again.
   */
  async remove(model: string): Promise<void> {
    const hubId = parseHubRepoId(model);
    if (hubId === undefined) throw new ApiError('invalid_request', `"${model}" is not a Hugging Face repo (owner/repo).`, { param: 'model', code: 'invalid_model_name' });
    const prefix = `${hubId.folder}--`;
    if (this.#fetching.has(prefix) || this.#deleting.has(prefix) || this.#options.models?.isLoading(model) === true) {
      throw new Error(`${model} is being downloaded or converted for a model that is loading. Wait until that load has finished (or failed), then delete it.`);
    }
    const deleting = this.#delete(model);
    this.#deleting.set(prefix, deleting);
    try {
      await deleting;
    } finally {
      this.#deleting.delete(prefix);
    }
  }

  async #delete(model: string): Promise<void> {
    const { store, models } = this.#options;
    await models?.unload(model);
    await store.listFiles();
    const files = groupStoredRepos(store.listStored()).find((repo) => repo.name === model)?.files ?? [];
    // The fetched-marker first: should a removal fail half way, the next load downloads the repo
    // again instead of trusting what is left.
    const marker = files.filter((file) => file.endsWith(`--${REPO_MARKER}`));
    for (const file of [...marker, ...files.filter((file) => !marker.includes(file))]) await store.remove(file);
    await removeConvertedCopies(repoCacheKey(model));
  }
}
