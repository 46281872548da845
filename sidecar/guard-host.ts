// The Host check in front of everything the sidecar serves (API, web app, /metrics, /healthz).
import { ApiError } from '../shared/base/api-error.js';
import { isApiPath } from '../shared/http/api-routes.js';
import { checkHost, type HostPolicy } from '../shared/http/host-guard.js';
import { ollamaErrorResponse } from '../shared/http/ollama/ollama-errors.js';
import type { Logger } from '../shared/base/logger.js';

type FetchHandler = (request: Request) => Response | Promise<Response>;

/** Names already logged: each refused name is logged once, so a hostile page cannot flood the log. */
const LOGGED_NAMES_LIMIT = 100;

export function guardHost(policy: HostPolicy, log: Logger, next: FetchHandler): FetchHandler {
  const logged = new Set<string>();
  return (request) => {
    const decision = checkHost(request.headers.get('host') ?? undefined, policy);
    if (decision.allowed) return next(request);
    if (!logged.has(decision.host) && logged.size < LOGGED_NAMES_LIMIT) {
      logged.add(decision.host);
      log('warn', `refused requests for the host name "${decision.host}" (possible DNS rebinding); if that name is yours, start Hearth with --allowed-hosts ${decision.host}`);
    }
    const { pathname } = new URL(request.url);
    const error = new ApiError('permission', decision.message, { code: 'host_not_allowed' });
    if (pathname.startsWith('/api/')) return ollamaErrorResponse(error);
    if (isApiPath(pathname)) return error.toResponse();
    return new Response(`${decision.message}\n`, { status: 403, headers: { 'content-type': 'text/plain; charset=utf-8' } });
  };
}
