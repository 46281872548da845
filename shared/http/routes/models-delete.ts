import type { ApiContext } from '../api-context.js';
import { jobResponse, requireGalleries } from './require-galleries.js';

/** POST /models/delete/:name: removes exactly the files the install wrote (names checked: 400). */
export async function handleModelsDelete(api: ApiContext, request: Request, name: string): Promise<Response> {
  const { job, removed } = await requireGalleries(api).remove(name);
  return jobResponse(request, job.status.uuid, { removed });
}
