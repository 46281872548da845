// The page's Hearth: one in-tab API per page, started on first use. `hearthFetch` is the explicit,
// service-worker-free entry; `startHearth({ serviceWorker: true })` also makes plain `fetch('/v1/…')`
// (and so `new OpenAI({ baseURL: location.origin + '/v1' })`) reach it through msw.
import { loadCatalog, servedNames } from '../../shared/models/model-catalog.js';
import { resolveModel } from '../../shared/models/resolve-model.js';
import type { LoadReporter, ModelManager } from '../../shared/models/model-manager.js';
import type { ModelGalleries } from '../../shared/galleries/model-galleries.js';
import { browserEngines } from '../engine/browser-engines.js';
import { BrowserModelStore } from '../models/browser-model-store.js';
import { BUNDLED_FILES } from '../models/bundled-models.js';
import { ModelLibrary } from '../models/model-library.js';
import { OpfsModelFiles } from '../models/opfs-model-files.js';
import { readStorageQuota } from '../models/storage-quota.js';
import type { GalleryRef } from '../../shared/galleries/gallery-types.js';
import { DEFAULT_HUB_URL } from '../models/hub-url.js';
import { consoleLogger, createBrowserApi } from './create-browser-api.js';
import { createBrowserGalleries } from './create-browser-galleries.js';
import { browserHubFetch } from '../models/browser-hub-fetch.js';
import { createSha256 } from '../../shared/hash/sha256.js';
import type { EngineShare } from './engine-share/share-engine.js';
import { handlerFetch } from './handler-fetch.js';
import type { RequestHandler } from './request-handler.js';
import { routeToSidecar, type SidecarRouting } from './route-to-sidecar.js';
import { SidecarLink } from './sidecar-link.js';
import { startMswShim } from './start-msw-shim.js';

export interface HearthOptions {
  /** Also answer plain fetch('/v1/…') on this origin through the service worker. Defaults to `true`. */
  serviceWorker?: boolean;
  /** A sidecar to use besides the page's own origin (which is tried too). Defaults to none. */
  sidecarUrl?: string;
  /** Told about model loads, for progress in the UI. */
  reporter?: LoadReporter;
  /** Model galleries served at /models/available and installable with /models/apply. Defaults to none. */
  galleries?: readonly GalleryRef[];
  /** Base URL of the Hugging Face hub (or a mirror), read at each use. Defaults to `https://huggingface.co`. */
  hubUrl?: () => string;
}

export interface Hearth {
  handle: RequestHandler;
  models: ModelManager;
  store: BrowserModelStore;
  library: ModelLibrary;
  /** Galleries, installs and their jobs (also served at /models/*). */
  galleries: ModelGalleries;
  /** Present when a sidecar answered; its models are listed and forwarded. */
  sidecar: (SidecarRouting & { url: string }) | undefined;
  /**
   * Writes a LocalAI YAML model config (e.g. a remote model, `backend: openai`) into the tab's models,
   * after checking it; answers the model names it defines. Throws with the config's problems.
   */
  saveModelConfig(fileName: string, yaml: string): Promise<string[]>;
  /** This tab's part in sharing one engine among the app's tabs (host, or follower of the host tab). */
  share: EngineShare;
  /** Resolves when plain fetch('/v1/…') is answered too (the service worker is active); rejects if it cannot be. */
  serviceWorkerReady: Promise<void>;
}

let started: Promise<Hearth> | undefined;

/** Starts the in-tab API once; later calls return the same instance (their options are ignored). */
export function startHearth(options: HearthOptions = {}): Promise<Hearth> {
  started ??= createHearth(options);
  return started;
}

/** `fetch`, but /v1/* on this origin is answered by the in-tab API (no service worker needed). */
export const hearthFetch: typeof fetch = handlerFetch(async () => (await startHearth()).handle);

