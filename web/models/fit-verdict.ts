// Whether a model can run here, decided from its size before any byte is downloaded: in this tab
// (WASM's per-file limit, the site's storage room, the device's memory), only with the sidecar
// (a native process with no such limits), or not on this device at all.
import { formatBytes, MAX_MODEL_FILE_BYTES } from './model-limits.js';

export type FitKind = 'tab' | 'sidecar' | 'too-big';

export interface FitVerdict {
  kind: FitKind;
  /** One line in the user's words: the verdict and the limit behind it. */
  reason: string;
}

export interface DeviceRoom {
  /** Bytes this site may still store, when the browser says. */
  storageAvailable?: number | undefined;
  /**
   * navigator.deviceMemory in GB, when the browser gives it. Chromium rounds it down and caps it at
   * 8, so 8 means "8 or more" and can never prove a model too big.
   */
  deviceMemoryGb?: number | undefined;
}

const GIB = 1024 ** 3;
/** The weights plus context and the rest of the system must fit in memory: allow the weights ¾ of it. */
const WEIGHTS_SHARE_OF_MEMORY = 0.75;
/** A tab shares memory with the browser: keep its model under half of the device's. */
const TAB_SHARE_OF_MEMORY = 0.5;
const CAPPED_DEVICE_MEMORY_GB = 8;

export function fitVerdict(bytes: number, room: DeviceRoom): FitVerdict {
  const memory = room.deviceMemoryGb;
  const memoryKnownBelow = memory !== undefined && memory < CAPPED_DEVICE_MEMORY_GB;
  if (memoryKnownBelow && bytes > memory * GIB * WEIGHTS_SHARE_OF_MEMORY) {
    return { kind: 'too-big', reason: `Too big for this device: ${formatBytes(bytes)} of weights, and this device reports about ${memory} GB of memory.` };
  }
  if (bytes > MAX_MODEL_FILE_BYTES) {
    return { kind: 'sidecar', reason: `Needs the sidecar: ${formatBytes(bytes)} is over the in-browser engine's ${formatBytes(MAX_MODEL_FILE_BYTES)} per file.` };
  }
  if (memoryKnownBelow && bytes > memory * GIB * TAB_SHARE_OF_MEMORY) {
    return { kind: 'sidecar', reason: `Needs the sidecar: ${formatBytes(bytes)} is more than a tab should take of this device's ${memory} GB of memory.` };
  }
  if (room.storageAvailable !== undefined && bytes > room.storageAvailable) {
    return { kind: 'sidecar', reason: `Needs the sidecar: this site may store only ${formatBytes(room.storageAvailable)} more (free disk space to run it in the tab).` };
  }
  return { kind: 'tab', reason: 'Fits in this tab.' };
}
