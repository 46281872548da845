// The PWA: after one visit the service worker has precached the app shell, the wasm and the default
// model, so with the network off a reload still loads the app and chats.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openApp, type AppPage } from './app-page.js';
import { startStaticServer, type StaticServer } from './static-server.js';
import { BAN_HIGH_BYTES as BYTE_BAN } from '../fixtures/byte-ban.js';


describe('browser app: offline after the first visit', () => {
  let server: StaticServer;
  let app: AppPage;

  beforeAll(async () => {
    server = await startStaticServer();
    app = await openApp(server.url);
    await app.waitReady();
  });
  afterAll(async () => {
    await app?.close();
    await server?.close();
  });

  it('reloads and chats with the network off', async () => {
    const { page, context } = app;
    expect(await app.run('return navigator.serviceWorker.controller?.scriptURL;')).toBe(`${server.url}/sw.js`);
    await context.setOffline(true);
    const before = server.requests.length;
    await page.reload({ timeout: 30_000 });
    await app.waitReady();
    expect(await app.run('return crossOriginIsolated;')).toBe(true);
    await page.fill('#temperature', '0');
    await page.fill('#max-tokens', '16');
    await page.fill('#logit-bias', JSON.stringify(BYTE_BAN));
    await page.fill('#prompt', 'Are you there?');
    await page.press('#prompt', 'Enter');
    await page.waitForFunction("document.querySelector('.message.assistant') && !document.getElementById('send').disabled", undefined, { timeout: 60_000 });
    expect(await page.isHidden('#error'), (await page.textContent('#error')) ?? '').toBe(true);
    expect(((await page.textContent('.message.assistant')) ?? '').length).toBeGreaterThan(0);
    // The server saw nothing while offline: everything came from the service worker's precache.
    expect(server.requests.slice(before)).toEqual([]);
    await context.setOffline(false);
  });
});
