// POST /api/embed ({model, input} -> {embeddings}) and the older /api/embeddings ({model, prompt}
// -> {embedding}), through the same embedding path as /v1/embeddings.
import type { ApiContext } from '../api-context.js';
import { parseJsonBody } from '../parse/parse-json-body.js';
import { parseEmbeddingRequest } from '../parse/parse-embedding-request.js';
import { embedInputs } from '../routes/embed-inputs.js';
import type { RouteOptions } from '../routes/route-options.js';
import { isKeepAliveZero, readOllamaModel } from './parse-ollama-request.js';
import { RequestClock } from './request-clock.js';
import { requireModelName } from './require-model-name.js';

export async function handleOllamaEmbed(api: ApiContext, request: Request, options: RouteOptions, legacy: boolean): Promise<Response> {
  const clock = new RequestClock();
  const body = await parseJsonBody(request, options.maxBodyBytes);
  const unloadAfter = isKeepAliveZero(body['keep_alive']);
  const model = readOllamaModel(body);
  const parsed = parseEmbeddingRequest({ input: legacy ? body['prompt'] : body['input'], model: requireModelName(model) });
  const { vectors, promptTokens, responseName, modelName } = await embedInputs(api, request, options, parsed, () => clock.loaded(), true);
  if (unloadAfter) await api.models.unloadWhenIdle(modelName, 'keep_alive 0');
  if (legacy) return Response.json({ embedding: vectors[0] ?? [] });
  const { total_duration, load_duration } = clock.timings({ promptTokens, completionTokens: 0 });
  return Response.json({ model: responseName, embeddings: vectors, total_duration, load_duration, prompt_eval_count: promptTokens });
}
