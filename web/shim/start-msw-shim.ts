// msw answers /v1/* and the gallery routes on the page's own origin with the in-tab API, so
// unmodified SDK code pointed at `location.origin + '/v1'` works. msw runs inside Hearth's one
// service worker (/sw.js, which also precaches the app for offline use); see web/DESIGN.md for why
// it is one worker. msw (about 100 KiB gzipped with its cookie store) is imported only here, when
// the shim starts, so it never delays the page or the first chat, which use hearthFetch.
import { apiPathPatterns } from './api-paths.js';
import type { RequestHandler } from './request-handler.js';

export const SERVICE_WORKER_URL = '/sw.js';

/** Resolves once the service worker is active and intercepting this page's requests. */
export async function startMswShim(handle: () => Promise<RequestHandler>): Promise<void> {
  const [{ http }, { setupWorker }] = await Promise.all([import('msw'), import('msw/browser')]);
  const answer = async ({ request }: { request: Request }): Promise<Response> => (await handle())(request);
  const worker = setupWorker(...apiPathPatterns().map((pattern) => http.all(pattern, answer)));
  await worker.start({
    serviceWorker: { url: SERVICE_WORKER_URL },
    // Everything else the page loads (assets, models) must reach the network or the precache untouched.
    onUnhandledRequest: 'bypass',
    quiet: true,
  });
}
