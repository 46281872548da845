// DNS rebinding: a page whose name was pointed at 127.0.0.1 sends its own name as Host and its own
// origin as Origin. Node's fetch cannot set Host, so these requests go through node:http.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from './harness.js';

interface RawAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

function raw(port: number, route: string, headers: Record<string, string>, method = 'GET', body?: string): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, path: route, method, headers, timeout: 30_000 }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
    });
    req.on('timeout', () => req.destroy(new Error('timed out')));
    req.on('error', reject);
    req.end(body);
  });
}

const chat = JSON.stringify({ model: 'tiny.gguf', messages: [{ role: 'user', content: 'hi' }], max_tokens: 1 });

describe('Host guard', () => {
  let harness: Harness;
  let webDir: string;
  beforeAll(async () => {
    webDir = mkdtempSync(path.join(tmpdir(), 'hearth-web-'));
    writeFileSync(path.join(webDir, 'index.html'), '<!doctype html><title>Hearth</title>');
    harness = await startHarness({ sidecar: { allowedHosts: ['hearth.test'] }, webAppPath: webDir });
  });
  afterAll(async () => {
    await harness?.close();
    rmSync(webDir, { recursive: true, force: true });
  });

  it('refuses a rebound request (evil Host, matching Origin) with 403, no CORS and no work done', async () => {
    const answer = await raw(harness.sidecar.port, '/v1/chat/completions', { host: 'evil.example:8080', origin: 'http://evil.example:8080', 'content-type': 'application/json' }, 'POST', chat);
    expect(answer.status).toBe(403);
    expect(answer.headers['access-control-allow-origin']).toBeUndefined();
    const error = (JSON.parse(answer.body) as { error: { code: string; type: string; message: string } }).error;
    expect(error).toMatchObject({ code: 'host_not_allowed', type: 'permission_error' });
    expect(error.message).toContain('--allowed-hosts evil.example');
    expect(harness.sidecar.models.isLoaded('tiny.gguf')).toBe(false);
    // The operator learns why, once per name.
    await raw(harness.sidecar.port, '/v1/models', { host: 'evil.example' });
    expect(harness.log.filter((line) => line.startsWith('warn') && line.includes('"evil.example"') && line.includes('--allowed-hosts'))).toHaveLength(1);
  });

  it('guards every path: the web app, /healthz, /metrics and the Ollama routes', async () => {
    const page = await raw(harness.sidecar.port, '/', { host: 'evil.example' });
    expect(page.status).toBe(403);
    expect(page.body).toContain('--allowed-hosts');
    for (const route of ['/healthz', '/metrics', '/api/tags']) expect((await raw(harness.sidecar.port, route, { host: 'evil.example' })).status, route).toBe(403);
    expect(JSON.parse((await raw(harness.sidecar.port, '/api/tags', { host: 'evil.example' })).body)).toHaveProperty('error');
  });

  it('serves loopback names and --allowed-hosts names, the web app included', async () => {
    for (const host of [`127.0.0.1:${harness.sidecar.port}`, `localhost:${harness.sidecar.port}`, '[::1]:1', 'hearth.test:8080']) {
      expect((await raw(harness.sidecar.port, '/v1/models', { host })).status, host).toBe(200);
      expect((await raw(harness.sidecar.port, '/', { host })).status, host).toBe(200);
    }
    // The official client and a same-origin browser call keep working.
    expect((await harness.client.models.list()).data.map((m) => m.id)).toContain('tiny.gguf');
    const sameOrigin = await raw(harness.sidecar.port, '/v1/models', { host: `127.0.0.1:${harness.sidecar.port}`, origin: harness.sidecar.url });
    expect(sameOrigin.headers['access-control-allow-origin']).toBe(harness.sidecar.url);
  });
});
