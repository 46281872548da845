// Composition root of the sidecar: wires the models folder, the node-llama-cpp engine and the
// shared router, and serves them over HTTP. Tests start it on port 0 and call close().
import { existsSync } from 'node:fs';
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
import { ModelsFolder } from './models-folder.js';
import { loadProgressReporter } from './load-progress-reporter.js';
import { findWebApp, serveWebApp } from './serve-web-app.js';
import { createModelGalleries } from './create-model-galleries.js';
import { preloadModels, readPreloadModelsConfig } from './preload-models.js';
import type { ModelGalleries } from '../shared/galleries/model-galleries.js';
import { errorMessage } from '../shared/base/error-message.js';
import { defined } from '../shared/base/defined.js';

/** The models folder shipped with Hearth (the default model), used when ./models does not exist. */
export const BUNDLED_MODELS_PATH = fileURLToPath(new URL('../../models', import.meta.url));

export interface RunningSidecar {
  url: string;
  port: number;
  app: Hono;
  models: ModelManager;
  galleries: ModelGalleries;
  /** Resolves when preloaded installs and --preload have finished (at once without them). */
  ready: Promise<void>;
  close(): Promise<void>;
}

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
  );
  const { galleries, autoInstaller } = createModelGalleries(options, store, log, {
    onModelChanged: (name) => models.unload(name),
    ...defined({ fetch: overrides.fetch }),
  });
  const preloadRequests = [
    ...(options.preloadModels ?? []),
    ...(options.preloadModelsConfig === undefined ? [] : await readPreloadModelsConfig(options.preloadModelsConfig)),
  ];
  let ready = !options.preload && preloadRequests.length === 0;
  const app = createApiRouter(
    {
      store,
      models,
      owner: 'sidecar',
      log,
      now: () => Math.floor(Date.now() / 1000),
      galleries,
      ...defined({ autoInstaller }),
    },
    { apiKeys: options.apiKeys, corsOrigins: options.corsOrigins, maxBodyBytes: options.maxBodyBytes, isReady: () => ready },
  );

  const webApp = overrides.webAppPath === undefined ? findWebApp() : (overrides.webAppPath ?? undefined);
  const fetchHandler = webApp === undefined ? app.fetch : serveWebApp(webApp, app.fetch);
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
    ready: preloading,
    async close() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        // Streams still open would keep close() waiting; they are ours to end.
        (server as { closeAllConnections?: () => void }).closeAllConnections?.();
      });
      await models.dispose();
    },
  };
}

async function preloadAll(store: ModelsFolder, models: ModelManager, log: Logger): Promise<void> {
  const catalog = await loadCatalog(store);
  for (const entry of catalog.entries) {
    try {
      await models.engineFor(entry.config);
    } catch (error) {
      log('error', `could not preload ${entry.name}: ${errorMessage(error)}`);
    }
  }
}
