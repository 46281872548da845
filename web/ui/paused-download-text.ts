// The line a paused model download shows: how far it got, in the same units as the progress line.
import { formatBytes } from '../models/model-limits.js';

export function pausedDownloadText(received: number, total: number | undefined): string {
  if (total === undefined || total <= 0) return `Paused at ${formatBytes(received)}`;
  return `Paused at ${Math.floor((received / total) * 100)}% (${formatBytes(received)} of ${formatBytes(total)})`;
}
