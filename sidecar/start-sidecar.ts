// Composition root of the sidecar: wires the models folder, the node-llama-cpp engine and the
// shared router, and serves them over HTTP. Tests start it on port 0 and call close().
import { existsSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { serve, type ServerType } from '@hono/node-server';
import type { Hono } from 'hono';
import type { EngineFactory } from '../shared/engine/engine.js';
import { createApiRouter } from '../shared/api/create-api-router.js';
import type { Logger } from '../shared/api/api-context.js';
import { loadCatalog } from '../shared/models/model-catalog.js';
import { ModelManager } from '../shared/models/model-manager.js';
import type { SidecarOptions } from './cli-options.js';
import { createLlamaCppEngine } from './engine/llama-cpp-engine.js';
import { createLogger } from './logger.js';
import { ModelsFolder } from './models-folder.js';
import { loadProgressReporter } from './load-progress-reporter.js';

/** The models folder shipped with Hearth (the default model), used when ./models does not exist. */
export const BUNDLED_MODELS_PATH = fileURLToPath(new URL('../../models', import.meta.url));

export interface RunningSidecar {
  url: string;
  port: number;
  app: Hono;
  models: ModelManager;
  /** Resolves when --preload has finished (at once without it). */
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
  overrides: { createEngine?: EngineFactory; log?: Logger } = {},
): Promise<RunningSidecar> {
  const log = overrides.log ?? createLogger(options.logLevel);
  const store = new ModelsFolder(chooseModelsPath(options.modelsPath));
  const models = new ModelManager(
    store,
    overrides.createEngine ?? createLlamaCppEngine,
    {
      ...(options.contextSize === undefined ? {} : { contextSize: options.contextSize }),
      ...(options.threads === undefined ? {} : { threads: options.threads }),
      parallel: options.parallel,
    },
    loadProgressReporter(log),
  );
  let ready = !options.preload;
  const app = createApiRouter(
    { store, models, owner: 'sidecar', log, now: () => Math.floor(Date.now() / 1000) },
    { apiKeys: options.apiKeys, corsOrigins: options.corsOrigins, maxBodyBytes: options.maxBodyBytes, isReady: () => ready },
  );

  const server: ServerType = await new Promise((resolve, reject) => {
    const s = serve({ fetch: app.fetch, hostname: options.host, port: options.port }, () => resolve(s));
    s.once('error', reject);
  });
  const port = (server.address() as AddressInfo).port;
  const shownHost = options.host.includes(':') ? `[${options.host}]` : options.host;
  const url = `http://${shownHost}:${port}`;
  log('info', `Hearth is listening on ${url} with models from ${store.location}`);
  if (options.apiKeys.length > 0) log('info', 'API keys are required on /v1 requests');

  const preloading = options.preload ? preloadAll(store, models, log).finally(() => (ready = true)) : Promise.resolve();
  return {
    url,
    port,
    app,
    models,
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
      log('error', `could not preload ${entry.name}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
}
