// The sidecar's web app serving on the wire: content types, cache policy, isolation headers, the
// router as the answer for API paths and missing files, and no way out of the app folder.
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveWebApp } from '../../sidecar/serve-web-app.js';

describe('serveWebApp', () => {
  let root: string;
  let outside: string;
  let handle: (request: Request) => Response | Promise<Response>;
  const get = async (pathname: string, method = 'GET'): Promise<Response> => handle(new Request(`http://127.0.0.1${pathname}`, { method }));

  beforeAll(async () => {
    root = await mkdtemp(path.join(tmpdir(), 'hearth-web-'));
    outside = await mkdtemp(path.join(tmpdir(), 'hearth-outside-'));
    await mkdir(path.join(root, 'assets'));
    const files: Record<string, string> = {
      'index.html': '<!doctype html>',
      'sw.js': 'self;',
      'manifest.webmanifest': '{}',
      'assets/app-abc.js': 'export {};',
      'assets/wllama-abc.wasm': '\0asm',
      'assets/model-abc.gguf': 'GGUF',
    };
    for (const [name, text] of Object.entries(files)) await writeFile(path.join(root, name), text);
    await writeFile(path.join(outside, 'secret.txt'), 'secret');
    await symlink(path.join(outside, 'secret.txt'), path.join(root, 'leak.txt'));
    await symlink(outside, path.join(root, 'out'));
    handle = serveWebApp(root, async (request) => Response.json({ api: new URL(request.url).pathname }, { status: 404 }));
  });
  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
    await rm(outside, { recursive: true, force: true });
  });

  it('serves files with their content type, cross-origin isolation and the cache policy', async () => {
    const cases: Array<[string, string, string]> = [
      ['/', 'text/html; charset=utf-8', 'no-cache'],
      ['/sw.js', 'text/javascript; charset=utf-8', 'no-cache'],
      ['/manifest.webmanifest', 'application/manifest+json', 'no-cache'],
      ['/assets/app-abc.js', 'text/javascript; charset=utf-8', 'public, max-age=31536000, immutable'],
      ['/assets/wllama-abc.wasm', 'application/wasm', 'public, max-age=31536000, immutable'],
      ['/assets/model-abc.gguf', 'application/octet-stream', 'public, max-age=31536000, immutable'],
    ];
    for (const [pathname, type, cache] of cases) {
      const response = await get(pathname);
      expect([pathname, response.status, response.headers.get('content-type'), response.headers.get('cache-control')]).toEqual([pathname, 200, type, cache]);
      expect(response.headers.get('cross-origin-opener-policy')).toBe('same-origin');
      expect(response.headers.get('cross-origin-embedder-policy')).toBe('require-corp');
      expect(response.headers.get('cross-origin-resource-policy')).toBe('same-origin');
    }
    expect(await (await get('/assets/model-abc.gguf')).text()).toBe('GGUF');
    const head = await get('/index.html', 'HEAD');
    expect([head.status, head.headers.get('content-type'), await head.text()]).toEqual([200, 'text/html; charset=utf-8', '']);
  });

  it('leaves API paths, other methods and missing files to the router (no SPA fallback)', async () => {
    for (const pathname of ['/v1/models', '/models/available', '/readyz', '/healthz', '/completions', '/nope', '/assets/missing.js']) {
      expect(await (await get(pathname)).json()).toEqual({ api: pathname });
    }
    expect(await (await get('/index.html', 'POST')).json()).toEqual({ api: '/index.html' });
  });

  it('never serves anything outside the app folder', async () => {
    for (const pathname of ['/leak.txt', '/out/secret.txt', '/%2e%2e/%2e%2e/etc/passwd', '/..%2f..%2fetc/passwd', '/assets/..%2f..%2fsecret.txt', '/%00']) {
      const response = await get(pathname);
      expect([pathname, response.status, await response.text()]).not.toContain('secret');
      expect(response.status, pathname).toBe(404);
    }
  });
});
