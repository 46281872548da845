// The whole API as one web-standard handler: `router.fetch(request)`. The sidecar serves it over
// HTTP; the browser's fetch shim calls it in the page. Routes never know which.
import { Hono, type Context, type MiddlewareHandler } from 'hono';
import { ApiError } from '../base/api-error.js';
import type { ApiContext } from './api-context.js';
import { checkApiKey } from './check-api-key.js';
import { corsHeaders, isOriginAllowed, originRefused, type PairedOrigins } from './origin-policy.js';
import { bearerToken } from './select-model.js';
import { allowedMethods, API_ROUTES, keyedPaths, listedRoutes, routeLabel, type RouteName } from './api-routes.js';
import { ServingMetrics } from './serving-metrics.js';
import { ollamaErrorResponse } from './ollama/ollama-errors.js';
import { ResponseStore } from './responses/response-store.js';
import { Upstreams } from '../upstreams/upstreams.js';
import { ROUTE_HANDLERS } from './route-table.js';
import type { RouteOptions } from './routes/route-options.js';
import { errorMessage } from '../base/error-message.js';
import { isShutdown } from './shutdown.js';

export interface RouterOptions {
  /** When non-empty, API routes need `Authorization: Bearer <one of these>`. */
  apiKeys: readonly string[];
  /** Web origins (besides the server's own) allowed to call the API; "*" allows any. */
  corsOrigins: readonly string[];
  /** Larger request bodies get 413. */
  maxBodyBytes: number;
  /** /readyz answers 200 only when this says so. */
  isReady(): boolean;
  /** Origins paired by the user (sidecar): their token, sent from that origin only, stands in for CORS and the API key. */
  pairedOrigins?: PairedOrigins;
  /** Run around every request, inside the metrics count and outside the origin check (the sidecar's request log). */
  middleware?: readonly MiddlewareHandler[];
}

/** Errors in the shape the route's clients read: Ollama's `{"error": "..."}` under /api/, OpenAI's elsewhere. */
function errorResponse(c: Context, error: ApiError, headers?: Record<string, string>): Response {
  if (!c.req.path.startsWith('/api/')) return error.toResponse(headers);
  const response = ollamaErrorResponse(error);
  for (const [name, value] of Object.entries(headers ?? {})) response.headers.set(name, value);
  return response;
}

function methodNotAllowed(c: Context, allow: string): Response {
  const error = new ApiError('method_not_allowed', `${c.req.method} is not allowed on ${c.req.path}. Use ${allow}.`, { code: 'method_not_allowed' });
  return errorResponse(c, error, { allow });
}

export function createApiRouter(context: ApiContext, options: RouterOptions): Hono {
  const upstreams = context.upstreams ?? new Upstreams({ fetch: globalThis.fetch.bind(globalThis), log: context.log });
  const api: ApiContext = { ...context, upstreams, metrics: context.metrics ?? new ServingMetrics(context.models, upstreams), responses: context.responses ?? new ResponseStore() };
  const metrics = api.metrics;
  const app = new Hono();
  const routeOptions: RouteOptions = { tokenMayNameModel: options.apiKeys.length === 0, maxBodyBytes: options.maxBodyBytes, isReady: options.isReady };

  app.onError((error, c) => {
    if (isShutdown(error)) return errorResponse(c, error);
    // The client went away and its generation was aborted: there is nobody to answer.
    if (error.name === 'AbortError' || c.req.raw.signal.aborted) {
      api.log('debug', `${c.req.method} ${c.req.path}: client disconnected, generation stopped`);
      return new ApiError('invalid_request', 'The request was cancelled by the client.', { code: 'request_cancelled' }).toResponse();
    }
    if (error instanceof ApiError) {
      if (error.status >= 500) api.log('error', `${c.req.method} ${c.req.path}: ${error.message}`);
      return errorResponse(c, error);
    }
    api.log('error', `${c.req.method} ${c.req.path}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    return errorResponse(c, new ApiError('server', `Internal error: ${errorMessage(error)}`));
  });
  app.notFound((c) =>
    errorResponse(
      c,
      new ApiError('not_found', `There is no ${c.req.method} ${c.req.path} here. See ${listedRoutes().join(', ')}.`, {
        code: 'unknown_route',
      }),
    ),
  );

  // Counted last, with the status the client got (errors and 404s too).
  app.use('*', async (c, next) => {
    await next();
    metrics?.request(routeLabel(c.req.path), c.req.method, c.res.status);
  });

  for (const middleware of options.middleware ?? []) app.use('*', middleware);

  // Origin check and CORS first, so even errors carry the headers a browser needs to read them.
  // Requests a paired origin's page made with its token: the token is their credential.
  const pairedRequests = new WeakSet<Request>();
  app.use('*', async (c, next) => {
    const origin = c.req.header('origin');
    if (origin === undefined) return next();
    if (!isOriginAllowed(origin, c.req.url, options.corsOrigins)) {
      const paired = options.pairedOrigins;
      const preflight = c.req.method === 'OPTIONS' && paired?.isPaired(origin) === true;
      const token = bearerToken(c.req.raw);
      if (!preflight && (paired === undefined || token === undefined || !paired.holdsToken(origin, token))) return originRefused(origin).toResponse();
      if (!preflight) pairedRequests.add(c.req.raw);
    }
    if (c.req.method === 'OPTIONS') return new Response(null, { status: 204, headers: corsHeaders(origin) });
    await next();
    for (const [name, value] of Object.entries(corsHeaders(origin))) c.res.headers.set(name, value);
  });

  for (const path of keyedPaths()) {
    app.use(path, async (c, next) => {
      if (!pairedRequests.has(c.req.raw)) checkApiKey(c.req.raw, options.apiKeys);
      await next();
    });
  }
  for (const [name, route] of Object.entries(API_ROUTES) as Array<[RouteName, (typeof API_ROUTES)[RouteName]]>) {
    const handle = ROUTE_HANDLERS[name];
    for (const path of route.paths) app.on(route.method, path, (c) => handle({ api, request: c.req.raw, params: c.req.param(), options: routeOptions }));
  }
  for (const [path, methods] of allowedMethods()) app.all(path, (c) => methodNotAllowed(c, methods.join(', ')));
  return app;
}
