// The tab's side of the converter: a legacy GGML or rwkv.cpp model (a Blob) becomes a GGUF in the
// origin's private storage (OPFS folder `hearth-cache`, apart from the models the app lists), once;
// later loads of the same file with the same config values (and, for an rwkv.cpp model, the same
// tokenizer file beside it) use that copy. createWritable() writes
// a swap file that is only committed on close(), so a failed or aborted conversion leaves nothing.
import type { ByteSink, ByteSource } from '../../shared/convert/byte-source.js';
import { convertToGguf, sniffModelFormat } from '../../shared/convert/convert-to-gguf.js';
import type { ConversionSettings, ModelCompanion } from '../../shared/engine/engine.js';
import { ApiError } from '../../shared/base/api-error.js';
import type { RwkvExtras } from '../../shared/convert/rwkv-cpp-to-gguf.js';
import { findRwkvTokenizer } from '../../shared/convert/rwkv-tokenizer-files.js';
import { CACHE_FOLDER, isConvertedCopyOf } from './converted-copy-names.js';

export { CACHE_FOLDER };
/** Bumped when the converter's output changes, so older copies are converted again. */
const CONVERTER_VERSION = 1;

export function blobSource(name: string, blob: Blob): ByteSource {
  return { name, size: blob.size, read: async (offset, length) => new Uint8Array(await blob.slice(offset, offset + length).arrayBuffer()) };
}

/** A short, stable tag of the values that change the converted bytes. */
export function stampOf(size: number | string, settings: ConversionSettings): string {
  const text = JSON.stringify({ v: CONVERTER_VERSION, size, settings });
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return (h >>> 0).toString(16).padStart(8, '0');
}

export interface GgufInWorker {
  file: Blob;
  converted: boolean;
}

export async function ggufInWorker(
  file: Blob,
  { fileName, settings = {}, companions = {} }: { fileName: string; settings?: ConversionSettings; companions?: Readonly<Record<string, ModelCompanion>> },
  signal: AbortSignal,
  onProgress: (fraction: number) => void,
): Promise<GgufInWorker> {
  const source = blobSource(fileName, file);
  const format = await sniffModelFormat(source);
  // GGUF, and files we do not recognise, go to llama.cpp as they are: it names what is wrong.
  if (format === 'gguf' || format === 'unknown') return { file, converted: false };
  const tokenizer = format === 'rwkv' ? await rwkvTokenizer(fileName, companions, signal) : {};
  // The tokenizer file's size and time are in the stamp: replacing it converts again.
  const stamp = stampOf(tokenizer.stamp === undefined ? file.size : `${file.size}|${tokenizer.stamp}`, settings);
  return convertIntoCache(fileName, `${fileName}.${stamp}.gguf`, (sink) => convertToGguf(format, source, sink, settings, { signal, onProgress }, tokenizer.extras ?? {}));
}

/** The tokenizer the page found beside an rwkv.cpp model (the sidecar's rule: shared/convert/rwkv-tokenizer-files.ts). */
async function rwkvTokenizer(fileName: string, companions: Readonly<Record<string, ModelCompanion>>, signal: AbortSignal): Promise<{ extras?: RwkvExtras; stamp?: string }> {
  const found = findRwkvTokenizer(fileName, (name) => companions[name] !== undefined);
  const companion = found === undefined ? undefined : companions[found.name];
  if (found === undefined || companion === undefined) return {};
  const stamp = `${found.name}:${companion.stamp}`;
  if (found.kind === 'paired-tokenizer') return { extras: { pairedTokenizer: found.name }, stamp };
  const response = await fetch(companion.source, { signal }).catch((error: unknown) => {
    signal.throwIfAborted();
    throw new ApiError('server', `Could not read ${found.name} from browser storage (${String(error)}). Check that it is still stored.`, { cause: error });
  });
  if (!response.ok) throw new ApiError('server', `Could not read ${found.name} from browser storage (HTTP ${response.status}). Check that it is still stored.`);
  return { extras: { worldVocab: { name: found.name, text: await response.text() } }, stamp };
}

/**
 * The converted copy `name` in `hearth-cache`, converting it first when it is not there; copies of
 * `key` under other stamps are then stale and removed.
 */
export async function convertIntoCache(key: string, name: string, convert: (sink: ByteSink) => Promise<void>): Promise<GgufInWorker> {
  const root = await navigator.storage.getDirectory();
  const folder = await root.getDirectoryHandle(CACHE_FOLDER, { create: true });
  const existing = await folder.getFileHandle(name).then((h) => h.getFile(), () => undefined);
  // An empty entry is what an interrupted conversion leaves (its swap file was never committed).
  if (existing !== undefined && existing.size > 0) return { file: existing, converted: false };
  const handle = await folder.getFileHandle(name, { create: true });
  const writable = await handle.createWritable();
  const sink: ByteSink = { write: (bytes) => writable.write(bytes as Uint8Array<ArrayBuffer>) };
  try {
    await convert(sink);
    await writable.close();
  } catch (error) {
    await writable.abort().catch(() => undefined);
    await folder.removeEntry(name).catch(() => undefined);
    throw error;
  }
  await removeOlderCopies(folder, key, name);
  return { file: await handle.getFile(), converted: true };
}

/** The async iteration Chromium implements; declared here because not every TS DOM lib has it. */
interface IterableDirectory {
  keys(): AsyncIterable<string>;
}

/** Copies of the same file converted with other config values (or from an older upload) are stale. */
async function removeOlderCopies(folder: FileSystemDirectoryHandle, fileName: string, keep: string): Promise<void> {
  const stale: string[] = [];
  for await (const entry of (folder as unknown as IterableDirectory).keys()) {
    if (entry !== keep && isConvertedCopyOf(entry, fileName)) stale.push(entry);
  }
  await Promise.all(stale.map((entry) => folder.removeEntry(entry).catch(() => undefined)));
}
