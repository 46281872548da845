// Browsers may only call the API from the page's own origin or an allowed one. A request from any
// other origin is refused outright, so a web page cannot drive a local server behind the user's back.
import { ApiError } from '../base/api-error.js';

export function isOriginAllowed(origin: string, requestUrl: string, allowed: readonly string[]): boolean {
  if (allowed.includes('*') || allowed.includes(origin)) return true;
  return origin === new URL(requestUrl).origin;
}

export function corsHeaders(origin: string): Record<string, string> {
  return {
    'access-control-allow-origin': origin,
    'access-control-allow-credentials': 'true',
    'access-control-allow-methods': 'GET, POST, DELETE, OPTIONS',
    'access-control-allow-headers': 'authorization, content-type, x-stainless-arch, x-stainless-lang, x-stainless-os, x-stainless-package-version, x-stainless-runtime, x-stainless-runtime-version, x-stainless-retry-count, x-stainless-timeout, x-stainless-helper-method, openai-organization, openai-project',
    'access-control-max-age': '600',
    vary: 'Origin',
  };
}

export function originRefused(origin: string): ApiError {
  return new ApiError('permission', `Requests from the web origin ${origin} are not allowed. Start the server with --cors-allowed-origins ${origin} to allow it.`, {
    code: 'origin_not_allowed',
  });
}
