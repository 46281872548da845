// The fit verdict of a gallery entry, before any model byte is downloaded: the install plan (only
// the small definition files are fetched) names the files, and a HEAD request gives each size.
import type { InstallPlan } from '../../shared/galleries/install-plan.js';
import { fitVerdict, type FitVerdict } from '../models/fit-verdict.js';
import { readStorageQuota } from '../models/storage-quota.js';

/** Bytes of the plan's files from HEAD requests; undefined when a server does not say. */
export async function plannedBytes(plan: InstallPlan, fetchHead: typeof fetch = fetch): Promise<number | undefined> {
  let total = 0;
  for (const file of plan.files) {
    const response = await fetchHead(file.url, { method: 'HEAD' });
    const length = Number(response.headers.get('content-length') ?? Number.NaN);
    if (!response.ok || !Number.isFinite(length)) return undefined;
    total += length;
  }
  return total;
}

export async function galleryFit(plan: () => Promise<InstallPlan>): Promise<FitVerdict | undefined> {
  const [bytes, quota] = await Promise.all([plan().then((p) => plannedBytes(p)), readStorageQuota()]);
  if (bytes === undefined) return undefined;
  return fitVerdict(bytes, { storageAvailable: quota.available, deviceMemoryGb: (navigator as { deviceMemory?: number }).deviceMemory });
}
