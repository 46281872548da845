// Pausing and resuming a model download in the browser app, against the hub stand-in on another
// origin, which stalls each download from byte 0 halfway so it can be paused mid-way: Pause keeps
// the bytes in `<name>.partial` (never listed, never loadable), the paused row survives a reload,
// Resume continues with `Range: bytes=<partial size>-` and If-Range, and the finished model answers;
// Cancel on a paused download deletes its bytes.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHubServer, type HubServer } from '../fixtures/hub-server.js';
import { ensureTestModels } from '../fixtures/test-models.js';
import { BAN_HIGH_BYTES as BYTE_BAN } from '../fixtures/byte-ban.js';
import { openApp, type AppPage } from './app-page.js';
import { startStaticServer, type StaticServer } from './static-server.js';

const PAUSED_FILE = 'hearth/pause-GGUF/paused.gguf';
const CANCELLED_FILE = 'hearth/pause-GGUF/cancelled.gguf';

/** Size of `<name>.partial` in the app's OPFS models folder (-1 when there is none). */
const PARTIAL_SIZE = `const dir = await (await navigator.storage.getDirectory()).getDirectoryHandle('models', { create: true });
  const file = await dir.getFileHandle(arg + '.partial').then((h) => h.getFile(), () => undefined);
  return file === undefined ? -1 : file.size;`;

const MODEL_IDS = `return (await (await fetch('/v1/models')).json()).data.map((m) => m.id);`;

describe('browser app: pausing, resuming and cancelling a model download', () => {
  let server: StaticServer;
  let hub: HubServer;
  let app: AppPage;
  let bytes: Buffer;

  beforeAll(async () => {
    const models = await ensureTestModels();
    bytes = readFileSync(models.tinyF32);
    [server, hub] = await Promise.all([startStaticServer(), startHubServer({ cors: true })]);
    for (const file of [PAUSED_FILE, CANCELLED_FILE]) {
      hub.put(file, bytes);
      hub.stallHalfway(file);
    }
    app = await openApp(server.url);
    await app.waitReady();
  });
  afterAll(async () => {
    await app?.close();
    await Promise.all([server?.close(), hub?.close()]);
  });

  /** Starts a download by URL and pauses it once the progress bar passed 40%. */
  async function startAndPause(file: string): Promise<void> {
    const { page } = app;
    await page.fill('#model-source', hub.fileUrl(file));
    await page.click('#add-model-button');
    await page.waitForFunction(
      "(() => { const p = document.getElementById('download-progress'); return p.hasAttribute('value') && p.max > 1 && p.value >= p.max * 0.4; })()",
      undefined,
      { timeout: 30_000 },
    );
    await page.click('#download-pause');
    await page.waitForFunction("/^Paused /.test(document.getElementById('models-message').textContent)", undefined, { timeout: 15_000 });
  }

  it('pauses, keeps the bytes unlisted across a reload, resumes with Range, and the model answers', async () => {
    const { page } = app;
    await startAndPause(PAUSED_FILE);
    const partial = await app.run<number>(PARTIAL_SIZE, 'paused.gguf');
    expect(partial).toBeGreaterThanOrEqual(Math.floor(bytes.length * 0.4));
    expect(partial).toBeLessThan(bytes.length);
    const row = await page.textContent('#paused-downloads');
    expect(row).toMatch(/Paused at \d+% \(.+ of .+\)/);
    // Half a file is never a model: not served, not listed, not loadable.
    expect(await app.run<string[]>(MODEL_IDS)).not.toContain('paused.gguf');
    expect(await page.textContent('#model-list')).not.toContain('paused.gguf');
    // (A chat naming it would be answered by the only complete model, as LocalAI does; the name itself is unknown.)
    expect((await app.pageFetch(`${app.origin}/v1/models/paused.gguf`)).status).toBe(404);
    expect((await app.pageFetch(`${app.origin}/v1/models/paused.gguf.partial`)).status).toBe(404);

    await page.reload();
    await app.waitReady();
    await page.waitForSelector('#paused-downloads button:has-text("Resume")', { timeout: 15_000 });
    expect(await page.textContent('#paused-downloads')).toMatch(/Paused at \d+%/);
    expect(await app.run<string[]>(MODEL_IDS)).not.toContain('paused.gguf');

    const before = hub.requests.length;
    await page.click('#paused-downloads button:has-text("Resume")');
    await page.waitForFunction("/paused\\.gguf is ready/.test(document.getElementById('models-message').textContent)", undefined, { timeout: 30_000 });
    const resumed = hub.requests.slice(before).filter((request) => request.method === 'GET' && request.file === PAUSED_FILE);
    expect(resumed[0]).toMatchObject({ range: `bytes=${partial}-`, ifRange: `"${bytes.length}"` });
    expect(await app.run<number>(PARTIAL_SIZE, 'paused.gguf')).toBe(-1);
    expect(await page.textContent('#paused-downloads')).toBe('');
    expect(await app.run<string[]>(MODEL_IDS)).toContain('paused.gguf');

    const reply = await app.run<{ tokens: number }>(
      `const client = new hearthPage.OpenAI({ baseURL: location.origin + '/v1', apiKey: 'local', dangerouslyAllowBrowser: true, maxRetries: 0 });
       const reply = await client.chat.completions.create({ model: 'paused.gguf', messages: [{ role: 'user', content: 'Hi' }], max_tokens: 8, temperature: 0, logit_bias: arg });
       return { tokens: reply.usage.completion_tokens };`,
      BYTE_BAN,
    );
    expect(reply.tokens).toBeGreaterThan(0);
  });

  it('deletes the kept bytes when a paused download is cancelled', async () => {
    const { page } = app;
    await startAndPause(CANCELLED_FILE);
    expect(await app.run<number>(PARTIAL_SIZE, 'cancelled.gguf')).toBeGreaterThan(0);
    await page.click('#paused-downloads li[data-file="cancelled.gguf"] button:has-text("Cancel")');
    await page.waitForFunction("/^Cancelled: /.test(document.getElementById('models-message').textContent)", undefined, { timeout: 15_000 });
    expect(await app.run<number>(PARTIAL_SIZE, 'cancelled.gguf')).toBe(-1);
    expect(await page.textContent('#paused-downloads')).toBe('');
    // Nothing is left to resume after a reload either.
    expect(await app.run<string>(`return localStorage.getItem('hearth.pendingInstalls') ?? '';`)).not.toContain('cancelled.gguf');
    expect(await app.run<string[]>(MODEL_IDS)).not.toContain('cancelled.gguf');
  });
});
