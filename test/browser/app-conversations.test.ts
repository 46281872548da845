// Saved chats in real Chromium with the bundled model: a conversation survives a reload and an
// offline reload; chats are listed, renamed, deleted and exported; a stopped reply is marked and
// stays marked; regenerate, edit-and-resend and copy work; replies render Markdown without ever
// running markup from the model.
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { BAN_HIGH_BYTES } from '../fixtures/byte-ban.js';

/** The bundled model's end tokens (<|endoftext|> 656, <|im_end|> 658) banned too: a reply runs to its budget. */
const NEVER_END = { ...BAN_HIGH_BYTES, 656: -100, 658: -100 };
import { showAdvanced } from './app-page.js';
import { useServedApp } from './served-app.js';

describe('browser app: saved chats and Markdown replies', () => {
  const served = useServedApp(({ app }) => showAdvanced(app.page));

  const send = async (text: string): Promise<void> => {
    const { page } = served.app;
    await page.fill('#prompt', text);
    await page.press('#prompt', 'Enter');
    await page.waitForFunction("!document.getElementById('send').disabled && !document.querySelector('.message[aria-busy=\"true\"]')", undefined, { timeout: 60_000 });
  };
  const texts = (selector: string): Promise<string[]> => served.app.page.locator(selector).allTextContents();
  const reloadApp = async (): Promise<void> => {
    await served.app.page.reload({ timeout: 30_000 });
    await served.app.waitReady();
    await showAdvanced(served.app.page);
  };
  const useSettings = async (maxTokens: number, bias: Record<string, number> = BAN_HIGH_BYTES): Promise<void> => {
    const { page } = served.app;
    await page.fill('#temperature', '0');
    await page.fill('#max-tokens', String(maxTokens));
    await page.fill('#logit-bias', JSON.stringify(bias));
  };

  it('keeps a conversation across a reload and an offline reload', async () => {
    const { page, context } = served.app;
    await useSettings(16);
    await page.click('#clear');
    await send('What is the capital of France?');
    await send('And of Italy?');
    const users = await texts('.message.user');
    const replies = await texts('.message.assistant');
    expect(users).toEqual(['What is the capital of France?', 'And of Italy?']);
    expect(replies).toHaveLength(2);
    expect(replies.every((reply) => reply.length > 0)).toBe(true);

    await reloadApp();
    expect(await texts('.message.user')).toEqual(users);
    expect(await texts('.message.assistant')).toEqual(replies);
    expect(await page.textContent('#chat-list [aria-current="true"]')).toBe('What is the capital of France?');

    await context.setOffline(true);
    try {
      await reloadApp();
      expect(await texts('.message.user')).toEqual(users);
      expect(await texts('.message.assistant')).toEqual(replies);
      // And it goes on offline: the next turn is answered and saved.
      await useSettings(16);
      await send('Thanks');
      expect(await texts('.message.user')).toEqual([...users, 'Thanks']);
    } finally {
      await context.setOffline(false);
    }
  });

  it('lists chats; new chat, open, rename and delete', async () => {
    const { page } = served.app;
    await useSettings(8);
    await page.click('#clear');
    expect(await page.locator('.turn').count()).toBe(0);
    await send('Second chat here');
    const titles = await texts('#chat-list .chat-title');
    expect(titles.slice(0, 2)).toEqual(['Second chat here', 'What is the capital of France?']);

    // Open the first chat again.
    await page.locator('#chat-list .chat-title', { hasText: 'capital of France' }).click();
    await page.waitForFunction("document.querySelector('.message.user')?.textContent === 'What is the capital of France?'", undefined, { timeout: 10_000 });

    await page.click('button[aria-label="Rename chat Second chat here"]');
    await page.fill('.chat-rename', 'Renamed chat');
    await page.press('.chat-rename', 'Enter');
    await page.locator('#chat-list .chat-title', { hasText: 'Renamed chat' }).waitFor({ timeout: 10_000 });

    await page.click('button[aria-label="Delete chat Renamed chat"]');
    await page.waitForFunction("![...document.querySelectorAll('#chat-list .chat-title')].some((b) => b.textContent === 'Renamed chat')", undefined, { timeout: 10_000 });
    await reloadApp();
    expect(await texts('#chat-list .chat-title')).not.toContain('Renamed chat');
    expect(await texts('#chat-list .chat-title')).toContain('What is the capital of France?');
  });

  it('exports the open chat as Markdown and JSON', async () => {
    const { page } = served.app;
    const [markdownDownload] = await Promise.all([page.waitForEvent('download', { timeout: 10_000 }), page.click('#export-markdown')]);
    expect(markdownDownload.suggestedFilename()).toBe('what-is-the-capital-of-france.md');
    const markdown = await readFile(await markdownDownload.path(), 'utf8');
    expect(markdown).toMatch(/^# What is the capital of France\?\n/);
    expect(markdown).toContain('## You\n\nAnd of Italy?');
    const [jsonDownload] = await Promise.all([page.waitForEvent('download', { timeout: 10_000 }), page.click('#export-json')]);
    const json = JSON.parse(await readFile(await jsonDownload.path(), 'utf8')) as { messages: Array<{ role: string; content: string }> };
    expect(json.messages.filter((m) => m.role === 'user').map((m) => m.content)).toEqual(['What is the capital of France?', 'And of Italy?', 'Thanks']);
  });

  it('marks a stopped reply, and the mark survives a reload', async () => {
    const { page } = served.app;
    await useSettings(400, NEVER_END);
    await page.click('#clear');
    await page.fill('#prompt', 'Tell me a long story');
    await page.click('#send');
    await page.waitForFunction("(document.querySelector('.message.assistant')?.textContent ?? '').length > 0", undefined, { timeout: 10_000 });
    await page.click('#stop');
    await page.waitForFunction("!document.getElementById('send').disabled", undefined, { timeout: 10_000 });
    expect(await texts('.turn.assistant .stopped-mark')).toEqual(['stopped']);
    await reloadApp();
    expect(await texts('.turn.assistant .stopped-mark')).toEqual(['stopped']);
  });

  it('regenerates the last reply, edits and resends the last message, and copies a reply', async () => {
    const { page, context } = served.app;
    await useSettings(12);
    await page.click('#clear');
    await send('Hello');
    // Only the last reply has Regenerate; it replaces that reply (still one of each).
    await page.click('.turn.assistant .regenerate');
    await page.waitForFunction("!document.getElementById('send').disabled && document.querySelectorAll('.message.assistant').length === 1 && !document.querySelector('.message[aria-busy=\"true\"]')", undefined, { timeout: 60_000 });
    expect(await texts('.message.user')).toEqual(['Hello']);

    await page.click('.turn.user .edit');
    expect(await page.inputValue('#prompt')).toBe('Hello');
    expect(await page.locator('.turn').count()).toBe(0);
    await send('Hello again');
    expect(await texts('.message.user')).toEqual(['Hello again']);
    expect(await page.locator('.message.assistant').count()).toBe(1);

    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: served.server.url });
    await page.click('.turn.assistant .copy');
    await page.waitForFunction("document.querySelector('.turn.assistant .copy').textContent === 'Copied'", undefined, { timeout: 5_000 });
    expect(await served.app.run('return navigator.clipboard.readText();')).toBe(await page.textContent('.message.assistant'));
  });

  it('renders Markdown (a code block) and never runs markup in a reply', async () => {
    const { page } = served.app;
    // The bundled model cannot be made to write a given payload, so this reply is put in the saved
    // chats as a reply from an earlier visit; it goes through the same renderer as a streamed one.
    const reply = [
      'Here is **bold** and a [link](https://example.org/) and [bad](javascript:window.pwned=1).',
      '',
      '<script>window.pwned = 1</script>',
      '<img src="x" onerror="window.pwned = 2">',
      '',
      '```js',
      'console.log("<b>not bold</b>");',
      '```',
      '- one',
      '- two',
    ].join('\n');
    await served.app.run(
      `const db = await new Promise((resolve, reject) => { const r = indexedDB.open('hearth-chats', 1); r.onsuccess = () => resolve(r.result); r.onerror = () => reject(r.error); });
       await new Promise((resolve, reject) => {
         const tx = db.transaction('conversations', 'readwrite');
         tx.objectStore('conversations').put({ id: 'md-test', title: 'Markdown', model: 'hearth-chat', createdAt: Date.now(), updatedAt: Date.now(),
           messages: [{ role: 'user', content: 'Show me <img src=x onerror="window.pwned=3">' }, { role: 'assistant', content: arg }] });
         tx.oncomplete = resolve; tx.onerror = () => reject(tx.error);
       });
       db.close();
       localStorage.setItem('hearth.chat', 'md-test');`,
      reply,
    );
    await reloadApp();
    const result = await served.app.run<{ code: string; lang: string | null; strong: string; links: string[]; items: number; injected: number; pwned: unknown; userText: string }>(`
      const reply = document.querySelector('.message.assistant');
      await new Promise((resolve) => setTimeout(resolve, 200));
      return {
        code: reply.querySelector('pre > code')?.textContent,
        lang: reply.querySelector('pre > code')?.className ?? null,
        strong: reply.querySelector('strong')?.textContent,
        links: [...reply.querySelectorAll('a')].map((a) => a.href),
        items: reply.querySelectorAll('ul > li').length,
        injected: document.querySelectorAll('#messages script, #messages img, #messages [onerror]').length,
        pwned: window.pwned,
        userText: document.querySelector('.message.user').textContent,
      };`);
    expect(result).toEqual({
      code: 'console.log("<b>not bold</b>");',
      lang: 'language-js',
      strong: 'bold',
      links: ['https://example.org/'],
      items: 2,
      injected: 0,
      pwned: undefined,
      userText: 'Show me <img src=x onerror="window.pwned=3">',
    });
    expect(await page.textContent('.message.assistant')).toContain('<script>window.pwned = 1</script>');
    // The model still answers in this chat, rendered by the same code while it streams.
    await useSettings(12);
    await send('Thanks');
    expect(await page.locator('.message.assistant').count()).toBe(2);
    expect(served.app.errors).toEqual([]);
  });
});
