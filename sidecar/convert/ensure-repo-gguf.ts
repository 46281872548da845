// The GGUF for a model that is a folder of files (autogptq: a GPTQ checkpoint): converted once into
// the models folder's `.hearth-cache/<folder>.gguf`, and re-used while every file at the folder's
// top (size, modification time) and the config values written into it stay the same.
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { convertRepoToGguf } from '../../shared/convert/convert-to-gguf.js';
import type { ConversionSettings, ProgressCallback } from '../../shared/engine/engine.js';
import { CONVERTER_VERSION, convertedPath, isCurrent, writeConverted, type GgufFile } from './ensure-gguf.js';
import { openFolderRepo } from './folder-repo-source.js';

export interface EnsureRepoGgufOptions {
  /** The repo as the config named it, for messages. */
  name: string;
  settings?: ConversionSettings;
  signal?: AbortSignal;
  onProgress?: ProgressCallback;
  /** Called once when a conversion starts (not when the cache is used). */
  onConvert?: (target: string) => void;
}

/** Size and modification time of every file at the folder's top: what the conversion may read. */
async function folderStamp(folder: string): Promise<string[]> {
  const entries = await readdir(folder, { withFileTypes: true }).catch(() => []);
  const stamps = await Promise.all(
    entries
      .filter((entry) => !entry.name.startsWith('.') && !entry.name.endsWith('.partial'))
      .map(async (entry) => {
        const info = await stat(path.join(folder, entry.name)).catch(() => undefined);
        return info?.isFile() === true ? `${entry.name}:${info.size}:${info.mtimeMs}` : undefined;
      }),
  );
  return stamps.filter((stamp): stamp is string => stamp !== undefined).sort();
}

export async function ensureRepoGguf(folder: string, { name, settings = {}, signal, onProgress, onConvert }: EnsureRepoGgufOptions): Promise<GgufFile> {
  const target = convertedPath(folder);
  const stamp = JSON.stringify({ converter: CONVERTER_VERSION, format: 'autogptq', files: await folderStamp(folder), settings });
  if (await isCurrent(target, stamp)) return { path: target, converted: false };
  onConvert?.(target);
  const repo = openFolderRepo(folder, name);
  try {
    await writeConverted(target, stamp, name, (sink) => convertRepoToGguf(repo, sink, settings, { ...(signal ? { signal } : {}), ...(onProgress ? { onProgress } : {}) }));
  } finally {
    await repo.close();
  }
  return { path: target, converted: true };
}
