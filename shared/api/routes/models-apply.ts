import type { ApiContext } from '../api-context.js';
import { parseJsonBody } from '../parse/parse-json-body.js';
import { parseApplyRequest } from '../../galleries/parse-apply-request.js';
import { jobResponse, requireGalleries } from './require-galleries.js';

/** POST /models/apply: validates and plans at once (errors are 4xx), downloads in a job. */
export async function handleModelsApply(api: ApiContext, request: Request): Promise<Response> {
  const galleries = requireGalleries(api);
  const body = parseApplyRequest(await parseJsonBody(request));
  const { job } = await galleries.apply(body);
  return jobResponse(request, job.status.uuid);
}
