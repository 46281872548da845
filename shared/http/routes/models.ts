import type { ModelList } from '../../base/openai-types.js';
import type { ApiContext } from '../api-context.js';
import { loadCatalog } from '../../models/model-catalog.js';

export async function handleListModels(api: ApiContext): Promise<Response> {
  const catalog = await loadCatalog(api.store);
  for (const problem of catalog.problems) api.log('warn', `model config skipped: ${problem.message}`);
  const created = api.now();
  const response: ModelList = {
    object: 'list',
    data: catalog.entries.map((entry) => ({ id: entry.name, object: 'model', created, owned_by: entry.config.remote === undefined ? api.owner : 'remote' })),
  };
  return Response.json(response);
}
