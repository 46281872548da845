// Fetches the files a GPTQ checkpoint needs from a Hugging Face repo into a store (the sidecar: the
// repo's own folder in the models folder; the tab: browser storage, names prefixed with the repo).
// The repo is listed with the hub's API (`GET {endpoint}/api/models/{owner}/{repo}`, whose
// `siblings` name every file), so only what the conversion reads is downloaded, never other
// branches' or formats' weights. Each file goes through downloadFile: `.partial` until complete,
// resumed on the next load, the token sent to the hub only. A small marker file written last says
// the repo is complete, so later loads need no network.
import { ApiError } from '../base/api-error.js';
import type { ProgressCallback } from '../engine/engine.js';
import { downloadFile } from '../downloads/download-file.js';
import type { HashFactory, ModelFileWriter } from '../downloads/download-io.js';
import type { HubRepoId } from '../models/model-repos.js';
import { REPO_MARKER, SMALL_FILES } from './hub-repo-files.js';
import { fetchLimitedText } from './fetch-limited-text.js';
import { MAX_INDEX_BYTES, type HubAccess } from './hub-access.js';

export { REPO_MARKER };

export interface FetchHubRepoOptions {
  hub: HubAccess;
  repo: HubRepoId;
  /** Where the files go, by file name (`name(path)`). */
  files: ModelFileWriter;
  /** The store's name for a repo file (its path in the repo, or a prefixed name in a flat store). */
  name: (path: string) => string;
  createHash: HashFactory;
  /** `model_base_name`: which weights to fetch; without it every `.safetensors` at the repo's top. */
  modelBaseName?: string;
  signal?: AbortSignal;
  onProgress?: ProgressCallback;
  /** Refuses (throws) weights too big for where they are going, before they are downloaded (the tab's WASM limit). */
  checkWeights?: (bytes: number) => void;
}

interface Marker {
  repo: string;
  modelBaseName: string | null;
  files: string[];
}

/** True when an earlier call fetched this repo for the same `model_base_name`. */
export async function isRepoFetched(files: ModelFileWriter, name: (path: string) => string, repo: HubRepoId, modelBaseName: string | undefined): Promise<boolean> {
  if (!(await files.exists(name(REPO_MARKER)))) return false;
  try {
    let text = '';
    const decoder = new TextDecoder();
    for await (const chunk of files.read(name(REPO_MARKER))) text += decoder.decode(chunk, { stream: true });
    const marker = JSON.parse(text) as Marker;
    return marker.repo === repo.id && marker.modelBaseName === (modelBaseName ?? null);
  } catch {
    return false;
  }
}

function apiUrl(hub: HubAccess, repo: HubRepoId): string {
  return `${hub.hfEndpoint.replace(/\/+$/, '')}/api/models/${encodeURIComponent(repo.owner)}/${encodeURIComponent(repo.repo)}?blobs=true`;
}

function fileUrl(hub: HubAccess, repo: HubRepoId, path: string): string {
  return `${hub.hfEndpoint.replace(/\/+$/, '')}/${encodeURIComponent(repo.owner)}/${encodeURIComponent(repo.repo)}/resolve/main/${encodeURIComponent(path)}`;
}

function authHeaders(hub: HubAccess): Record<string, string> {
  return hub.hfToken ? { authorization: `Bearer ${hub.hfToken}` } : {};
}

