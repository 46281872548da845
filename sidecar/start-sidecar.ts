// Composition root of the sidecar: wires the models folder, the node-llama-cpp engine and the
// shared router, and serves them over HTTP. Tests start it on port 0 and call close().
import { existsSync, readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { serve, type ServerType } from '@hono/node-server';
import type { Hono } from 'hono';
import { EngineRegistry, type EngineEntry } from '../shared/engine/engine-registry.js';
import { createApiRouter } from '../shared/http/create-api-router.js';
import type { Logger } from '../shared/base/logger.js';
import { loadCatalog } from '../shared/models/model-catalog.js';
import { ModelManager } from '../shared/models/model-manager.js';
import type { SidecarOptions } from './cli-options.js';
import { createLlamaSetup } from './engine/llama-source.js';
import type { LlamaLoadSetup } from './engine/load-llama-model.js';
import { createLogger } from './logger.js';
import { SIDECAR_REFUSED_BACKENDS, sidecarEngines } from './sidecar-engines.js';
import { RepoFolders } from './repo-folders.js';
import { createSha256 } from './downloads/node-sha256.js';
import type { HubAccess } from '../shared/galleries/hub-access.js';
import { ModelsFolder } from './models-folder.js';
import { loadProgressReporter } from './load-progress-reporter.js';
import { findWebApp, serveWebApp } from './serve-web-app.js';
import { guardHost } from './guard-host.js';
import { withUnbufferedStreams } from './unbuffered-streams.js';
import { createPairingBook } from './pairing/create-pairing-book.js';
import type { PairingBook } from './pairing/pairing-book.js';
import { PAIRING_PATH, pairingRoutes } from './pairing/pairing-routes.js';
import { createModelGalleries } from './create-model-galleries.js';
import { preloadModels, readPreloadModelsConfig } from './preload-models.js';
import type { ModelGalleries } from '../shared/galleries/model-galleries.js';
import { Upstreams } from '../shared/upstreams/upstreams.js';
import { createNodeHttpFetch } from './node-http-fetch.js';
import { errorMessage } from '../shared/base/error-message.js';
import { defined } from '../shared/base/defined.js';
import { shutdownError } from '../shared/http/shutdown.js';
import { requestLogMiddleware } from '../shared/http/request-log.js';

/** The models folder shipped with Hearth (the default model), used when ./models does not exist. */
export const BUNDLED_MODELS_PATH = fileURLToPath(new URL('../../models', import.meta.url));

export interface RunningSidecar {
  url: string;
  port: number;
  app: Hono;
  models: ModelManager;
  galleries: ModelGalleries;
  /** Web origins paired with this server, and requests waiting for approval. */
  pairings: PairingBook;
  /** Resolves when preloaded installs and --preload have finished (at once without them). */
  ready: Promise<void>;
  close(): Promise<void>;
}

/** Hearth's version from its package.json (for GET /version): next to dist/ when built, next to sidecar/ when run from source. */
export const HEARTH_VERSION: string = (() => {
  for (const candidate of ['../../package.json', '../package.json']) {
    try {
      const parsed = JSON.parse(readFileSync(new URL(candidate, import.meta.url), 'utf8')) as { name?: unknown; version?: unknown };
      if (parsed.name === 'hearth' && typeof parsed.version === 'string') return parsed.version;
    } catch {
      // not there: try the next
    }
  }
  return 'unknown';
})();

/** How long open streams get to write their last event after shutdown begins, before connections are cut. */
const SHUTDOWN_GRACE_MS = 2000;

export function chooseModelsPath(option: string | undefined, cwd = process.cwd()): string {
  if (option !== undefined) return path.resolve(cwd, option);
  const local = path.resolve(cwd, 'models');
  return existsSync(local) ? local : BUNDLED_MODELS_PATH;
}

export async function startSidecar(
  options: SidecarOptions,
  overrides: {
    /** The engines to serve with, given this sidecar's llama.cpp setup; defaults to sidecarEngines (tests add or wrap engines). */
    engines?: (llamaSetup: LlamaLoadSetup) => readonly EngineEntry[];
    log?: Logger;
    fetch?: typeof fetch;
    /** The built web app served at `/`; null serves none. Defaults to dist/web when it has been built. */
    webAppPath?: string | null;
  } = {},
): Promise<RunningSidecar> {
  const log = overrides.log ?? createLogger(options.logLevel);
  const store = new ModelsFolder(chooseModelsPath(options.modelsPath));
  const llamaSetup = createLlamaSetup(options, log);
  let repoHub: HubAccess | undefined;
  const models = new ModelManager(
    store,
    new EngineRegistry('sidecar', (overrides.engines ?? sidecarEngines)(llamaSetup), SIDECAR_REFUSED_BACKENDS),
    {
      ...defined({
        contextSize: options.contextSize,
        threads: options.threads,
        queue: options.queue,
        queueTimeoutMs: options.queueTimeoutMs,
        maxLoadedModels: options.maxLoadedModels,
        idleUnloadMs: options.idleUnloadMs,
      }),
      parallel: options.parallel,
    },
    loadProgressReporter(log),
    // The hub is wired below (the galleries need `models` first); repos are only fetched on a load.
    new RepoFolders(store.location, () => repoHub, createSha256),
  );
  const preloadRequests = [
    ...(options.preloadModels ?? []),
    ...(options.preloadModelsConfig === undefined ? [] : await readPreloadModelsConfig(options.preloadModelsConfig)),
  ];
  const { galleries, autoInstaller, hub } = createModelGalleries(options, store, log, {
    onModelChanged: (name) => models.unload(name),
    operatorUrls: preloadRequests.flatMap((request) => [request.url, request.configUrl, ...request.files.map((file) => file.uri)].filter((url) => url !== undefined)),
    ...defined({ fetch: overrides.fetch }),
  });
  repoHub = hub;
  let ready = !options.preload && preloadRequests.length === 0;
  const { book: pairings } = createPairingBook(options.statePath);
  const shutdown = new AbortController();
  // Remote models' upstreams: keys may name environment variables, read here and sent only to their upstream.
  const upstreamHttp = createNodeHttpFetch();
  const upstreams = new Upstreams({ fetch: overrides.fetch ?? upstreamHttp.fetch, log, readEnv: (name) => process.env[name] });
  const app = createApiRouter(
    {
      store,
      models,
      owner: 'sidecar',
      version: HEARTH_VERSION,
      log,
      now: () => Math.floor(Date.now() / 1000),
      galleries,
      upstreams,
      ...defined({ autoInstaller }),
    },
    {
      apiKeys: options.apiKeys,
      corsOrigins: options.corsOrigins,
      maxBodyBytes: options.maxBodyBytes,
      isReady: () => ready,
      pairedOrigins: pairings,
      middleware: [requestLogMiddleware(log, shutdown.signal)],
    },
  );

  const webApp = overrides.webAppPath === undefined ? findWebApp() : (overrides.webAppPath ?? undefined);
  const pairingApp = pairingRoutes({ book: pairings, apiKeys: options.apiKeys, log });
  const withWebApp = webApp === undefined ? app.fetch : serveWebApp(webApp, app.fetch);
  const served = (request: Request): Response | Promise<Response> => (PAIRING_PATH.test(new URL(request.url).pathname) ? pairingApp.fetch(request) : withWebApp(request));
  // First of all, for every path: a request for a host name we do not answer to is DNS rebinding.
  const fetchHandler = withUnbufferedStreams(guardHost({ boundHost: options.host, allowedHosts: options.allowedHosts ?? [] }, log, served));
  const server: ServerType = await new Promise((resolve, reject) => {
    const s = serve({ fetch: fetchHandler, hostname: options.host, port: options.port }, () => resolve(s));
    s.once('error', reject);
  });
  const port = (server.address() as AddressInfo).port;
  const shownHost = options.host.includes(':') ? `[${options.host}]` : options.host;
  const url = `http://${shownHost}:${port}`;
  log('info', `Hearth is listening on ${url} with models from ${store.location}`);
  if (webApp !== undefined) log('info', `The browser app is at ${url}/`);
  if (options.apiKeys.length > 0) log('info', 'API keys are required on /v1 requests');
  await reportModelsFolder(store, options.modelsPath !== undefined, log);

  // Installs first, so --preload also loads the models PRELOAD_MODELS just installed.
  const preloading = (async () => {
    try {
      if (preloadRequests.length > 0) await preloadModels(galleries, preloadRequests, log);
      if (options.preload) await preloadAll(store, models, log);
    } finally {
      ready = true;
    }
  })();
  return {
    url,
    port,
    app,
    models,
    galleries,
    pairings,
    ready: preloading,
    async close() {
      const http = server as { closeAllConnections?: () => void; closeIdleConnections?: () => void };
      log('info', 'Hearth is shutting down: requests in flight are told so and stopped');
      await new Promise<void>((resolve) => {
        // Stop accepting; a connection whose response is done closes as it goes idle.
        server.close(() => resolve());
        // Requests in flight stop; their streams write an error event and their end marker.
        shutdown.abort(shutdownError());
        const idle = setInterval(() => http.closeIdleConnections?.(), 50);
        // Streams still open after the grace time (a client not reading) are cut.
        const cut = setTimeout(() => http.closeAllConnections?.(), SHUTDOWN_GRACE_MS);
        server.once('close', () => {
          clearInterval(idle);
          clearTimeout(cut);
        });
      });
      upstreams.dispose();
      upstreamHttp.close();
      await models.dispose();
    },
  };
}

/**
 * Says at start what would otherwise surface only as "model does not exist" later: a --models-path
 * that is not there (installs create it), and configs that cannot be used or hold unknown keys.
 */
async function reportModelsFolder(store: ModelsFolder, chosen: boolean, log: Logger): Promise<void> {
  if (chosen && !existsSync(store.location)) {
    log('warn', `The models folder ${store.location} does not exist: no models are served until it does (installs create it). Check --models-path (MODELS_PATH).`);
    return;
  }
  const catalog = await loadCatalog(store).catch((error: unknown) => {
    log('warn', `could not read the models folder: ${errorMessage(error)}`);
    return undefined;
  });
  if (catalog === undefined) return;
  for (const problem of catalog.problems) log('warn', `model config skipped: ${problem.message}`);
  for (const warning of catalog.warnings) log('warn', warning.message);
  if (catalog.problems.length + catalog.warnings.length > 0) log('warn', `Run "hearth models check --models-path ${store.location}" to list every problem with its line.`);
}

async function preloadAll(store: ModelsFolder, models: ModelManager, log: Logger): Promise<void> {
  const catalog = await loadCatalog(store);
  for (const entry of catalog.entries) {
    // A remote model has nothing to load here.
    if (entry.config.remote !== undefined) continue;
    try {
      await models.engineFor(entry.config);
    } catch (error) {
      log('error', `could not preload ${entry.name}: ${errorMessage(error)}`);
    }
  }
}
