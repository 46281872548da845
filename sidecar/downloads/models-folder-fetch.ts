// The fetch the sidecar gives the shared core: the network for http(s), and file:// only for
// files inside the models folder (gallery indexes and configs kept next to the models).
import { createReadStream } from 'node:fs';
import { realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { ApiError } from '../../shared/base/api-error.js';
import type { FetchLike } from '../../shared/downloads/download-io.js';

export function modelsFolderFetch(folder: string, network: typeof fetch = fetch): FetchLike {
  return async (url, init) => {
    if (!url.toLowerCase().startsWith('file:')) {
      return network(url, { headers: init.headers, ...(init.signal ? { signal: init.signal } : {}), redirect: 'follow' });
    }
    let file: string;
    let root: string;
    try {
      file = await realpath(fileURLToPath(url));
      root = await realpath(folder);
    } catch {
      return new Response(null, { status: 404 });
    }
    if (!file.startsWith(root + path.sep)) {
      throw new ApiError('invalid_request', `${url} is outside the models folder (${folder}); file:// URIs may only name files inside it.`, { code: 'unsupported_uri' });
    }
    const info = await stat(file);
    if (!info.isFile()) return new Response(null, { status: 404 });
    const body = Readable.toWeb(createReadStream(file)) as ReadableStream<Uint8Array>;
    return new Response(body, { status: 200, headers: { 'content-length': String(info.size) } });
  };
}
