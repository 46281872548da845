// Ollama's error shape is `{"error": "message"}` with the HTTP status; its clients read `error` as
// text (the ollama npm client throws `new ResponseError(body.error)`), so OpenAI's object would
// reach users as "[object Object]". Same ApiError kinds and statuses, Ollama's body.
import { ApiError } from '../../base/api-error.js';
import { errorMessage } from '../../base/error-message.js';
import type { ApiContext } from '../api-context.js';

type Call = { api: ApiContext; request: Request };

export function ollamaErrorResponse(error: ApiError): Response {
  const headers = new Headers();
  if (error.retryAfterSeconds !== undefined) headers.set('retry-after', String(error.retryAfterSeconds));
  return Response.json({ error: error.message }, { status: error.status, headers });
}

/** Answers a handler's errors in Ollama's shape; cancellations still reach the router, which logs them. */
export function withOllamaErrors<C extends Call>(handler: (call: C) => Promise<Response> | Response): (call: C) => Promise<Response> {
  return async (call: C) => {
    try {
      return await handler(call);
    } catch (error) {
      if ((error instanceof Error && error.name === 'AbortError') || call.request.signal.aborted) throw error;
      if (error instanceof ApiError) {
        if (error.status >= 500) call.api.log('error', `${call.request.method} ${new URL(call.request.url).pathname}: ${error.message}`);
        return ollamaErrorResponse(error);
      }
      call.api.log('error', `${call.request.method} ${new URL(call.request.url).pathname}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      return ollamaErrorResponse(new ApiError('server', `Internal error: ${errorMessage(error)}`));
    }
  };
}
