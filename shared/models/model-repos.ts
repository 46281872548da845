// Models that are a folder of files (backend autogptq: a Hugging Face GPTQ checkpoint). A config's
// `parameters.model` names either a folder in the models folder (`orca-gptq`) or a repo on the hub
// (`TheBloke/orca_mini_v2_13b-GPTQ`, as LocalAI's autogptq backend takes it), which is fetched into
// the models folder as `TheBloke--orca_mini_v2_13b-GPTQ` on the model's first load, as AutoGPTQ
// itself downloads on first load. Each surface implements where the files live.
import type { ConversionSettings, ModelRepo, ProgressCallback } from '../engine/engine.js';

export interface RepoLocation {
  /** ModelLoadSpec.source: the repo folder's path in the sidecar, the repo's name in the tab. */
  source: string;
  repo: ModelRepo;
}

export interface PrepareRepoOptions {
  settings: ConversionSettings;
  /** Reported only while files are downloaded (a stored repo reports nothing). */
  onProgress?: ProgressCallback;
  signal?: AbortSignal;
}

export interface ModelRepos {
  /** The repo `model` names, downloaded first when it is a hub repo not stored yet. Rejects with ApiError. */
  prepare(model: string, options: PrepareRepoOptions): Promise<RepoLocation>;
}

export interface HubRepoId {
  owner: string;
  repo: string;
  /** `owner/repo`. */
  id: string;
  /** The plain folder (sidecar) or file-name prefix (tab) it is stored under: `owner--repo`. */
  folder: string;
}

const OWNER_OR_REPO = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

/** `owner/repo` (exactly two plain segments, as the hub spells repo ids), else undefined. */
export function parseHubRepoId(model: string): HubRepoId | undefined {
  const parts = model.split('/');
  if (parts.length !== 2) return undefined;
  const [owner, repo] = parts as [string, string];
  if (!OWNER_OR_REPO.test(owner) || !OWNER_OR_REPO.test(repo) || owner.endsWith('.') || repo.endsWith('.')) return undefined;
  return { owner, repo, id: model, folder: `${owner}--${repo}` };
}
