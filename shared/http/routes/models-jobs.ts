import { ApiError } from '../../base/api-error.js';
import type { ApiContext } from '../api-context.js';
import type { JobStatus } from '../../galleries/job-tracker.js';
import { requireGalleries } from './require-galleries.js';

/** GET /models/jobs/:uuid */
export function handleModelsJob(api: ApiContext, uuid: string): Response {
  const job = requireGalleries(api).jobs.get(uuid);
  if (job === undefined) throw new ApiError('not_found', `There is no job ${uuid}. Jobs are kept in memory until the server restarts.`, { code: 'job_not_found' });
  return Response.json(job.status);
}

/** GET /models/jobs: every job by uuid, as LocalAI answers. */
export function handleModelsJobs(api: ApiContext): Response {
  const jobs: Record<string, JobStatus> = {};
  for (const job of requireGalleries(api).jobs.all()) jobs[job.status.uuid] = job.status;
  return Response.json(jobs);
}
