import { ApiError } from '../../base/api-error.js';
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

/** OpenAI's `models.retrieve`: the model object of one served name, or 404 model_not_found. */
export async function handleRetrieveModel(api: ApiContext, id: string): Promise<Response> {
  const catalog = await loadCatalog(api.store);
  const entry = catalog.entries.find((candidate) => candidate.name === id);
  if (entry === undefined) {
    throw new ApiError('not_found', `The model "${id}" does not exist here. GET /v1/models lists the models you can use.`, {
      param: 'model',
      code: 'model_not_found',
    });
  }
  const model: ModelList['data'][number] = { id: entry.name, object: 'model', created: api.now(), owned_by: api.owner };
  return Response.json(model);
}
