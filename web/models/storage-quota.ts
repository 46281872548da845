// Persistent storage and quota: without persist() the browser may evict downloaded models under
// storage pressure, and the quota decides which models can be stored at all.
import type { StorageRoom } from './model-limits.js';

export interface StorageQuota extends StorageRoom {
  usage: number | undefined;
  quota: number | undefined;
  persisted: boolean;
}

/** Asks once for persistent storage; browsers may say no (then models can be evicted). */
export async function requestPersistentStorage(): Promise<boolean> {
  if (navigator.storage?.persist === undefined) return false;
  if (await navigator.storage.persisted()) return true;
  return navigator.storage.persist().catch(() => false);
}

export async function readStorageQuota(): Promise<StorageQuota> {
  const storage = navigator.storage;
  if (storage?.estimate === undefined) return { usage: undefined, quota: undefined, available: undefined, persisted: false };
  const [estimate, persisted] = await Promise.all([storage.estimate(), storage.persisted().catch(() => false)]);
  const available = estimate.quota !== undefined && estimate.usage !== undefined ? Math.max(0, estimate.quota - estimate.usage) : undefined;
  return { usage: estimate.usage, quota: estimate.quota, available, persisted };
}
