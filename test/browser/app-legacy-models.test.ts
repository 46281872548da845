// Legacy GGML models in the browser tab: added by URL like any model, converted to GGUF in the
// engine worker on first load (into OPFS), then answering chat and completions through wllama.
// The converted bytes must equal what the sidecar's converter makes from the same file (which the
// sidecar and unit tests check against the GGUF written directly from the same weights).
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureGguf } from '../../sidecar/convert/ensure-gguf.js';
import { buildLlamaGgml } from '../fixtures/ggml/write-llama-ggml.js';
import { KOALA_YAML } from '../fixtures/ggml/koala-config.js';
import { tinySpec } from '../fixtures/gguf/llama-model-spec.js';
import { openApp, type AppPage } from './app-page.js';
import { startHubServer, type HubServer } from './hub-server.js';
import { startStaticServer, type StaticServer } from './static-server.js';
import { haveRwkvFixtures, RWKV_FIXTURES } from '../fixtures/rwkv-fixtures.js';
import { buildRwkvWorldModel, WORLD_VOCAB_FILE } from '../fixtures/rwkv-world-model.js';

/** The converted vocabulary's <0xNN> byte tokens (ids 3-258) banned: random weights would pick partial UTF-8. */
const BAN_BYTE_TOKENS = Object.fromEntries(Array.from({ length: 256 }, (_, i) => [String(i + 3), -100]));


