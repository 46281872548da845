// Models in the browser app: added by URL and by Hugging Face name from a hub stand-in on another
// origin (with progress), stored in OPFS across reloads, answering, deletable; and a model too big
// for the engine refused before its body is read.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureTestModels } from '../fixtures/test-models.js';
import { openApp, type AppPage } from './app-page.js';
import { startHubServer, type HubServer } from './hub-server.js';
import { startStaticServer, type StaticServer } from './static-server.js';
import { BAN_HIGH_BYTES as BYTE_BAN } from '../fixtures/byte-ban.js';


describe('browser app: adding, keeping and deleting models', () => {
  let server: StaticServer;
  let hub: HubServer;
  let app: AppPage;

  beforeAll(async () => {
    const models = await ensureTestModels();
    [server, hub] = await Promise.all([startStaticServer(), startHubServer()]);
    hub.addFile('hearth-test/tiny/resolve-me.gguf', models.tinyQ8_0);
    hub.addFile('hearth-test/tiny/by-url.gguf', models.tinyF32);
    hub.declareHuge('hearth-test/huge/huge.gguf', 3 * 1024 ** 3);
    app = await openApp(server.url);
    await app.waitReady();
  });
  afterAll(async () => {
    await app?.close();
    await Promise.all([server?.close(), hub?.close()]);
  });

  const chatWith = (model: string): Promise<{ content: string; tokens: number }> =>
    app.run(
      `const client = new hearthPage.OpenAI({ baseURL: location.origin + '/v1', apiKey: 'local', dangerouslyAllowBrowser: true, maxRetries: 0 });
       const reply = await client.chat.completions.create({ model: arg.model, messages: [{ role: 'user', content: 'Hi' }], max_tokens: 8, temperature: 0, logit_bias: arg.bias });
       return { content: reply.choices[0].message.content, tokens: reply.usage.completion_tokens };`,
      { model, bias: BYTE_BAN },
    );

  it('adds a model by URL with download progress, then it answers', async () => {
    const { page } = app;
    // Record the progress text at every change: a download shows byte counts before "ready".
    await app.run(`window.statuses = [];
      new MutationObserver(() => window.statuses.push(document.getElementById('download-status').textContent))
        .observe(document.getElementById('download-status'), { childList: true, characterData: true, subtree: true });`);
    await page.fill('#model-source', `${hub.url}/hearth-test/tiny/resolve/main/by-url.gguf`);
    await page.click('#add-model-button');
    await page.waitForFunction("/is ready/.test(document.getElementById('models-message').textContent)", undefined, { timeout: 30_000 });
    const statuses = await app.run<string[]>('return window.statuses;');
    expect(statuses.some((s) => /by-url\.gguf: .* of .* \(\d+%\)/.test(s)), statuses.join(' | ')).toBe(true);
    expect(statuses.some((s) => /\(100%\)/.test(s)), statuses.join(' | ')).toBe(true);
    expect(await page.textContent('#model-list')).toContain('by-url.gguf');
    await page.waitForFunction("[...document.querySelectorAll('#model option')].some((o) => o.value === 'by-url.gguf')", undefined, { timeout: 10_000 });
    const reply = await chatWith('by-url.gguf');
    expect(reply.tokens).toBeGreaterThan(0);
  });

  it('adds a model by Hugging Face name, resolved against the configured hub', async () => {
    const { page } = app;
    await page.fill('#hub-url', hub.url);
    await page.dispatchEvent('#hub-url', 'change');
    await page.fill('#model-source', 'hearth-test/tiny/resolve-me.gguf');
    await page.press('#model-source', 'Enter');
    await page.waitForFunction("/resolve-me\\.gguf is ready/.test(document.getElementById('models-message').textContent)", undefined, { timeout: 30_000 });
    expect(hub.requests).toContain('/hearth-test/tiny/resolve/main/resolve-me.gguf');
    expect((await chatWith('resolve-me.gguf')).tokens).toBeGreaterThan(0);
  });

  it('refuses a model bigger than the engine can load before downloading it', async () => {
    const { page } = app;
    await page.fill('#model-source', `${hub.url}/hearth-test/huge/resolve/main/huge.gguf`);
    await page.click('#add-model-button');
    await page.waitForFunction("/32-bit WebAssembly/.test(document.getElementById('models-message').textContent)", undefined, { timeout: 15_000 });
    expect(await page.textContent('#models-message')).toMatch(/huge\.gguf is 3\.2 GB; .* at most 2\.1 GB per file/);
    expect(await page.textContent('#model-list')).not.toContain('huge.gguf');
  });

  it('keeps added models across a reload, lists them with /v1/models, and deletes them', async () => {
    const { page } = app;
    await page.reload();
    await app.waitReady();
    const ids = await app.run<string[]>(`return (await (await fetch('/v1/models')).json()).data.map((m) => m.id);`);
    expect(ids).toEqual(['by-url.gguf', 'hearth-chat', 'resolve-me.gguf']);
    expect(await page.textContent('#quota')).toMatch(/Storage: .* used, .* available/);
    await page.click('button[aria-label="Delete by-url.gguf"]');
    await page.waitForFunction("/by-url\\.gguf was deleted/.test(document.getElementById('models-message').textContent)", undefined, { timeout: 10_000 });
    const after = await app.run<string[]>(`return (await (await fetch('/v1/models')).json()).data.map((m) => m.id);`);
    expect(after).toEqual(['hearth-chat', 'resolve-me.gguf']);
    expect(await page.textContent('#model-list')).not.toContain('by-url.gguf');
  });
});
