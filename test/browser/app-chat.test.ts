// The chat app in real headless Chromium, served from dist/web with COOP/COEP: the UI streams
// replies from the bundled model, the official `openai` SDK in the page works through the shim,
// and the browser talks to no origin but the app's own.
import { describe, expect, it } from 'vitest';
import { showAdvanced } from './app-page.js';
import { useServedApp } from './served-app.js';
import { BAN_HIGH_BYTES as BYTE_BAN } from '../fixtures/byte-ban.js';


describe('browser app: chat and the in-page OpenAI shim', () => {
  // Sampling and logit bias sit behind the settings' Advanced disclosure: opened as a user would.
  const served = useServedApp(({ app }) => showAdvanced(app.page));

  it('streams a reply from the bundled model into the page (typed, sent with Enter)', async () => {
    const { page } = served.app;
    await page.fill('#temperature', '0');
    await page.fill('#max-tokens', '24');
    // The trained bundled model writes ASCII; the byte ban (a no-op for it) also exercises the logit-bias setting.
    await page.fill('#logit-bias', JSON.stringify(BYTE_BAN));
    // Record the reply's length at every DOM change: streaming shows as several growing lengths.
    await served.app.run(`
      window.replyLengths = [];
      new MutationObserver(() => {
        const reply = document.querySelector('.message.assistant');
        if (reply) window.replyLengths.push(reply.textContent.length);
      }).observe(document.getElementById('messages'), { childList: true, subtree: true, characterData: true });`);
    await page.focus('#prompt');
    await page.keyboard.type('Hello there');
    await page.keyboard.press('Enter');
    await page.waitForFunction("document.querySelector('.message.assistant') && !document.querySelector('[aria-busy=\"true\"].message')", undefined, { timeout: 60_000 });
    expect(await page.isHidden('#error'), (await page.textContent('#error')) ?? '').toBe(true);
    expect(await page.textContent('.message.user')).toBe('Hello there');
    const reply = (await page.textContent('.message.assistant')) ?? '';
    expect(reply.length).toBeGreaterThan(0);
    const lengths = await served.app.run<number[]>('return window.replyLengths;');
    expect(new Set(lengths.filter((n) => n > 0)).size).toBeGreaterThan(2);
    expect(await page.inputValue('#prompt')).toBe('');
    expect(await page.isEnabled('#send')).toBe(true);
  });

  it('shows invalid UTF-8 output as a clear error, and the next message works', async () => {
    const { page } = served.app;
    // The trained model writes plain ASCII; forcing byte 0x80 (token 128) makes invalid UTF-8.
    await page.fill('#logit-bias', JSON.stringify({ '128': 100 }));
    await page.fill('#prompt', 'Hello there');
    await page.press('#prompt', 'Enter');
    await page.waitForFunction("!document.getElementById('error').hidden", undefined, { timeout: 30_000 });
    expect(await page.textContent('#error')).toMatch(/not valid UTF-8/);
    await page.fill('#logit-bias', JSON.stringify(BYTE_BAN));
    await page.fill('#prompt', 'Try again');
    await page.press('#prompt', 'Enter');
    await page.waitForFunction("!document.getElementById('send').disabled", undefined, { timeout: 30_000 });
    expect(await page.isHidden('#error')).toBe(true);
    expect(((await page.locator('.message.assistant').last().textContent()) ?? '').length).toBeGreaterThan(0);
  });

  it('shows the engine the model runs on, with the thread count the worker chose', async () => {
    // Cross-origin isolated, so threads are possible; how many the worker uses is its policy (cores - 1).
    expect(await served.app.run('return crossOriginIsolated;')).toBe(true);
    await served.app.page.waitForFunction("document.getElementById('engine-badge').dataset.engine === 'wasm'", undefined, { timeout: 10_000 });
    const cores = await served.app.run<number>('return navigator.hardwareConcurrency;');
    const threads = Math.max(1, cores - 1);
    // The engine's describe() in formatDevice's words, as the sidecar's log and /readyz write them.
    expect(await served.app.page.textContent('#engine-badge')).toBe(threads === 1 ? 'wasm, 1 thread' : `wasm, ${threads} threads`);
  });

  it('stop ends a reply at once and leaves the app ready', async () => {
    const { page } = served.app;
    const reply = async (): Promise<string> => (await page.locator('.message.assistant').last().textContent()) ?? '';
    // Greedy, with the bundled model's end tokens (<|endoftext|> 656, <|im_end|> 658) banned: the
    // reply cannot end by itself before its token budget (the 256-token context).
    await page.fill('#temperature', '0');
    await page.fill('#max-tokens', '400');
    await page.fill('#logit-bias', JSON.stringify({ ...BYTE_BAN, 656: -100, 658: -100 }));
    // The whole reply first (each run in a new chat, so both see the same prompt)...
    await page.click('#clear');
    await page.fill('#prompt', 'Tell me a long story');
    await page.click('#send');
    await page.waitForFunction("!document.getElementById('send').disabled", undefined, { timeout: 30_000 });
    const full = await reply();
    expect(full.length).toBeGreaterThan(100);

    // ...then the same reply, stopped as soon as it starts.
    await page.click('#clear');
    await page.fill('#prompt', 'Tell me a long story');
    await page.click('#send');
    await page.waitForFunction("([...document.querySelectorAll('.message.assistant')].at(-1)?.textContent ?? '').length > 0", undefined, { timeout: 10_000 });
    await page.click('#stop');
    await page.waitForFunction("!document.getElementById('send').disabled", undefined, { timeout: 10_000 });
    expect((await reply()).length).toBeLessThan(full.length);
    expect(await page.isDisabled('#stop')).toBe(true);
    expect(await page.isHidden('#error')).toBe(true);
  });

  it('works at phone width with labelled controls and a sensible keyboard order', async () => {
    const { page } = served.app;
    await page.setViewportSize({ width: 360, height: 740 });
    expect(await served.app.run('return document.documentElement.scrollWidth <= window.innerWidth;')).toBe(true);
    const unlabelled = await served.app.run<string[]>(`
      return [...document.querySelectorAll('input, select, textarea')]
        .filter((el) => el.labels.length === 0 && !el.getAttribute('aria-label'))
        .map((el) => el.id);`);
    expect(unlabelled).toEqual([]);
    await page.focus('#model');
    const order: string[] = [];
    for (let i = 0; i < 20 && order.at(-1) !== 'send'; i += 1) {
      await page.keyboard.press('Tab');
      // The messages' own buttons (Copy, Edit, Regenerate) count as one stop: "the conversation's actions".
      const id = await served.app.run<string>(
        "const el = document.activeElement; return el.id === '' && el.closest('#messages') ? 'message actions' : el.id;",
      );
      if (order.at(-1) !== id) order.push(id);
    }
    // Model, New chat, the conversation (scrollable, so focusable) and its messages' actions, the message box, Send; Stop is disabled.
    expect(order).toEqual(['clear', 'messages', 'message actions', 'prompt', 'send']);
    await page.setViewportSize({ width: 1280, height: 800 });
  });

  it('the official openai client in the page answers through the service worker (plain baseURL)', async () => {
    const result = await served.app.run<{ text: string; usage: number; streamed: string; chunks: number; models: string[] }>(`
      const client = new hearthPage.OpenAI({ baseURL: location.origin + '/v1', apiKey: 'local', dangerouslyAllowBrowser: true, maxRetries: 0 });
      const body = { model: 'hearth-chat', messages: [{ role: 'user', content: 'Say this is a test!' }], max_tokens: 12, temperature: 0, logit_bias: arg };
      const reply = await client.chat.completions.create(body);
      let streamed = '';
      let chunks = 0;
      for await (const chunk of await client.chat.completions.create({ ...body, stream: true })) {
        chunks += 1;
        streamed += chunk.choices[0]?.delta?.content ?? '';
      }
      const models = (await client.models.list()).data.map((m) => m.id + ':' + m.owned_by);
      return { text: reply.choices[0].message.content, usage: reply.usage.completion_tokens, streamed, chunks, models };`, BYTE_BAN);
    expect(result.text.length).toBeGreaterThan(0);
    expect(result.usage).toBeGreaterThan(0);
    expect(result.streamed).toBe(result.text);
    expect(result.chunks).toBeGreaterThan(2);
    expect(result.models).toEqual(['hearth-chat:browser']);
  });

  it('hearthFetch serves the same API without the service worker, for completions, edits and errors', async () => {
    const result = await served.app.run<{ completion: string; edit: string; missing: number; missingType: string }>(`
      const client = new hearthPage.OpenAI({ baseURL: location.origin + '/v1', apiKey: 'local', dangerouslyAllowBrowser: true, fetch: hearthPage.hearthFetch, maxRetries: 0 });
      const completion = await client.completions.create({ model: 'hearth-chat', prompt: 'Once upon a time', max_tokens: 8, temperature: 0, logit_bias: arg });
      const edit = await hearthPage.hearthFetch('/v1/edits', { method: 'POST', headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'hearth-chat', instruction: 'rephrase', input: 'Black cat', max_tokens: 6, temperature: 0, logit_bias: arg }) });
      const missing = await hearthPage.hearthFetch('/v1/nope');
      return { completion: completion.object, edit: (await edit.json()).object, missing: missing.status, missingType: (await missing.json()).error.type };`, BYTE_BAN);
    expect(result).toEqual({ completion: 'text_completion', edit: 'edit', missing: 404, missingType: 'not_found_error' });
  });

  it('invalid UTF-8 from the model is a clear error, and the engine keeps working', async () => {
    // Token 128 is the byte 0x80: a continuation byte with no lead byte is never valid UTF-8.
    const result = await served.app.run<{ status: number; message: string; after: string }>(`
      const post = (body) => hearthPage.hearthFetch('/v1/completions', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
      const bad = await post({ model: 'hearth-chat', prompt: 'Hi', max_tokens: 6, temperature: 0, logit_bias: { '128': 100 } });
      const error = await bad.json();
      const good = await post({ model: 'hearth-chat', prompt: 'Hi', max_tokens: 6, temperature: 0, logit_bias: arg });
      return { status: bad.status, message: error.error?.message ?? JSON.stringify(error), after: (await good.json()).object };`, BYTE_BAN);
    expect(result.status).toBeGreaterThanOrEqual(400);
    expect(result.message).toMatch(/UTF-8/);
    expect(result.after).toBe('text_completion');
  });

  it('made no request to any origin but its own (every browser request went through the logging proxy)', () => {
    const fromWebContent = served.app.proxy.requests.filter((r) => r.webContent);
    expect([...new Set(fromWebContent.map((r) => new URL(r.url).origin))]).toEqual([served.server.url]);
    // The proxy saw the engine worker's and the service worker's fetches, not just the page's.
    const paths = fromWebContent.map((r) => new URL(r.url).pathname);
    expect(paths.some((p) => p.endsWith('.wasm'))).toBe(true);
    expect(paths.some((p) => p.endsWith('.gguf'))).toBe(true);
    expect(paths).toContain('/sw.js');
    // What remains is Chromium's own background traffic (time, component updates, sign-in), all to Google.
    const other = served.app.proxy.requests.filter((r) => !r.webContent && !r.url.startsWith(served.server.url));
    for (const r of other) expect(r.url).toMatch(/^(CONNECT |http:\/\/)[a-z0-9.-]+\.(google\.com|googleapis\.com|gvt1\.com)[:/]/);
    expect(served.app.errors).toEqual([]);
  });
});
