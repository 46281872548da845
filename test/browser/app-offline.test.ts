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
    // The network off twice over: setOffline makes the page and its workers see no network
    // (navigator.onLine false, fetches fail), and the proxy every request goes through refuses
    // what that emulation does not cover: Chromium's own update check of the service worker script
    // (it fetches /sw.js, and the /mockServiceWorker.js it imports, about two seconds after a
    // navigation). With emulation alone that check reached the server whenever the chat below took
    // longer than that (a busy machine), and the test failed although the app had worked offline.
    await context.setOffline(true);
    served.app.proxy.setNetworkOff(true);
    const before = served.server.requests.length;
    const attemptsBefore = served.app.proxy.requests.length;
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
    // Nothing reached the server, and the app asked for nothing while offline: everything came from
    // the service worker's precache. The one thing tried is the browser's service worker update
    // check, which fails harmlessly offline and is retried on a later visit.
    expect(served.server.requests.slice(before)).toEqual([]);
    const updateCheck = new Set(['/sw.js', '/mockServiceWorker.js'].map((file) => `${served.server.url}${file}`));
    const attempts = served.app.proxy.requests.slice(attemptsBefore).filter((r) => r.url.startsWith(served.server.url) && !updateCheck.has(r.url));
    expect(attempts).toEqual([]);
    served.app.proxy.setNetworkOff(false);
    await context.setOffline(false);
  });
});
