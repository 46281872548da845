// The PWA: after one visit the service worker has precached the app shell, the wasm and the default
// model, so with the network off a reload still loads the app and chats.
import { describe, expect, it } from 'vitest';
import { showAdvanced } from './app-page.js';
import { useServedApp } from './served-app.js';
import { BAN_HIGH_BYTES as BYTE_BAN } from '../fixtures/byte-ban.js';


describe('browser app: offline after the first visit', () => {
  const served = useServedApp();

  it('reloads and chats with the network off', async () => {
    const { page, context } = served.app;
    expect(await served.app.run('return navigator.serviceWorker.controller?.scriptURL;')).toBe(`${served.server.url}/sw.js`);
    await context.setOffline(true);
    const before = served.server.requests.length;
    await page.reload({ timeout: 30_000 });
    await served.app.waitReady();
    expect(await served.app.run('return crossOriginIsolated;')).toBe(true);
    await showAdvanced(page);
    await page.fill('#temperature', '0');
    await page.fill('#max-tokens', '16');
    await page.fill('#logit-bias', JSON.stringify(BYTE_BAN));
    await page.fill('#prompt', 'Are you there?');
    await page.press('#prompt', 'Enter');
    await page.waitForFunction("document.querySelector('.message.assistant') && !document.getElementById('send').disabled", undefined, { timeout: 60_000 });
    expect(await page.isHidden('#error'), (await page.textContent('#error')) ?? '').toBe(true);
    expect(((await page.textContent('.message.assistant')) ?? '').length).toBeGreaterThan(0);
    // The server saw nothing while offline: everything came from the service worker's precache.
    expect(served.server.requests.slice(before)).toEqual([]);
    await context.setOffline(false);
  });
});
