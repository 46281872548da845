// The setup most browser suites share: dist/web on a static test server, the app open in Chromium
// and ready, closed after the suite; plus the official `openai` client whose requests the page makes.
import path from 'node:path';
import OpenAI from 'openai';
import { afterAll, beforeAll } from 'vitest';
import type { ConformanceTarget } from '../conformance/conformance-target.js';
import { tinySpec } from '../fixtures/gguf/llama-model-spec.js';
import { writeRandomLlama } from '../fixtures/gguf/write-random-llama.js';
import { TOOLS_MODEL_YAML } from '../fixtures/tools-model.js';
import { openApp, type AppPage } from './app-page.js';
import type { LaunchOptions } from './chromium.js';
import { startStaticServer, type StaticServer } from './static-server.js';

export interface ServedApp {
  readonly server: StaticServer;
  readonly app: AppPage;
}

/**
 * Registers beforeAll/afterAll for the suite: serves the app, opens it, waits until it is ready,
 * then runs `prepare` (to add models, for instance). The returned object is usable inside tests.
 */
export function useServedApp(prepare?: (served: ServedApp) => Promise<void>, launch?: LaunchOptions): ServedApp {
  let server: StaticServer | undefined;
  let app: AppPage | undefined;
  const served: ServedApp = {
    get server() {
      if (server === undefined) throw new Error('the test server starts in beforeAll');
      return server;
    },
    get app() {
      if (app === undefined) throw new Error('the app opens in beforeAll');
      return app;
    },
  };
  beforeAll(async () => {
    server = await startStaticServer();
    app = await openApp(server.url, '/', launch);
    await app.waitReady();
    await prepare?.(served);
  });
  afterAll(async () => {
    await app?.close();
    await server?.close();
  });
  return served;
}

/** Adds the file served at `urlPath` to the page's models by URL, as a user would. */
export async function addModelByUrl({ app }: ServedApp, urlPath: string): Promise<void> {
  await app.run(`await hearthPage.hearth.library.addFromUrl(location.origin + ${JSON.stringify(urlPath)});`);
}

/** The official `openai` client, in Node, whose fetches the page performs (answered by the shim). */
export function shimClient({ server, app }: ServedApp, timeoutMs = 60_000): OpenAI {
  return new OpenAI({ baseURL: `${server.url}/v1`, apiKey: 'local', fetch: app.pageFetch, maxRetries: 0, timeout: timeoutMs });
}

/** A conformance target on the in-browser shim. */
export function shimTarget(served: ServedApp, client: OpenAI, model: string): ConformanceTarget {
  return {
    client,
    rawFetch: (route, init) => served.app.pageFetch(`${served.server.url}/v1${route}`, init),
    rootFetch: (route, init) => served.app.pageFetch(`${served.server.url}${route}`, init),
    model,
  };
}

/**
 * The tiny model with a 2048-token training context (llama-server inside wllama caps a slot's
 * context at it), added by URL, and a LocalAI YAML config for it written next to it in browser
 * storage, as the app stores files. The tool instructions alone are ~450 tokens: tools need room.
 */
export async function addToolsModel(served: ServedApp, scratchFolder: string, yaml: string = TOOLS_MODEL_YAML): Promise<void> {
  const modelPath = path.join(scratchFolder, 'tiny-2k.gguf');
  await writeRandomLlama(modelPath, { ...tinySpec('Q8_0'), contextLength: 2048 });
  served.server.addFile('/fixtures/tiny.gguf', modelPath);
  await addModelByUrl(served, '/fixtures/tiny.gguf');
  await served.app.run(
    `const root = await navigator.storage.getDirectory();
     const folder = await root.getDirectoryHandle("models", { create: true });
     const handle = await folder.getFileHandle('tiny-tools.yaml', { create: true });
     const writable = await handle.createWritable();
     await writable.write(arg.yaml);
     await writable.close();`,
    { yaml },
  );
}
