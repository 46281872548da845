// Pairing a web page on another origin with the sidecar, end to end in Chromium: the page asks
// (POST /pair), the user approves in the sidecar's own app by clicking, the page gets a token and
// its official `openai` client works; without the token, from another origin, or after Revoke it
// is refused. The asking page may not approve itself.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import OpenAI from 'openai';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BAN_HIGH_BYTES, startHarness, type Harness } from '../sidecar/harness.js';
import { openApp, type AppPage } from './app-page.js';
import { startStaticServer, type StaticServer } from './static-server.js';

/** A fetch the given page performs (so it carries that page's Origin), for Node-side SDK clients. */
function fetchFrom(page: Page): typeof fetch {
  return async (input, init) => {
    const request = new Request(input, init);
    const body = request.method === 'GET' || request.method === 'HEAD' ? null : await request.text();
    const answer = (await page.evaluate(
      async (arg) => {
        try {
          const r = await fetch(arg.url, { method: arg.method, headers: arg.headers, body: arg.body });
          return { status: r.status, headers: [...r.headers], body: await r.text() };
        } catch (error) {
          return { status: 0, headers: [], body: String(error) };
        }
      },
      { url: request.url, method: request.method, headers: [...request.headers], body },
    )) as { status: number; headers: Array<[string, string]>; body: string };
    if (answer.status === 0) throw new TypeError(`the page's fetch failed: ${answer.body}`);
    return new Response(answer.status === 204 ? null : answer.body, { status: answer.status, headers: answer.headers });
  };
}

