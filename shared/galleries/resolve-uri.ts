// Gallery and file URIs -> the URL to fetch. Only these schemes are fetched:
//   http(s)://...                         as is
//   file://...                            as is; the sidecar only serves it from inside the models folder
//   github:owner/repo/path[@branch]       raw.githubusercontent.com (branch defaults to main)
//   huggingface://owner/repo/path[@rev]   {HF_ENDPOINT}/owner/repo/resolve/{rev}/path (also hf://)
import { ApiError } from '../base/api-error.js';

export interface ResolvedUri {
  url: string;
  /** True for URLs on the Hugging Face endpoint: only those get HF_TOKEN. */
  hub: boolean;
}

export const DEFAULT_HF_ENDPOINT = 'https://huggingface.co';

function unsupported(uri: string, reason: string): ApiError {
  return new ApiError(
    'invalid_request',
    `Cannot fetch ${JSON.stringify(uri)}: ${reason}. Use http(s)://, github:owner/repo/path@branch, huggingface://owner/repo/path or a file:// path inside the models folder.`,
    { code: 'unsupported_uri' },
  );
}

/** Splits "owner/repo/some/path@rev" and checks every segment is a plain name. */
function repoPath(uri: string, rest: string, defaultRevision: string): { owner: string; repo: string; path: string[]; revision: string } {
  let revision = defaultRevision;
  let body = rest;
  const at = rest.lastIndexOf('@');
  if (at > 0 && !rest.slice(at + 1).includes('/') && rest.slice(at + 1) !== '') {
    revision = rest.slice(at + 1);
    body = rest.slice(0, at);
  }
  const segments = body.split('/');
  if (segments.length < 3) throw unsupported(uri, 'it needs owner/repo/path');
  if (segments.some((s) => s === '' || s === '.' || s === '..' || s.includes('\\') || s.includes('\0'))) throw unsupported(uri, 'its path has an empty, "." or ".." segment');
  const [owner, repo, ...path] = segments as [string, string, ...string[]];
  return { owner, repo, path, revision };
}

const encodePath = (segments: readonly string[]): string => segments.map(encodeURIComponent).join('/');

export function trimEndpoint(endpoint: string): string {
  return endpoint.replace(/\/+$/, '');
}

export function resolveUri(uri: string, hfEndpoint: string = DEFAULT_HF_ENDPOINT): ResolvedUri {
  const endpoint = trimEndpoint(hfEndpoint);
  const trimmed = uri.trim();
  const scheme = /^([a-z][a-z0-9+.-]*):(\/\/)?/i.exec(trimmed);
  if (!scheme) throw unsupported(uri, 'it has no scheme');
  const name = (scheme[1] ?? '').toLowerCase();
  const rest = trimmed.slice(scheme[0].length);
  switch (name) {
    case 'http':
    case 'https': {
      let parsed: URL;
      try {
        parsed = new URL(trimmed);
      } catch {
        throw unsupported(uri, 'it is not a valid URL');
      }
      let hub = false;
      try {
        hub = parsed.origin === new URL(endpoint).origin;
      } catch {
        hub = false;
      }
      return { url: parsed.href, hub };
    }
    case 'file':
      if (scheme[2] === undefined) throw unsupported(uri, 'file URIs are written file:///absolute/path');
      return { url: trimmed, hub: false };
    case 'github': {
      const { owner, repo, path, revision } = repoPath(uri, rest, 'main');
      return { url: `https://raw.githubusercontent.com/${encodePath([owner, repo, revision])}/${encodePath(path)}`, hub: false };
    }
    case 'huggingface':
    case 'hf': {
      const { owner, repo, path, revision } = repoPath(uri, rest, 'main');
      return { url: `${endpoint}/${encodePath([owner, repo])}/resolve/${encodeURIComponent(revision)}/${encodePath(path)}`, hub: true };
    }
    default:
      throw unsupported(uri, `the scheme "${name}:" is not supported`);
  }
}
