// `fetch` for a remote model's upstreams, from the page. An upstream on the page's own origin (the
// sidecar that serves this app) is asked with msw's bypass marker, or the page's service worker
// would answer the request with the in-tab API and loop back here (as sidecar-link.ts does).
export const upstreamFetch: typeof fetch = async (input, init) => {
  const request = new Request(input, init);
  if (typeof location === 'undefined' || new URL(request.url).origin !== location.origin) return fetch(request);
  const { bypass } = await import('msw');
  return fetch(bypass(request));
};
