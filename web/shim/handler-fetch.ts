// A fetch-compatible function over a RequestHandler: page code can pass it as `fetch` to the OpenAI
// SDK and reach the in-tab API (/v1/* and the gallery routes) without a service worker. Requests
// that are not for the API (other origins, other paths) go to the real fetch unchanged.
import { isApiPath } from './api-paths.js';
import type { RequestHandler } from './request-handler.js';

export function handlerFetch(handler: () => Promise<RequestHandler>): typeof fetch {
  return async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const request = new Request(input, init);
    const url = new URL(request.url);
    if (url.origin !== location.origin || !isApiPath(url.pathname)) return fetch(request);
    return (await handler())(request);
  };
}
