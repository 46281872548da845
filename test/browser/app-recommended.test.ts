// The Recommended models: each shows its size, context, licence and a fit verdict computed before
// any byte is downloaded; one that fits installs from the hub (a stand-in on another origin) with
// progress, and answers. The device's memory hint is set low (Chromium reports at most 8 GB, and
// this machine cannot be made smaller), so the "too big" verdict can be shown.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BAN_HIGH_BYTES } from '../fixtures/byte-ban.js';
import { ensureTestModels } from '../fixtures/test-models.js';
import { openApp, type AppPage } from './app-page.js';
import { startHubServer, type HubServer } from './hub-server.js';
import { startStaticServer, type StaticServer } from './static-server.js';

const SMALL = 'Qwen/Qwen2.5-0.5B-Instruct-GGUF/qwen2.5-0.5b-instruct-q4_k_m.gguf';
const BIG = 'bartowski/Meta-Llama-3.1-8B-Instruct-GGUF/Meta-Llama-3.1-8B-Instruct-Q4_K_M.gguf';
const OVER_FILE_LIMIT = 'bartowski/Phi-3.5-mini-instruct-GGUF/Phi-3.5-mini-instruct-Q4_K_M.gguf';

describe('browser app: recommended models with fit verdicts', () => {
  let server: StaticServer;
  let hub: HubServer;
  let app: AppPage;

  beforeAll(async () => {
    const models = await ensureTestModels();
    [server, hub] = await Promise.all([startStaticServer(), startHubServer()]);
    // The stand-in serves the tiny test model under the small recommended model's name.
    hub.addFile(SMALL, models.tinyQ8_0);
    app = await openApp(server.url);
    await app.page.addInitScript('Object.defineProperty(Navigator.prototype, "deviceMemory", { get: () => 4 });');
    await app.page.reload();
    await app.waitReady();
  });
  afterAll(async () => {
    await app?.close();
    await Promise.all([server?.close(), hub?.close()]);
  });

  const verdictOf = (hubName: string): Promise<string | null> => app.page.getAttribute(`#recommended-list li[data-hub="${hubName}"]`, 'data-verdict');

  it('shows each verdict before any byte is downloaded', async () => {
    const { page } = app;
    await page.fill('#hub-url', hub.url);
    await page.press('#hub-url', 'Tab');
    await page.locator('#recommended-list li').first().waitFor({ timeout: 10_000 });
    expect(await verdictOf(SMALL)).toBe('tab');
    expect(await verdictOf(BIG)).toBe('too-big');
    expect(await page.textContent(`#recommended-list li[data-hub="${BIG}"]`)).toMatch(/Too big for this device: 4\.9 GB .* about 4 GB of memory/);
    expect(await verdictOf(OVER_FILE_LIMIT)).toBe('sidecar');
    expect(await page.textContent(`#recommended-list li[data-hub="${OVER_FILE_LIMIT}"]`)).toMatch(/Needs the sidecar: 2\.4 GB is over .* per file/);
    const item = await page.textContent(`#recommended-list li[data-hub="${SMALL}"]`);
    expect(item).toMatch(/about 491 MB · 32K context · Apache-2\.0/);
    // Only models that fit in the tab can be installed here.
    expect(await page.locator(`#recommended-list li[data-hub="${BIG}"] button`).count()).toBe(0);
    expect(hub.requests).toEqual([]);
  });

  it('installs a recommended model with progress, and it answers', async () => {
    const { page } = app;
    await page.click('button[aria-label="Install Qwen2.5 0.5B Instruct (Q4_K_M)"]');
    await page.waitForFunction("/is ready/.test(document.getElementById('models-message').textContent)", undefined, { timeout: 30_000 });
    expect(hub.requests.some((r) => r.includes('qwen2.5-0.5b-instruct-q4_k_m.gguf'))).toBe(true);
    // The list is redrawn from storage once the install has settled, just after "is ready" shows.
    await page.locator(`#recommended-list li[data-hub="${SMALL}"]`, { hasText: 'installed' }).waitFor({ timeout: 10_000 });
    const reply = await app.run<{ status: number }>(
      `const r = await hearthPage.hearthFetch('/v1/chat/completions', { method: 'POST', headers: { 'content-type': 'application/json' },
         body: JSON.stringify({ model: 'qwen2.5-0.5b-instruct-q4_k_m.gguf', messages: [{ role: 'user', content: 'Hi' }], max_tokens: 4, temperature: 0, logit_bias: arg }) });
       return { status: r.status };`,
      BAN_HIGH_BYTES,
    );
    expect(reply.status).toBe(200);
  });
});
