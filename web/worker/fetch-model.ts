// Fetches a model file into a Blob, reporting download progress. We fetch ourselves instead of
// wllama's loadModelFromUrl: that one also copies the file into wllama's own cache, and browser
// model storage belongs to the app, which hands us a same-origin path or a blob: URL.
import { ApiError } from '../../shared/base/api-error.js';
import { readChunks } from '../../shared/downloads/read-chunks.js';

export async function fetchModel(source: string, signal: AbortSignal, onProgress: (fraction: number) => void): Promise<Blob> {
  let response: Response;
  try {
    response = await fetch(source, { signal });
  } catch (error) {
    signal.throwIfAborted();
    throw new ApiError('server', `Could not fetch the model file ${source}: ${String(error)}. Check that the file is still stored.`, { cause: error });
  }
  if (!response.ok || response.body === null) {
    throw new ApiError(response.status === 404 ? 'not_found' : 'server', `Could not fetch the model file ${source}: HTTP ${response.status}.`);
  }
  const total = Number(response.headers.get('content-length') ?? 0);
  const parts: Uint8Array<ArrayBuffer>[] = [];
  let received = 0;
  for await (const value of readChunks(response.body)) {
    // Chunks of a fetch body are backed by plain ArrayBuffers.
    parts.push(value as Uint8Array<ArrayBuffer>);
    received += value.byteLength;
    if (total > 0) onProgress(Math.min(1, received / total));
  }
  return new Blob(parts);
}
