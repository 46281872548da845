// Small text files from the network (gallery indexes, model definitions, configs), read with a
// byte cap so a wrong or hostile URL cannot make us buffer gigabytes.
import { ApiError } from '../base/api-error.js';
import type { FetchLike } from '../downloads/download-io.js';
import { formatBytes } from '../downloads/format-bytes.js';
import { readAtMost } from '../downloads/read-at-most.js';
import { errorMessage } from '../base/error-message.js';

export async function fetchLimitedText(
  fetch: FetchLike,
  url: string,
  maxBytes: number,
  init: { headers?: Record<string, string>; signal?: AbortSignal } = {},
): Promise<string> {
  let response: Response;
  try {
    response = await fetch(url, { headers: init.headers ?? {}, ...(init.signal ? { signal: init.signal } : {}) });
  } catch (error) {
    if (error instanceof ApiError) throw error; // a refusal (private address, file outside the models folder) says why itself
    throw new ApiError('server', `Could not fetch ${url}: ${errorMessage(error)}`, { code: 'fetch_failed', cause: error });
  }
  if (!response.ok) {
    await response.body?.cancel();
    const kind = response.status === 404 ? 'not_found' : 'server';
    throw new ApiError(kind, `Could not fetch ${url}: HTTP ${response.status}.`, { code: 'fetch_failed' });
  }
  const declared = Number(response.headers.get('content-length'));
  const tooLarge = (): ApiError =>
    new ApiError('server', `${url} is larger than ${formatBytes(maxBytes)}, the limit for gallery and config files.`, { code: 'file_too_large' });
  if (Number.isFinite(declared) && declared > maxBytes) {
    await response.body?.cancel();
    throw tooLarge();
  }
  const bytes = response.body === null ? new Uint8Array(0) : await readAtMost(response.body, maxBytes);
  if (bytes === undefined) throw tooLarge();
  return new TextDecoder().decode(bytes);
}
