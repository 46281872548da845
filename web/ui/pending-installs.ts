// The 'pendingInstalls' setting: work a reload must not lose. Gallery installs are stored as their
// entry id (a string, as before); a model download added by URL or name, paused or cut off by the
// reload, as an object, so it is listed as paused and resumes with Range from its partial file.
// Both panels read and write this one list, each keeping the other's entries.
import { loadSetting, saveSetting } from './settings-storage.js';

export interface PendingDownload {
  kind: 'download';
  url: string;
  /** The name the finished file gets; its bytes so far are in `<fileName>.partial`. */
  fileName: string;
  /** What the user asked for, shown in the row. */
  label: string;
  /** The server's ETag (or Last-Modified) of the file the partial bytes came from, sent as If-Range. */
  validator?: string;
  /** Complete size, when the server said. */
  total?: number;
}

export type PendingInstall = string | PendingDownload;

function isPendingDownload(value: unknown): value is PendingDownload {
  if (typeof value !== 'object' || value === null) return false;
  const entry = value as Record<string, unknown>;
  return (
    entry['kind'] === 'download' &&
    typeof entry['url'] === 'string' &&
    typeof entry['fileName'] === 'string' &&
    typeof entry['label'] === 'string' &&
    (entry['validator'] === undefined || typeof entry['validator'] === 'string') &&
    (entry['total'] === undefined || (typeof entry['total'] === 'number' && Number.isSafeInteger(entry['total'])))
  );
}

/** Reads the setting's text; anything unreadable is dropped rather than breaking the page. */
export function parsePendingInstalls(text: string | undefined): PendingInstall[] {
  try {
    const value: unknown = JSON.parse(text ?? '[]');
    return Array.isArray(value) ? value.filter((entry): entry is PendingInstall => typeof entry === 'string' || isPendingDownload(entry)) : [];
  } catch {
    return [];
  }
}

export function serializePendingInstalls(entries: readonly PendingInstall[]): string {
  return entries.length === 0 ? '' : JSON.stringify(entries);
}

function keyOf(entry: PendingInstall): string {
  return typeof entry === 'string' ? `gallery:${entry}` : `download:${entry.fileName}`;
}

/** Adds or replaces `entry` (gallery ids by id, downloads by file name). */
export function withPending(entries: readonly PendingInstall[], entry: PendingInstall): PendingInstall[] {
  return [...entries.filter((other) => keyOf(other) !== keyOf(entry)), entry];
}

export function withoutPending(entries: readonly PendingInstall[], entry: PendingInstall): PendingInstall[] {
  return entries.filter((other) => keyOf(other) !== keyOf(entry));
}

export function loadPendingInstalls(): PendingInstall[] {
  return parsePendingInstalls(loadSetting('pendingInstalls'));
}

export function savePending(entry: PendingInstall, pending: boolean): void {
  const entries = loadPendingInstalls();
  saveSetting('pendingInstalls', serializePendingInstalls(pending ? withPending(entries, entry) : withoutPending(entries, entry)));
}

export function pendingDownloads(): PendingDownload[] {
  return loadPendingInstalls().filter((entry): entry is PendingDownload => typeof entry !== 'string');
}
