// Ollama's error shape is `{"error": "message"}` with the HTTP status; its clients read `error` as
// text (the ollama npm client throws `new ResponseError(body.error)`), so OpenAI's object would
// reach users as "[object Object]". Same ApiError kinds and statuses, Ollama's body. The router
// answers every error under /api/ with it (create-api-router.ts).
import { ApiError } from '../../base/api-error.js';

export function ollamaErrorResponse(error: ApiError): Response {
  const headers = new Headers();
  if (error.retryAfterSeconds !== undefined) headers.set('retry-after', String(error.retryAfterSeconds));
  return Response.json({ error: error.message }, { status: error.status, headers });
}