async function until<T>(what: string, probe: () => Promise<T | undefined>, deadlineMs = 20_000): Promise<T> {
  const end = Date.now() + deadlineMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

const ask = { model: 'tiny.gguf', messages: [{ role: 'user' as const, content: 'hi' }], max_tokens: 2, temperature: 0, logit_bias: BAN_HIGH_BYTES };

describe('pairing a web origin', () => {
  let stateDir: string;
  let pageDir: string;
  let harness: Harness;
  let hearthApp: AppPage;
  let asker: StaticServer;
  let askerPage: Page;
  let askerFetch: typeof fetch;
  let token = '';

  beforeAll(async () => {
    stateDir = mkdtempSync(path.join(tmpdir(), 'hearth-state-'));
    pageDir = mkdtempSync(path.join(tmpdir(), 'hearth-asker-'));
    writeFileSync(path.join(pageDir, 'index.html'), '<!doctype html><title>Another site</title><p>A page on another origin.</p>');
    harness = await startHarness({ sidecar: { statePath: stateDir } });
    // The sidecar's own app, as served by it (dist/web), and a page on a second origin (another port).
    hearthApp = await openApp(harness.sidecar.url);
    await hearthApp.waitReady();
    asker = await startStaticServer({ root: pageDir, isolation: false });
    askerPage = await hearthApp.context.newPage();
    await askerPage.goto(`${asker.url}/`, { timeout: 30_000 });
    askerFetch = fetchFrom(askerPage);
  });
  afterAll(async () => {
    await hearthApp?.close();
    await asker?.close();
    await harness?.close();
    for (const dir of [stateDir, pageDir]) if (dir) rmSync(dir, { recursive: true, force: true });
  });

  /** What the sidecar answers the asking origin (Node, same headers as the page would send). */
  async function answerFor(token: string): Promise<{ status: number; code: string | undefined }> {
    const response = await fetch(`${harness.sidecar.url}/v1/models`, { headers: { origin: asker.url, authorization: `Bearer ${token}` } });
    return { status: response.status, code: ((await response.json()) as { error?: { code: string } }).error?.code };
  }

  it('refuses the other origin before pairing: the browser gets no answer it may read, and nothing runs', async () => {
    const client = new OpenAI({ baseURL: `${harness.sidecar.url}/v1`, apiKey: 'not-paired', fetch: askerFetch, maxRetries: 0, timeout: 30_000 });
    // The preflight is refused, so the page's fetch fails (the SDK's connection error).
    await expect(client.chat.completions.create(ask)).rejects.toBeInstanceOf(OpenAI.APIConnectionError);
    expect(harness.sidecar.models.isLoaded('tiny.gguf')).toBe(false);
    expect(await answerFor('not-paired')).toEqual({ status: 403, code: 'origin_not_allowed' });
  });

  it('pairs after the user approves in the sidecar app, and the token works from that origin', async () => {
    const asked = (await (await askerFetch(`${harness.sidecar.url}/pair`, { method: 'POST' })).json()) as { id: string; code: string; origin: string };
    expect(asked.origin).toBe(asker.url);
    expect(asked.code).toMatch(/^\d{6}$/);
    expect(harness.log.some((line) => line.includes(asked.code) && line.includes(asker.url))).toBe(true);

    // The asking page cannot approve itself.
    await expect(askerFetch(`${harness.sidecar.url}/pair/requests/${asked.id}/approve`, { method: 'POST' })).rejects.toThrow(/fetch failed/);
    expect(((await (await askerFetch(`${harness.sidecar.url}/pair/${asked.id}`)).json()) as { status: string }).status).toBe('pending');

    // The user sees the origin and the same code in Hearth's page, and clicks Approve.
    const request = hearthApp.page.locator('#pairing-requests li', { hasText: asked.code });
    await request.waitFor({ timeout: 20_000 });
    expect(await request.textContent()).toContain(asker.url);
    await request.getByRole('button', { name: 'Approve' }).click();

    token = await until('the approval', async () => {
      const answer = (await (await askerFetch(`${harness.sidecar.url}/pair/${asked.id}`)).json()) as { status: string; token?: string };
      return answer.status === 'approved' ? answer.token : undefined;
    });
    const client = new OpenAI({ baseURL: `${harness.sidecar.url}/v1`, apiKey: token, fetch: askerFetch, maxRetries: 0, timeout: 60_000 });
    expect(await answerFor(token)).toEqual({ status: 200, code: undefined });
    const reply = await client.chat.completions.create(ask);
    expect(reply.choices[0]?.message.role).toBe('assistant');
    expect(reply.usage?.completion_tokens).toBeGreaterThan(0);

    // Kept on disk for the next start, without the token itself.
    const saved = readFileSync(path.join(stateDir, 'pairings.json'), 'utf8');
    expect(saved).toContain(asker.url);
    expect(saved).not.toContain(token);
    await hearthApp.page.locator('#pairing-list li', { hasText: asker.url }).waitFor({ timeout: 20_000 });
  });

  it('refuses the token from any other origin', async () => {
    const elsewhere = await fetch(`${harness.sidecar.url}/v1/models`, { headers: { origin: 'http://127.0.0.1:1', authorization: `Bearer ${token}` } });
    expect(elsewhere.status).toBe(403);
    expect(((await elsewhere.json()) as { error: { code: string } }).error.code).toBe('origin_not_allowed');
  });

  it('stops working once revoked in the sidecar app', async () => {
    await hearthApp.page.locator('#pairing-list li', { hasText: asker.url }).getByRole('button', { name: 'Revoke' }).click();
    await until('the revocation', async () => ((await answerFor(token)).status === 403 ? true : undefined));
    const client = new OpenAI({ baseURL: `${harness.sidecar.url}/v1`, apiKey: token, fetch: askerFetch, maxRetries: 0, timeout: 30_000 });
    await expect(client.chat.completions.create(ask)).rejects.toBeInstanceOf(OpenAI.APIConnectionError);
    expect(readFileSync(path.join(stateDir, 'pairings.json'), 'utf8')).not.toContain(asker.url);
  });

  it('tells a denied page so', async () => {
    const asked = (await (await askerFetch(`${harness.sidecar.url}/pair`, { method: 'POST' })).json()) as { id: string; code: string };
    const request = hearthApp.page.locator('#pairing-requests li', { hasText: asked.code });
    await request.waitFor({ timeout: 20_000 });
    await request.getByRole('button', { name: 'Deny' }).click();
    const status = await until('the denial', async () => {
      const answer = (await (await askerFetch(`${harness.sidecar.url}/pair/${asked.id}`)).json()) as { status: string };
      return answer.status === 'pending' ? undefined : answer.status;
    });
    expect(status).toBe('denied');
  });
});