async function createHearth(options: HearthOptions): Promise<Hearth> {
  const files = new OpfsModelFiles();
  const store = new BrowserModelStore(files, BUNDLED_FILES);
  const hubUrl = options.hubUrl ?? (() => DEFAULT_HUB_URL);
  let repos: Promise<import('../models/browser-repos.js').BrowserRepos> | undefined;
  // autogptq repos: fetched from the hub into browser storage on first load (loaded when used).
  const browserRepos = (): Promise<import('../models/browser-repos.js').BrowserRepos> => {
    repos ??= import('../models/browser-repos.js').then(
      ({ BrowserRepos }) =>
        new BrowserRepos({
          store,
          // A getter: a hub URL changed in the Models panel applies to the next download.
          hub: { fetch: browserHubFetch(), get hfEndpoint() { return hubUrl(); } },
          createHash: createSha256,
          // A config names its repo in parameters.model: the manager knows the repo as the model's file.
          models: { isLoading: (name) => api.models.isLoading(name), unload: (name) => api.models.unload(name) },
        }),
    );
    return repos;
  };
  const api = createBrowserApi({
    store,
    engines: browserEngines(),
    repos: { prepare: async (model, prepareOptions) => (await browserRepos()).prepare(model, prepareOptions) },
    ...(options.reporter ? { reporter: options.reporter } : {}),
    galleries: (models) =>
      createBrowserGalleries({
        galleries: options.galleries ?? [],
        hubUrl,
        store,
        log: consoleLogger,
        // A reinstall may change the config or weights behind a loaded name.
        onModelChanged: (name) => models.unload(name),
      }),
  });
  const library = new ModelLibrary({
    store,
    files,
    readRoom: readStorageQuota,
    fetch: fetch.bind(globalThis),
    partials: () => import('../models/opfs-model-file-writer.js').then(({ OpfsModelFileWriter }) => new OpfsModelFileWriter()),
    // A loose model is named by its file; the engine loaded from a deleted file must go with it.
    onRemoved: (name) => api.models.unload(name),
    removeRepo: async (name) => (await browserRepos()).remove(name),
  });
  const browserNames = async (): Promise<string[]> => servedNames(await loadCatalog(store));
  // One engine per browser: the host tab answers for every tab of the origin. Loaded here, off the
  // initial JS (it has a size budget); nothing is answered before this anyway.
  const { shareEngine } = await import('./engine-share/share-engine.js');
  const share = shareEngine({
    local: api.handle,
    describeLocal: async (model) => {
      const entry = resolveModel(await loadCatalog(store), { requested: model }, store.location);
      return api.models.isLoaded(entry.name) ? (await api.models.engineFor(entry.config)).describe() : undefined;
    },
  });
  const link = await findSidecar(options.sidecarUrl);
  const routing = link === undefined ? undefined : routeToSidecar(share.handle, browserNames, link);
  const handle = routing?.handle ?? share.handle;
  // hearthFetch works at once; the service worker (first visit: precaching the app) comes after.
  const serviceWorkerReady =
    options.serviceWorker === false
      ? Promise.resolve()
      : 'serviceWorker' in navigator
        ? startMswShim(async () => handle)
        : Promise.reject(new Error('This browser has no service workers here (they need https or localhost): use hearthFetch.'));
  serviceWorkerReady.catch(() => undefined);
  if (api.galleries === undefined) throw new Error('the browser API was built without galleries');
  return {
    handle,
    share,
    models: api.models,
    store,
    library,
    galleries: api.galleries,
    sidecar: routing && link ? { ...routing, url: link.baseUrl } : undefined,
    // Loaded when used: most pages never write a config (the first load stays small).
    saveModelConfig: async (fileName, yaml) => (await import('./save-model-config.js')).saveModelConfig(files, fileName, yaml),
    serviceWorkerReady,
  };
}

/** The configured sidecar first, then the page's own origin (the sidecar serves the app too). */
async function findSidecar(configured: string | undefined): Promise<SidecarLink | undefined> {
  const candidates = [configured, location.origin].filter((url): url is string => url !== undefined && url !== '');
  for (const url of candidates) {
    const link = await SidecarLink.connect(url);
    if (link !== undefined) return link;
  }
  return undefined;
}
