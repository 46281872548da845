// Galleries over the real sidecar: list, install by id with overrides, chat with it, delete it;
// checksum failures and traversal attempts leave nothing behind.
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BAN_HIGH_BYTES, post, startHarness, type Harness } from './harness.js';
import { GALLERY_INDEX, startLoadedHub, waitForJob, type LoadedHub } from './hub-helpers.js';

const ask = { messages: [{ role: 'user' as const, content: 'hi' }], max_tokens: 2, temperature: 0, logit_bias: BAN_HIGH_BYTES };

describe('model galleries', () => {
  let loaded: LoadedHub;
  let harness: Harness;
  let root: string;
  let outside: string;

  beforeAll(async () => {
    loaded = await startLoadedHub();
    harness = await startHarness({
      sidecar: { galleries: [{ name: 'hearth', url: `huggingface://${GALLERY_INDEX}` }], hfEndpoint: loaded.hub.url },
    });
    root = harness.baseURL.replace(/\/v1$/, '');
    outside = mkdtempSync(path.join(tmpdir(), 'hearth-outside-'));
  });
  afterAll(async () => {
    await harness?.close();
    await loaded?.hub.close();
    if (outside) rmSync(outside, { recursive: true, force: true });
  });

  const files = (): string[] => readdirSync(harness.modelsDir).sort();

  it('GET /models/galleries and /models/available list the galleries and their entries', async () => {
    expect(await (await fetch(`${root}/models/galleries`)).json()).toEqual([{ name: 'hearth', url: `huggingface://${GALLERY_INDEX}` }]);
    const available = (await (await fetch(`${root}/models/available`)).json()) as Array<{ id: string; installed: boolean; description?: string }>;
    expect(available.map((m) => m.id)).toEqual(['hearth@tiny-chat', 'hearth@tiny-corrupt', 'hearth@tiny-escape', 'hearth@tiny-link']);
    expect(available[0]).toMatchObject({ installed: false, description: 'The tiny test model with a ChatML template.', license: 'mit', gallery: { name: 'hearth' } });
  });

  it('installs by gallery id with overrides, then chats with it by name without a restart', async () => {
    const response = await post(root, '/models/apply', { id: 'hearth@tiny-chat', overrides: { parameters: { temperature: 0.3 }, context_size: 128 } });
    expect(response.status).toBe(200);
    const { uuid, status } = (await response.json()) as { uuid: string; status: string };
    expect(status).toBe(`${root}/models/jobs/${uuid}`);
    const job = await waitForJob(root, uuid);
    expect(job).toMatchObject({ processed: true, progress: 100, error: null, message: 'completed', installed_name: 'tiny-chat', gallery_model_name: 'hearth@tiny-chat' });
    expect(job.file_size_bytes).toBe(loaded.tinyBytes.length);

    expect(readFileSync(path.join(harness.modelsDir, 'tiny-q8_0.gguf')).equals(loaded.tinyBytes)).toBe(true);
    const yaml = readFileSync(path.join(harness.modelsDir, 'tiny-chat.yaml'), 'utf8');
    expect(yaml).toMatch(/name: tiny-chat/);
    expect(yaml).toMatch(/context_size: 128/);
    expect(yaml).toMatch(/temperature: 0.3/);
    expect(readFileSync(path.join(harness.modelsDir, 'chatml.tmpl'), 'utf8')).toContain('<|im_start|>{{.RoleName}}');

    const reply = await harness.client.chat.completions.create({ model: 'tiny-chat', ...ask });
    expect(reply.model).toBe('tiny-chat');
    expect(reply.usage?.completion_tokens).toBeGreaterThan(0);
    const ids = (await harness.client.models.list()).data.map((m) => m.id);
    expect(ids).toContain('tiny-chat');
    const available = (await (await fetch(`${root}/models/available`)).json()) as Array<{ id: string; installed: boolean }>;
    expect(available.find((m) => m.id === 'hearth@tiny-chat')?.installed).toBe(true);
    const jobs = (await (await fetch(`${root}/models/jobs`)).json()) as Record<string, unknown>;
    expect(Object.keys(jobs)).toContain(uuid);
  });

  it('a sha256 mismatch is reported on the job and nothing is left installed', async () => {
    const before = files();
    const { uuid } = (await (await post(root, '/models/apply', { id: 'hearth@tiny-corrupt' })).json()) as { uuid: string };
    const job = await waitForJob(root, uuid);
    expect(job).toMatchObject({ processed: true, message: 'error' });
    expect(job.error).toMatch(/sha256/);
    expect(files()).toEqual(before);
    const ids = (await harness.client.models.list()).data.map((m) => m.id);
    expect(ids).not.toContain('tiny-corrupt');
  });

  it('traversal in filename, name and delete is a 400 and writes nothing, inside or outside', async () => {
    const before = files();
    const tries: Array<[string, object]> = [
      ['/models/apply', { id: 'hearth@tiny-escape' }],
      ['/models/apply', { id: 'hearth@tiny-chat', name: '../../escaped' }],
      ['/models/apply', { id: 'hearth@tiny-chat', name: 'a/b' }],
      ['/models/apply', { id: 'hearth@tiny-chat', name: `${outside}/abs` }],
      ['/models/apply', { id: 'hearth@tiny-chat', name: 'nul\u0000byte' }],
      ['/models/apply', { id: 'hearth@tiny-chat', files: [{ filename: '../../escaped.gguf', uri: `huggingface://hearth/tiny-GGUF/tiny-q8_0.gguf` }] }],
      ['/models/apply', { id: 'hearth@tiny-chat', files: [{ filename: `${outside}/x.gguf`, uri: `huggingface://hearth/tiny-GGUF/tiny-q8_0.gguf` }] }],
    ];
    for (const [route, body] of tries) {
      const response = await post(root, route, body);
      expect(response.status, JSON.stringify(body)).toBe(400);
      expect(((await response.json()) as { error: { type: string } }).error.type).toBe('invalid_request_error');
    }
    for (const name of ['..%2F..%2Fetc%2Fpasswd', '%2Fetc%2Fpasswd', '..%2Ftiny-chat.yaml', '..%5C..%5Cwin.ini', 'x%00y']) {
      const response = await fetch(`${root}/models/delete/${name}`, { method: 'POST' });
      expect(response.status, name).toBe(400);
    }
    expect(files()).toEqual(before);
    expect(existsSync(path.join(harness.modelsDir, '..', 'escaped.gguf'))).toBe(false);
    expect(readdirSync(outside)).toEqual([]);
  });

  it('a symlink where a file would go is a 400, and its target is never written', async () => {
    const target = path.join(outside, 'target.gguf');
    writeFileSync(target, 'outside');
    symlinkSync(target, path.join(harness.modelsDir, 'link.gguf'));
    try {
      const response = await post(root, '/models/apply', { id: 'hearth@tiny-link' });
      expect(response.status).toBe(400);
      expect(((await response.json()) as { error: { message: string } }).error.message).toMatch(/symbolic link/);
      expect(readFileSync(target, 'utf8')).toBe('outside');
      expect(existsSync(path.join(harness.modelsDir, 'link.gguf.partial'))).toBe(false);
    } finally {
      rmSync(path.join(harness.modelsDir, 'link.gguf'));
    }
  });

  it('an unknown gallery model is a 404 at once; a bad body is a 400', async () => {
    expect((await post(root, '/models/apply', { id: 'hearth@nope' })).status).toBe(404);
    expect((await post(root, '/models/apply', { id: 'elsewhere@tiny-chat' })).status).toBe(404);
    expect((await post(root, '/models/apply', {})).status).toBe(400);
    expect((await fetch(`${root}/models/jobs/not-a-job`)).status).toBe(404);
    expect((await fetch(`${root}/models/apply`)).status).toBe(405);
  });

  it('POST /models/delete/:name removes exactly the installed files; the model is gone', async () => {
    writeFileSync(path.join(harness.modelsDir, 'user-notes.txt'), 'mine');
    const response = await fetch(`${root}/models/delete/tiny-chat`, { method: 'POST' });
    expect(response.status).toBe(200);
    const body = (await response.json()) as { uuid: string; removed: string[] };
    expect(body.removed.sort()).toEqual(['chatml.tmpl', 'tiny-chat.yaml', 'tiny-q8_0.gguf']);
    expect(await waitForJob(root, body.uuid)).toMatchObject({ deletion: true, processed: true });
    expect(files()).toEqual(['tiny.gguf', 'user-notes.txt']);
    const ids = (await harness.client.models.list()).data.map((m) => m.id);
    expect(ids).toEqual(['tiny.gguf']);
    expect((await fetch(`${root}/models/delete/tiny-chat`, { method: 'POST' })).status).toBe(404);
    // A model Hearth did not install is not Hearth's to delete.
    const notOurs = await fetch(`${root}/models/delete/tiny.gguf`, { method: 'POST' });
    expect(notOurs.status).toBe(400);
    expect(((await notOurs.json()) as { error: { code: string } }).error.code).toBe('not_installed_by_hearth');
    expect(files()).toContain('tiny.gguf');
  });
});

describe('model galleries behind API keys', () => {
  it('need the key like /v1 routes', async () => {
    const loaded = await startLoadedHub();
    const harness = await startHarness({
      sidecar: { apiKeys: ['k'], galleries: [{ name: 'hearth', url: `huggingface://${GALLERY_INDEX}` }], hfEndpoint: loaded.hub.url },
      apiKey: 'k',
    });
    try {
      const root = harness.baseURL.replace(/\/v1$/, '');
      expect((await fetch(`${root}/models/available`)).status).toBe(401);
      expect((await post(root, '/models/apply', { id: 'hearth@tiny-chat' })).status).toBe(401);
      expect((await fetch(`${root}/models/jobs`)).status).toBe(401);
      expect((await fetch(`${root}/models/delete/x`, { method: 'POST' })).status).toBe(401);
      expect((await fetch(`${root}/models/available`, { headers: { authorization: 'Bearer k' } })).status).toBe(200);
      expect(loaded.hub.requests.filter((r) => r.file === GALLERY_INDEX)).toHaveLength(1);
    } finally {
      await harness.close();
      await loaded.hub.close();
    }
  });
});
