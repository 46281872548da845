// A chat request naming owner/repo/file downloads it from HF_ENDPOINT (the hub stand-in), then
// serves it: once for concurrent requests, resuming with Range after a dropped connection.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BAN_HIGH_BYTES, startHarness, type Harness } from './harness.js';
import { startLoadedHub, TINY_FILE, type LoadedHub } from './hub-helpers.js';

const ask = { messages: [{ role: 'user' as const, content: 'hi' }], max_tokens: 2, temperature: 0, logit_bias: BAN_HIGH_BYTES };

describe('Hugging Face models by name', () => {
  let loaded: LoadedHub;
  let harness: Harness;

  beforeAll(async () => {
    loaded = await startLoadedHub();
    // Copies of the tiny model under other repos, so each test downloads afresh.
    for (const repo of ['concurrent', 'dropped', 'restarted']) loaded.hub.put(`hearth/${repo}/tiny.gguf`, loaded.tinyBytes);
    harness = await startHarness({ sidecar: { hfEndpoint: loaded.hub.url, hfToken: 'hf_test_token' } });
  });
  afterAll(async () => {
    await harness?.close();
    await loaded?.hub.close();
  });

  const local = (file: string): Buffer => readFileSync(path.join(harness.modelsDir, file));

  it('downloads owner/repo/file on first use, configures it and serves it (token sent to the hub)', async () => {
    const reply = await harness.client.chat.completions.create({ model: TINY_FILE, ...ask });
    expect(reply.model).toBe(TINY_FILE);
    expect(loaded.hub.count(TINY_FILE)).toBe(1);
    const request = loaded.hub.requests.find((r) => r.file === TINY_FILE);
    expect(request).toMatchObject({ revision: 'main', authorization: 'Bearer hf_test_token' });
    expect(local('hearth--tiny-GGUF--tiny-q8_0.gguf').equals(loaded.tinyBytes)).toBe(true);
    expect(readFileSync(path.join(harness.modelsDir, 'hearth--tiny-GGUF--tiny-q8_0.gguf.yaml'), 'utf8')).toContain(`name: ${TINY_FILE}`);
    // Installed now: listed by name, served again without a second download.
    expect((await harness.client.models.list()).data.map((m) => m.id)).toContain(TINY_FILE);
    await harness.client.chat.completions.create({ model: TINY_FILE, ...ask });
    expect(loaded.hub.count(TINY_FILE)).toBe(1);
  });

  it('two concurrent requests for one model cause one download', async () => {
    const file = 'hearth/concurrent/tiny.gguf';
    loaded.hub.slow(file, 600);
    const [a, b] = await Promise.all([
      harness.client.chat.completions.create({ model: file, ...ask }),
      harness.client.chat.completions.create({ model: file, ...ask }),
    ]);
    expect([a.model, b.model]).toEqual([file, file]);
    expect(loaded.hub.count(file)).toBe(1);
  });

  it('a connection dropped halfway is resumed with Range to a byte-identical file', async () => {
    const file = 'hearth/dropped/tiny.gguf';
    loaded.hub.dropHalfwayOnce(file);
    const reply = await harness.client.chat.completions.create({ model: file, ...ask });
    expect(reply.model).toBe(file);
    const requests = loaded.hub.requests.filter((r) => r.file === file);
    expect(requests).toHaveLength(2);
    expect(requests[0]?.range).toBeUndefined();
    expect(requests[1]?.range).toMatch(/^bytes=\d+-$/);
    expect(Number(/\d+/.exec(requests[1]?.range ?? '')?.[0])).toBeGreaterThan(0);
    expect(local('hearth--dropped--tiny.gguf').equals(loaded.tinyBytes)).toBe(true);
    expect(readdirSync(harness.modelsDir).filter((f) => f.endsWith('.partial'))).toEqual([]);
  });

  it('a partial file left by an earlier run is resumed where it stopped', async () => {
    const file = 'hearth/restarted/tiny.gguf';
    const half = Math.floor(loaded.tinyBytes.length / 2);
    writeFileSync(path.join(harness.modelsDir, 'hearth--restarted--tiny.gguf.partial'), loaded.tinyBytes.subarray(0, half));
    await harness.client.chat.completions.create({ model: file, ...ask });
    expect(loaded.hub.requests.filter((r) => r.file === file).map((r) => r.range)).toEqual([`bytes=${half}-`]);
    expect(local('hearth--restarted--tiny.gguf').equals(loaded.tinyBytes)).toBe(true);
  });

  it('a file the hub does not have is a 404 naming the URL, and nothing is written', async () => {
    const before = readdirSync(harness.modelsDir).sort();
    const error = await harness.client.chat.completions.create({ model: 'hearth/missing/nope.gguf', ...ask }).catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 404 });
    expect((error as Error).message).toContain('/hearth/missing/resolve/main/nope.gguf');
    expect(readdirSync(harness.modelsDir).sort()).toEqual(before);
  });
});

describe('--no-auto-download', () => {
  it('leaves owner/repo/file to the usual rules (one model installed: it answers) and downloads nothing', async () => {
    const loaded = await startLoadedHub();
    const harness = await startHarness({ sidecar: { hfEndpoint: loaded.hub.url, autoDownload: false } });
    try {
      const reply = await harness.client.chat.completions.create({ model: TINY_FILE, ...ask });
      expect(reply.model).toBe(TINY_FILE);
      expect(loaded.hub.requests).toEqual([]);
      expect(readdirSync(harness.modelsDir)).toEqual(['tiny.gguf']);
    } finally {
      await harness.close();
      await loaded.hub.close();
    }
  });
});
