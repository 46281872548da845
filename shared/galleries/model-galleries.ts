// Everything behind /models/*: the configured galleries, installs and their jobs. Built by the
// composition root with its own I/O; the routes, the CLI and preloading all go through it.
import type { Logger } from '../base/logger.js';
import type { HashFactory, ModelFileWriter } from '../downloads/download-io.js';
import { loadCatalog } from '../models/model-catalog.js';
import type { ModelStore } from '../models/model-store.js';
import { GalleryIndexes } from './gallery-indexes.js';
import type { ApplyRequest, GalleryEntry, GalleryRef } from './gallery-types.js';
import type { HubAccess } from './hub-access.js';
import { JobTracker } from './job-tracker.js';
import { ModelInstaller, type StartedInstall } from './model-installer.js';
import { prepareInstall } from './prepare-install.js';
import { planFromHuggingFaceName, planFromModelUrl, type InstallPlan } from './install-plan.js';
import { defined } from '../base/defined.js';

export interface ModelGalleriesOptions {
  galleries: readonly GalleryRef[];
  hub: HubAccess;
  store: ModelStore;
  files: ModelFileWriter;
  createHash: HashFactory;
  log: Logger;
  /** Milliseconds since the epoch (index cache). */
  now: () => number;
  /** Called after a model is installed or removed, for its name and each of its files (engines using them are unloaded). */
  onModelChanged?: (name: string) => Promise<void>;
  downloadRetries?: number;
  sleep?: (milliseconds: number) => Promise<void>;
}

/** A gallery entry as GET /models/available lists it (LocalAI's fields, plus `id`). */
export interface AvailableModel {
  id: string;
  name: string;
  gallery: GalleryRef;
  description?: string;
  license?: string;
  url?: string;
  urls: string[];
  tags: string[];
  icon?: string;
  installed: boolean;
}

function available(gallery: GalleryRef, entry: GalleryEntry, installed: boolean): AvailableModel {
  return {
    id: `${gallery.name}@${entry.name}`,
    name: entry.name,
    gallery,
    ...defined({ description: entry.description, license: entry.license, url: entry.url }),
    urls: entry.urls,
    tags: entry.tags,
    ...defined({ icon: entry.icon }),
    installed,
  };
}

export class ModelGalleries {
  readonly indexes: GalleryIndexes;
  readonly jobs = new JobTracker();
  readonly installer: ModelInstaller;

  readonly #options: ModelGalleriesOptions;

  constructor(options: ModelGalleriesOptions) {
    this.#options = options;
    this.indexes = new GalleryIndexes(options.galleries, options.hub, options.now);
    this.installer = new ModelInstaller({ ...options, jobs: this.jobs });
  }

  get galleries(): readonly GalleryRef[] {
    return this.#options.galleries;
  }

  get hub(): HubAccess {
    return this.#options.hub;
  }

  /** Entries of every gallery; `installed` when a config of that name is in the store. */
  async available(): Promise<AvailableModel[]> {
    const [loaded, catalog] = await Promise.all([this.indexes.loadAll(), loadCatalog(this.#options.store)]);
    const installed = new Set(catalog.entries.filter((entry) => !entry.loose).map((entry) => entry.name));
    for (const problem of loaded.flatMap((l) => l.problems)) this.#options.log('warn', problem);
    return loaded.flatMap(({ gallery, entries }) => entries.map((entry) => available(gallery, entry, installed.has(entry.name))));
  }

  /** What installing `id` would download (fetches only the small definition files), e.g. to size it first. */
  async plan(id: string): Promise<InstallPlan> {
    return prepareInstall({ id, overrides: {}, files: [] }, this.#options.hub, this.indexes);
  }

  /** Checks the request and fetches what it names (400/404 here), then starts the download job. */
  async apply(request: ApplyRequest): Promise<StartedInstall> {
    return this.#startChecked(await prepareInstall(request, this.#options.hub, this.indexes));
  }

  async #startChecked(plan: InstallPlan): Promise<StartedInstall> {
    if (!this.installer.isInstalling(plan.stem)) await this.installer.preflight(plan);
    return this.installer.start(plan);
  }

  /**
   * What `hearth models install` takes: `owner/repo/file` (the hub), a URL (a .yaml model
   * definition, or else a model file), or a gallery id (`gallery@name`, or a name in one gallery).
   */
  async installTarget(target: string): Promise<StartedInstall> {
    const { hfEndpoint } = this.#options.hub;
    const hubPlan = /^[a-z][a-z0-9+.-]*:/i.test(target) ? undefined : planFromHuggingFaceName(target, hfEndpoint);
    if (hubPlan) return this.#startChecked(hubPlan);
    if (/^[a-z][a-z0-9+.-]*:/i.test(target)) {
      if (/\.ya?ml(@[^/]*)?$/i.test(target)) return this.apply({ url: target, overrides: {}, files: [] });
      return this.#startChecked(planFromModelUrl(target, hfEndpoint));
    }
    return this.apply({ id: target, overrides: {}, files: [] });
  }

  /** Removes an installed model; answers with a finished deletion job, as LocalAI's API does. */
  async remove(name: string): Promise<{ job: StartedInstall['job']; removed: string[] }> {
    const removed = await this.installer.remove(name);
    const job = this.jobs.create(name, name, true);
    job.succeed('deleted');
    return { job, removed };
  }
}
