import type { EmbeddingList } from '../../base/openai-types.js';
import type { ApiContext } from '../api-context.js';
import { parseJsonBody } from '../parse/parse-json-body.js';
import { parseEmbeddingRequest } from '../parse/parse-embedding-request.js';
import { embedInputs } from './embed-inputs.js';
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
  const { vectors, promptTokens, responseName } = await embedInputs(api, request, options, body);
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
