import { ApiError } from '../base/api-error.js';
import { reloadRequestCatalog, requestCatalog } from './request-catalog.js';
import { FORWARDED_PATHS } from './forwarded-paths.js';
import { needsInstall, resolveModel } from '../models/resolve-model.js';
import type { CatalogEntry, ModelCatalog } from '../models/model-catalog.js';
import type { Engine } from '../engine/engine.js';
import type { Slot } from '../models/admission-gate.js';
import type { ApiContext } from './api-context.js';
import { defined } from '../base/defined.js';
import { noteModel } from './request-record.js';

export interface SelectedModel {
  entry: CatalogEntry;
  engine: Engine;
  /** This request's serving slot: release it when its work is done (releasing() does for a stream). */
  slot: Slot;
  /** The name echoed in responses: what the client asked for, as LocalAI does. */
  responseName: string;
}

export function bearerToken(request: Request): string | undefined {
  const match = /^Bearer\s+(.+)$/i.exec(request.headers.get('authorization') ?? '');
  return match?.[1]?.trim();
}

/**
 * Precedence (as LocalAI): a configured or file name that exists always wins; then a name the
 * auto-installer recognises (Hugging Face `owner/repo/file`) is downloaded and served; only then
 * does the single-installed-model fallback answer. A plain file name is never `owner/repo/file`.
 */
async function catalogWith(api: ApiContext, request: Request, requested: string | undefined): Promise<ModelCatalog> {
  const catalog = await requestCatalog(api, request);
  const installer = api.autoInstaller;
  if (requested === undefined || installer === undefined || !needsInstall(catalog, requested) || !installer.canInstall(requested)) return catalog;
  await installer.install(requested);
  return reloadRequestCatalog(api, request);
}

export async function selectModel(api: ApiContext, request: Request, requested: string | undefined, tokenMayNameModel: boolean, exactName = false): Promise<SelectedModel> {
  const catalog = await catalogWith(api, request, requested);
  const token = tokenMayNameModel ? bearerToken(request) : undefined;
  const entry = resolveModel(
    catalog,
    { ...defined({ requested, bearerToken: token }), exactName },
    api.store.location,
  );
  noteModel(request.signal, entry.name);
  if (entry.config.remote !== undefined) {
    throw new ApiError(
      'invalid_request',
      `Model "${entry.name}" is served by other servers (backend: ${entry.config.backend}); only ${FORWARDED_PATHS.join(', ')} are forwarded to them.`,
      { param: 'model', code: 'remote_route_unsupported' },
    );
  }
  const slot = await api.models.admit(entry.config, request.signal);
  try {
    const engine = await api.models.readyEngineFor(entry.config, request.signal);
    return { entry, engine, slot, responseName: requested ?? entry.name };
  } catch (error) {
    slot.release();
    throw error;
  }
}
