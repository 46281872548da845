// The browser app served by the sidecar: /v1/models lists the tab's models and the sidecar's, a
// request for a sidecar model is answered by the sidecar, and the tab's own model stays in the tab.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../sidecar/harness.js';
import { openApp, type AppPage } from './app-page.js';
import { BAN_HIGH_BYTES as BYTE_BAN } from '../fixtures/byte-ban.js';


describe('browser app served by the sidecar', () => {
  let harness: Harness;
  let app: AppPage;

  beforeAll(async () => {
    harness = await startHarness({ models: { 'sidecar-tiny.gguf': 'tinyQ8_0' } });
    app = await openApp(harness.sidecar.url);
    await app.waitReady();
  });
  afterAll(async () => {
    await app?.close();
    await harness?.close();
  });

  const chat = (model: string): Promise<{ model: string; tokens: number }> =>
    app.run(
      `const client = new hearthPage.OpenAI({ baseURL: location.origin + '/v1', apiKey: 'local', dangerouslyAllowBrowser: true, maxRetries: 0 });
       const reply = await client.chat.completions.create({ model: arg.model, messages: [{ role: 'user', content: 'Hi' }], max_tokens: 6, temperature: 0, logit_bias: arg.bias });
       return { model: reply.model, tokens: reply.usage.completion_tokens };`,
      { model, bias: BYTE_BAN },
    );

  it('is served at / with cross-origin isolation', async () => {
    expect(await app.run('return crossOriginIsolated;')).toBe(true);
  });

  it('lists browser and sidecar models with their owners', async () => {
    const models = await app.run<string[]>(`return (await (await fetch('/v1/models')).json()).data.map((m) => m.id + ':' + m.owned_by);`);
    expect(models).toEqual(['hearth-chat:browser', 'sidecar-tiny.gguf:sidecar']);
  });

  it('forwards a request for a sidecar model to the sidecar, and runs the browser model in the tab', async () => {
    expect(harness.sidecar.models.isLoaded('sidecar-tiny.gguf')).toBe(false);
    const remote = await chat('sidecar-tiny.gguf');
    expect(remote).toEqual({ model: 'sidecar-tiny.gguf', tokens: 6 });
    expect(harness.sidecar.models.isLoaded('sidecar-tiny.gguf')).toBe(true);
    const local = await chat('hearth-chat');
    expect(local).toEqual({ model: 'hearth-chat', tokens: 6 });
    // The sidecar would serve its only model for any name; it never saw the browser model's request.
    expect(harness.sidecar.models.isLoaded('hearth-chat')).toBe(false);
  });

  it('shows in the engine badge where the sidecar runs a picked sidecar model, as its /readyz says', async () => {
    // The model was loaded on the sidecar by the previous test, so /readyz lists its device.
    const ready = (await (await fetch(`${harness.sidecar.url}/readyz`)).json()) as { models: Array<{ name: string; device: string }> };
    const device = ready.models.find((m) => m.name === 'sidecar-tiny.gguf')?.device;
    expect(device).toMatch(/^cpu, \d+ threads?$|^\w+: /);
    // The picker groups models by where they run, so choosing one is choosing where.
    expect(await app.page.evaluate("[...document.querySelectorAll('#model optgroup')].map((g) => g.label + ': ' + [...g.children].map((o) => o.value).join(','))")).toEqual([
      'Runs in this tab: hearth-chat',
      'Runs in the sidecar (native, CPU or GPU): sidecar-tiny.gguf',
    ]);
    await app.page.selectOption('#model', 'sidecar-tiny.gguf');
    await app.page.waitForFunction("document.getElementById('engine-badge').dataset.engine === 'sidecar'", undefined, { timeout: 10_000 });
    await app.page.waitForFunction((text) => document.getElementById('engine-badge')?.textContent === text, `sidecar: ${device}`, { timeout: 10_000 });
  });
});
