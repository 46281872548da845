// `backend: autogptq` on the sidecar, through the real server, llama.cpp and the openai client: a
// GPTQ repo (test/fixtures/gptq, seeded weights) in a models sub-folder or on the hub stand-in is
// converted to GGUF once into `.hearth-cache`, then served. The converter's numbers are checked by
// the core's own tests; here: the serving around it (download, cache, listing, errors, cleanup).
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { convertedPath } from '../../sidecar/convert/ensure-gguf.js';
import { ensureRepoGguf } from '../../sidecar/convert/ensure-repo-gguf.js';
import { gptqRepoInMemory, writeGptqRepo } from '../fixtures/gptq/write-gptq-repo.js';
import { startHubServer, type HubServer } from '../fixtures/hub-server.js';
import { post, startHarness, type Harness } from './harness.js';

const BASE = 'orca_mini_v2_13b-GPTQ-4bit-128g.no-act.order';
const HUB_REPO = 'TheBloke/orca_mini_v2_13b-GPTQ';

const yaml = (name: string, model: string, base: string | undefined = BASE): string =>
  `name: ${name}\nbackend: autogptq\n${base === undefined ? '' : `model_base_name: "${base}"\n`}context_size: 256\nparameters:\n  model: "${model}"\n  temperature: 0\n`;

