// The tab serves a remote model config (backend: openai) too: the page's own /v1 calls, through the
// shim, go to a real sidecar on loopback that allows the page's origin (CORS). Same code as the
// sidecar's remote models (shared/upstreams); only the fetch is the page's.
import { afterAll, describe, expect, it } from 'vitest';
import { BAN_HIGH_BYTES } from '../fixtures/byte-ban.js';
import { startHarness, type Harness } from '../sidecar/harness.js';
import { shimClient, useServedApp } from './served-app.js';

let upstream: Harness | undefined;

const served = useServedApp(async ({ server, app }) => {
  upstream = await startHarness({ sidecar: { corsOrigins: [server.url] } });
  const yaml = ['name: fleet', 'backend: openai', 'model: tiny.gguf', 'upstreams:', `  - url: ${upstream.sidecar.url}/v1`, ''].join('\n');
  // As page code adds one: checked, then written into the tab's models.
  expect(await app.run<string[]>('return hearthPage.hearth.saveModelConfig("fleet.yaml", arg.yaml);', { yaml })).toEqual(['fleet']);
  const refused = await app.run<string>('return hearthPage.hearth.saveModelConfig("bad.yaml", "name: bad\\nbackend: openai\\n").then(() => "saved", (e) => e.message);');
  expect(refused).toContain("'upstreams' must be a list");
});
afterAll(async () => {
  await upstream?.close();
});

describe('a remote model in the tab', () => {
  it('is listed as remote beside the in-tab model', async () => {
    const models = await shimClient(served).models.list();
    expect(models.data.map((m) => `${m.id}:${m.owned_by}`)).toEqual(expect.arrayContaining(['fleet:remote', 'hearth-chat:browser']));
  });

  it('answers the same /v1 calls from the upstream sidecar, streamed or not', async () => {
    const client = shimClient(served);
    const reply = await client.chat.completions.create({ model: 'fleet', messages: [{ role: 'user', content: 'Hi' }], max_tokens: 6, temperature: 0, logit_bias: BAN_HIGH_BYTES });
    expect(reply.model).toBe('fleet');
    expect(reply.usage?.completion_tokens).toBe(6);
    // It ran on the sidecar, not in the tab.
    expect(upstream?.sidecar.models.isLoaded('tiny.gguf')).toBe(true);

    const stream = await client.completions.create({ model: 'fleet', prompt: 'Once', max_tokens: 5, temperature: 0, stream: true, logit_bias: BAN_HIGH_BYTES });
    const chunks: string[] = [];
    for await (const chunk of stream) {
      expect(chunk.model).toBe('fleet');
      chunks.push(chunk.choices[0]?.text ?? '');
    }
    expect(chunks.length).toBeGreaterThanOrEqual(5);
  });
});
