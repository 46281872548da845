// Embeds a parsed request's inputs with its model: shared by /v1/embeddings and Ollama's /api/embed.
import { ApiError } from '../../base/api-error.js';
import type { ApiContext } from '../api-context.js';
import type { EmbeddingRequest } from '../parse/parse-embedding-request.js';
import { selectModel } from '../select-model.js';
import type { RouteOptions } from './route-options.js';

export interface Embedded {
  vectors: number[][];
  promptTokens: number;
  /** The name echoed in responses, and the model's own name. */
  responseName: string;
  modelName: string;
}

/** `onAdmitted` is told when the model is loaded and the request holds a slot (Ollama's load_duration). */
export async function embedInputs(api: ApiContext, request: Request, options: RouteOptions, body: EmbeddingRequest, onAdmitted?: () => void, exactName = false): Promise<Embedded> {
  const { entry, engine, slot, responseName } = await selectModel(api, request, body.model, options.tokenMayNameModel, exactName);
  onAdmitted?.();
  try {
    // A YAML config must opt in (LocalAI's rule); a loose GGUF is embedded when asked.
    if (!entry.loose && entry.config.embeddings !== true) {
      throw new ApiError(
        'invalid_request',
        `Model "${entry.name}" is not set up for embeddings. Add "embeddings: true" to its config${entry.config.sourceFile ? ` (${entry.config.sourceFile})` : ''}.`,
        { param: 'model', code: 'embeddings_not_enabled' },
      );
    }
    const { vectors, promptTokens } = await engine.embed(body.inputs, { signal: request.signal });
    return { vectors, promptTokens, responseName, modelName: entry.name };
  } finally {
    slot.release();
  }
}
