// Headers for serving the built web app. The sidecar and the browser tests' static server both use
// these, so the tests serve the app exactly as users get it.

/** Cross-origin isolation, so `crossOriginIsolated` is true in the page (multi-threaded WASM needs it). */
export const ISOLATION_HEADERS: Readonly<Record<string, string>> = {
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-embedder-policy': 'require-corp',
  'cross-origin-resource-policy': 'same-origin',
};

/** Hashed assets never change; pages and the service worker must be revalidated. */
export function cacheControlFor(pathname: string): string {
  return pathname.startsWith('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache';
}
