// The Host check in front of everything the sidecar serves (API, web app, /metrics, /healthz).
import { ApiError } from '../shared/base/api-error.js';
import { isApiPath } from '../shared/http/api-routes.js';
import { checkHost, type HostPolicy } from '../shared/http/host-guard.js';
import { ollamaErrorResponse } from '../shared/http/ollama/ollama-errors.js';

type FetchHandler = (request: Request) => Response | Promise<Response>;

export function guardHost(policy: HostPolicy, next: FetchHandler): FetchHandler {
  return (request) => {
    const decision = checkHost(request.headers.get('host') ?? undefined, policy);
    if (decision.allowed) return next(request);
    const { pathname } = new URL(request.url);
    const error = new ApiError('permission', decision.message, { code: 'host_not_allowed' });
    if (pathname.startsWith('/api/')) return ollamaErrorResponse(error);
    if (isApiPath(pathname)) return error.toResponse();
    return new Response(`${decision.message}\n`, { status: 403, headers: { 'content-type': 'text/plain; charset=utf-8' } });
  };
}
