// Deleting a model's converted GGUF copies from OPFS `hearth-cache` (the engine worker writes them:
// web/worker/gguf-in-worker.ts), so deleting a model frees the bytes its conversion took too.
import { CACHE_FOLDER, isConvertedCopyOf } from '../worker/converted-copy-names.js';

/** The async iteration Chromium implements; declared here because not every TS DOM lib has it. */
interface IterableDirectory {
  keys(): AsyncIterable<string>;
}

/** Removes every converted copy of `key` (any stamp); answers the names removed. */
export async function removeConvertedCopies(key: string): Promise<string[]> {
  // Outside a browser (the store's unit tests) there is no OPFS, so nothing was converted there.
  if (typeof navigator === 'undefined' || navigator.storage === undefined) return [];
  const root = await navigator.storage.getDirectory();
  const folder = await root.getDirectoryHandle(CACHE_FOLDER).catch(() => undefined);
  if (folder === undefined) return [];
  const copies: string[] = [];
  for await (const entry of (folder as unknown as IterableDirectory).keys()) if (isConvertedCopyOf(entry, key)) copies.push(entry);
  await Promise.all(copies.map((entry) => folder.removeEntry(entry)));
  return copies;
}
