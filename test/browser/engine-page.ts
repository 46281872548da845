// Opens the engine test page (web/test-pages/engine.html) in headless Chromium, served from
// dist/web with COOP/COEP, and calls `window.engineTest` with JSON arguments.
import type { Page } from 'playwright-core';
import type { EngineTestApi } from '../../web/test-pages/engine-page.js';
import { launchChromium, type LaunchedChromium, type LaunchOptions } from './chromium.js';
import { startStaticServer, type StaticServer, type StaticServerOptions } from './static-server.js';

type Method = Exclude<keyof EngineTestApi, 'crossOriginIsolated'>;
type Api = { [K in Method]: EngineTestApi[K] extends (...args: infer A) => infer R ? (...args: A) => Promise<Awaited<R>> : never };

export interface EnginePage {
  readonly page: Page;
  readonly server: StaticServer;
  readonly api: Api;
  crossOriginIsolated(): Promise<boolean>;
  close(): Promise<void>;
}

/** Page-side errors and console output, kept for failure messages. */
export interface OpenOptions extends StaticServerOptions {
  /** URL path -> file served next to the app (e.g. generated models under /models/). */
  files?: Readonly<Record<string, string>>;
  /** How Chromium starts (e.g. through the WebGPU rig). */
  launch?: LaunchOptions;
}

export async function openEnginePage(options: OpenOptions = {}): Promise<EnginePage> {
  const server = await startStaticServer(options);
  for (const [urlPath, file] of Object.entries(options.files ?? {})) server.addFile(urlPath, file);
  let browser: LaunchedChromium | undefined;
  try {
    browser = await launchChromium(options.launch);
    const page = await browser.context.newPage();
    page.on('pageerror', (error) => console.error('[page error]', error.message));
    await page.goto(`${server.url}/test-pages/engine.html`);
    await page.waitForFunction('window.engineTest !== undefined', undefined, { timeout: 15_000 });
    // Arguments go in as JSON text: functions compiled by the test runner may not survive
    // serialization into the page (helpers like __name are not defined there).
    const call = (method: string, args: unknown[]): Promise<unknown> =>
      page.evaluate(`window.engineTest.${method}(...${JSON.stringify(args)})`);
    const api = new Proxy({} as Api, { get: (_, method: string) => (...args: unknown[]) => call(method, args) });
    const opened = browser;
    return {
      page,
      server,
      api,
      crossOriginIsolated: () => page.evaluate('window.engineTest.crossOriginIsolated') as Promise<boolean>,
      async close() {
        await opened.close();
        await server.close();
      },
    };
  } catch (error) {
    await browser?.close();
    await server.close();
    throw error;
  }
}
