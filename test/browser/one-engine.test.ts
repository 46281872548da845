// One engine per browser: two tabs of the app share the first tab's engine worker (one copy of the
// model), both chat, an in-flight request fails with a clear retryable error when the host tab
// closes, and the remaining tab takes over and answers.
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { BAN_HIGH_BYTES } from '../fixtures/byte-ban.js';
import { useServedApp } from './served-app.js';

/** The bundled model's end tokens banned too: a reply runs to its budget (long enough to be in flight). */
const NEVER_END = { ...BAN_HIGH_BYTES, 656: -100, 658: -100 };

const engineWorkers = (pages: readonly Page[]): number => pages.flatMap((page) => page.workers()).filter((worker) => worker.url().includes('wllama-worker')).length;

async function chat(page: Page, content: string): Promise<{ status: number; text: string }> {
  return page.evaluate(
    `(async (arg) => {
      const r = await hearthPage.hearthFetch('/v1/chat/completions', { method: 'POST', headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'hearth-chat', messages: [{ role: 'user', content: arg.content }], max_tokens: 12, temperature: 0, logit_bias: arg.bias }) });
      const body = await r.json();
      return { status: r.status, text: body.choices?.[0]?.message?.content ?? JSON.stringify(body) };
    })(${JSON.stringify({ content, bias: BAN_HIGH_BYTES })})`,
  );
}

describe('browser app: one engine per browser', () => {
  const served = useServedApp();

  it('two tabs share one engine worker, both chat, and the second takes over when the first closes', async () => {
    const first = served.app.page;
    expect((await chat(first, 'Hello from the first tab')).status).toBe(200);
    const second = await served.app.context.newPage();
    try {
      await second.goto(served.server.url, { timeout: 30_000 });
      await second.waitForFunction('document.documentElement.dataset.ready !== undefined', undefined, { timeout: 60_000 });
      await second.evaluate('hearthPage.ready');
      const answered = await chat(second, 'Hello from the second tab');
      expect(answered.status, answered.text).toBe(200);
      expect(answered.text.length).toBeGreaterThan(0);
      // /v1 in the page (plain fetch, through the service worker) reaches the same engine.
      expect(await second.evaluate(`fetch('/v1/models').then((r) => r.json()).then((b) => b.data.map((m) => m.id))`)).toEqual(['hearth-chat']);
      expect(engineWorkers([first, second])).toBe(1);
      expect(second.workers().some((worker) => worker.url().includes('wllama-worker'))).toBe(false);
      // The second tab's badge shows where the model runs: in the first tab's engine.
      await second.waitForFunction("document.getElementById('engine-badge').dataset.engine === 'wasm'", undefined, { timeout: 10_000 });

      // Long streamed requests from the second tab, four at once so that three wait in the host's (one slot, a queue of four)
      // queue: they are in flight when the host tab closes.
      // A statement, not an expression: evaluate must not wait for the promise.
      await second.evaluate(`(() => { window.inFlight = Promise.all(Array.from({ length: 4 }, async () => {
        const r = await hearthPage.hearthFetch('/v1/chat/completions', { method: 'POST', headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ model: 'hearth-chat', stream: true, messages: [{ role: 'user', content: 'Tell me a long story' }], max_tokens: 400, temperature: 0, logit_bias: ${JSON.stringify(NEVER_END)} }) });
        if (!r.ok) return { status: r.status, code: (await r.json()).error?.code };
        const reader = r.body.getReader();
        window.firstChunk = true;
        try { for (;;) { const { done } = await reader.read(); if (done) return { status: r.status, ended: true }; } }
        catch (error) { return { status: r.status, code: error.code ?? String(error.message ?? error) }; }
      })); })()`);
      await second.waitForFunction('window.firstChunk === true', undefined, { timeout: 30_000, polling: 20 });
      await first.close();
      const outcomes = (await second.evaluate('window.inFlight')) as Array<{ status: number; code?: string; ended?: boolean }>;
      // None hangs: each finished before the close, or failed at once with the retryable error.
      for (const outcome of outcomes) if (outcome.ended !== true) expect(outcome.code, JSON.stringify(outcome)).toBe('engine_host_closed');
      expect(outcomes.some((outcome) => outcome.code === 'engine_host_closed'), JSON.stringify(outcomes)).toBe(true);

      // The second tab is now the host: it loads the model itself and answers.
      const after = await chat(second, 'Are you still there?');
      expect(after.status, after.text).toBe(200);
      expect(engineWorkers([second])).toBe(1);
    } finally {
      await second.close();
    }
  });
});
