// Refusing models that cannot work before any byte is downloaded: a file the engine cannot load or
// the browser cannot store would otherwise fail minutes later with an opaque error.

import { MAX_MODEL_FILE_BYTES } from '../worker/wasm-file-limit.js';

export { MAX_MODEL_FILE_BYTES };

export interface StorageRoom {
  /** Bytes the origin may still store (quota minus usage), or undefined when the browser will not say. */
  available: number | undefined;
}

export class ModelRefusedError extends Error {
  override readonly name = 'ModelRefusedError';
}

export function formatBytes(bytes: number): string {
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit += 1;
  }
  return `${value < 10 && unit > 0 ? value.toFixed(1) : Math.round(value)} ${units[unit]}`;
}

/** Throws ModelRefusedError naming the limit and what to do instead. */
export function assertModelFits(fileName: string, bytes: number, room: StorageRoom): void {
  if (bytes > MAX_MODEL_FILE_BYTES) {
    throw new ModelRefusedError(
      `${fileName} is ${formatBytes(bytes)}; the in-browser engine (32-bit WebAssembly) loads at most ${formatBytes(MAX_MODEL_FILE_BYTES)} per file. ` +
        'Choose a smaller quantization, or run it with the sidecar (npm start).',
    );
  }
  if (room.available !== undefined && bytes > room.available) {
    throw new ModelRefusedError(
      `${fileName} is ${formatBytes(bytes)} but this site may only store ${formatBytes(room.available)} more. Delete a model or free disk space, then try again.`,
    );
  }
}
