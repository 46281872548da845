// Browsers may only call the API from the page's own origin or an allowed one. A request from any
// other origin is refused outright, so a web page cannot drive a local server behind the user's back.
import { ApiError } from '../base/api-error.js';

export function isOriginAllowed(origin: string, requestUrl: string, allowed: readonly string[]): boolean {
  if (allowed.includes('*') || allowed.includes(origin)) return true;
  return origin === new URL(requestUrl).origin;
}

/** Web origins the user paired with this server (sidecar): each has its own token. */
export interface PairedOrigins {
  /** A paired origin's preflights pass (they carry no token); its real requests still need it. */
  isPaired(origin: string): boolean;
  /** The token is the one paired with exactly this origin. */
  holdsToken(origin: string, token: string): boolean;
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
  return new ApiError(
    'permission',
    `Requests from the web origin ${origin} are not allowed. The page can ask to pair (POST /pair) and send the token it gets, once you approve it in Hearth's page; or start the server with --cors-allowed-origins ${origin}.`,
    {
      code: 'origin_not_allowed',
    },
  );
}
