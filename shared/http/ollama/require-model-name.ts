// Ollama answers an unknown model with 404 (clients then offer to pull it), where LocalAI's
// OpenAI routes fall back to the only installed model. Names the auto-installer can fetch pass.
import { ApiError } from '../../base/api-error.js';
import type { ApiContext } from '../api-context.js';
import { loadCatalog, servedNames } from '../../models/model-catalog.js';

export async function requireKnownModel(api: ApiContext, name: string | undefined): Promise<void> {
  if (name === undefined) throw new ApiError('invalid_request', "'model' is required.", { param: 'model', code: 'missing_required_parameter' });
  if (api.autoInstaller?.canInstall(name) === true) return;
  if (servedNames(await loadCatalog(api.store)).includes(name)) return;
  throw new ApiError('not_found', `model '${name}' not found, try pulling it first`, { param: 'model', code: 'model_not_found' });
}
