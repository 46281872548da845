// Starts a real sidecar (node-llama-cpp, generated models) on an ephemeral loopback port, with a
// fresh models folder per suite, and an official `openai` client pointed at it.
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import OpenAI from 'openai';
import { startSidecar, type RunningSidecar } from '../../sidecar/start-sidecar.js';
import type { SidecarOptions } from '../../sidecar/cli-options.js';
import { createLlamaCppEngine, type LlamaCppEngine } from '../../sidecar/engine/llama-cpp-engine.js';
import type { EngineEntry } from '../../shared/engine/engine-registry.js';
import { sidecarEngines } from '../../sidecar/sidecar-engines.js';
import type { ConformanceTarget } from '../conformance/conformance-target.js';
import { ensureTestModels } from '../fixtures/test-models.js';

export interface Harness {
  sidecar: RunningSidecar;
  modelsDir: string;
  client: OpenAI;
  baseURL: string;
  log: string[];
  close(): Promise<void>;
}

export interface HarnessOptions {
  /** Extra files to write into the models folder: name -> content. */
  files?: Record<string, string>;
  /** Which generated models to copy in, under which names. Default: tiny-q8_0.gguf as tiny.gguf. */
  models?: Record<string, keyof Awaited<ReturnType<typeof ensureTestModels>>>;
  sidecar?: Partial<SidecarOptions>;
  apiKey?: string;
  /** Wraps each engine the sidecar creates (the real node-llama-cpp one), e.g. to observe it. */
  wrapEngine?: (engine: LlamaCppEngine) => LlamaCppEngine;
  /** Engines registered beside the sidecar's own (a stand-in backend, to show one is chosen by name). */
  extraEngines?: EngineEntry[];
  /** The web app folder served at `/` (startSidecar's override); default: dist/web when built. */
  webAppPath?: string | null;
}

/** A conformance target on a harness's sidecar, over HTTP. */
export function sidecarTarget(harness: Harness, model: string): ConformanceTarget {
  const fetchWithin = (url: string, init?: RequestInit): Promise<Response> => fetch(url, { ...init, signal: AbortSignal.timeout(60_000) });
  return {
    client: harness.client,
    rawFetch: (route, init) => fetchWithin(`${harness.baseURL}${route}`, init),
    rootFetch: (route, init) => fetchWithin(`${harness.sidecar.url}${route}`, init),
    model,
  };
}

export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  const models = await ensureTestModels();
  const modelsDir = mkdtempSync(path.join(tmpdir(), 'hearth-models-'));
  for (const [name, which] of Object.entries(options.models ?? ({ 'tiny.gguf': 'tinyQ8_0' } as const))) {
    copyFileSync(models[which], path.join(modelsDir, name));
  }
  for (const [name, content] of Object.entries(options.files ?? {})) writeFileSync(path.join(modelsDir, name), content);
  const log: string[] = [];
  const { wrapEngine, extraEngines = [] } = options;
  const sidecar = await startSidecar(
    {
      host: '127.0.0.1',
      port: 0,
      modelsPath: modelsDir,
      threads: 1,
      parallel: 4,
      apiKeys: [],
      corsOrigins: [],
      logLevel: 'debug',
      preload: false,
      maxBodyBytes: 1024 * 1024,
      ...options.sidecar,
    },
    {
      log: (level, message) => log.push(`${level} ${message}`),
      ...(options.webAppPath === undefined ? {} : { webAppPath: options.webAppPath }),
      engines: (setup) => [
        ...sidecarEngines(setup).map((entry) => (wrapEngine === undefined ? entry : { ...entry, create: () => wrapEngine(createLlamaCppEngine(setup)) })),
        ...extraEngines,
      ],
    },
  );
  const baseURL = `${sidecar.url}/v1`;
  const client = new OpenAI({ baseURL, apiKey: options.apiKey ?? 'not-needed', maxRetries: 0, timeout: 60_000 });
  return {
    sidecar,
    modelsDir,
    client,
    baseURL,
    log,
    async close() {
      await sidecar.close();
      rmSync(modelsDir, { recursive: true, force: true });
    },
  };
}

export { BAN_HIGH_BYTES } from '../fixtures/byte-ban.js';

/** Raw HTTP for what the SDK hides (status codes, headers, malformed bodies). */
export async function post(baseURL: string, route: string, body: string | object, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${baseURL}${route}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
    signal: AbortSignal.timeout(60_000),
  });
}
