// Galleries in the browser app, against a hub stand-in on another origin: the Models panel lists a
// gallery's entries and installs one with progress from the job API, and the model then answers;
// a sha256 mismatch is reported and leaves nothing in storage; an install cut off by a reload
// resumes with Range on the next visit and ends with a correct file; a chat request naming an
// owner/repo/file downloads it (resuming a dropped connection) and is answered.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JobStatus } from '../../shared/galleries/job-tracker.js';
import { startHubServer, type HubServer } from '../fixtures/hub-server.js';
import { ensureTestModels } from '../fixtures/test-models.js';
import { openApp, type AppPage } from './app-page.js';
import { startStaticServer, type StaticServer } from './static-server.js';
import { BAN_HIGH_BYTES as BYTE_BAN } from '../fixtures/byte-ban.js';
import { CHATML_MODEL_DEFINITION } from '../fixtures/gallery-fixtures.js';

const CHAT_FILE = 'hearth/tiny-GGUF/tiny-q8_0.gguf';
const RESUME_FILE = 'hearth/tiny-GGUF/tiny-f32.gguf';
const sha256 = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex');

function galleryIndex(chatSha: string, resumeSha: string): string {
  return `- name: tiny-chat
  url: huggingface://hearth/gallery/chatml.yaml
  description: The tiny test model with a ChatML template.
  license: mit
  overrides:
    parameters:
      model: tiny-q8_0.gguf
  files:
    - filename: tiny-q8_0.gguf
      uri: huggingface://${CHAT_FILE}
      sha256: ${chatSha}
- name: tiny-corrupt
  url: huggingface://hearth/gallery/chatml.yaml
  description: Its checksum is wrong.
  overrides:
    parameters:
      model: corrupt.gguf
  files:
    - filename: corrupt.gguf
      uri: huggingface://${CHAT_FILE}
      sha256: "${'0'.repeat(64)}"
- name: tiny-resume
  url: huggingface://hearth/gallery/chatml.yaml
  overrides:
    parameters:
      model: tiny-f32.gguf
  files:
    - filename: tiny-f32.gguf
      uri: huggingface://${RESUME_FILE}
      sha256: ${resumeSha}
`;
}

/** Files in the app's OPFS models folder. */
const STORED_FILES = `const dir = await (await navigator.storage.getDirectory()).getDirectoryHandle('models', { create: true });
  const names = []; for await (const handle of dir.values()) names.push(handle.name); return names.sort();`;

