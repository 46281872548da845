// The setup most browser suites share: dist/web on a static test server, the app open in Chromium
// and ready, closed after the suite; plus the official `openai` client whose requests the page makes.
import OpenAI from 'openai';
import { afterAll, beforeAll } from 'vitest';
import type { ConformanceTarget } from '../conformance/conformance-target.js';
import { openApp, type AppPage } from './app-page.js';
import { startStaticServer, type StaticServer } from './static-server.js';

export interface ServedApp {
  readonly server: StaticServer;
  readonly app: AppPage;
}

/**
 * Registers beforeAll/afterAll for the suite: serves the app, opens it, waits until it is ready,
 * then runs `prepare` (to add models, for instance). The returned object is usable inside tests.
 */
export function useServedApp(prepare?: (served: ServedApp) => Promise<void>): ServedApp {
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
    app = await openApp(server.url);
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
