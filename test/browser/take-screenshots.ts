// Screenshots of the app's main states (desktop and phone, light and dark, panel open and closed,
// after a real reply from the bundled model), for a person to look at. Not a test: it asserts nothing.
//
//   npx tsx test/browser/take-screenshots.ts        (builds dist/web first; writes test/browser/screenshots/, git-ignored)
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { BAN_HIGH_BYTES } from '../fixtures/byte-ban.js';
import { openApp, showAdvanced } from './app-page.js';
import buildWeb from './build-web.js';
import { startStaticServer } from './static-server.js';

const OUT = path.resolve(import.meta.dirname, 'screenshots');
const SIZES = { desktop: { width: 1280, height: 800 }, phone: { width: 390, height: 844 } } as const;

async function shoot(page: Page, name: string): Promise<void> {
  const file = path.join(OUT, `${name}.png`);
  await page.screenshot({ path: file });
  console.log(file);
}

await buildWeb();
await mkdir(OUT, { recursive: true });
const server = await startStaticServer();
const app = await openApp(server.url);
try {
  const { page } = app;
  await page.setViewportSize(SIZES.desktop);
  await app.waitReady();
  await shoot(page, 'desktop-light-empty');
  await showAdvanced(page);
  await page.fill('#temperature', '0');
  await page.fill('#max-tokens', '48');
  await page.fill('#logit-bias', JSON.stringify(BAN_HIGH_BYTES));
  await page.fill('#prompt', 'Hello! Write a short greeting.');
  await page.press('#prompt', 'Enter');
  await page.waitForFunction("document.querySelector('.message.assistant') && !document.getElementById('send').disabled", undefined, { timeout: 60_000 });
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    await page.setViewportSize(SIZES.desktop);
    await page.evaluate('delete document.documentElement.dataset.panel');
    await shoot(page, `desktop-${scheme}-chat`);
    await page.click('#panel-toggle');
    await shoot(page, `desktop-${scheme}-panel-collapsed`);
    await page.setViewportSize(SIZES.phone);
    await page.evaluate('delete document.documentElement.dataset.panel');
    await shoot(page, `phone-${scheme}-chat`);
    await page.click('#panel-toggle');
    await shoot(page, `phone-${scheme}-drawer`);
    await page.click('#panel-close');
  }
} finally {
  await app.close();
  await server.close();
}
