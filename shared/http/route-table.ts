// The handler of each route in API_ROUTES. The Record type makes a route without a handler (or a
// handler without a route) a compile error.
import { PROMETHEUS_CONTENT_TYPE } from '../base/metrics.js';
import { formatDevice } from '../engine/format-device.js';
import type { ApiContext } from './api-context.js';
import { loadCatalog } from '../models/model-catalog.js';
import { Upstreams } from '../upstreams/upstreams.js';
import { forwardIfRemote } from './routes/forward-remote.js';
import type { RouteName } from './api-routes.js';
import { handleChatCompletions } from './routes/chat-completions.js';
import { handleCompletions } from './routes/completions.js';
import { handleEdits } from './routes/edits.js';
import { handleEmbeddings } from './routes/embeddings.js';
import { handleGalleries, handleModelsAvailable } from './routes/models-available.js';
import { handleModelsApply } from './routes/models-apply.js';
import { handleModelsDelete } from './routes/models-delete.js';
import { handleModelsJob, handleModelsJobs } from './routes/models-jobs.js';
import { handleListModels, handleRetrieveModel } from './routes/models.js';
import { handleDetokenize, handleTokenize } from './routes/tokenize.js';
import type { RouteOptions } from './routes/route-options.js';
import { handleCreateResponse } from './responses/create-response.js';
import { handleDeleteResponse, handleRetrieveResponse } from './responses/response-by-id.js';
import { ResponseStore } from './responses/response-store.js';

/** What a handler gets: the injected context, the request, its path parameters and the router's options. */
export interface RouteCall {
  api: ApiContext;
  request: Request;
  params: Readonly<Record<string, string>>;
  options: RouteOptions;
}

export type RouteHandler = (call: RouteCall) => Promise<Response> | Response;

/**
 * A route whose module loads on its first request. Ollama's routes are for tools that speak its API,
 * not for the page's first chat: the tab's first load (kept under 100 KiB gzipped) leaves them out.
 */
function onFirstUse<M>(load: () => Promise<M>, handler: (module: M) => RouteHandler): RouteHandler {
  let loaded: Promise<RouteHandler> | undefined;
  return async (call) => (await (loaded ??= load().then(handler)))(call);
}

const ollamaGeneration = () => import('./ollama/handle-ollama-generation.js');
const ollamaEmbed = () => import('./ollama/handle-ollama-embed.js');
const ollamaModels = () => import('./ollama/handle-ollama-models.js');

/** createApiRouter always sets one; a context without it (a test calling a handler) gets one on global fetch. */
function upstreamsOf(api: ApiContext): Upstreams {
  return (api.upstreams ??= new Upstreams({ fetch: globalThis.fetch.bind(globalThis), log: api.log }));
}

async function readyz({ api, options }: RouteCall): Promise<Response> {
  const models = api.models.loadedModels().map(({ name, description }) => ({ name, backend: description.backend, device: formatDevice(description) }));
  // Every remote model's upstreams, probed from the moment the server first looks, not only once asked for.
  const upstreams = upstreamsOf(api);
  await upstreams.sync((await loadCatalog(api.store)).entries.flatMap(({ name, config }) => (config.remote === undefined ? [] : [{ name, remote: config.remote }])));
  const states = upstreams.states().map(({ model, url, state, inFlight, lastError }) => ({ model, url, state, in_flight: inFlight, ...(lastError === undefined ? {} : { last_error: lastError }) }));
  // Only a server with remote models has upstreams to report.
  const body = { status: options.isReady() ? 'ready' : 'loading', models, ...(states.length === 0 ? {} : { upstreams: states }) };
  return Response.json(body, { status: options.isReady() ? 200 : 503 });
}

/** A route that forwards requests for remote models to their upstreams, and serves the rest itself. */
function orRemote(path: string, local: RouteHandler): RouteHandler {
  return async (call) => (await forwardIfRemote({ ...call.api, upstreams: upstreamsOf(call.api) }, call.request, call.options, path)) ?? local(call);
}

/** createApiRouter always sets one; a context without it (a test calling a handler) gets a fresh one. */
function responsesOf(api: ApiContext): ResponseStore {
  return (api.responses ??= new ResponseStore());
}

export const ROUTE_HANDLERS: Record<RouteName, RouteHandler> = {
  listModels: ({ api }) => handleListModels(api),
  retrieveModel: ({ api, params }) => handleRetrieveModel(api, params['id'] ?? ''),
  tokenize: ({ api, request, options }) => handleTokenize(api, request, options),
  detokenize: ({ api, request, options }) => handleDetokenize(api, request, options),
  chatCompletions: orRemote('/chat/completions', ({ api, request, options }) => handleChatCompletions(api, request, options)),
  completions: orRemote('/completions', ({ api, request, options }) => handleCompletions(api, request, options)),
  edits: ({ api, request, options }) => handleEdits(api, request, options),
  embeddings: orRemote('/embeddings', ({ api, request, options }) => handleEmbeddings(api, request, options)),
  createResponse: ({ api, request, options }) => handleCreateResponse(api, responsesOf(api), request, options),
  retrieveResponse: ({ api, params }) => handleRetrieveResponse(responsesOf(api), params['id'] ?? ''),
  deleteResponse: ({ api, params }) => handleDeleteResponse(responsesOf(api), params['id'] ?? ''),
  healthz: () => Response.json({ status: 'ok' }),
  version: ({ api }) => Response.json({ version: api.version ?? 'unknown' }),
  readyz,
  metrics: ({ api }) => new Response(api.metrics?.render() ?? '', { headers: { 'content-type': PROMETHEUS_CONTENT_TYPE } }),
  modelsAvailable: ({ api }) => handleModelsAvailable(api),
  galleries: ({ api }) => handleGalleries(api),
  modelsApply: ({ api, request, options }) => handleModelsApply(api, request, options),
  modelsJobs: ({ api }) => handleModelsJobs(api),
  modelsJob: ({ api, params }) => handleModelsJob(api, params['uuid'] ?? ''),
  modelsDelete: ({ api, request, params }) => handleModelsDelete(api, request, params['name'] ?? ''),
  ollamaChat: onFirstUse(ollamaGeneration, (m) => ({ api, request, options }) => m.handleOllamaGeneration(api, request, options, 'chat')),
  ollamaGenerate: onFirstUse(ollamaGeneration, (m) => ({ api, request, options }) => m.handleOllamaGeneration(api, request, options, 'generate')),
  ollamaEmbed: onFirstUse(ollamaEmbed, (m) => ({ api, request, options }) => m.handleOllamaEmbed(api, request, options, false)),
  ollamaEmbeddings: onFirstUse(ollamaEmbed, (m) => ({ api, request, options }) => m.handleOllamaEmbed(api, request, options, true)),
  ollamaTags: onFirstUse(ollamaModels, (m) => ({ api }) => m.handleOllamaTags(api)),
  ollamaShow: onFirstUse(ollamaModels, (m) => ({ api, request, options }) => m.handleOllamaShow(api, request, options)),
  ollamaPs: onFirstUse(ollamaModels, (m) => ({ api }) => m.handleOllamaPs(api)),
  ollamaVersion: onFirstUse(ollamaModels, (m) => () => m.handleOllamaVersion()),
  ollamaPull: onFirstUse(() => import('./ollama/handle-ollama-pull.js'), (m) => ({ api, request, options }) => m.handleOllamaPull(api, request, options)),
  ollamaDelete: onFirstUse(ollamaModels, (m) => ({ api, request, options }) => m.handleOllamaDelete(api, request, options)),
};
