// Downloads one URL into the store as `<file>.partial`, resuming with HTTP Range after a dropped
// connection (within this call) or a restart (a partial file left by an earlier run), verifying
// sha256 before the final rename. A file under its final name is therefore always complete.
import { ApiError } from '../base/api-error.js';
import type { FetchLike, HashFactory, ModelFileWriter, PartialFile } from './download-io.js';
import { formatBytes } from './format-bytes.js';
import { interpretRangeAnswer, rangeHeaders } from './range-plan.js';
import { readChunks } from './read-chunks.js';

export interface DownloadProgress {
  fileName: string;
  downloaded: number;
  /** Complete size, when the server said. */
  total: number | undefined;
}

export interface DownloadFileOptions {
  fetch: FetchLike;
  files: ModelFileWriter;
  createHash: HashFactory;
  url: string;
  /** Extra request headers (an Authorization for the hub). */
  headers?: Record<string, string>;
  fileName: string;
  /** Expected lowercase hex sha256; verified before the file gets its final name. */
  sha256?: string;
  signal?: AbortSignal;
  onProgress?: (progress: DownloadProgress) => void;
  /** New attempts after a connection drops mid-file. Defaults to 3. */
  retries?: number;
  /** Waits between attempts. Defaults to a timer of 250 ms times the attempt number. */
  sleep?: (milliseconds: number) => Promise<void>;
}

export interface DownloadResult {
  bytes: number;
  /** Bytes that were already in the partial file when this call started. */
  resumedFrom: number;
  /** Requests sent (more than one when a connection dropped). */
  requests: number;
}

/** Leaves some room so a download never fills the disk to the last byte. */
const FREE_SPACE_MARGIN = 64 * 1024 * 1024;

function describe(error: unknown): string {
  if (error instanceof Error) {
    const cause = error.cause instanceof Error ? `: ${error.cause.message}` : '';
    return `${error.message}${cause}`;
  }
  return String(error);
}

function httpFailure(url: string, status: number): ApiError {
  if (status === 404) {
    return new ApiError('not_found', `${url} answered 404: there is no such file. Check the owner, repository and file name.`, { code: 'download_not_found' });
  }
  const hint = status === 401 || status === 403 ? ' The file may be gated or private: set HF_TOKEN to a token that may read it.' : '';
  return new ApiError('server', `${url} answered HTTP ${status}.${hint}`, { code: 'download_failed' });
}

async function ensureSpace(files: ModelFileWriter, fileName: string, needed: number): Promise<void> {
  const free = await files.freeBytes();
  if (free === undefined || needed + FREE_SPACE_MARGIN <= free) return;
  throw new ApiError(
    'server',
    `Not enough disk space for ${fileName}: it needs ${formatBytes(needed)} more, and only ${formatBytes(free)} is free. Free some space and try again; the download resumes where it stopped.`,
    { code: 'insufficient_storage' },
  );
}

async function seedHash(options: DownloadFileOptions, partial: PartialFile): Promise<ReturnType<HashFactory> | undefined> {
  if (options.sha256 === undefined) return undefined;
  const hash = options.createHash();
  if (partial.size > 0) for await (const chunk of partial.read()) hash.update(chunk);
  return hash;
}

const defaultSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export async function downloadFile(options: DownloadFileOptions): Promise<DownloadResult> {
  const { files, fileName, url, signal } = options;
  const retries = options.retries ?? 3;
  const sleep = options.sleep ?? defaultSleep;
  const partial = await files.openPartial(fileName);
  const resumedFrom = partial.size;
  let requests = 0;
  let failures = 0;
  let finished = false;
  try {
    let hash = await seedHash(options, partial);
    let total: number | undefined;
    while (!finished) {
      signal?.throwIfAborted();
      const offset = partial.size;
      let response: Response;
      try {
        requests++;
        response = await options.fetch(url, { headers: { ...options.headers, ...rangeHeaders(offset) }, ...(signal ? { signal } : {}) });
      } catch (error) {
        if (error instanceof ApiError) throw error; // refused before anything was sent: retrying changes nothing
        if (signal?.aborted || ++failures > retries) throw new ApiError('server', `Could not reach ${url}: ${describe(error)}`, { code: 'download_failed', cause: error });
        await sleep(250 * failures);
        continue;
      }
      const answer = interpretRangeAnswer(response.status, response.headers, offset);
      if (answer.kind === 'failed') {
        await response.body?.cancel();
        throw httpFailure(url, answer.status);
      }
      if (answer.kind === 'complete') break;
      if (answer.kind === 'discard') {
        await response.body?.cancel();
        if (++failures > retries) throw new ApiError('server', `${url} does not answer range requests consistently.`, { code: 'download_failed' });
        await partial.truncate();
        hash = await seedHash(options, partial);
        continue;
      }
      if (answer.kind === 'restart' && offset > 0) {
        await partial.truncate();
        hash = await seedHash(options, partial);
      }
      total = answer.total;
      if (total !== undefined) await ensureSpace(files, fileName, total - partial.size);
      options.onProgress?.({ fileName, downloaded: partial.size, total });
      try {
        if (!response.body) throw new Error('the response has no body');
        for await (const chunk of readChunks(response.body)) {
          await partial.append(chunk);
          hash?.update(chunk);
          options.onProgress?.({ fileName, downloaded: partial.size, total });
        }
        if (total !== undefined && partial.size !== total) throw new Error(`the connection closed after ${partial.size} of ${total} bytes`);
        finished = true;
      } catch (error) {
        if (signal?.aborted) throw error;
        if (++failures > retries) {
          throw new ApiError('server', `Downloading ${url} failed after ${requests} attempts (${describe(error)}). Try again: it resumes from byte ${partial.size}.`, {
            code: 'download_interrupted',
            cause: error,
          });
        }
        await sleep(250 * failures);
      }
    }
    const bytes = partial.size;
    await partial.close();
    if (hash !== undefined && options.sha256 !== undefined) {
      const actual = await hash.digestHex();
      if (actual !== options.sha256.toLowerCase()) {
        await files.discardPartial(fileName);
        throw new ApiError('server', `${fileName} from ${url} is corrupt: its sha256 is ${actual}, but ${options.sha256} was expected. The download was deleted.`, {
          code: 'checksum_mismatch',
        });
      }
    }
    await files.commit(fileName);
    return { bytes, resumedFrom, requests };
  } catch (error) {
    // On failure the partial file stays so the next attempt resumes, unless it holds nothing.
    await partial.close().catch(() => undefined);
    if (partial.size === 0) await files.discardPartial(fileName).catch(() => undefined);
    throw error;
  }
}
