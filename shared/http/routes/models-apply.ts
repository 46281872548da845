import type { ApiContext } from '../api-context.js';
import { parseJsonBody } from '../parse/parse-json-body.js';
import { parseApplyRequest } from '../../galleries/parse-apply-request.js';
import { jobResponse, requireGalleries } from './require-galleries.js';
import type { RouteOptions } from './route-options.js';

/** POST /models/apply: validates and plans at once (errors are 4xx), downloads in a job. */
export async function handleModelsApply(api: ApiContext, request: Request, options: RouteOptions): Promise<Response> {
  const galleries = requireGalleries(api);
  const body = parseApplyRequest(await parseJsonBody(request, options.maxBodyBytes));
  const { job } = await galleries.apply(body);
  return jobResponse(request, job.status.uuid);
}