describe('browser app: legacy GGML models', () => {
  let server: StaticServer;
  let hub: HubServer;
  let app: AppPage;
  const scratch = mkdtempSync(path.join(tmpdir(), 'hearth-legacy-'));
  const koala = path.join(scratch, 'ggml-koala-7b-model-q8_0-r2.bin');
  const loose = path.join(scratch, 'old-ggjt-v1.q4_0.bin');
  /** A writable copy of the rwkv fixtures' folder (the sidecar converter writes beside the model). */
  const scratchRwkv = (): string => {
    copyFileSync(path.join(RWKV_FIXTURES, 'tiny-rwkv-7v0-834K-FP16.bin'), path.join(scratch, 'tiny-rwkv-7v0-834K-FP16.bin'));
    return scratch;
  };

  beforeAll(async () => {
    writeFileSync(koala, buildLlamaGgml(tinySpec('Q8_0'), { magic: 'ggjt', version: 3, tensorType: 'Q8_0' }));
    writeFileSync(loose, buildLlamaGgml({ ...tinySpec('Q4_0', 'loose'), headCountKv: 4 }, { magic: 'ggjt', version: 1, tensorType: 'Q4_0' }));
    [server, hub] = await Promise.all([startStaticServer(), startHubServer()]);
    hub.addFile('hearth-test/legacy/ggml-koala-7b-model-q8_0-r2.bin', koala);
    hub.addFile('hearth-test/legacy/old-ggjt-v1.q4_0.bin', loose);
    app = await openApp(server.url);
    await app.waitReady();
  }, 120_000);
  afterAll(async () => {
    await app?.close();
    await Promise.all([server?.close(), hub?.close()]);
    rmSync(scratch, { recursive: true, force: true });
  });

  const addByUrl = async (file: string): Promise<void> => {
    await app.page.fill('#model-source', `${hub.url}/hearth-test/legacy/resolve/main/${file}`);
    await app.page.click('#add-model-button');
    await app.page.waitForFunction(`new RegExp(${JSON.stringify(file.replace(/\./g, '\\.'))} + '.*is ready').test(document.getElementById('models-message').textContent)`, undefined, { timeout: 30_000 });
  };

  const ask = (model: string): Promise<{ chat: number; completion: number }> =>
    app.run(
      `const client = new hearthPage.OpenAI({ baseURL: location.origin + '/v1', apiKey: 'local', dangerouslyAllowBrowser: true, maxRetries: 0 });
       const chat = await client.chat.completions.create({ model: arg.model, messages: [{ role: 'user', content: 'Hi' }], max_tokens: 4, temperature: 0, logit_bias: arg.bias });
       const completion = await client.completions.create({ model: arg.model, prompt: 'Once upon a time', max_tokens: 4, temperature: 0, logit_bias: arg.bias });
       return { chat: chat.usage.completion_tokens, completion: completion.usage.completion_tokens };`,
      { model, bias: BAN_BYTE_TOKENS },
      120_000,
    );

  /** The converted files in OPFS: name, size, last modified and SHA-256. */
  const cached = (): Promise<Array<{ name: string; size: number; lastModified: number; sha256: string }>> =>
    app.run(`const root = await navigator.storage.getDirectory();
      const folder = await root.getDirectoryHandle('hearth-cache', { create: true });
      const out = [];
      for await (const handle of folder.values()) {
        const file = await handle.getFile();
        const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', await file.arrayBuffer()));
        out.push({ name: handle.name, size: file.size, lastModified: file.lastModified, sha256: [...digest].map((b) => b.toString(16).padStart(2, '0')).join('') });
      }
      return out.sort((a, b) => a.name.localeCompare(b.name));`);

  it('a config with backend llama-ggml converts in the tab and answers chat and completions', async () => {
    await addByUrl('ggml-koala-7b-model-q8_0-r2.bin');
    await app.run(
      `const root = await navigator.storage.getDirectory();
       const folder = await root.getDirectoryHandle('models', { create: true });
       const writable = await (await folder.getFileHandle('koala.yaml', { create: true })).createWritable();
       await writable.write(arg.yaml);
       await writable.close();`,
      { yaml: KOALA_YAML },
    );
    const answer = await ask('koala');
    expect(answer.chat).toBeGreaterThan(0);
    expect(answer.completion).toBeGreaterThan(0);
    // The same bytes as the sidecar's conversion with the same config values.
    const sidecar = await ensureGguf(koala, { settings: { rmsNormEps: 1e-5, ngqa: 2, contextSize: 512 } });
    const expected = createHash('sha256').update(readFileSync(sidecar.path)).digest('hex');
    const files = await cached();
    expect(files.map((f) => f.sha256)).toContain(expected);
  }, 180_000);

  it.skipIf(!haveRwkvFixtures())("an rwkv.cpp RWKV v7 model converts in the tab and answers (llama.cpp's rwkv7 in wllama)", async () => {
    hub.addFile('hearth-test/legacy/tiny-rwkv-7v0-834K-FP16.bin', path.join(RWKV_FIXTURES, 'tiny-rwkv-7v0-834K-FP16.bin'));
    await addByUrl('tiny-rwkv-7v0-834K-FP16.bin');
    const answer = await app.run<{ text: string; tokens: number }>(
      `const client = new hearthPage.OpenAI({ baseURL: location.origin + '/v1', apiKey: 'local', dangerouslyAllowBrowser: true, maxRetries: 0 });
       const completion = await client.completions.create({ model: 'tiny-rwkv-7v0-834K-FP16.bin', prompt: 'The quick brown', max_tokens: 8, temperature: 0 });
       return { text: completion.choices[0].text, tokens: completion.usage.completion_tokens };`,
      null,
      120_000,
    );
    expect(answer.tokens).toBeGreaterThan(0);
    // The same bytes as the sidecar's conversion of the same file.
    const sidecar = await ensureGguf(path.join(RWKV_FIXTURES, 'tiny-rwkv-7v0-834K-FP16.bin').replace(RWKV_FIXTURES, scratchRwkv()));
    const expected = createHash('sha256').update(readFileSync(sidecar.path)).digest('hex');
    expect((await cached()).map((f) => f.sha256)).toContain(expected);
  }, 180_000);

  /** A completion's token count, or the error the OpenAI client threw. */
  const tryCompletion = (model: string): Promise<{ tokens?: number; error?: string }> =>
    app.run(
      `const client = new hearthPage.OpenAI({ baseURL: location.origin + '/v1', apiKey: 'local', dangerouslyAllowBrowser: true, maxRetries: 0 });
       try {
         const completion = await client.completions.create({ model: arg, prompt: 'Hello world', max_tokens: 4, temperature: 0 });
         return { tokens: completion.usage.completion_tokens };
       } catch (error) {
         return { error: error.status + ' ' + error.message };
       }`,
      model,
      120_000,
    );

  /** Writes a file into the tab's model storage as it is (the Models panel takes only models and World vocabularies). */
  const storeText = (name: string, text: string): Promise<void> =>
    app.run(
      `const root = await navigator.storage.getDirectory();
       const folder = await root.getDirectoryHandle('models', { create: true });
       const writable = await (await folder.getFileHandle(arg.name, { create: true })).createWritable();
       await writable.write(arg.text);
       await writable.close();`,
      { name, text },
    );

  it.skipIf(!haveRwkvFixtures())(
    'an rwkv.cpp World model (65536 tokens) converts with rwkv_vocab_v20230424.txt stored beside it; without it the clear error; a replaced vocabulary converts again',
    async () => {
      const world = path.join(scratch, 'rwkv-world.bin');
      writeFileSync(world, buildRwkvWorldModel());
      hub.addFile('hearth-test/legacy/rwkv-world.bin', world);
      await addByUrl('rwkv-world.bin');

      // No vocabulary stored: the sidecar's error, naming the file to add.
      const missing = await tryCompletion('rwkv-world.bin');
      expect(missing.error).toMatch(/^500 .*rwkv-world\.bin .*65536 tokens, so it needs the RWKV World tokenizer: put rwkv_vocab_v20230424\.txt .* beside it, or name it as rwkv-world\.bin\.tokenizer\.txt/);
      // LocalAI's <model>.tokenizer.json pairing: the sidecar's refusal too.
      await storeText('rwkv-world.bin.tokenizer.json', '{"version":"1.0","model":{"type":"BPE","vocab":{},"merges":[]}}');
      const paired = await tryCompletion('rwkv-world.bin');
      expect(paired.error).toMatch(/^500 .*rwkv-world\.bin .*rwkv-world\.bin\.tokenizer\.json, a Hugging Face \(GPT-NeoX "20B"\) tokenizer.*cannot run here/);
      expect((await cached()).filter((f) => f.name.startsWith('rwkv-world.bin'))).toEqual([]);

      // The World vocabulary, added in the Models panel like a model (it wins over the pairing).
      hub.addFile('hearth-test/legacy/rwkv_vocab_v20230424.txt', WORLD_VOCAB_FILE);
      await addByUrl('rwkv_vocab_v20230424.txt');
      const answer = await app.run<{ chat: number; completion: number; promptTokens: number }>(
        `const client = new hearthPage.OpenAI({ baseURL: location.origin + '/v1', apiKey: 'local', dangerouslyAllowBrowser: true, maxRetries: 0 });
         const chat = await client.chat.completions.create({ model: 'rwkv-world.bin', messages: [{ role: 'user', content: 'Hi' }], max_tokens: 4, temperature: 0 });
         const completion = await client.completions.create({ model: 'rwkv-world.bin', prompt: 'Hello world', max_tokens: 4, temperature: 0 });
         return { chat: chat.usage.completion_tokens, completion: completion.usage.completion_tokens, promptTokens: completion.usage.prompt_tokens };`,
        null,
        120_000,
      );
      expect(answer.chat).toBeGreaterThan(0);
      expect(answer.completion).toBeGreaterThan(0);
      // The World vocabulary's tokens ('Hello' 33155, ' world' 40213), not 11 bytes. (The tab has no
      // tokenize route, wllama having no tokenizer API; the sidecar test checks the ids.)
      expect(answer.promptTokens).toBe(2);
      // The same bytes as the sidecar's conversion with the same vocabulary beside the model.
      const sidecarFolder = mkdtempSync(path.join(tmpdir(), 'hearth-rwkv-world-'));
      try {
        copyFileSync(world, path.join(sidecarFolder, 'rwkv-world.bin'));
        copyFileSync(WORLD_VOCAB_FILE, path.join(sidecarFolder, 'rwkv_vocab_v20230424.txt'));
        const sidecar = await ensureGguf(path.join(sidecarFolder, 'rwkv-world.bin'));
        const expected = createHash('sha256').update(readFileSync(sidecar.path)).digest('hex');
        const first = (await cached()).filter((f) => f.name.startsWith('rwkv-world.bin'));
        expect(first.map((f) => f.sha256)).toEqual([expected]);

        // A different vocabulary (its last token dropped): deleted and added again, the next load converts again.
        const shorter = path.join(scratch, 'rwkv_vocab_v20230424.txt');
        writeFileSync(shorter, readFileSync(WORLD_VOCAB_FILE, 'utf8').trimEnd().split('\n').slice(0, -1).join('\n') + '\n');
        hub.addFile('hearth-test/legacy-2/rwkv_vocab_v20230424.txt', shorter);
        await app.page.click('[aria-label="Delete rwkv_vocab_v20230424.txt"]');
        await app.page.waitForFunction(`/rwkv_vocab_v20230424\\.txt was deleted/.test(document.getElementById('models-message').textContent)`, undefined, { timeout: 30_000 });
        await app.page.fill('#model-source', `${hub.url}/hearth-test/legacy-2/resolve/main/rwkv_vocab_v20230424.txt`);
        await app.page.click('#add-model-button');
        await app.page.waitForFunction(`/rwkv_vocab_v20230424\\.txt.*is ready/.test(document.getElementById('models-message').textContent)`, undefined, { timeout: 30_000 });
        // The loaded model stays until the page reloads (as in the sidecar, which does not watch its folder).
        await app.page.reload();
        await app.waitReady();
        expect((await tryCompletion('rwkv-world.bin')).tokens).toBeGreaterThan(0);
        const second = (await cached()).filter((f) => f.name.startsWith('rwkv-world.bin'));
        expect(second).toHaveLength(1);
        expect(second[0]?.name).not.toBe(first[0]?.name);
        expect(second[0]?.sha256).not.toBe(expected);
      } finally {
        rmSync(sidecarFolder, { recursive: true, force: true });
      }
    },
    300_000,
  );

  it('a loose ggjt v1 file converts by its magic and answers; a reload re-uses the converted file', async () => {
    await addByUrl('old-ggjt-v1.q4_0.bin');
    const first = await ask('old-ggjt-v1.q4_0.bin');
    expect(first.completion).toBeGreaterThan(0);
    const before = (await cached()).filter((f) => f.name.startsWith('old-ggjt-v1'));
    expect(before).toHaveLength(1);
    await app.page.reload();
    await app.waitReady();
    expect((await ask('old-ggjt-v1.q4_0.bin')).completion).toBeGreaterThan(0);
    const after = (await cached()).filter((f) => f.name.startsWith('old-ggjt-v1'));
    expect(after).toEqual(before);
    // Deleting the model deletes its converted copy too, and no other.
    const others = (await cached()).filter((f) => !f.name.startsWith('old-ggjt-v1'));
    await app.page.click('[aria-label="Delete old-ggjt-v1.q4_0.bin"]');
    await app.page.waitForFunction(`!document.querySelector('[aria-label="Delete old-ggjt-v1.q4_0.bin"]')`, undefined, { timeout: 30_000 });
    await expect.poll(async () => (await cached()).filter((f) => f.name.startsWith('old-ggjt-v1')), { timeout: 10_000 }).toEqual([]);
    expect((await cached()).filter((f) => !f.name.startsWith('old-ggjt-v1'))).toEqual(others);
  }, 180_000);
});
