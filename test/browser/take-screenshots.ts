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
const FENCE = '`'.repeat(3);
const MARKDOWN_CHAT = {
  id: 'shots-markdown',
  title: 'Sorting in Python',
  model: 'hearth-chat',
  createdAt: Date.now() - 60_000,
  updatedAt: Date.now() - 60_000,
  messages: [
    { role: 'user', content: 'How do I sort a list of words by length in Python?' },
    {
      role: 'assistant',
      content: ['Use **`sorted`** with `key=len`:', '', `${FENCE}python`, 'words = ["pear", "fig", "banana"]', "print(sorted(words, key=len))  # ['fig', 'pear', 'banana']", FENCE, '', '- `sorted()` returns a *new* list', '- `list.sort()` sorts in place'].join('\n'),
    },
    { role: 'user', content: 'And longest first?' },
    {
      role: 'assistant',
      content: ['Add `reverse=True`:', '', `${FENCE}python`, 'words.sort(key=len, reverse=True)', FENCE, '', 'See [the sorting HOWTO](https://docs.python.org/3/howto/sorting.html).'].join('\n'),
      stopped: true,
    },
  ],
};
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
  // A saved chat with a Markdown reply (the bundled model writes plain sentences), to see code, lists and links.
  await page.evaluate(`(async (chat) => {
    const db = await new Promise((resolve, reject) => { const r = indexedDB.open('hearth-chats', 1); r.onsuccess = () => resolve(r.result); r.onerror = () => reject(r.error); });
    await new Promise((resolve) => {
      const tx = db.transaction('conversations', 'readwrite');
      tx.objectStore('conversations').put(chat);
      tx.oncomplete = resolve;
    });
  })(${JSON.stringify(MARKDOWN_CHAT)})`);
  await shoot(page, 'desktop-light-first-reply');
  await page.evaluate("localStorage.setItem('hearth.chat', 'shots-markdown')");
  await page.reload();
  await app.waitReady();
  // The model loads on open: shoot once it has (the load bar floats over the chat until then).
  await page.waitForFunction("document.getElementById('load').hidden && document.getElementById('engine-badge').dataset.engine === 'wasm'", undefined, { timeout: 60_000 });
  await page.waitForFunction("document.querySelector('.code-block') !== null", undefined, { timeout: 10_000 });
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
    await page.evaluate("document.getElementById('models-panel').scrollIntoView()");
    await shoot(page, `phone-${scheme}-drawer-models`);
    await page.click('#panel-close');
  }
  await page.setViewportSize(SIZES.desktop);
  await page.evaluate("document.getElementById('recommended-list').scrollIntoView()");
  await shoot(page, 'desktop-dark-recommended');
} finally {
  await app.close();
  await server.close();
}
