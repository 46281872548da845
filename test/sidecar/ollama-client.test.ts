// The official `ollama` npm client against the sidecar where only the sidecar can answer: pulls
// (gallery@name and owner/repo/file, from the hub stand-in) with their progress, deletes, and the
// API key. The surface-independent cases are in ollama-conformance.test.ts.
import { Ollama, type ProgressResponse } from 'ollama';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from './harness.js';
import { GALLERY_INDEX, startLoadedHub, TINY_FILE, type LoadedHub } from './hub-helpers.js';
import { BAN_HIGH_BYTES } from '../fixtures/byte-ban.js';

const GREEDY = { temperature: 0, logit_bias: BAN_HIGH_BYTES, num_predict: 3 } as object;

describe('ollama client: pull, delete, keys', () => {
  let loaded: LoadedHub;
  let harness: Harness;
  let ollama: Ollama;

  beforeAll(async () => {
    loaded = await startLoadedHub();
    harness = await startHarness({ sidecar: { galleries: [{ name: 'hearth', url: `huggingface://${GALLERY_INDEX}` }], hfEndpoint: loaded.hub.url } });
    // host as OLLAMA_HOST takes it: host:port.
    ollama = new Ollama({ host: harness.sidecar.url.replace(/^http:\/\//, ''), fetch: (input, init) => fetch(input, { ...init, signal: init?.signal ?? AbortSignal.timeout(60_000) }) });
  });
  afterAll(async () => {
    await harness?.close();
    await loaded?.hub.close();
  });

  async function pulled(model: string): Promise<ProgressResponse[]> {
    const statuses: ProgressResponse[] = [];
    for await (const part of await ollama.pull({ model, stream: true })) statuses.push(part);
    return statuses;
  }

  it('pulls a gallery model with Ollama-shaped progress, serves it, lists it, deletes it', async () => {
    const statuses = await pulled('hearth@tiny-chat');
    expect(statuses[0]).toEqual({ status: 'pulling manifest' });
    expect(statuses.at(-1)).toEqual({ status: 'success' });
    const downloads = statuses.filter((s) => s.status.startsWith('downloading '));
    expect(downloads.length).toBeGreaterThan(0);
    const last = downloads.at(-1);
    expect(last?.total).toBe(loaded.tinyBytes.length);
    expect(last?.completed).toBe(loaded.tinyBytes.length);
    expect(last?.digest).toBe('tiny-q8_0.gguf');
    expect((await ollama.list()).models.map((m) => m.name)).toContain('tiny-chat');
    const reply = await ollama.generate({ model: 'tiny-chat', prompt: 'hi', stream: false, options: GREEDY });
    expect(reply.done).toBe(true);
    expect(await ollama.delete({ model: 'tiny-chat' })).toEqual({ status: 'success' });
    expect((await ollama.list()).models.map((m) => m.name)).not.toContain('tiny-chat');
    await expect(ollama.delete({ model: 'tiny-chat' })).rejects.toMatchObject({ status_code: 404 });
  });

  it('pulls owner/repo/file from the hub, and "stream": false answers when done', async () => {
    const before = loaded.hub.count(TINY_FILE);
    expect(await ollama.pull({ model: TINY_FILE, stream: false })).toEqual({ status: 'success' });
    expect((await ollama.list()).models.map((m) => m.name)).toContain(TINY_FILE);
    expect(loaded.hub.count(TINY_FILE)).toBe(before + 1);
  });

  it('an unknown gallery model is a 404 error before any progress', async () => {
    await expect(ollama.pull({ model: 'hearth@no-such-model', stream: true })).rejects.toMatchObject({ status_code: 404 });
  });
});

describe('ollama client with API keys', () => {
  let harness: Harness;
  beforeAll(async () => {
    harness = await startHarness({ sidecar: { apiKeys: ['sk-test'] } });
  });
  afterAll(async () => harness?.close());

  it('needs the key on /api/* (but not on /api/version), sent as the client sends headers', async () => {
    const host = harness.sidecar.url;
    await expect(new Ollama({ host }).list()).rejects.toMatchObject({ status_code: 401 });
    expect((await new Ollama({ host }).version()).version).toMatch(/^\d/);
    const keyed = new Ollama({ host, headers: { authorization: 'Bearer sk-test' } });
    expect((await keyed.list()).models.map((m) => m.name)).toContain('tiny.gguf');
  });
});
