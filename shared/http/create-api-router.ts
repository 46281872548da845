// The whole API as one web-standard handler: `router.fetch(request)`. The sidecar serves it over
// HTTP; the browser's fetch shim calls it in the page. Routes never know which.
import { Hono, type Context } from 'hono';
import { ApiError } from '../base/api-error.js';
import type { ApiContext } from './api-context.js';
import { formatDevice } from '../engine/format-device.js';
import { checkApiKey } from './check-api-key.js';
import { corsHeaders, isOriginAllowed, originRefused } from './origin-policy.js';
import { handleChatCompletions } from './routes/chat-completions.js';
import { handleCompletions } from './routes/completions.js';
import { handleEdits } from './routes/edits.js';
import { handleEmbeddings } from './routes/embeddings.js';
import { handleListModels } from './routes/models.js';
import { handleGalleries, handleModelsAvailable } from './routes/models-available.js';
import { handleModelsApply } from './routes/models-apply.js';
import { handleModelsDelete } from './routes/models-delete.js';
import { handleModelsJob, handleModelsJobs } from './routes/models-jobs.js';
import type { RouteOptions } from './routes/route-options.js';

export interface RouterOptions {
  /** When non-empty, API routes need `Authorization: Bearer <one of these>`. */
  apiKeys: readonly string[];
  /** Web origins (besides the server's own) allowed to call the API; "*" allows any. */
  corsOrigins: readonly string[];
  /** Larger request bodies get 413. */
  maxBodyBytes: number;
  /** /readyz answers 200 only when this says so. */
  isReady(): boolean;
}

type Handler = (api: ApiContext, request: Request, options: RouteOptions) => Promise<Response>;

/** Each API path is served with and without the /v1 prefix, as LocalAI does. */
const POST_ROUTES: ReadonlyArray<[string, Handler]> = [
  ['/chat/completions', handleChatCompletions],
  ['/completions', handleCompletions],
  ['/edits', handleEdits],
  ['/embeddings', handleEmbeddings],
];

function methodNotAllowed(c: Context, allow: string): Response {
  const error = new ApiError('method_not_allowed', `${c.req.method} is not allowed on ${c.req.path}. Use ${allow}.`, { code: 'method_not_allowed' });
  return error.toResponse({ allow });
}

export function createApiRouter(api: ApiContext, options: RouterOptions): Hono {
  const app = new Hono();
  const routeOptions: RouteOptions = { tokenMayNameModel: options.apiKeys.length === 0, maxBodyBytes: options.maxBodyBytes };

  app.onError((error, c) => {
    // The client went away and its generation was aborted: there is nobody to answer.
    if (error.name === 'AbortError' || c.req.raw.signal.aborted) {
      api.log('debug', `${c.req.method} ${c.req.path}: client disconnected, generation stopped`);
      return new ApiError('invalid_request', 'The request was cancelled by the client.', { code: 'request_cancelled' }).toResponse();
    }
    if (error instanceof ApiError) {
      if (error.status >= 500) api.log('error', `${c.req.method} ${c.req.path}: ${error.message}`);
      return error.toResponse();
    }
    api.log('error', `${c.req.method} ${c.req.path}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    return new ApiError('server', `Internal error: ${error instanceof Error ? error.message : String(error)}`).toResponse();
  });
  app.notFound((c) =>
    new ApiError('not_found', `There is no ${c.req.method} ${c.req.path} here. See /v1/models, /v1/chat/completions, /v1/completions, /v1/edits, /v1/embeddings.`, {
      code: 'unknown_route',
    }).toResponse(),
  );

  // Origin check and CORS first, so even errors carry the headers a browser needs to read them.
  app.use('*', async (c, next) => {
    const origin = c.req.header('origin');
    if (origin === undefined) return next();
    if (!isOriginAllowed(origin, c.req.url, options.corsOrigins)) return originRefused(origin).toResponse();
    if (c.req.method === 'OPTIONS') return new Response(null, { status: 204, headers: corsHeaders(origin) });
    await next();
    for (const [name, value] of Object.entries(corsHeaders(origin))) c.res.headers.set(name, value);
  });

  app.get('/healthz', (c) => c.json({ status: 'ok' }));
  app.get('/readyz', (c) => {
    const models = api.models.loadedModels().map(({ name, description }) => ({
      name,
      backend: description.backend,
      device: formatDevice(description),
    }));
    return options.isReady() ? c.json({ status: 'ready', models }) : c.json({ status: 'loading', models }, 503);
  });
  app.all('/healthz', (c) => methodNotAllowed(c, 'GET'));
  app.all('/readyz', (c) => methodNotAllowed(c, 'GET'));

  const apiPaths = ['/models', ...POST_ROUTES.map(([path]) => path)].flatMap((path) => [path, `/v1${path}`]);
  // LocalAI's gallery routes live under /models/* only (no /v1), behind the same API keys.
  for (const path of [...apiPaths, '/models/*']) {
    app.use(path, async (c, next) => {
      checkApiKey(c.req.raw, options.apiKeys);
      await next();
    });
  }
  for (const [path, handler] of POST_ROUTES) {
    for (const prefixed of [path, `/v1${path}`]) {
      app.post(prefixed, (c) => handler(api, c.req.raw, routeOptions));
      app.all(prefixed, (c) => methodNotAllowed(c, 'POST'));
    }
  }
  for (const path of ['/models', '/v1/models']) {
    app.get(path, () => handleListModels(api));
    app.all(path, (c) => methodNotAllowed(c, 'GET'));
  }
  mountGalleryRoutes(app, api, routeOptions);
  return app;
}

function mountGalleryRoutes(app: Hono, api: ApiContext, routeOptions: RouteOptions): void {
  app.get('/models/available', () => handleModelsAvailable(api));
  app.get('/models/galleries', () => handleGalleries(api));
  app.post('/models/apply', (c) => handleModelsApply(api, c.req.raw, routeOptions));
  app.get('/models/jobs', () => handleModelsJobs(api));
  app.get('/models/jobs/:uuid', (c) => handleModelsJob(api, c.req.param('uuid')));
  // {.+}: names installed from Hugging Face contain slashes (owner/repo/file).
  app.post('/models/delete/:name{.+}', (c) => handleModelsDelete(api, c.req.raw, c.req.param('name')));
  for (const [path, allow] of [
    ['/models/available', 'GET'],
    ['/models/galleries', 'GET'],
    ['/models/apply', 'POST'],
    ['/models/jobs', 'GET'],
    ['/models/jobs/:uuid', 'GET'],
    ['/models/delete/:name{.+}', 'POST'],
  ] as const) {
    app.all(path, (c) => methodNotAllowed(c, allow));
  }
}
