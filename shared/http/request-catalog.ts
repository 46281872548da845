// The model catalog as one request sees it: read once, whether by the remote-model check before the
// route or by the route's own model selection (the folder is read per request, not twice per request).
import { loadCatalog, type ModelCatalog } from '../models/model-catalog.js';
import type { ModelStore } from '../models/model-store.js';
import type { ApiContext } from './api-context.js';

/** By store, then by request: one Request object may be served by two routers (tests do that). */
const catalogs = new WeakMap<ModelStore, WeakMap<Request, Promise<ModelCatalog>>>();

function catalogsOf(store: ModelStore): WeakMap<Request, Promise<ModelCatalog>> {
  let byRequest = catalogs.get(store);
  if (byRequest === undefined) {
    byRequest = new WeakMap();
    catalogs.set(store, byRequest);
  }
  return byRequest;
}

export function requestCatalog(api: ApiContext, request: Request): Promise<ModelCatalog> {
  const byRequest = catalogsOf(api.store);
  let catalog = byRequest.get(request);
  if (catalog === undefined) {
    catalog = loadCatalog(api.store);
    byRequest.set(request, catalog);
  }
  return catalog;
}

/** Reads the catalog again (a model was just installed) and keeps that one for the rest of the request. */
export function reloadRequestCatalog(api: ApiContext, request: Request): Promise<ModelCatalog> {
  const catalog = loadCatalog(api.store);
  catalogsOf(api.store).set(request, catalog);
  return catalog;
}
