// Where the sidecar keeps models that are a folder of files (autogptq): a folder in the models
// folder, either the user's own (`parameters.model: orca-gptq`) or one fetched from the hub on the
// model's first load (`parameters.model: TheBloke/orca_mini_v2_13b-GPTQ` -> `TheBloke--orca_mini_v2_13b-GPTQ/`).
// Folders are never listed as models (ModelsFolder lists plain files only), so the repo's
// config.json, weights and tokenizer stay out of /v1/models while the config naming them is there.
import { realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { ApiError } from '../shared/base/api-error.js';
import type { HashFactory } from '../shared/downloads/download-io.js';
import { fetchHubRepo, isRepoFetched } from '../shared/galleries/fetch-hub-repo.js';
import type { HubAccess } from '../shared/galleries/hub-access.js';
import { parseHubRepoId, type ModelRepos, type PrepareRepoOptions, type RepoLocation } from '../shared/models/model-repos.js';
import { ModelsFolderWriter } from './downloads/models-folder-writer.js';
import { assertSafeFileName } from './models-folder.js';

export class RepoFolders implements ModelRepos {
  readonly #location: string;
  /** The hub as the galleries reach it (guarded fetch, endpoint, token); undefined with --no-auto-download. */
  readonly #hub: () => HubAccess | undefined;
  readonly #createHash: HashFactory;
  /** One download per repo folder at a time, shared by concurrent loads. */
  readonly #fetching = new Map<string, Promise<void>>();

  constructor(location: string, hub: () => HubAccess | undefined, createHash: HashFactory) {
    this.#location = path.resolve(location);
    this.#hub = hub;
    this.#createHash = createHash;
  }

  async prepare(model: string, { settings, onProgress, signal }: PrepareRepoOptions): Promise<RepoLocation> {
    const hubId = parseHubRepoId(model);
    const folder = hubId?.folder ?? model;
    assertSafeFileName(folder);
    if (hubId !== undefined) {
      const files = new ModelsFolderWriter(path.join(this.#location, folder));
      const name = (file: string): string => file;
      const hub = this.#hub();
      const fetched = await isRepoFetched(files, name, hubId, settings.modelBaseName);
      if (!fetched && hub !== undefined) {
        let running = this.#fetching.get(folder);
        if (running === undefined) {
          running = fetchHubRepo({ hub, repo: hubId, files, name, createHash: this.#createHash, ...(settings.modelBaseName === undefined ? {} : { modelBaseName: settings.modelBaseName }), ...(signal ? { signal } : {}), ...(onProgress ? { onProgress } : {}) }).then(() => undefined);
          this.#fetching.set(folder, running);
          void running.finally(() => this.#fetching.delete(folder)).catch(() => undefined);
        }
        await running;
      } else if (!fetched && !(await this.#isFolder(folder))) {
        throw new ApiError('not_found', `The model repo "${model}" is not in ${this.#location} (as the folder ${folder}), and downloads are off (--no-auto-download).`, {
          param: 'model',
          code: 'model_file_not_found',
        });
      }
    }
    return { source: await this.#insideFolder(model, folder), repo: { name: model } };
  }

  async #isFolder(folder: string): Promise<boolean> {
    return (await stat(path.join(this.#location, folder)).catch(() => undefined))?.isDirectory() === true;
  }

  /** The folder's real path, refusing one whose symlinks lead outside the models folder. */
  async #insideFolder(model: string, folder: string): Promise<string> {
    let real: string;
    let root: string;
    try {
      root = await realpath(this.#location);
      real = await realpath(path.join(this.#location, folder));
    } catch {
      throw new ApiError('not_found', `The model folder "${folder}" (parameters.model) is not in ${this.#location}. Put the repo's files (config.json, the .safetensors weights, the tokenizer) in that folder, or name a Hugging Face repo as owner/repo.`, {
        param: 'model',
        code: 'model_file_not_found',
      });
    }
    if (!real.startsWith(root + path.sep) || !(await stat(real)).isDirectory()) {
      throw new ApiError('invalid_request', `"${model}" does not resolve to a folder inside ${this.#location}.`, { param: 'model', code: 'invalid_model_name' });
    }
    return real;
  }
}
