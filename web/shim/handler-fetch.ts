// A fetch-compatible function over a RequestHandler: page code can pass it as `fetch` to the OpenAI
// SDK and reach the in-tab API without a service worker. Requests that are not for the API (other
// origins, other paths) go to the real fetch unchanged.
import type { RequestHandler } from './request-handler.js';

export function handlerFetch(handler: () => Promise<RequestHandler>): typeof fetch {
  return async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const request = new Request(input, init);
    const url = new URL(request.url);
    if (url.origin !== location.origin || !url.pathname.startsWith('/v1/')) return fetch(request);
    return (await handler())(request);
  };
}
