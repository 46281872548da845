// A tiny static server for the built web app (dist/web) in browser tests. It sends the headers the
// app needs for multi-threaded WASM (COOP/COEP, plus CORP so every subresource passes COEP), serves
// Range requests, and logs every request so tests can assert that nothing foreign was fetched.
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { join, normalize, resolve, sep } from 'node:path';
import { getMimeType } from 'hono/utils/mime';
import { ISOLATION_HEADERS } from '../../sidecar/web-app-headers.js';
import { listenOnLoopback } from '../fixtures/listen-on-loopback.js';


export interface LoggedRequest {
  method: string;
  url: string;
}

export interface StaticServerOptions {
  /** Folder served at `/`. Defaults to `dist/web` of the repository. */
  root?: string;
  /** Send the COOP/COEP/CORP headers. Defaults to `true` (tests of the single-thread path turn it off). */
  isolation?: boolean;
}

export interface StaticServer {
  /** `http://127.0.0.1:<port>` without a trailing slash. */
  readonly url: string;
  /** Every request seen so far, in order. */
  readonly requests: readonly LoggedRequest[];
  /** Serves `filePath` at the exact URL path `urlPath` (e.g. `/models/tiny.gguf`). */
  addFile(urlPath: string, filePath: string): void;
  close(): Promise<void>;
}

const DEFAULT_ROOT = resolve(import.meta.dirname, '../../dist/web');

export async function startStaticServer(options: StaticServerOptions = {}): Promise<StaticServer> {
  const root = resolve(options.root ?? DEFAULT_ROOT);
  const headers = options.isolation === false ? {} : ISOLATION_HEADERS;
  const extraFiles = new Map<string, string>();
  const requests: LoggedRequest[] = [];

  const server = createServer((req, res) => {
    requests.push({ method: req.method ?? 'GET', url: req.url ?? '/' });
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) res.writeHead(500, headers);
      res.end(String(error));
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { ...headers, allow: 'GET, HEAD' }).end();
      return;
    }
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    const file = extraFiles.get(path) ?? resolveInRoot(root, path);
    const info = file === undefined ? undefined : await stat(file).catch(() => undefined);
    if (file === undefined || info === undefined || !info.isFile()) {
      res.writeHead(404, { ...headers, 'content-type': 'text/plain' }).end(`Not found: ${path}`);
      return;
    }
    const base = {
      ...headers,
      // The table serveStatic uses in the sidecar, so tests get the content types users get.
      'content-type': getMimeType(file) ?? 'application/octet-stream',
      'accept-ranges': 'bytes',
      'cache-control': 'no-store',
    };
    const range = parseRange(req.headers.range, info.size);
    if (range === 'invalid') {
      res.writeHead(416, { ...base, 'content-range': `bytes */${info.size}` }).end();
      return;
    }
    const [start, end] = range ?? [0, info.size - 1];
    const status = range === undefined ? 200 : 206;
    res.writeHead(status, {
      ...base,
      'content-length': String(Math.max(0, end - start + 1)),
      ...(range === undefined ? {} : { 'content-range': `bytes ${start}-${end}/${info.size}` }),
    });
    if (req.method === 'HEAD' || info.size === 0) {
      res.end();
      return;
    }
    createReadStream(file, { start, end }).pipe(res);
  }

  const url = await listenOnLoopback(server);

  return {
    url,
    requests,
    addFile(urlPath, filePath) {
      extraFiles.set(urlPath, filePath);
    },
    close: () =>
      new Promise<void>((done) => {
        server.closeAllConnections();
        server.close(() => done());
      }),
  };
}

/** The file under `root` for a URL path (`/` is index.html), or undefined if it would escape root. */
function resolveInRoot(root: string, urlPath: string): string | undefined {
  const relative = normalize(urlPath.endsWith('/') ? `${urlPath}index.html` : urlPath).replace(/^([/\\])+/, '');
  const file = join(root, relative);
  return file === root || file.startsWith(root + sep) ? file : undefined;
}

/** A single `bytes=a-b` range, clamped to the file; multi-range requests are served whole. */
function parseRange(header: string | undefined, size: number): [number, number] | 'invalid' | undefined {
  const match = header === undefined ? null : /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (match === null) return undefined;
  const [, from = '', to = ''] = match;
  if (from === '' && to === '') return 'invalid';
  const start = from === '' ? Math.max(0, size - Number(to)) : Number(from);
  const end = from === '' || to === '' ? size - 1 : Math.min(Number(to), size - 1);
  return start > end || start >= size ? 'invalid' : [start, end];
}
