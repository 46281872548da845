// How converted copies are named in OPFS `hearth-cache`: `<key>.<stamp>.gguf`, where the key is the
// stored model file's name, or `repo--<owner-repo>` for a repo. The worker writes them; the page
// deletes them with the model they came from. No imports: both builds use it.

/** The OPFS folder converted GGUF copies live in, apart from the models the app lists. */
export const CACHE_FOLDER = 'hearth-cache';

/** Repo names hold "/" (owner/repo); cache entries are plain names. */
export function repoCacheKey(repoName: string): string {
  return `repo--${repoName.replace(/[^A-Za-z0-9._-]/g, '-')}`;
}

/** Whether `entry` is a converted copy of `key` (under any stamp), and not of another file that merely starts the same. */
export function isConvertedCopyOf(entry: string, key: string): boolean {
  return entry.startsWith(`${key}.`) && /^[0-9a-f]{8}\.gguf$/.test(entry.slice(key.length + 1));
}
