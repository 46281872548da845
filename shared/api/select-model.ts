import { loadCatalog } from '../models/model-catalog.js';
import { resolveModel } from '../models/resolve-model.js';
import type { CatalogEntry } from '../models/model-catalog.js';
import type { Engine } from '../engine/engine.js';
import type { ApiContext } from './api-context.js';

export interface SelectedModel {
  entry: CatalogEntry;
  engine: Engine;
  /** The name echoed in responses: what the client asked for, as LocalAI does. */
  responseName: string;
}

export function bearerToken(request: Request): string | undefined {
  const match = /^Bearer\s+(.+)$/i.exec(request.headers.get('authorization') ?? '');
  return match?.[1]?.trim();
}

export async function selectModel(api: ApiContext, request: Request, requested: string | undefined, tokenMayNameModel: boolean): Promise<SelectedModel> {
  const catalog = await loadCatalog(api.store);
  const token = tokenMayNameModel ? bearerToken(request) : undefined;
  const entry = resolveModel(
    catalog,
    { ...(requested === undefined ? {} : { requested }), ...(token === undefined ? {} : { bearerToken: token }) },
    api.store.location,
  );
  const engine = await api.models.engineFor(entry.config);
  return { entry, engine, responseName: requested ?? entry.name };
}
