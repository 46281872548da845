// The models folder on disk as a ModelStore. Names from configs or requests are single file names:
// anything that could reach outside the folder (separators, "..", NUL, absolute paths, symlinks
// pointing elsewhere) is refused before the file system is touched.
import { realpathSync, statSync, type Dirent } from 'node:fs';
import { readdir, readFile, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { ApiError } from '../shared/base/api-error.js';
import type { ModelStore } from '../shared/models/model-store.js';

/** Config and template files are small; refuse anything that is not. */
const MAX_TEXT_BYTES = 1024 * 1024;

function isSafeFileName(name: string): boolean {
  return !(name === '' || name === '.' || name === '..' || name.includes('/') || name.includes('\\') || name.includes('\0') || path.isAbsolute(name));
}

export function assertSafeFileName(name: string): void {
  if (!isSafeFileName(name)) {
    throw new ApiError('invalid_request', `"${name}" is not a plain file name inside the models folder.`, { param: 'model', code: 'invalid_model_name' });
  }
}

export class ModelsFolder implements ModelStore {
  readonly location: string;
  #realRoot: string | undefined;
  /** Small files' text by real path, with the version (inode, size, mtime) it was read at. */
  readonly #texts = new Map<string, { version: string; text: string }>();

  constructor(folder: string) {
    this.location = path.resolve(folder);
  }

  async #root(): Promise<string> {
    this.#realRoot ??= await realpath(this.location);
    return this.#realRoot;
  }

  /** Resolves symlinks and checks the target is still a regular file inside the folder. */
  async #insideFile(name: string): Promise<{ real: string; size: bigint; version: string } | undefined> {
    assertSafeFileName(name);
    try {
      const real = await realpath(path.join(this.location, name));
      const root = await this.#root();
      if (path.dirname(real) !== root && !real.startsWith(root + path.sep)) return undefined;
      const stats = await stat(real, { bigint: true });
      return stats.isFile() ? { real, size: stats.size, version: `${stats.ino}:${stats.size}:${stats.mtimeNs}` } : undefined;
    } catch {
      return undefined;
    }
  }

  async listFiles(): Promise<string[]> {
    let entries: Dirent[];
    try {
      entries = await readdir(this.location, { withFileTypes: true });
    } catch {
      return [];
    }
    // This runs on every request. A regular file listed here is inside the folder by construction;
    // only links need their target checked, which costs two more file-system round trips.
    const checked = await Promise.all(
      entries.map(async (entry) => {
        // A name no request could use (a backslash is legal on Linux) is not listed.
        if (!isSafeFileName(entry.name)) return undefined;
        if (entry.isFile()) return entry.name;
        if (!entry.isSymbolicLink()) return undefined;
        return (await this.#insideFile(entry.name)) === undefined ? undefined : entry.name;
      }),
    );
    return checked.filter((name): name is string => name !== undefined);
  }

  async fileSize(name: string): Promise<number | undefined> {
    const size = (await this.#insideFile(name))?.size;
    return size === undefined ? undefined : Number(size);
  }

  async readText(name: string): Promise<string | undefined> {
    const file = await this.#insideFile(name);
    if (file === undefined) return undefined;
    if (file.size > BigInt(MAX_TEXT_BYTES)) {
      throw new ApiError('server', `${name} in ${this.location} is larger than ${MAX_TEXT_BYTES} bytes; config and template files must be small.`);
    }
    // Configs are read on every request; a file whose inode, size and nanosecond mtime are unchanged
    // is not read again (an editor's save, a rename over it or an append all change one of them).
    const cached = this.#texts.get(file.real);
    if (cached?.version === file.version) return cached.text;
    const text = await readFile(file.real, 'utf8');
    // Files come and go: start again rather than keep texts of files long deleted.
    if (this.#texts.size >= 1024) this.#texts.clear();
    this.#texts.set(file.real, { version: file.version, text });
    return text;
  }

  locate(name: string): string {
    assertSafeFileName(name);
    // The engine opens this path: resolve symlinks right before handing it over.
    let real: string;
    try {
      real = realpathSync(path.join(this.location, name));
    } catch {
      throw new ApiError('not_found', `The model file "${name}" is not in ${this.location}.`, { param: 'model', code: 'model_file_not_found' });
    }
    const root = realpathSync(this.location);
    if (!real.startsWith(root + path.sep) || !statSync(real).isFile()) {
      throw new ApiError('invalid_request', `"${name}" does not resolve to a file inside ${this.location}.`, { param: 'model', code: 'invalid_model_name' });
    }
    return real;
  }
}
