// Reading a repo's small files (configs, tokenizers) whole, with errors naming the file.
import type { ByteSource } from './byte-source.js';
import { badModelFile } from './conversion-error.js';
import type { RepoSource } from './repo-source.js';

type Json = Record<string, unknown>;

/** Small repo files (configs, tokenizers) read whole; anything bigger than this is not one. */
const MAX_TEXT_FILE = 256 << 20;

export async function readWholeFile(source: ByteSource): Promise<Uint8Array> {
  if (source.size > MAX_TEXT_FILE) throw badModelFile(source.name, `it is ${source.size} bytes, too big for this kind of file.`);
  const bytes = await source.read(0, source.size);
  if (bytes.length !== source.size) throw badModelFile(source.name, 'it ends early. Download it again.');
  return bytes;
}

/** A JSON object file of the repo, or undefined when the repo has no such file. */
export async function readRepoJson(repo: RepoSource, path: string): Promise<Json | undefined> {
  const source = await repo.file(path);
  if (source === undefined) return undefined;
  const text = new TextDecoder().decode(await readWholeFile(source));
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw badModelFile(source.name, `it is not valid JSON (${error instanceof Error ? error.message : String(error)}).`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw badModelFile(source.name, 'it is not a JSON object.');
  return value as Json;
}

/** A RepoSource over files in memory (path -> bytes): tests, and repos small enough to hold. */
export function memoryRepo(name: string, files: ReadonlyMap<string, Uint8Array>): RepoSource {
  const sources = new Map<string, ByteSource>();
  return {
    name,
    async file(path) {
      const bytes = files.get(path);
      if (bytes === undefined) return undefined;
      let source = sources.get(path);
      if (source === undefined) {
        source = { name: `${name}/${path}`, size: bytes.length, read: async (offset, length) => bytes.subarray(offset, Math.min(bytes.length, offset + length)) };
        sources.set(path, source);
      }
      return source;
    },
  };
}