describe('browser app: model galleries', () => {
  let server: StaticServer;
  let hub: HubServer;
  let app: AppPage;
  let resumeBytes: Buffer;

  beforeAll(async () => {
    const models = await ensureTestModels();
    [server, hub] = await Promise.all([startStaticServer(), startHubServer({ cors: true })]);
    const chatBytes = readFileSync(models.tinyQ8_0);
    resumeBytes = readFileSync(models.tinyF32);
    hub.put(CHAT_FILE, chatBytes);
    hub.put(RESUME_FILE, resumeBytes);
    hub.put('hearth/gallery/chatml.yaml', CHATML_MODEL_DEFINITION);
    hub.put('hearth/gallery/index.yaml', galleryIndex(sha256(chatBytes), sha256(resumeBytes)));
    app = await openApp(server.url);
    await app.waitReady();
  });
  afterAll(async () => {
    await app?.close();
    await Promise.all([server?.close(), hub?.close()]);
  });

  const jobStatus = (uuid: string): Promise<JobStatus> => app.run(`return (await fetch('/models/jobs/' + arg)).json();`, uuid);

  it('has no gallery until one is configured, then lists its entries', async () => {
    expect(await app.run(`return (await fetch('/models/galleries')).json();`)).toEqual([]);
    await app.page.waitForFunction("/No gallery is configured/.test(document.getElementById('gallery-list').textContent)", undefined, { timeout: 10_000 });

    // As a user would: the hub URL and the galleries setting, then a reload.
    await app.page.fill('#hub-url', hub.url);
    await app.page.dispatchEvent('#hub-url', 'change');
    await app.page.fill('#galleries', JSON.stringify([{ name: 'hearth', url: 'huggingface://hearth/gallery/index.yaml' }]));
    await app.page.dispatchEvent('#galleries', 'change');
    await app.page.reload();
    await app.waitReady();

    const available = await app.run<Array<{ id: string; installed: boolean; license?: string }>>(`return (await fetch('/models/available')).json();`);
    expect(available.map((m) => [m.id, m.installed])).toEqual([
      ['hearth@tiny-chat', false],
      ['hearth@tiny-corrupt', false],
      ['hearth@tiny-resume', false],
    ]);
    await app.page.waitForSelector('button[aria-label="Install hearth@tiny-chat"]', { timeout: 10_000 });
    const listed = await app.page.textContent('#gallery-list');
    expect(listed).toContain('The tiny test model with a ChatML template.');
    expect(listed).toContain('License: mit');

    // Each entry in view gets a fit verdict from its files' sizes (HEAD requests), before any model byte is fetched.
    await app.page.evaluate("document.getElementById('gallery-list').scrollIntoView()");
    await app.page.waitForFunction("document.querySelector('#gallery-list li[data-id=\"hearth@tiny-chat\"]')?.dataset.verdict === 'tab'", undefined, { timeout: 10_000 });
    expect(await app.page.textContent('#gallery-list li[data-id="hearth@tiny-chat"] .verdict')).toBe('Fits in this tab.');
    expect(hub.requests.filter((r) => r.file === CHAT_FILE).map((r) => r.method)).toContain('HEAD');
    expect(hub.count(CHAT_FILE)).toBe(0);
  });

  it('installs a gallery model from the Models panel with job progress, then chats with it', async () => {
    hub.slow(CHAT_FILE, 1500);
    await app.run(`window.statuses = [];
      new MutationObserver(() => window.statuses.push(document.getElementById('gallery-jobs').textContent))
        .observe(document.getElementById('gallery-jobs'), { childList: true, characterData: true, subtree: true });`);
    await app.page.click('button[aria-label="Install hearth@tiny-chat"]');
    await app.page.waitForFunction("/tiny-chat is installed/.test(document.getElementById('gallery-message').textContent)", undefined, { timeout: 30_000 });
    const statuses = await app.run<string[]>('return window.statuses;');
    // Progress as the job API reports it: bytes of the file and a percentage below 100 on the way.
    expect(statuses.some((s) => /hearth@tiny-chat: downloading tiny-q8_0\.gguf .* of 199\.8 kB \(([1-9]|[1-9]\d)%\)/.test(s)), statuses.join(' | ')).toBe(true);

    const jobs = await app.run<Record<string, JobStatus>>(`return (await fetch('/models/jobs')).json();`);
    const job = Object.values(jobs).find((j) => j.gallery_model_name === 'hearth@tiny-chat');
    expect(job).toMatchObject({ processed: true, progress: 100, error: null, installed_name: 'tiny-chat', file_size_bytes: 199_776 });

    await app.page.waitForFunction("[...document.querySelectorAll('#gallery-list li')].some((li) => li.dataset.id === 'hearth@tiny-chat' && /installed/.test(li.textContent))", undefined, {
      timeout: 10_000,
    });
    await app.page.waitForFunction("[...document.querySelectorAll('#model option')].some((o) => o.value === 'tiny-chat')", undefined, { timeout: 10_000 });
    const reply = await app.run<{ model: string; tokens: number }>(
      `const client = new hearthPage.OpenAI({ baseURL: location.origin + '/v1', apiKey: 'local', dangerouslyAllowBrowser: true, maxRetries: 0 });
       const reply = await client.chat.completions.create({ model: 'tiny-chat', messages: [{ role: 'user', content: 'Hi' }], max_tokens: 8, temperature: 0, logit_bias: arg });
       return { model: reply.model, tokens: reply.usage.completion_tokens };`,
      BYTE_BAN,
    );
    expect(reply).toEqual({ model: 'tiny-chat', tokens: expect.any(Number) });
    expect(reply.tokens).toBeGreaterThan(0);
    expect(await app.run<string[]>(STORED_FILES)).toEqual(['.hearth-install.tiny-chat.json', 'chatml.tmpl', 'tiny-chat.yaml', 'tiny-q8_0.gguf']);
  });

  it('reports a sha256 mismatch on the job (through /models/apply) and installs nothing', async () => {
    const before = await app.run<string[]>(STORED_FILES);
    const started = await app.run<{ status: number; body: { uuid: string; status: string } }>(
      `const r = await fetch('/models/apply', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ id: 'hearth@tiny-corrupt' }) });
       return { status: r.status, body: await r.json() };`,
    );
    expect(started.status).toBe(200);
    expect(started.body.status).toBe(`${server.url}/models/jobs/${started.body.uuid}`);
    let job = await jobStatus(started.body.uuid);
    for (const deadline = Date.now() + 20_000; !job.processed && Date.now() < deadline; ) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      job = await jobStatus(started.body.uuid);
    }
    expect(job).toMatchObject({ processed: true, message: 'error' });
    expect(job.error).toMatch(/corrupt\.gguf .* is corrupt: its sha256 is [0-9a-f]{64}, but 0{64} was expected/);
    expect(await app.run<string[]>(STORED_FILES)).toEqual(before);
    const ids = await app.run<string[]>(`return (await (await fetch('/v1/models')).json()).data.map((m) => m.id);`);
    expect(ids).not.toContain('tiny-corrupt');
  });

  it('resumes an install cut off by a reload with a Range request, ending with a correct file', async () => {
    hub.slow(RESUME_FILE, 6000);
    await app.page.click('button[aria-label="Install hearth@tiny-resume"]');
    // Reload once more than a third has been written to storage (the partial file is checkpointed).
    await app.run(
      `for (;;) {
         const dir = await (await navigator.storage.getDirectory()).getDirectoryHandle('models');
         const file = await dir.getFileHandle('tiny-f32.gguf.partial').then((h) => h.getFile(), () => undefined);
         if (file !== undefined && file.size > arg) return;
         await new Promise((resolve) => setTimeout(resolve, 50));
       }`,
      Math.floor(resumeBytes.length / 3),
      30_000,
    );
    const partialBefore = await app.run<number>(
      `const dir = await (await navigator.storage.getDirectory()).getDirectoryHandle('models');
       return (await (await dir.getFileHandle('tiny-f32.gguf.partial')).getFile()).size;`,
    );
    expect(partialBefore).toBeLessThan(resumeBytes.length);
    const requestsBefore = hub.requests.length;
    await app.page.reload();
    await app.waitReady();

    // The app starts the unfinished install again by itself.
    await app.page.waitForFunction("/tiny-resume is installed/.test(document.getElementById('gallery-message').textContent)", undefined, { timeout: 30_000 });
    const resumed = hub.requests.slice(requestsBefore).filter((r) => r.file === RESUME_FILE && r.method === 'GET');
    expect(resumed.length).toBeGreaterThan(0);
    const start = Number(/^bytes=(\d+)-/.exec(resumed[0]?.range ?? '')?.[1]);
    expect(start).toBeGreaterThanOrEqual(partialBefore);
    expect(start).toBeLessThan(resumeBytes.length);

    const stored = await app.run<string>(
      `const dir = await (await navigator.storage.getDirectory()).getDirectoryHandle('models');
       const bytes = new Uint8Array(await (await (await dir.getFileHandle('tiny-f32.gguf')).getFile()).arrayBuffer());
       return [...new Uint8Array(await crypto.subtle.digest('SHA-256', bytes))].map((b) => b.toString(16).padStart(2, '0')).join('');`,
    );
    expect(stored).toBe(sha256(resumeBytes));
    expect(await app.run<string[]>(STORED_FILES)).not.toContain('tiny-f32.gguf.partial');
    const ids = await app.run<string[]>(`return (await (await fetch('/v1/models')).json()).data.map((m) => m.id);`);
    expect(ids).toContain('tiny-resume');
  });

  it('downloads a model named owner/repo/file in a chat request, resuming a dropped connection with Range', async () => {
    hub.dropHalfwayOnce(CHAT_FILE);
    const before = hub.count(CHAT_FILE);
    const reply = await app.run<{ model: string; tokens: number }>(
      `const client = new hearthPage.OpenAI({ baseURL: location.origin + '/v1', apiKey: 'local', dangerouslyAllowBrowser: true, maxRetries: 0 });
       const reply = await client.chat.completions.create({ model: 'hearth/tiny-GGUF/tiny-q8_0.gguf', messages: [{ role: 'user', content: 'Hi' }], max_tokens: 4, temperature: 0, logit_bias: arg });
       return { model: reply.model, tokens: reply.usage.completion_tokens };`,
      BYTE_BAN,
    );
    expect(reply.model).toBe('hearth/tiny-GGUF/tiny-q8_0.gguf');
    expect(reply.tokens).toBeGreaterThan(0);
    const gets = hub.requests.filter((r) => r.file === CHAT_FILE && r.method === 'GET').slice(before);
    expect(gets).toHaveLength(2);
    expect(gets[0]?.range).toBeUndefined();
    expect(Number(/^bytes=(\d+)-/.exec(gets[1]?.range ?? '')?.[1])).toBeGreaterThan(0);
    expect(await app.run<string[]>(STORED_FILES)).toContain('hearth--tiny-GGUF--tiny-q8_0.gguf');
  });

  it('removes an installed gallery model from the Models panel: exactly its files go', async () => {
    await app.page.click('button[aria-label="Remove tiny-chat"]');
    await app.page.waitForFunction("/tiny-chat was removed/.test(document.getElementById('gallery-message').textContent)", undefined, { timeout: 10_000 });
    const stored = await app.run<string[]>(STORED_FILES);
    expect(stored.filter((name) => /tiny-chat|tiny-q8_0\.gguf$/.test(name) && !name.startsWith('hearth--'))).toEqual([]);
    // chatml.tmpl is still used by tiny-resume, which was installed too.
    expect(stored).toContain('chatml.tmpl');
    const ids = await app.run<string[]>(`return (await (await fetch('/v1/models')).json()).data.map((m) => m.id);`);
    expect(ids).not.toContain('tiny-chat');
    await app.page.waitForSelector('button[aria-label="Install hearth@tiny-chat"]', { timeout: 10_000 });
  });
});
