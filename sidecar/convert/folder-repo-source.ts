// A RepoSource over a folder on disk (a downloaded Hugging Face repo such as a GPTQ checkpoint).
// Files open lazily on first use and stay open until `close()`: the converter reads a shard many
// times (once per tensor), and re-opening it each time would cost a syscall pair per tensor.
// WHO CLOSES: whoever called openFolderRepo, always, in a `finally` (the converter never does).
import type { FileHandle } from 'node:fs/promises';
import { open, realpath } from 'node:fs/promises';
import path from 'node:path';
import type { ByteSource } from '../../shared/convert/byte-source.js';
import type { RepoSource } from '../../shared/convert/repo-source.js';
import { fileByteSource } from './file-byte-source.js';

export interface FolderRepoSource extends RepoSource {
  /** Closes every file handle opened so far. Safe to call twice. */
  close(): Promise<void>;
}

/**
 * A path inside the repo, or undefined when it could leave the folder: absolute paths, "..",
 * backslashes (Windows separators) and NUL are refused outright, before touching the disk.
 */
export function safeRepoPath(relative: string): string | undefined {
  if (relative === '' || relative.includes('\0') || relative.includes('\\') || relative.startsWith('/')) return undefined;
  const parts = relative.split('/');
  if (parts.some((p) => p === '' || p === '.' || p === '..')) return undefined;
  return parts.join(path.sep);
}

/** `name` is what error messages show (the repo id the user wrote, e.g. "TheBloke/orca_mini_v2_13b-GPTQ"). */
export function openFolderRepo(folder: string, name: string = path.basename(folder)): FolderRepoSource {
  type Entry = { handle: FileHandle; source: ByteSource };
  // Promises, not handles: two tensors asking for the same shard at once must share one handle.
  const entries = new Map<string, Promise<Entry | undefined>>();
  let closed = false;
  let root: Promise<string | undefined> | undefined;

  async function openEntry(relative: string): Promise<Entry | undefined> {
    const inside = safeRepoPath(relative);
    if (inside === undefined) return undefined;
    root ??= realpath(folder).catch(() => undefined);
    const base = await root;
    if (base === undefined) return undefined;
    // Resolve symlinks too: a link inside the repo pointing outside it is as much an escape as "..".
    const real = await realpath(path.join(base, inside)).catch(() => undefined);
    if (real === undefined || !real.startsWith(base + path.sep)) return undefined;
    const handle = await open(real, 'r').catch(() => undefined);
    if (handle === undefined) return undefined;
    const stat = await handle.stat();
    if (!stat.isFile() || closed) {
      await handle.close();
      return undefined;
    }
    return { handle, source: fileByteSource(handle, `${name}/${relative}`, stat.size) };
  }

  return {
    name,
    async file(relative) {
      if (closed) throw new Error(`Repo ${name} was already closed.`);
      let entry = entries.get(relative);
      if (entry === undefined) {
        entry = openEntry(relative);
        entries.set(relative, entry);
      }
      return (await entry)?.source;
    },
    async close() {
      closed = true;
      const all = await Promise.all(entries.values());
      entries.clear();
      await Promise.all(all.map((e) => e?.handle.close().catch(() => undefined)));
    },
  };
}
