// The official `ollama` npm client against a sidecar with a gallery on the hub stand-in: the shared
// pull cases (gallery@name with its progress, list, generate, delete; run in the tab too), a pull of
// owner/repo/file, and the API key. The other surface-independent cases are in
// ollama-conformance.test.ts.
import { Ollama } from 'ollama';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defineOllamaPullConformance } from '../conformance/ollama-cases.js';
import { sidecarTarget, startHarness, type Harness } from './harness.js';
import { GALLERY_INDEX, startLoadedHub, TINY_FILE, type LoadedHub } from './hub-helpers.js';

let loaded: LoadedHub;
let harness: Harness;
beforeAll(async () => {
  loaded = await startLoadedHub();
  harness = await startHarness({ sidecar: { galleries: [{ name: 'hearth', url: `huggingface://${GALLERY_INDEX}` }], hfEndpoint: loaded.hub.url } });
});
afterAll(async () => {
  await harness?.close();
  await loaded?.hub.close();
});

// The pull, list, generate, delete round trip that the tab runs too (test/browser/ollama-conformance.test.ts).
defineOllamaPullConformance('sidecar', () => sidecarTarget(harness, 'tiny.gguf'), () => loaded);

describe('ollama client: pull owner/repo/file', () => {
  it('pulls owner/repo/file from the hub, and "stream": false answers when done', async () => {
    // host as OLLAMA_HOST takes it: host:port.
    const ollama = new Ollama({ host: harness.sidecar.url.replace(/^http:\/\//, ''), fetch: (input, init) => fetch(input, { ...init, signal: init?.signal ?? AbortSignal.timeout(60_000) }) });
    const before = loaded.hub.count(TINY_FILE);
    expect(await ollama.pull({ model: TINY_FILE, stream: false })).toEqual({ status: 'success' });
    expect((await ollama.list()).models.map((m) => m.name)).toContain(TINY_FILE);
    expect(loaded.hub.count(TINY_FILE)).toBe(before + 1);
  });
});

describe('ollama client with API keys', () => {
  let keyed: Harness;
  beforeAll(async () => {
    keyed = await startHarness({ sidecar: { apiKeys: ['sk-test'] } });
  });
  afterAll(async () => keyed?.close());

  it('needs the key on /api/* (but not on /api/version), sent as the client sends headers', async () => {
    const host = keyed.sidecar.url;
    await expect(new Ollama({ host }).list()).rejects.toMatchObject({ status_code: 401, error: expect.stringMatching(/API key/i) });
    expect((await new Ollama({ host }).version()).version).toMatch(/^\d/);
    const withKey = new Ollama({ host, headers: { authorization: 'Bearer sk-test' } });
    expect((await withKey.list()).models.map((m) => m.name)).toContain('tiny.gguf');
  });
});
