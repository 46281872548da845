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
import { formatBytes } from '../../web/models/model-limits.js';
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

  /** Every file in OPFS `models` and `hearth-cache`: name, size and last modified, to see what a delete touched. */
  const storage = (): Promise<Array<{ folder: string; name: string; size: number; lastModified: number }>> =>
    app.run(`const root = await navigator.storage.getDirectory();
      const out = [];
      for (const folder of ['models', 'hearth-cache']) {
        const dir = await root.getDirectoryHandle(folder, { create: true });
        for await (const handle of dir.values()) {
          if (handle.kind !== 'file') continue;
          const file = await handle.getFile();
          out.push({ folder, name: handle.name, size: file.size, lastModified: file.lastModified });
        }
      }
      return out.sort((a, b) => (a.folder + '/' + a.name).localeCompare(b.folder + '/' + b.name));`);
  const REPO_PREFIX = 'TheBloke--orca_mini_v2_13b-GPTQ--';
  const CACHE_PREFIX = 'repo--TheBloke-orca_mini_v2_13b-GPTQ.';
  const isRepoFile = (file: { folder: string; name: string }): boolean =>
    (file.folder === 'models' && file.name.startsWith(REPO_PREFIX)) || (file.folder === 'hearth-cache' && file.name.startsWith(CACHE_PREFIX));
  const ask = (): Promise<number> =>
    app.run(
      `const client = new hearthPage.OpenAI({ baseURL: location.origin + '/v1', apiKey: 'local', dangerouslyAllowBrowser: true, maxRetries: 0 });
       const chat = await client.chat.completions.create({ model: 'orca', messages: [{ role: 'user', content: 'Hi' }], max_tokens: 4, logit_bias: arg });
       return chat.usage.completion_tokens;`,
      noPartialUtf8,
      120_000,
    );

  it('the Models panel lists the stored repo once with its size, and Delete removes its files and converted copy (and nothing else); the next request downloads it again', async () => {
    // Runs after the first test: the repo is stored and converted, and 'orca' is loaded.
    const before = await storage();
    const repoFiles = before.filter((file) => file.folder === 'models' && file.name.startsWith(REPO_PREFIX));
    expect(repoFiles.length).toBeGreaterThan(3);
    expect(before.filter((file) => file.folder === 'hearth-cache' && file.name.startsWith(CACHE_PREFIX))).toHaveLength(1);
    const row = `#model-list li[data-repo="${REPO}"]`;
    // The panel refreshed itself when the model finished loading.
    await app.page.waitForSelector(row, { timeout: 10_000 });
    expect(await app.page.locator(`#model-list li[data-repo]`).count()).toBe(1);
    const bytes = repoFiles.reduce((sum, file) => sum + file.size, 0);
    // Every file but the hidden fetched-marker counts.
    const shown = repoFiles.filter((file) => !file.name.endsWith('.hearth-repo.json')).length;
    expect(await app.page.textContent(row)).toContain(`${REPO}${formatBytes(bytes)} · ${shown} files`);

    await app.page.click(`button[aria-label="Delete ${REPO}"]`);
    await app.page.waitForFunction(`document.getElementById('models-message').textContent.includes(${JSON.stringify(`${REPO} was deleted`)})`, undefined, { timeout: 10_000 });
    const after = await storage();
    expect(after.filter(isRepoFile)).toEqual([]);
    // Nothing else in storage was touched (the configs, other models, other converted copies).
    expect(after).toEqual(before.filter((file) => !isRepoFile(file)));
    expect(await app.page.locator(row).count()).toBe(0);
    expect(await app.run<boolean>(`return hearthPage.hearth.models.isLoaded('orca');`)).toBe(false);

    // The next request downloads the repo again (slowly, so a delete can be tried meanwhile) and converts it.
    const weights = `${REPO}/${BASE}.safetensors`;
    const fetched = hub.count(weights);
    hub.slow(weights, 8000);
    const answer = ask();
    answer.catch(() => undefined);
    const deadline = Date.now() + 60_000;
    while (hub.count(weights) === fetched && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(hub.count(weights)).toBe(fetched + 1);
    // A delete while the load downloads (or converts) the repo is refused: it would leave a half repo.
    const refused = await app.run<string>(`return hearthPage.hearth.library.removeRepo(arg).then(() => 'deleted', (error) => error.message);`, REPO);
    expect(refused).toContain(`${REPO} is being downloaded or converted`);
    expect(await answer).toBeGreaterThan(0);
    const again = await storage();
    expect(again.filter((file) => file.folder === 'models' && file.name.startsWith(REPO_PREFIX)).map((file) => [file.name, file.size])).toEqual(repoFiles.map((file) => [file.name, file.size]));
    expect(again.filter((file) => file.folder === 'hearth-cache' && file.name.startsWith(CACHE_PREFIX))).toHaveLength(1);
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
