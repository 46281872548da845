// Shared pieces of the gallery / download tests: a hub stand-in loaded with the tiny model and a
// gallery (test/fixtures/loaded-hub.ts), and polling a job with a deadline.
import type { JobStatus } from '../../shared/galleries/job-tracker.js';

export { GALLERY_INDEX, startLoadedHub, TINY_FILE, type LoadedHub } from '../fixtures/loaded-hub.js';

/** Polls GET /models/jobs/:uuid until processed, failing after `deadlineMs`. */
export async function waitForJob(root: string, uuid: string, deadlineMs = 30_000): Promise<JobStatus> {
  const deadline = Date.now() + deadlineMs;
  for (;;) {
    const status = (await (await fetch(`${root}/models/jobs/${uuid}`)).json()) as JobStatus;
    if (status.processed) return status;
    if (Date.now() > deadline) throw new Error(`job ${uuid} did not finish within ${deadlineMs} ms: ${JSON.stringify(status)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
