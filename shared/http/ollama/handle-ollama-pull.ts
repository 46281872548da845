// POST /api/pull {"model"}: installs through the gallery/hub installer, as `hearth models install`
// does (`gallery@name`, a gallery name, `owner/repo/file`, or a URL). The install is checked first
// (4xx as plain errors), then its progress streams as NDJSON; "stream": false answers when done.
import { ApiError } from '../../base/api-error.js';
import { readOptionalBoolean } from '../../base/field-readers.js';
import { errorMessage } from '../../base/error-message.js';
import type { ApiContext } from '../api-context.js';
import { parseJsonBody } from '../parse/parse-json-body.js';
import type { RouteOptions } from '../routes/route-options.js';
import { requireGalleries } from '../routes/require-galleries.js';
import { ndjsonResponse } from '../ndjson.js';
import { readOllamaModel } from './parse-ollama-request.js';
import { pullProgress } from './pull-progress.js';

export async function handleOllamaPull(api: ApiContext, request: Request, options: RouteOptions): Promise<Response> {
  const galleries = requireGalleries(api);
  const body = await parseJsonBody(request, options.maxBodyBytes);
  const model = readOllamaModel(body);
  if (model === undefined) throw new ApiError('invalid_request', "'model' is required: gallery@name or owner/repo/file.", { param: 'model', code: 'missing_required_parameter' });
  const { job, done } = await galleries.installTarget(model);
  if (readOptionalBoolean(body, 'stream') === false) {
    await done;
    return Response.json({ status: 'success' });
  }
  // The install goes on if the client leaves; only its progress stops.
  done.catch(() => undefined);
  return ndjsonResponse(pullProgress(job, done, request.signal), { signal: request.signal, onError: (error) => api.log('warn', `pull of ${model} failed: ${errorMessage(error)}`) });
}
