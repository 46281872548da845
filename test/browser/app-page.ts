// Opens the built app (web/index.html) in headless Chromium, through a logging proxy that sees every
// request the browser makes, and gives tests the page's Hearth (`window.hearthPage`): scripts run
// with `hearthPage` and a JSON `arg` in scope, and a Node-side `fetch` that is answered by the page.
import type { BrowserContext, Page } from 'playwright-core';
import { launchChromium, type LaunchedChromium, type LaunchOptions } from './chromium.js';
import { withDeadline } from './deadline.js';
import { startLoggingProxy, type LoggingProxy } from './logging-proxy.js';

/**
 * Chromium's own services (component updates, autofill, sign-in, field trials) call Google even
 * headless; they are the browser's traffic, not the page's, and would drown the proxy log.
 */
const QUIET_BROWSER_ARGS: readonly string[] = [
  '--disable-features=AutofillServerCommunication,OptimizationHints,OptimizationGuideModelDownloading,MediaRouter,DialMediaRouteProvider,Translate,CertificateTransparencyComponentUpdater,InterestFeedContentSuggestions',
  '--disable-domain-reliability',
  '--disable-client-side-phishing-detection',
  '--disable-default-apps',
  '--disable-field-trial-config',
  '--disable-breakpad',
  '--no-pings',
  '--no-default-browser-check',
  '--metrics-recording-only',
  '--password-store=basic',
  '--use-mock-keychain',
];

export interface AppPage {
  readonly page: Page;
  readonly context: BrowserContext;
  /** Origin the app was opened from. */
  readonly origin: string;
  readonly proxy: LoggingProxy;
  /** Uncaught page errors, for failure messages. */
  readonly errors: string[];
  /** Runs the body of an async function in the page with `hearthPage` and `arg` in scope. */
  run<T>(body: string, arg?: unknown, timeoutMs?: number): Promise<T>;
  /** Waits until the app says it is ready (or failed, which throws with the page's message). */
  waitReady(timeoutMs?: number): Promise<void>;
  /** A fetch whose requests are made by the page (through the service worker shim), for Node-side SDK clients. */
  pageFetch: typeof fetch;
  close(): Promise<void>;
}

interface PageResponse {
  status: number;
  statusText: string;
  headers: Array<[string, string]>;
  body: string;
}

export async function openApp(origin: string, path = '/', launch: LaunchOptions = {}): Promise<AppPage> {
  const proxy = await startLoggingProxy();
  let browser: LaunchedChromium | undefined;
  try {
    browser = await launchChromium({ ...launch, proxy: proxy.url, extraArgs: [...QUIET_BROWSER_ARGS, ...(launch.extraArgs ?? [])] });
    const { context } = browser;
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(`${origin}${path}`, { timeout: 30_000 });

    // Scripts go in as text: functions compiled by the test runner may reference helpers (__name)
    // that do not exist in the page.
    const run = <T>(body: string, arg?: unknown, timeoutMs = 60_000): Promise<T> =>
      withDeadline(
        page.evaluate(`(async (arg) => { const hearthPage = window.hearthPage; ${body} })(${JSON.stringify(arg ?? null)})`) as Promise<T>,
        timeoutMs,
        `page script: ${body.slice(0, 80)}`,
      );

    const waitReady = async (timeoutMs = 60_000): Promise<void> => {
      await page.waitForFunction('document.documentElement.dataset.ready !== undefined', undefined, { timeout: timeoutMs });
      const state = await page.evaluate('document.documentElement.dataset.ready');
      if (state !== 'true') throw new Error(`the app failed to start: ${await page.textContent('#error')}`);
      await run('await hearthPage.ready;', null, timeoutMs);
    };

    const pageFetch: typeof fetch = async (input, init) => {
      const request = new Request(input, init);
      const body = request.method === 'GET' || request.method === 'HEAD' ? null : await request.text();
      const answer = await run<PageResponse>(
        `const r = await fetch(arg.url, { method: arg.method, headers: arg.headers, body: arg.body });
         return { status: r.status, statusText: r.statusText, headers: [...r.headers], body: await r.text() };`,
        { url: request.url, method: request.method, headers: [...request.headers], body },
      );
      const empty = answer.status === 204 || answer.status === 304;
      return new Response(empty ? null : answer.body, { status: answer.status, statusText: answer.statusText, headers: answer.headers });
    };

    const opened = browser;
    return {
      page,
      context,
      origin,
      proxy,
      errors,
      run,
      waitReady,
      pageFetch,
      async close() {
        await opened.close();
        await proxy.close();
      },
    };
  } catch (error) {
    await browser?.close();
    await proxy.close();
    throw error;
  }
}

/**
 * Opens the side panel (a drawer on phones) and its Advanced settings, so tests can fill sampling
 * fields and logit bias as a user would after opening them.
 */
export async function showAdvanced(page: Page): Promise<void> {
  await page.evaluate(`(() => {
    const side = document.getElementById('side');
    if (getComputedStyle(side).display === 'none') document.getElementById('panel-toggle').click();
    document.getElementById('settings').open = true;
    document.getElementById('advanced').open = true;
  })()`);
}