/** The repo's top-level files with their sizes (when the hub gave them). */
async function listRepo(options: FetchHubRepoOptions): Promise<Map<string, number | undefined>> {
  const { hub, repo, signal } = options;
  const url = apiUrl(hub, repo);
  await hub.checkUrl?.(url);
  let text: string;
  try {
    text = await fetchLimitedText(hub.fetch, url, MAX_INDEX_BYTES, { headers: authHeaders(hub), ...(signal ? { signal } : {}) });
  } catch (error) {
    if (error instanceof ApiError && error.kind === 'not_found') {
      throw new ApiError(
        'not_found',
        `The Hugging Face repo "${repo.id}" (parameters.model) was not found at ${hub.hfEndpoint} (HTTP 404). Check the owner and repo name; a private or gated repo also needs HF_TOKEN.`,
        { param: 'model', code: 'model_repo_not_found', cause: error },
      );
    }
    throw error;
  }
  let siblings: unknown;
  try {
    siblings = (JSON.parse(text) as { siblings?: unknown }).siblings;
  } catch {
    siblings = undefined;
  }
  if (!Array.isArray(siblings)) {
    throw new ApiError('server', `${url} did not answer with the repo's file list ("siblings"), so "${repo.id}" cannot be downloaded from it.`, { code: 'download_failed' });
  }
  const listed = new Map<string, number | undefined>();
  for (const sibling of siblings as Array<{ rfilename?: unknown; size?: unknown }>) {
    if (typeof sibling.rfilename !== 'string' || sibling.rfilename.includes('/')) continue;
    listed.set(sibling.rfilename, typeof sibling.size === 'number' ? sibling.size : undefined);
  }
  return listed;
}

/** The weights to fetch: `<base>.safetensors`, or its index and the shards the index names. */
async function weightFiles(listed: ReadonlyMap<string, number | undefined>, options: FetchHubRepoOptions, download: (path: string) => Promise<void>): Promise<string[]> {
  // As the converter reads it: a trailing ".safetensors" is accepted and dropped.
  const base = options.modelBaseName?.replace(/\.safetensors$/, '') || undefined;
  const bases = base === undefined ? [...listed.keys()].filter((file) => file.endsWith('.safetensors')).map((file) => file.slice(0, -'.safetensors'.length)) : [base];
  const indexes = [...listed.keys()].filter((file) => file.endsWith('.safetensors.index.json') && (base === undefined || file === `${base}.safetensors.index.json`));
  const wanted = new Set(bases.map((name) => `${name}.safetensors`).filter((file) => listed.has(file)));
  for (const index of indexes) {
    await download(index);
    let text = '';
    const decoder = new TextDecoder();
    for await (const chunk of options.files.read(options.name(index))) text += decoder.decode(chunk, { stream: true });
    try {
      const map = (JSON.parse(text) as { weight_map?: Record<string, unknown> }).weight_map ?? {};
      for (const shard of Object.values(map)) if (typeof shard === 'string' && listed.has(shard)) wanted.add(shard);
    } catch {
      // A broken index is the converter's error to report, naming the file.
    }
  }
  return [...wanted];
}

/** Downloads what is missing; returns the repo paths now stored. */
export async function fetchHubRepo(options: FetchHubRepoOptions): Promise<string[]> {
  const { hub, repo, files, name, signal, onProgress } = options;
  const listed = await listRepo(options);
  const sizeOf = (path: string): number => listed.get(path) ?? 0;
  const done = new Map<string, number>();
  let planned = 0;
  const download = async (path: string): Promise<void> => {
    signal?.throwIfAborted();
    if (!(await files.exists(name(path)))) {
      await downloadFile({
        fetch: hub.fetch,
        files,
        createHash: options.createHash,
        url: fileUrl(hub, repo, path),
        headers: authHeaders(hub),
        fileName: name(path),
        ...(signal ? { signal } : {}),
        onProgress: ({ downloaded }) => {
          done.set(path, downloaded);
          if (planned > 0) onProgress?.(Math.min(1, [...done.values()].reduce((a, b) => a + b, 0) / planned));
        },
      });
    }
    done.set(path, sizeOf(path));
  };
  // The shard index (small) first: it names the weights, so the progress can cover all the bytes.
  const weights = await weightFiles(listed, options, download);
  const small = SMALL_FILES.filter((file) => listed.has(file));
  const indexes = [...done.keys()];
  planned = [...small, ...weights, ...indexes].reduce((sum, path) => sum + sizeOf(path), 0);
  options.checkWeights?.(weights.reduce((sum, path) => sum + sizeOf(path), 0));
  for (const path of [...small, ...weights]) await download(path);
  onProgress?.(1);
  const stored = [...small, ...indexes, ...weights];
  const marker: Marker = { repo: repo.id, modelBaseName: options.modelBaseName ?? null, files: stored };
  await files.writeText(name(REPO_MARKER), JSON.stringify(marker));
  return stored;
}
