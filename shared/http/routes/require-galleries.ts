import { ApiError } from '../../base/api-error.js';
import type { ApiContext } from '../api-context.js';
import type { ModelGalleries } from '../../galleries/model-galleries.js';

/** The /models/* gallery routes exist only where the composition root wired galleries. */
export function requireGalleries(api: ApiContext): ModelGalleries {
  if (api.galleries === undefined) {
    throw new ApiError('not_found', 'Model galleries and installs are not available here.', { code: 'galleries_unavailable' });
  }
  return api.galleries;
}

/** LocalAI answers installs and deletes with the job's id and the URL to poll. */
export function jobResponse(request: Request, uuid: string, extra: Record<string, unknown> = {}): Response {
  return Response.json({ uuid, status: `${new URL(request.url).origin}/models/jobs/${uuid}`, ...extra });
}
