// Every route the API answers, written once, as data: method, paths, and whether it needs the API
// key. The router mounts these with their handlers (route-table.ts); the tab's fetch shim (msw
// patterns, hearthFetch) and the sidecar's static-file fallback ask this module which paths belong
// to the API; the 404 message lists it. It holds no handlers, so the shim can load it alone.
import { mswPattern, pathPatternRegExp } from './path-pattern.js';

export type RouteMethod = 'GET' | 'POST' | 'DELETE';

export interface RouteSpec {
  method: RouteMethod;
  /** Hono path patterns, all answered identically. */
  paths: readonly string[];
  /** Needs `Authorization: Bearer <key>` when API keys are set. Health probes do not. */
  apiKey: boolean;
}

/** LocalAI serves every OpenAI route with and without the /v1 prefix. */
function openAiPaths(path: string): string[] {
  return [`/v1${path}`, path];
}

export const API_ROUTES = {
  listModels: { method: 'GET', paths: openAiPaths('/models'), apiKey: true },
  // OpenAI's models.retrieve. Only under /v1: bare /models/* are LocalAI's gallery routes.
  // {.+}: names installed from Hugging Face contain slashes (owner/repo/file).
  retrieveModel: { method: 'GET', paths: ['/v1/models/:id{.+}'], apiKey: true },
  // LocalAI's tokenizer route, and llama-server's reverse of it.
  tokenize: { method: 'POST', paths: openAiPaths('/tokenize'), apiKey: true },
  detokenize: { method: 'POST', paths: openAiPaths('/detokenize'), apiKey: true },
  chatCompletions: { method: 'POST', paths: openAiPaths('/chat/completions'), apiKey: true },
  completions: { method: 'POST', paths: openAiPaths('/completions'), apiKey: true },
  edits: { method: 'POST', paths: openAiPaths('/edits'), apiKey: true },
  embeddings: { method: 'POST', paths: openAiPaths('/embeddings'), apiKey: true },
  // OpenAI's Responses API; responses are kept in memory for retrieval and previous_response_id.
  createResponse: { method: 'POST', paths: openAiPaths('/responses'), apiKey: true },
  retrieveResponse: { method: 'GET', paths: openAiPaths('/responses/:id'), apiKey: true },
  deleteResponse: { method: 'DELETE', paths: openAiPaths('/responses/:id'), apiKey: true },
  healthz: { method: 'GET', paths: ['/healthz'], apiKey: false },
  // LocalAI's {"version": ...}; like /healthz it tells nothing about the models.
  version: { method: 'GET', paths: ['/version'], apiKey: false },
  readyz: { method: 'GET', paths: ['/readyz'], apiKey: false },
  // Prometheus scrapes it; it shows traffic, so it needs the key when keys are set.
  metrics: { method: 'GET', paths: ['/metrics'], apiKey: true },
  // LocalAI's gallery routes live under /models/* only (no /v1), behind the same API keys.
  modelsAvailable: { method: 'GET', paths: ['/models/available'], apiKey: true },
  galleries: { method: 'GET', paths: ['/models/galleries'], apiKey: true },
  modelsApply: { method: 'POST', paths: ['/models/apply'], apiKey: true },
  modelsJobs: { method: 'GET', paths: ['/models/jobs'], apiKey: true },
  modelsJob: { method: 'GET', paths: ['/models/jobs/:uuid'], apiKey: true },
  // {.+}: names installed from Hugging Face contain slashes (owner/repo/file).
  modelsDelete: { method: 'POST', paths: ['/models/delete/:name{.+}'], apiKey: true },
  // Ollama's API (docs/api.md), for tools that speak it first; errors are Ollama's {"error": "..."}.
  ollamaChat: { method: 'POST', paths: ['/api/chat'], apiKey: true },
  ollamaGenerate: { method: 'POST', paths: ['/api/generate'], apiKey: true },
  ollamaEmbed: { method: 'POST', paths: ['/api/embed'], apiKey: true },
  ollamaEmbeddings: { method: 'POST', paths: ['/api/embeddings'], apiKey: true },
  ollamaTags: { method: 'GET', paths: ['/api/tags'], apiKey: true },
  ollamaShow: { method: 'POST', paths: ['/api/show'], apiKey: true },
  ollamaPs: { method: 'GET', paths: ['/api/ps'], apiKey: true },
  // Clients probe it before anything else, as a health check; it tells nothing about the models.
  ollamaVersion: { method: 'GET', paths: ['/api/version'], apiKey: false },
  ollamaPull: { method: 'POST', paths: ['/api/pull'], apiKey: true },
  ollamaDelete: { method: 'DELETE', paths: ['/api/delete'], apiKey: true },
} as const satisfies Record<string, RouteSpec>;

export type RouteName = keyof typeof API_ROUTES;

const SPECS: readonly RouteSpec[] = Object.values(API_ROUTES);
const ROUTE_PATHS = [...new Set(SPECS.flatMap((route) => route.paths))];
const PATH_REGEXPS = ROUTE_PATHS.map(pathPatternRegExp);

/** Each path pattern with the methods it answers (for 405 and its Allow header). */
export function allowedMethods(): Map<string, RouteMethod[]> {
  return new Map(ROUTE_PATHS.map((path) => [path, SPECS.filter((route) => route.paths.includes(path)).map((route) => route.method)]));
}

/** Paths that need the API key when keys are set. */
export function keyedPaths(): string[] {
  return [...new Set(SPECS.filter((route) => route.apiKey).flatMap((route) => route.paths))];
}

/** Whether the API answers this URL path: a route's path, or anything under /v1 (answered 404 as JSON). */
export function isApiPath(pathname: string): boolean {
  return pathname === '/v1' || pathname.startsWith('/v1/') || PATH_REGEXPS.some((pattern) => pattern.test(pathname));
}

/** The routes as msw patterns, for the tab's service-worker shim. */
export function apiPathPatterns(): string[] {
  return ['/v1/*', ...new Set(ROUTE_PATHS.filter((path) => !path.startsWith('/v1/')).map(mswPattern))];
}

const ROUTE_LABELS = SPECS.map((route) => ({
  label: (route.paths.find((path) => !path.startsWith('/v1/')) ?? route.paths[0] ?? '').replace(/^\/v1(?=\/)/, '').replace(/\/:.*$/, '/:'),
  patterns: route.paths.map(pathPatternRegExp),
}));

/** The route a URL path belongs to, as a metrics label without /v1 or parameters ("/chat/completions", "/models/jobs/:"), or "other". */
export function routeLabel(pathname: string): string {
  return ROUTE_LABELS.find(({ patterns }) => patterns.some((pattern) => pattern.test(pathname)))?.label ?? 'other';
}

/** The main OpenAI routes, for the 404 message. */
export function listedRoutes(): string[] {
  // Hono's pattern syntax (`{.+}`) means nothing to a reader.
  return [...new Set(SPECS.flatMap((route) => route.paths.filter((path) => path.startsWith('/v1/')).slice(0, 1)).map((path) => path.replace(/\{.*?\}/g, '')))];
}
