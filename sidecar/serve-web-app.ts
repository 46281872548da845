// Serves the built browser app (dist/web) at `/` next to the API, so `npm start` gives both. Only
// GET/HEAD of non-API paths are files; everything else, and any missing file, goes to the router,
// whose JSON 404 stays the answer for unknown routes. COOP/COEP make the page cross-origin
// isolated, which multi-threaded WASM needs.
import { existsSync } from 'node:fs';
import { readFile, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { isApiPath } from '../shared/http/api-routes.js';
import { ISOLATION_HEADERS, MIME_TYPES } from './web-app-headers.js';

type FetchHandler = (request: Request) => Response | Promise<Response>;


/** dist/web next to the compiled sidecar (dist/sidecar) or the source tree (sidecar/), if built. */
export function findWebApp(): string | undefined {
  const candidates = ['../../dist/web', '../dist/web'].map((relative) => fileURLToPath(new URL(relative, import.meta.url)));
  return candidates.find((dir) => existsSync(path.join(dir, 'index.html')));
}

export function serveWebApp(root: string, api: FetchHandler): FetchHandler {
  const base = path.resolve(root);
  // The root's real path does not change while we serve it: resolve it once, on first use.
  let realBase: Promise<string> | undefined;
  return async (request) => {
    const { pathname } = new URL(request.url);
    if ((request.method !== 'GET' && request.method !== 'HEAD') || isApiPath(pathname)) return api(request);
    const file = await fileFor(base, (realBase ??= realpath(base)), pathname);
    if (file === undefined) return api(request);
    const headers = {
      ...ISOLATION_HEADERS,
      'content-type': MIME_TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream',
      // Hashed assets never change; pages and the service worker must be revalidated.
      'cache-control': pathname.startsWith('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache',
    };
    return new Response(request.method === 'HEAD' ? null : new Uint8Array(await readFile(file)), { headers });
  };
}

/** The regular file under `root` (whose real path is `realRoot`) for a URL path (`/` is index.html), never outside it. */
async function fileFor(root: string, realRoot: Promise<string>, pathname: string): Promise<string | undefined> {
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    return undefined;
  }
  if (decoded.includes('\0')) return undefined;
  const candidate = path.join(root, path.normalize(decoded.endsWith('/') ? `${decoded}index.html` : decoded));
  try {
    const real = await realpath(candidate);
    if (!real.startsWith((await realRoot) + path.sep)) return undefined;
    return (await stat(real)).isFile() ? real : undefined;
  } catch {
    return undefined;
  }
}
