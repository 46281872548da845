// Which stored files are Hugging Face repos (autogptq). Browser storage is flat, so a repo's files
// are stored as `owner--repo--<file>` (web/models/browser-repos.ts); the catalog hides them, and
// the Models panel shows each repo once, by grouping those names back. Pure: names in, repos out.
import { isHubRepoFile, REPO_MARKER } from '../../shared/galleries/hub-repo-files.js';
import { parseHubRepoId } from '../../shared/models/model-repos.js';

/** What a paused or interrupted download keeps (opfs-model-file-writer.ts): the repo's bytes too. */
const PARTIAL = '.partial';

export interface StoredRepo {
  /** `owner/repo`, as configs name it in parameters.model. */
  name: string;
  /** The stored file names, all starting `owner--repo--` (the hidden fetched-marker too: a delete takes every one). */
  files: string[];
  /** The repo's own files, as the user counts them (not the marker). */
  fileCount: number;
  bytes: number;
}

/** The repo a stored file belongs to (`owner/repo`), or undefined for any other file. */
export function repoOfStoredFile(fileName: string): string | undefined {
  const [owner, repo, ...rest] = fileName.split('--');
  if (owner === undefined || repo === undefined || rest.length === 0) return undefined;
  const id = parseHubRepoId(`${owner}/${repo}`);
  const path = rest.join('--');
  // Only the kinds of file a repo download stores: a user's own `a--b--c.gguf` stays a model.
  return id !== undefined && isHubRepoFile(path.endsWith(PARTIAL) ? path.slice(0, -PARTIAL.length) : path) ? id.id : undefined;
}

/** Stored files grouped by repo, sorted by name; other files are left out. */
export function groupStoredRepos(files: ReadonlyArray<{ name: string; size: number }>): StoredRepo[] {
  const repos = new Map<string, StoredRepo>();
  for (const file of files) {
    const name = repoOfStoredFile(file.name);
    if (name === undefined) continue;
    const repo = repos.get(name) ?? { name, files: [], fileCount: 0, bytes: 0 };
    repo.files.push(file.name);
    if (!file.name.endsWith(`--${REPO_MARKER}`)) repo.fileCount += 1;
    repo.bytes += file.size;
    repos.set(name, repo);
  }
  return [...repos.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}
