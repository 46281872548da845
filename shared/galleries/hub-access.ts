// How the core reaches galleries and the hub: an injected fetch, the HF endpoint, and the token
// that only the hub gets (never github or other hosts a gallery points at).
import type { FetchLike } from '../downloads/download-io.js';
import { fetchLimitedText } from './fetch-limited-text.js';
import { resolveUri, type ResolvedUri } from './resolve-uri.js';

export interface HubAccess {
  fetch: FetchLike;
  /** Base URL of the Hugging Face hub. Defaults to `https://huggingface.co` where it is read from the environment. */
  hfEndpoint: string;
  /** Sent as a Bearer token to the hub only. */
  hfToken?: string;
  /**
   * Refuses (with an ApiError) a URL that must not be downloaded, before an install starts, so the
   * request gets the refusal and nothing is fetched. The sidecar's private-address guard.
   */
  checkUrl?: (url: string) => Promise<void>;
}

/** Gallery index files may be large (LocalAI's has thousands of entries), but not unbounded. */
export const MAX_INDEX_BYTES = 16 * 1024 * 1024;
/** Model definitions and configs are a few kilobytes. */
export const MAX_DEFINITION_BYTES = 1024 * 1024;

export function hubHeaders(access: HubAccess, resolved: ResolvedUri): Record<string, string> {
  return resolved.hub && access.hfToken ? { authorization: `Bearer ${access.hfToken}` } : {};
}

export async function fetchUriText(access: HubAccess, uri: string, maxBytes: number, signal?: AbortSignal): Promise<string> {
  const resolved = resolveUri(uri, access.hfEndpoint);
  return fetchLimitedText(access.fetch, resolved.url, maxBytes, { headers: hubHeaders(access, resolved), ...(signal ? { signal } : {}) });
}
