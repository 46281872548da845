// Ollama's model routes over our catalog: GET /api/tags (installed), POST /api/show, GET /api/ps
// (loaded), GET /api/version, DELETE /api/delete (through the gallery installer, as /models/delete).
import { ApiError } from '../../base/api-error.js';
import type { ApiContext } from '../api-context.js';
import { parseJsonBody } from '../parse/parse-json-body.js';
import type { RouteOptions } from '../routes/route-options.js';
import { requireGalleries } from '../routes/require-galleries.js';
import { loadCatalog, type CatalogEntry } from '../../models/model-catalog.js';
import { createdAt } from './handle-ollama-generation.js';
import { readOllamaModel } from './parse-ollama-request.js';
import type { OllamaModelDetails } from './ollama-types.js';

/** The Ollama release whose API this one follows; clients gate features (tools, format schemas) on it. */
export const OLLAMA_API_VERSION = '0.9.0';

/** A loaded model's expiry without `--idle-unload`: "far away", as Ollama shows keep_alive -1. */
const NEVER = '2318-01-01T00:00:00Z';

function details(): OllamaModelDetails {
  return { parent_model: '', format: 'gguf', family: '', families: null, parameter_size: '', quantization_level: '' };
}

/** Ollama's digests are sha256 hex; ours names the model, so one model keeps one digest. */
async function digestOf(name: string): Promise<string> {
  const bytes = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(name)));
  return [...bytes].map((byte) => byte.toString(16).padStart(2, '0')).join('');
}

async function modelRequest(api: ApiContext, request: Request, options: RouteOptions): Promise<{ name: string; entry: CatalogEntry }> {
  const name = readOllamaModel(await parseJsonBody(request, options.maxBodyBytes));
  if (name === undefined) throw new ApiError('invalid_request', "'model' is required.", { param: 'model', code: 'missing_required_parameter' });
  const catalog = await loadCatalog(api.store);
  const entry = [...catalog.entries, ...catalog.referencedFiles].find((candidate) => candidate.name === name);
  if (entry === undefined) throw new ApiError('not_found', `model '${name}' not found`, { param: 'model', code: 'model_not_found' });
  return { name, entry };
}

/** A model file's bytes where the store knows them (0 otherwise, as the field is required). */
async function sizeOf(api: ApiContext, file: string | undefined): Promise<number> {
  return file === undefined ? 0 : ((await api.store.fileSize?.(file)) ?? 0);
}

export async function handleOllamaTags(api: ApiContext): Promise<Response> {
  const catalog = await loadCatalog(api.store);
  const modified = createdAt(api);
  const models = await Promise.all(
    catalog.entries.map(async (entry) => ({
      name: entry.name,
      model: entry.name,
      modified_at: modified,
      size: await sizeOf(api, entry.config.parameters.model),
      digest: await digestOf(entry.name),
      details: details(),
    })),
  );
  return Response.json({ models });
}

export async function handleOllamaShow(api: ApiContext, request: Request, options: RouteOptions): Promise<Response> {
  const { entry } = await modelRequest(api, request, options);
  const { config } = entry;
  const capabilities = ['completion', 'tools', ...(entry.loose || config.embeddings === true ? ['embedding'] : [])];
  const parameters = Object.entries(config.parameters)
    .filter(([key, value]) => key !== 'model' && (typeof value === 'number' || typeof value === 'string'))
    .map(([key, value]) => `${key} ${String(value)}`)
    .join('\n');
  return Response.json({
    modelfile: `FROM ${config.parameters.model ?? entry.name}\n`,
    parameters,
    template: config.template.chat ?? config.template.chatMessage ?? '',
    details: details(),
    model_info: { 'general.file': config.parameters.model ?? entry.name, ...(config.contextSize === undefined ? {} : { 'hearth.context_length': config.contextSize }) },
    capabilities,
    modified_at: createdAt(api),
  });
}

export async function handleOllamaPs(api: ApiContext): Promise<Response> {
  const models = await Promise.all(
    api.models.loadedModels().map(async ({ name, engine, file, description, expiresAt }) => {
      const size = await sizeOf(api, file);
      const { gpuLayers } = description;
      // The share of the weights on the GPU, as Ollama reports it (its KV cache is not counted).
      const sizeVram = gpuLayers === undefined || gpuLayers.total === 0 ? 0 : Math.round((size * gpuLayers.offloaded) / gpuLayers.total);
      return { name, model: name, size, digest: await digestOf(name), details: details(), expires_at: expiresAt === undefined ? NEVER : new Date(expiresAt).toISOString(), size_vram: sizeVram, context_length: engine.contextSize };
    }),
  );
  return Response.json({ models });
}

export function handleOllamaVersion(): Response {
  return Response.json({ version: OLLAMA_API_VERSION });
}

/** DELETE /api/delete {"model"}: 200 with no body, as Ollama answers. */
export async function handleOllamaDelete(api: ApiContext, request: Request, options: RouteOptions): Promise<Response> {
  const galleries = requireGalleries(api);
  const name = readOllamaModel(await parseJsonBody(request, options.maxBodyBytes));
  if (name === undefined) throw new ApiError('invalid_request', "'model' is required.", { param: 'model', code: 'missing_required_parameter' });
  await galleries.remove(name);
  return new Response(null, { status: 200 });
}
