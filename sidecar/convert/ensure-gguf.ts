// Gives llama.cpp a GGUF for any model file: a GGUF as it is; a legacy GGML or rwkv.cpp file
// converted once into `.hearth-cache/<file>.gguf` beside it, and that copy re-used while the source
// (size, modification time) and the config values written into it stay the same. The conversion
// writes a temporary name and renames it at the end, so a failed or aborted one leaves nothing behind.
import { mkdir, open, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import type { Stats } from 'node:fs';
import path from 'node:path';
import type { ConversionSettings, ProgressCallback } from '../../shared/engine/engine.js';
import type { ByteSink } from '../../shared/convert/byte-source.js';
import { convertToGguf, sniffModelFormat, type ConvertibleFormat } from '../../shared/convert/convert-to-gguf.js';
import type { RwkvExtras } from '../../shared/convert/rwkv-cpp-to-gguf.js';
import { findRwkvTokenizer, rwkvTokenizerCandidates } from '../../shared/convert/rwkv-tokenizer-files.js';
import { fileByteSink, fileByteSource } from './file-byte-source.js';
import { ApiError } from '../../shared/base/api-error.js';
import { errorMessage } from '../../shared/base/error-message.js';

/** Bumped when the converter's output changes, so older cached files are converted again. */
export const CONVERTER_VERSION = 1;
export const CACHE_FOLDER = '.hearth-cache';

export interface EnsureGgufOptions {
  settings?: ConversionSettings;
  signal?: AbortSignal;
  onProgress?: ProgressCallback;
  /** Called once when a conversion starts (not when the cache is used). */
  onConvert?: (format: ConvertibleFormat, target: string) => void;
}

export interface GgufFile {
  path: string;
  /** True when this call converted the file (false: it was GGUF already, or the cache was used). */
  converted: boolean;
}

/** Where a model's converted GGUF lives. */
export function convertedPath(source: string): string {
  return path.join(path.dirname(source), CACHE_FOLDER, `${path.basename(source)}.gguf`);
}

export async function ensureGguf(source: string, { settings = {}, signal, onProgress, onConvert }: EnsureGgufOptions = {}): Promise<GgufFile> {
  // A file that cannot be opened goes to llama.cpp's loader as it is, whose errors name the problem
  // (a missing file is a 404 there).
  const handle = await open(source, 'r').catch(() => undefined);
  if (handle === undefined) return { path: source, converted: false };
  try {
    const info = await handle.stat();
    const name = path.basename(source);
    const bytes = fileByteSource(handle, name, info.size);
    const format = await sniffModelFormat(bytes);
    // GGUF, and files we do not recognise, go to llama.cpp as they are: it names what is wrong.
    if (format === 'gguf' || format === 'unknown') return { path: source, converted: false };
    const target = convertedPath(source);
    const extras = format === 'rwkv' ? await rwkvExtras(source) : {};
    const stamp = JSON.stringify({ converter: CONVERTER_VERSION, size: info.size, mtimeMs: info.mtimeMs, settings, tokenizer: extras.stamp });
    if (await isCurrent(target, stamp)) return { path: target, converted: false };
    onConvert?.(format, target);
    await writeConverted(target, stamp, name, (sink) => convertToGguf(format, bytes, sink, settings, { ...(signal ? { signal } : {}), ...(onProgress ? { onProgress } : {}) }, extras.extras ?? {}));
    return { path: target, converted: true };
  } finally {
    await handle.close();
  }
}

/**
 * Writes a conversion to `target` through a temporary name, then its stamp: a failed or aborted
 * conversion leaves neither (the stamp goes first, so a crash mid-way is never taken as current).
 */
export async function writeConverted(target: string, stamp: string, name: string, convert: (sink: ByteSink) => Promise<void>): Promise<void> {
  const temporary = `${target}.${process.pid}.${Date.now()}.partial`;
  const out = await mkdir(path.dirname(target), { recursive: true })
    .then(() => open(temporary, 'w'))
    .catch((error: unknown) => {
      throw new ApiError('server', `${name} must be converted to GGUF once, but ${path.dirname(target)} cannot be written (${errorMessage(error)}). Make the models folder writable, or convert the model elsewhere and put the GGUF in the folder.`, {
        code: 'model_load_failed',
        cause: error,
      });
    });
  try {
    try {
      await convert(fileByteSink(out));
    } finally {
      await out.close();
    }
    await rm(stampPath(target), { force: true });
    await rename(temporary, target);
    await writeFile(stampPath(target), stamp);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}

/** The tokenizer file beside an rwkv.cpp model (shared/convert/rwkv-tokenizer-files.ts), and a stamp of it for the cache. */
async function rwkvExtras(source: string): Promise<{ extras?: RwkvExtras; stamp?: string }> {
  const dir = path.dirname(source);
  const file = path.basename(source);
  const found = new Map<string, Stats>();
  for (const { name } of rwkvTokenizerCandidates(file)) {
    const info = await stat(path.join(dir, name)).catch(() => undefined);
    if (info?.isFile() === true) found.set(name, info);
  }
  const tokenizer = findRwkvTokenizer(file, (name) => found.has(name));
  const info = tokenizer === undefined ? undefined : found.get(tokenizer.name);
  if (tokenizer === undefined || info === undefined) return {};
  const stamp = `${tokenizer.name}:${info.size}:${info.mtimeMs}`;
  if (tokenizer.kind === 'paired-tokenizer') return { extras: { pairedTokenizer: tokenizer.name }, stamp };
  return { extras: { worldVocab: { name: tokenizer.name, text: await readFile(path.join(dir, tokenizer.name), 'utf8') } }, stamp };
}

const stampPath = (target: string): string => `${target}.source.json`;

/** Removes a model file's converted copy and its stamp (the model was deleted); nothing if it has none. */
export async function removeConverted(source: string): Promise<void> {
  const target = convertedPath(source);
  await rm(target, { force: true });
  await rm(stampPath(target), { force: true });
}

export async function isCurrent(target: string, stamp: string): Promise<boolean> {
  try {
    const [written] = await Promise.all([readFile(stampPath(target), 'utf8'), stat(target)]);
    return written === stamp;
  } catch {
    return false;
  }
}
