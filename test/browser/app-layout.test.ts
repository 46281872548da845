// The chat app's layout in real Chromium with the bundled model: at desktop and phone sizes the
// page is one viewport tall, the composer stays at the bottom and a finished reply is inside the
// viewport (the conversation scrolls itself); controls marked hidden are not displayed; the side
// panel collapses on desktop and is a drawer on phones; sampling sits behind "Advanced".
import { describe, expect, it } from 'vitest';
import { BAN_HIGH_BYTES } from '../fixtures/byte-ban.js';

/** The bundled model's end tokens (<|endoftext|> 656, <|im_end|> 658) banned too: a reply runs to its budget. */
const NEVER_END = { ...BAN_HIGH_BYTES, 656: -100, 658: -100 };
import { showAdvanced } from './app-page.js';
import { useServedApp } from './served-app.js';

const SIZES = [
  { name: 'desktop', width: 1280, height: 800 },
  { name: 'phone', width: 390, height: 844 },
] as const;

interface Box {
  top: number;
  bottom: number;
}

describe('browser app: layout', () => {
  const served = useServedApp();
  const display = (id: string): Promise<string> => served.app.run(`return getComputedStyle(document.getElementById(arg)).display;`, id);

  it('hides what is marked hidden: no phantom download or load bar, no Close on desktop', async () => {
    const { page } = served.app;
    await page.setViewportSize({ width: 1280, height: 800 });
    const box = (): Promise<Box> => served.app.run("const r = document.getElementById('messages').getBoundingClientRect(); return { top: r.top, bottom: r.bottom };");
    const whileLoading = await box();
    // The app loads the chosen model at start: once it has, the load bar is gone too, and the
    // conversation has not moved (the bar floats over it instead of pushing it down).
    await page.waitForFunction("document.getElementById('engine-badge').dataset.engine === 'wasm'", undefined, { timeout: 60_000 });
    expect(await box()).toEqual(whileLoading);
    for (const id of ['download', 'load', 'error', 'backdrop']) expect(await display(id), id).toBe('none');
    // Inside a hidden box: not rendered at all (checkVisibility is false under a display: none ancestor).
    for (const id of ['download-cancel', 'download-progress', 'load-progress', 'panel-close']) {
      expect(await served.app.run('return document.getElementById(arg).checkVisibility();', id), id).toBe(false);
    }
  });

  it('a failed add leaves no progress line and says its advice once', async () => {
    const { page } = served.app;
    // Port 9 on loopback: nothing listens, so the fetch fails as with no connection.
    await page.fill('#model-source', 'http://127.0.0.1:9/nothing.gguf');
    await page.click('#add-model-button');
    await page.waitForFunction("/Could not reach/.test(document.getElementById('models-message').textContent)", undefined, { timeout: 15_000 });
    const message = (await page.textContent('#models-message')) ?? '';
    expect(message.match(/Check/g)).toHaveLength(1);
    expect(message).not.toContain('..');
    expect(await display('download')).toBe('none');
    expect(await page.textContent('#download-status')).toBe('');
  });

  it('keeps sampling and logit bias behind a closed Advanced disclosure', async () => {
    const { page } = served.app;
    expect(await served.app.run("return document.getElementById('advanced').open;")).toBe(false);
    expect(await page.isVisible('#logit-bias')).toBe(false);
    expect(await page.isVisible('#temperature')).toBe(false);
    await showAdvanced(page);
    expect(await page.isVisible('#logit-bias')).toBe(true);
  });

  for (const size of SIZES) {
    it(`at ${size.width}×${size.height} (${size.name}) a long reply ends inside the viewport, composer at the bottom`, async () => {
      const { page } = served.app;
      await page.setViewportSize({ width: size.width, height: size.height });
      await showAdvanced(page);
      await page.fill('#temperature', '0');
      await page.fill('#max-tokens', '120');
      // The reply cannot end early; with a many-line message before it, the conversation overflows
      // at both sizes (the bundled model's 256-token context allows one such turn).
      await page.fill('#logit-bias', JSON.stringify(NEVER_END));
      if (size.name === 'phone') await page.click('#panel-close');
      await page.click('#clear');
      const lines = Array.from({ length: 30 }, (_, i) => `${i + 1}.`).join('\n');
      await page.fill('#prompt', `Tell me a story about these:\n${lines}`);
      await page.press('#prompt', 'Enter');
      await page.waitForFunction("!document.getElementById('send').disabled && document.querySelectorAll('.message.assistant').length > 0", undefined, { timeout: 60_000 });
      expect(await page.isHidden('#error'), (await page.textContent('#error')) ?? '').toBe(true);
      const layout = await served.app.run<{ reply: Box; log: Box; composer: Box; scrolls: boolean; pageHeight: number; viewport: number }>(`
        const box = (el) => { const r = el.getBoundingClientRect(); return { top: r.top, bottom: r.bottom }; };
        const log = document.getElementById('messages');
        return {
          reply: box([...document.querySelectorAll('.message.assistant')].at(-1)),
          log: box(log),
          composer: box(document.getElementById('composer')),
          scrolls: log.scrollHeight > log.clientHeight,
          pageHeight: document.documentElement.scrollHeight,
          viewport: innerHeight,
        };`);
      expect(layout.scrolls, 'the conversation overflows, so scrolling is exercised').toBe(true);
      expect(layout.pageHeight).toBeLessThanOrEqual(layout.viewport);
      // The end of the reply is visible: inside the conversation's box, which is inside the viewport.
      expect(layout.reply.bottom).toBeGreaterThan(layout.log.top);
      expect(layout.reply.bottom).toBeLessThanOrEqual(layout.log.bottom + 1);
      expect(layout.log.bottom).toBeLessThanOrEqual(layout.viewport);
      expect(layout.composer.bottom).toBeLessThanOrEqual(layout.viewport);
      expect(layout.viewport - layout.composer.bottom).toBeLessThan(32);
    });
  }

  it('collapses the side panel on desktop and keeps it as a drawer on phones', async () => {
    const { page } = served.app;
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.evaluate('delete document.documentElement.dataset.panel');
    expect(await display('side')).not.toBe('none');
    // The button follows the width through the media query's change event, which the browser
    // dispatches at its next rendering step, after setViewportSize has returned: wait for it.
    await page.waitForSelector('#panel-toggle[aria-expanded="true"]', { timeout: 10_000 });
    const chatWidth = async (): Promise<number> => served.app.run("return document.getElementById('chat').getBoundingClientRect().width;");
    const narrow = await chatWidth();
    await page.click('#panel-toggle');
    expect(await display('side')).toBe('none');
    expect(await page.getAttribute('#panel-toggle', 'aria-expanded')).toBe('false');
    expect(await chatWidth()).toBeGreaterThan(narrow);
    await page.click('#panel-toggle');
    expect(await display('side')).not.toBe('none');

    await page.setViewportSize({ width: 390, height: 844 });
    expect(await display('side')).toBe('none');
    await page.click('#panel-toggle');
    expect(await display('side')).not.toBe('none');
    expect(await served.app.run('return document.activeElement.id;')).toBe('panel-close');
    await page.keyboard.press('Escape');
    expect(await display('side')).toBe('none');
    expect(await served.app.run('return document.activeElement.id;')).toBe('panel-toggle');
    await page.setViewportSize({ width: 1280, height: 800 });
  });
});
