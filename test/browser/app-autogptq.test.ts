// `backend: autogptq` in the browser tab (real headless Chromium, wllama): a config naming a
// Hugging Face repo has the repo's files fetched from the hub stand-in (another origin, CORS) into
// browser storage on first load, converted to GGUF in the engine worker (OPFS `hearth-cache`), then
// answers chat and completions. The converted bytes must equal the sidecar's conversion of the same
// repo (which the sidecar and core tests check against the fixture's ground truth).
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureRepoGguf } from '../../sidecar/convert/ensure-repo-gguf.js';
import { gptqRepoInMemory, writeGptqRepo, type GptqRepoOptions } from '../fixtures/gptq/write-gptq-repo.js';
import { startHubServer, type HubServer } from '../fixtures/hub-server.js';
import { openApp, type AppPage } from './app-page.js';
import { startStaticServer, type StaticServer } from './static-server.js';

const BASE = 'orca_mini_v2_13b-GPTQ-4bit-128g.no-act.order';
const REPO = 'TheBloke/orca_mini_v2_13b-GPTQ';
const BIG_REPO = 'TheBloke/Llama-2-70B-GPTQ';
const REPO_OPTIONS: GptqRepoOptions = { bits: 4, sym: true, modelBaseName: BASE, tokenizer: 'bpe', seed: 11 };

const yaml = (name: string, model: string, base = BASE): string =>
  `name: ${name}\nbackend: autogptq\nmodel_base_name: "${base}"\ncontext_size: 256\nparameters:\n  model: "${model}"\n  temperature: 0\n`;

describe('browser app: autogptq models', () => {
  let server: StaticServer;
  let hub: HubServer;
  let app: AppPage;
  let noPartialUtf8: Record<string, number>;
  const scratch = mkdtempSync(path.join(tmpdir(), 'hearth-gptq-tab-'));

  beforeAll(async () => {
    [server, hub] = await Promise.all([startStaticServer(), startHubServer({ cors: true })]);
    const { files, truth } = await gptqRepoInMemory(REPO_OPTIONS);
    // The byte-level BPE vocabulary's ids 128-255 are single bytes above ASCII: random weights would
    // pick partial UTF-8. And end-of-generation first would make an empty answer.
    noPartialUtf8 = { ...Object.fromEntries(Array.from({ length: 128 }, (_, i) => [String(128 + i), -100])), [String(truth.eosTokenId)]: -100 };
    for (const [name, bytes] of files) {
      hub.put(`${REPO}/${name}`, bytes);
      hub.put(`${BIG_REPO}/${name}`, bytes);
    }
    // The hub says the big repo's checkpoint is 36 GB (as a 70B GPTQ is): refused before any weight is fetched.
    hub.declareSize(`${BIG_REPO}/${BASE}.safetensors`, 36e9);
    app = await openApp(server.url);
    await app.waitReady();
    await app.page.fill('#hub-url', hub.url);
    await app.page.dispatchEvent('#hub-url', 'change');
    await app.run(
      `const folder = await (await navigator.storage.getDirectory()).getDirectoryHandle('models', { create: true });
       for (const [name, text] of Object.entries(arg)) {
         const writable = await (await folder.getFileHandle(name, { create: true })).createWritable();
         await writable.write(text);
         await writable.close();
       }`,
      { 'orca.yaml': yaml('orca', REPO), 'big.yaml': yaml('big', BIG_REPO), 'missing.yaml': yaml('missing', 'nobody/no-such-repo-GPTQ') },
    );
  }, 120_000);
  afterAll(async () => {
    await app?.close();
    await Promise.all([server?.close(), hub?.close()]);
    rmSync(scratch, { recursive: true, force: true });
  });

  const errorOf = (model: string): Promise<{ status: number; error: { message: string; code: string } }> =>
    app.run(
      `const response = await fetch('/v1/chat/completions', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model: arg, messages: [{ role: 'user', content: 'Hi' }], max_tokens: 2 }) });
       return { status: response.status, ...(await response.json()) };`,
      model,
      60_000,
    );

  it('a config naming a hub repo downloads it, converts it in the worker and answers chat and completions', async () => {
    const answer = await app.run<{ chat: number; completion: number; models: string[] }>(
      `const client = new hearthPage.OpenAI({ baseURL: location.origin + '/v1', apiKey: 'local', dangerouslyAllowBrowser: true, maxRetries: 0 });
       const chat = await client.chat.completions.create({ model: 'orca', messages: [{ role: 'user', content: 'Hi' }], max_tokens: 4, logit_bias: arg });
       const completion = await client.completions.create({ model: 'orca', prompt: 'Once upon a time', max_tokens: 4, logit_bias: arg });
       const models = (await client.models.list()).data.map((m) => m.id);
       return { chat: chat.usage.completion_tokens, completion: completion.usage.completion_tokens, models };`,
      noPartialUtf8,
      120_000,
    );
    expect(answer.chat).toBeGreaterThan(0);
    expect(answer.completion).toBeGreaterThan(0);
    // The repo's files are stored (flat, under the repo's prefix) but only the config is a model.
    expect(answer.models).toContain('orca');
    expect(answer.models.filter((id) => id.startsWith('TheBloke--'))).toEqual([]);
    const stored = await app.run<string[]>(
      `const folder = await (await navigator.storage.getDirectory()).getDirectoryHandle('models');
       const names = [];
       for await (const name of folder.keys()) names.push(name);
       return names.sort();`,
    );
    expect(stored).toEqual(expect.arrayContaining([`TheBloke--orca_mini_v2_13b-GPTQ--${BASE}.safetensors`, 'TheBloke--orca_mini_v2_13b-GPTQ--config.json', 'TheBloke--orca_mini_v2_13b-GPTQ--tokenizer.json']));
    expect(stored.filter((name) => name.endsWith('.partial'))).toEqual([]);

    // The same GGUF bytes as the sidecar's conversion of the same repo with the same config values.
    const folder = path.join(scratch, 'orca-gptq');
    await writeGptqRepo(folder, REPO_OPTIONS);
    const sidecar = await ensureRepoGguf(folder, { name: REPO, settings: { modelBaseName: BASE, contextSize: 256 } });
    const expected = createHash('sha256').update(readFileSync(sidecar.path)).digest('hex');
    const cached = await app.run<Array<{ name: string; sha256: string }>>(
      `const folder = await (await navigator.storage.getDirectory()).getDirectoryHandle('hearth-cache', { create: true });
       const out = [];
       for await (const handle of folder.values()) {
         const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', await (await handle.getFile()).arrayBuffer()));
         out.push({ name: handle.name, sha256: [...digest].map((b) => b.toString(16).padStart(2, '0')).join('') });
       }
       return out;`,
    );
    expect(cached.find((file) => file.name.startsWith('repo--TheBloke-orca_mini_v2_13b-GPTQ.'))?.sha256).toBe(expected);
  }, 240_000);

  it('a repo over the in-browser engine\'s limit gets the "too big for the tab" error before its weights are fetched', async () => {
    const { status, error } = await errorOf('big');
    expect(status).toBe(400);
    expect(error.code).toBe('model_too_large');
    expect(error.message).toContain('in-browser engine (32-bit WebAssembly)');
    expect(hub.count(`${BIG_REPO}/${BASE}.safetensors`)).toBe(0);
  }, 60_000);

  it('a repo the hub does not have is a 404 naming it', async () => {
    const { status, error } = await errorOf('missing');
    expect(status).toBe(404);
    expect(error.code).toBe('model_repo_not_found');
    expect(error.message).toContain('nobody/no-such-repo-GPTQ');
  }, 60_000);
});
