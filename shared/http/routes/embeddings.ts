import { ApiError } from '../../base/api-error.js';
import type { EmbeddingList } from '../../base/openai-types.js';
import type { ApiContext } from '../api-context.js';
import { parseJsonBody } from '../parse/parse-json-body.js';
import { parseEmbeddingRequest } from '../parse/parse-embedding-request.js';
import { selectModel } from '../select-model.js';
import type { RouteOptions } from './route-options.js';

/** Little-endian float32 bytes in base64, the encoding the openai SDK requests by default. */
function toBase64(vector: readonly number[]): string {
  const bytes = new Uint8Array(Float32Array.from(vector).buffer);
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

export async function handleEmbeddings(api: ApiContext, request: Request, options: RouteOptions): Promise<Response> {
  const body = parseEmbeddingRequest(await parseJsonBody(request, options.maxBodyBytes));
  const { entry, engine, slot, responseName } = await selectModel(api, request, body.model, options.tokenMayNameModel);
  let embedded: Awaited<ReturnType<typeof engine.embed>>;
  try {
    // A YAML config must opt in (LocalAI's rule); a loose GGUF is embedded when asked.
    if (!entry.loose && entry.config.embeddings !== true) {
      throw new ApiError(
        'invalid_request',
        `Model "${entry.name}" is not set up for embeddings. Add "embeddings: true" to its config${entry.config.sourceFile ? ` (${entry.config.sourceFile})` : ''}.`,
        { param: 'model', code: 'embeddings_not_enabled' },
      );
    }
    embedded = await engine.embed(body.inputs, { signal: request.signal });
  } finally {
    slot.release();
  }
  const { vectors, promptTokens } = embedded;
  const response: EmbeddingList = {
    object: 'list',
    model: responseName,
    data: vectors.map((vector, index) => ({
      object: 'embedding',
      index,
      embedding: body.encodingFormat === 'base64' ? toBase64(vector) : vector,
    })),
    usage: { prompt_tokens: promptTokens, total_tokens: promptTokens },
  };
  return Response.json(response);
}
