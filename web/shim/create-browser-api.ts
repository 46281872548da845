// The shared router wired to browser I/O: models from browser storage, engines in workers. This is
// the browser's counterpart of sidecar/start-sidecar.ts; routes are identical by construction.
import type { Logger } from '../../shared/base/logger.js';
import type { AutoInstaller } from '../../shared/galleries/auto-installer.js';
import type { ModelGalleries } from '../../shared/galleries/model-galleries.js';
import { EngineRegistry, type EngineEntry } from '../../shared/engine/engine-registry.js';
import { ModelManager, type LoadReporter } from '../../shared/models/model-manager.js';
import type { ModelStore } from '../../shared/models/model-store.js';
import type { ModelRepos } from '../../shared/models/model-repos.js';
import type { RequestHandler } from './request-handler.js';
import { defined } from '../../shared/base/defined.js';
import { Upstreams } from '../../shared/upstreams/upstreams.js';
import { upstreamFetch } from './upstream-fetch.js';

export interface BrowserApiDeps {
  store: ModelStore;
  engines: readonly EngineEntry[];
  reporter?: LoadReporter;
  log?: Logger;
  /** Where models that are a folder of files (autogptq) live; without it their configs cannot load. */
  repos?: ModelRepos;
  /** Serves /models/* (galleries, installs, jobs). Defaults to none: those routes answer 404. */
  galleries?: (models: ModelManager) => { galleries: ModelGalleries; autoInstaller?: AutoInstaller };
}

export interface BrowserApi {
  models: ModelManager;
  galleries: ModelGalleries | undefined;
  handle: RequestHandler;
}

/** Same default as the sidecar; page code rarely sends more than a long chat. */
const MAX_BODY_BYTES = 10 * 1024 * 1024;

export function consoleLogger(level: Parameters<Logger>[0], message: string): void {
  if (level === 'error') console.error(`[hearth] ${message}`);
  else if (level === 'warn') console.warn(`[hearth] ${message}`);
}

export function createBrowserApi(deps: BrowserApiDeps): BrowserApi {
  const models = new ModelManager(deps.store, new EngineRegistry('browser tab', deps.engines), {}, deps.reporter ?? {}, deps.repos);
  const installs = deps.galleries?.(models);
  const log = deps.log ?? consoleLogger;
  // The router and its routes load as their own chunk, fetched at once but not before the page can
  // show itself (the tab's initial-JS budget, test/browser/initial-js-size.test.ts); the first
  // request waits for it, as the openai SDK's first use waits for its chunk.
  const router = import('../../shared/http/create-api-router.js').then(({ createApiRouter }) =>
    createApiRouter(
    {
      // Remote models (backend: openai) are fetched from the page, so their upstreams must allow its origin (CORS).
      upstreams: new Upstreams({ fetch: upstreamFetch, log }),
      store: deps.store,
      models,
      owner: 'browser',
      version: typeof __HEARTH_VERSION__ === 'string' ? __HEARTH_VERSION__ : 'unknown',
      log,
      now: () => Math.floor(Date.now() / 1000),
      ...defined({ galleries: installs?.galleries, autoInstaller: installs?.autoInstaller }),
    },
    // Only the page itself calls the shim: no API keys, no other origins.
    { apiKeys: [], corsOrigins: [], maxBodyBytes: MAX_BODY_BYTES, isReady: () => true },
    ),
  );
  return { models, galleries: installs?.galleries, handle: async (request) => (await router).fetch(request) };
}
