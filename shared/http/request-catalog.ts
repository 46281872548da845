// The model catalog as one request sees it: read once, whether by the remote-model check before the
// route or by the route's own model selection (the folder is read per request, not twice per request).
import { loadCatalog, type ModelCatalog } from '../models/model-catalog.js';
import type { ApiContext } from './api-context.js';

const catalogs = new WeakMap<Request, Promise<ModelCatalog>>();

export function requestCatalog(api: ApiContext, request: Request): Promise<ModelCatalog> {
  let catalog = catalogs.get(request);
  if (catalog === undefined) {
    catalog = loadCatalog(api.store);
    catalogs.set(request, catalog);
  }
  return catalog;
}
