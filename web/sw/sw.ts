// Hearth's one service worker (/sw.js): precaches the app shell, the wasm and the default model for
// offline use, then runs msw's worker script so the fetch shim answers /v1/* in the same scope.
// Why one worker, and why in this order: web/DESIGN.md.
import { cleanupOutdatedCaches, getCacheKeyForURL, matchPrecache, precache } from 'workbox-precaching';

declare const self: ServiceWorkerGlobalScope & {
  /** Filled in at build time by vite-plugin-pwa (injectManifest) with every precached file. */
  __WB_MANIFEST: Array<string | { url: string; revision: string | null }>;
};

precache(self.__WB_MANIFEST);
cleanupOutdatedCaches();

/** The precache entry for a request: navigations to a folder are its index.html; queries are ignored for pages. */
function precachedUrl(request: Request): string | undefined {
  if (request.method !== 'GET') return undefined;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return undefined;
  if (request.mode === 'navigate') {
    url.search = '';
    if (url.pathname.endsWith('/')) url.pathname += 'index.html';
  }
  return getCacheKeyForURL(url.href) === undefined ? undefined : url.href;
}

// Registered before msw's listener: precached files are answered here and msw never sees them, so
// they work offline and msw does not try to pass them through to the network.
self.addEventListener('fetch', (event) => {
  const url = precachedUrl(event.request);
  if (url === undefined) return;
  event.stopImmediatePropagation();
  event.respondWith(matchPrecache(url).then((cached) => cached ?? fetch(event.request)));
});

// msw unregisters its worker when the last tab closes; that would also drop the offline cache.
Object.defineProperty(self.registration, 'unregister', { value: () => Promise.resolve(false), configurable: true });
importScripts('/mockServiceWorker.js');