describe('autogptq backend (sidecar)', () => {
  let harness: Harness;
  let hub: HubServer;
  let outside: string;
  let noPartialUtf8: Record<string, number>;

  beforeAll(async () => {
    hub = await startHubServer();
    harness = await startHarness({
      sidecar: { hfEndpoint: hub.url, hfToken: 'hf_test_token' },
      files: {
        'orca.yaml': yaml('orca-local', 'orca-gptq'),
        'orca-hub.yaml': yaml('orca-hub', HUB_REPO),
        'missing-base.yaml': yaml('missing-base', 'orca-gptq', 'orca-8bit'),
        'no-tokenizer.yaml': yaml('no-tokenizer', 'no-tok-gptq'),
        'not-on-hub.yaml': yaml('not-on-hub', 'nobody/no-such-repo-GPTQ'),
        'wrong-format.yaml': yaml('wrong-format', 'garbage-gptq'),
        'escape.yaml': yaml('escape', '../outside'),
        'link.yaml': yaml('link', 'linked-gptq'),
        'aborted.yaml': yaml('aborted', 'abort-gptq'),
      },
    });
    const dir = harness.modelsDir;
    const truth = await writeGptqRepo(path.join(dir, 'orca-gptq'), { bits: 4, sym: true, modelBaseName: BASE, tokenizer: 'bpe', seed: 1 });
    // The byte-level BPE vocabulary's ids 128-255 are single bytes above ASCII: random weights would
    // pick partial UTF-8. And end-of-generation first would make an empty answer.
    noPartialUtf8 = { ...Object.fromEntries(Array.from({ length: 128 }, (_, i) => [String(128 + i), -100])), [String(truth.eosTokenId)]: -100 };
    await writeGptqRepo(path.join(dir, 'no-tok-gptq'), { bits: 4, sym: true, modelBaseName: BASE, tokenizer: 'none', seed: 2 });
    await writeGptqRepo(path.join(dir, 'garbage-gptq'), { bits: 4, sym: true, modelBaseName: BASE, tokenizer: 'bpe', seed: 3 });
    writeFileSync(path.join(dir, 'garbage-gptq', `${BASE}.safetensors`), 'this is not a safetensors file');
    await writeGptqRepo(path.join(dir, 'abort-gptq'), { bits: 4, sym: false, modelBaseName: BASE, tokenizer: 'bpe', seed: 4 });
    outside = mkdtempSync(path.join(tmpdir(), 'hearth-outside-'));
    await writeGptqRepo(path.join(outside, 'repo'), { bits: 4, sym: true, modelBaseName: BASE, tokenizer: 'bpe', seed: 5 });
    symlinkSync(path.join(outside, 'repo'), path.join(dir, 'linked-gptq'));
    // The hub's copy: sharded, asymmetric, with a second checkpoint the config does not name (never fetched).
    const { files } = await gptqRepoInMemory({ bits: 4, sym: false, modelBaseName: BASE, shards: 2, tokenizer: 'bpe', seed: 6 });
    for (const [name, bytes] of files) hub.put(`${HUB_REPO}/${name}`, bytes);
    hub.put(`${HUB_REPO}/gptq_model-8bit-128g.safetensors`, new Uint8Array(4096));
    hub.put(`${HUB_REPO}/README.md`, '# orca mini');
  }, 180_000);

  afterAll(async () => {
    await harness?.close();
    await hub?.close();
    if (outside !== undefined) rmSync(outside, { recursive: true, force: true });
  });

  const errorOf = async (model: string): Promise<{ status: number; error: { message: string; code: string | null; type: string; param: string | null } }> => {
    const response = await post(harness.baseURL, '/chat/completions', { model, messages: [{ role: 'user', content: 'Hi' }], max_tokens: 2 });
    return { status: response.status, ...((await response.json()) as { error: { message: string; code: string | null; type: string; param: string | null } }) };
  };

  it('a repo in a models sub-folder answers chat and completions after one conversion', async () => {
    const chat = await harness.client.chat.completions.create({ model: 'orca-local', messages: [{ role: 'user', content: 'Hello' }], max_tokens: 6, logit_bias: noPartialUtf8 });
    expect(chat.usage?.completion_tokens).toBeGreaterThan(0);
    expect(chat.choices[0]?.message.content).toBeDefined();
    const completion = await harness.client.completions.create({ model: 'orca-local', prompt: 'Once upon a time', max_tokens: 6, logit_bias: noPartialUtf8 });
    expect(completion.usage?.completion_tokens).toBeGreaterThan(0);
    expect(harness.log.join('\n')).toMatch(/Converting orca-gptq \(autogptq\) to GGUF at .*\.hearth-cache.*orca-gptq\.gguf/);
    expect(existsSync(convertedPath(path.join(harness.modelsDir, 'orca-gptq')))).toBe(true);
  }, 180_000);

  it('lists the autogptq configs, never the repo files or folders', async () => {
    const names = (await harness.client.models.list()).data.map((model) => model.id);
    expect(names).toEqual(expect.arrayContaining(['orca-local', 'orca-hub']));
    expect(names.filter((name) => /\.safetensors$|\.json$|^tokenizer\.|-gptq$|GPTQ$|hearth-cache/.test(name))).toEqual([]);
  }, 30_000);

  it('a second load re-uses the converted GGUF without converting again', async () => {
    const converted = convertedPath(path.join(harness.modelsDir, 'orca-gptq'));
    const before = statSync(converted).mtimeMs;
    await harness.sidecar.models.unload('orca-local');
    const conversions = (): number => harness.log.filter((line) => line.includes('Converting orca-gptq (autogptq)')).length;
    const seen = conversions();
    const reply = await harness.client.completions.create({ model: 'orca-local', prompt: 'Again', max_tokens: 3, logit_bias: noPartialUtf8 });
    expect(reply.usage?.completion_tokens).toBeGreaterThan(0);
    expect(conversions()).toBe(seen);
    expect(statSync(converted).mtimeMs).toBe(before);
  }, 120_000);

  it('downloads an owner/repo from the hub on first load (only the files it needs, token to the hub, a dropped file resumed), then serves it', async () => {
    const shard = `${HUB_REPO}/${BASE}-00001-of-00002.safetensors`;
    hub.dropHalfwayOnce(shard);
    const chat = await harness.client.chat.completions.create({ model: 'orca-hub', messages: [{ role: 'user', content: 'Hello' }], max_tokens: 4, logit_bias: noPartialUtf8 });
    expect(chat.usage?.completion_tokens).toBeGreaterThan(0);
    const folder = path.join(harness.modelsDir, 'TheBloke--orca_mini_v2_13b-GPTQ');
    const stored = readdirSync(folder).sort();
    expect(stored).toEqual(expect.arrayContaining(['config.json', 'quantize_config.json', 'tokenizer.json', `${BASE}.safetensors.index.json`]));
    expect(stored.filter((name) => name.endsWith('.safetensors'))).toHaveLength(2);
    expect(stored.filter((name) => name.endsWith('.partial') || name === 'README.md' || name.startsWith('gptq_model'))).toEqual([]);
    expect(hub.count(`${HUB_REPO}/gptq_model-8bit-128g.safetensors`)).toBe(0);
    // The dropped connection was resumed from where it stopped, not started again.
    const shardRequests = hub.requests.filter((r) => r.file === shard);
    expect(shardRequests).toHaveLength(2);
    expect(shardRequests[1]?.range).toMatch(/^bytes=[1-9]\d*-$/);
    // Load progress covers the download (first half), then the conversion and llama.cpp's load.
    const progress = harness.log.filter((line) => line.startsWith('info loading model orca-hub:')).map((line) => line.slice(line.lastIndexOf(' ') + 1));
    expect(progress).toEqual(['0%', '25%', '50%', '75%']);
    expect(hub.requests.filter((r) => r.file.startsWith(HUB_REPO) || r.file === `api/models/${HUB_REPO}`).every((r) => r.authorization === 'Bearer hf_test_token')).toBe(true);
    // Loaded again: from the folder, no network.
    const requests = hub.requests.length;
    await harness.sidecar.models.unload('orca-hub');
    const again = await harness.client.completions.create({ model: 'orca-hub', prompt: 'Hi', max_tokens: 2, logit_bias: noPartialUtf8 });
    expect(again.usage?.completion_tokens).toBeGreaterThan(0);
    expect(hub.requests.length).toBe(requests);
  }, 180_000);

  it('a repo the hub does not have is a 404 naming it, and nothing is written', async () => {
    const { status, error } = await errorOf('not-on-hub');
    expect(status).toBe(404);
    expect(error.code).toBe('model_repo_not_found');
    expect(error.message).toContain('nobody/no-such-repo-GPTQ');
    expect(existsSync(path.join(harness.modelsDir, 'nobody--no-such-repo-GPTQ'))).toBe(false);
  }, 60_000);

  it('a missing model_base_name file is an error naming the file', async () => {
    const { status, error } = await errorOf('missing-base');
    expect(status).toBeGreaterThanOrEqual(400);
    expect(error.message).toContain('orca-8bit.safetensors');
  }, 60_000);

  it('a repo without a tokenizer is an error naming what is missing, and leaves nothing in the cache', async () => {
    const { status, error } = await errorOf('no-tokenizer');
    expect(status).toBeGreaterThanOrEqual(400);
    expect(error.message).toMatch(/tokenizer/);
    expect(existsSync(convertedPath(path.join(harness.modelsDir, 'no-tok-gptq')))).toBe(false);
  }, 60_000);

  it('a file in the wrong format is an error naming the file, and nothing half-written is left or served', async () => {
    const { status, error } = await errorOf('wrong-format');
    expect(status).toBeGreaterThanOrEqual(400);
    expect(error.message).toContain(`${BASE}.safetensors`);
    expect(readdirSync(path.join(harness.modelsDir, '.hearth-cache')).filter((name) => name.includes('garbage'))).toEqual([]);
  }, 60_000);

  it('a folder outside the models folder (a ".." name or a symlink) is refused', async () => {
    const escape = await errorOf('escape');
    expect(escape.status).toBe(400);
    expect(escape.error.code).toBe('invalid_model_name');
    const link = await errorOf('link');
    expect(link.status).toBe(400);
    expect(link.error.code).toBe('invalid_model_name');
  }, 60_000);

  it('a cancelled conversion leaves nothing behind, and the next one converts', async () => {
    const folder = path.join(harness.modelsDir, 'abort-gptq');
    const abort = new AbortController();
    const seen: number[] = [];
    const failed = await ensureRepoGguf(folder, {
      name: 'abort-gptq',
      settings: { modelBaseName: BASE },
      signal: abort.signal,
      onProgress: (fraction) => {
        seen.push(fraction);
        if (fraction > 0) abort.abort(new Error('cancelled by the test'));
      },
    }).catch((error: unknown) => error);
    expect(failed).toBeInstanceOf(Error);
    expect(readdirSync(path.join(harness.modelsDir, '.hearth-cache')).filter((name) => name.startsWith('abort-gptq'))).toEqual([]);
    const progress: number[] = [];
    expect((await ensureRepoGguf(folder, { name: 'abort-gptq', settings: { modelBaseName: BASE }, onProgress: (f) => progress.push(f) })).converted).toBe(true);
    expect(progress.at(-1)).toBe(1);
    expect((await ensureRepoGguf(folder, { name: 'abort-gptq', settings: { modelBaseName: BASE } })).converted).toBe(false);
  }, 120_000);
});

describe('autogptq backend (sidecar, --no-auto-download)', () => {
  it('a hub repo that is not in the models folder is a 404 saying downloads are off, and the hub is not asked', async () => {
    const hub = await startHubServer();
    const harness = await startHarness({ sidecar: { hfEndpoint: hub.url, autoDownload: false }, files: { 'orca.yaml': yaml('orca-hub', HUB_REPO) } });
    try {
      const response = await post(harness.baseURL, '/chat/completions', { model: 'orca-hub', messages: [{ role: 'user', content: 'Hi' }], max_tokens: 2 });
      expect(response.status).toBe(404);
      const { error } = (await response.json()) as { error: { message: string; code: string } };
      expect(error.code).toBe('model_file_not_found');
      expect(error.message).toContain('--no-auto-download');
      expect(hub.requests).toEqual([]);
    } finally {
      await harness.close();
      await hub.close();
    }
  }, 60_000);
});
