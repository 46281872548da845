// Serves the built browser app (dist/web) at `/` next to the API, so `npm start` gives both. Only
// GET/HEAD of non-API paths are files; everything else, and any missing file, goes to the router,
// whose JSON 404 stays the answer for unknown routes (no SPA fallback). Files come from
// @hono/node-server's serveStatic (content types, `..` refusal, Range); we add COOP/COEP, which
// make the page cross-origin isolated for multi-threaded WASM, and the cache policy.
import { existsSync } from 'node:fs';
import { realpath } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { isApiPath } from '../shared/http/api-routes.js';
import { serveStatic } from '@hono/node-server/serve-static';
import { Hono } from 'hono';
import { cacheControlFor, ISOLATION_HEADERS } from './web-app-headers.js';

type FetchHandler = (request: Request) => Response | Promise<Response>;

/** Marks the files app's own "no such file" answer, so the request goes on to the API. */
const NO_FILE = 'x-hearth-no-file';

/** dist/web next to the compiled sidecar (dist/sidecar) or the source tree (sidecar/), if built. */
export function findWebApp(): string | undefined {
  const candidates = ['../../dist/web', '../dist/web'].map((relative) => fileURLToPath(new URL(relative, import.meta.url)));
  return candidates.find((dir) => existsSync(path.join(dir, 'index.html')));
}

export function serveWebApp(root: string, api: FetchHandler): FetchHandler {
  const base = path.resolve(root);
  // The root's real path does not change while we serve it: resolve it once, on first use.
  let realBase: Promise<string> | undefined;
  const files = new Hono();
  // serveStatic refuses `..` but follows symlinks: a link out of the app folder is no file either.
  files.get('*', async (c, next) => {
    const real = await realpath(path.join(base, safeDecode(c.req.path))).catch(() => undefined);
    const inside = real !== undefined && (real === (await (realBase ??= realpath(base))) || real.startsWith((await realBase) + path.sep));
    return inside ? next() : c.notFound();
  });
  // Percent-decoded paths are still checked for `..` by serveStatic, as before this used it.
  files.get('*', serveStatic({ root: base, allowPercentInPath: true }));
  files.notFound((c) => c.body(null, 404, { [NO_FILE]: '1' }));
  return async (request) => {
    const { pathname } = new URL(request.url);
    if ((request.method !== 'GET' && request.method !== 'HEAD') || isApiPath(pathname)) return api(request);
    const response = await files.fetch(request);
    if (response.headers.has(NO_FILE)) return api(request);
    for (const [name, value] of Object.entries(ISOLATION_HEADERS)) response.headers.set(name, value);
    response.headers.set('cache-control', cacheControlFor(pathname));
    return response;
  };
}

function safeDecode(pathname: string): string {
  try {
    return decodeURI(pathname);
  } catch {
    return pathname;
  }
}
