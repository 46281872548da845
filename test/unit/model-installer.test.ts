// Gallery installs end to end through the shared core, with an in-memory store and fetch.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { huggingFaceAutoInstaller } from '../../shared/galleries/auto-installer.js';
import { ModelGalleries } from '../../shared/galleries/model-galleries.js';
import { createSha256 } from '../../sidecar/downloads/node-sha256.js';
import { MemoryModelFiles, tableFetch } from '../fixtures/memory-model-files.js';

const HUB = 'http://hub.test';
const WEIGHTS = Uint8Array.from({ length: 2000 }, (_, i) => i % 256);
const SHA = createHash('sha256').update(WEIGHTS).digest('hex');
const text = (s: string): Uint8Array => new TextEncoder().encode(s);

function setup(index: string, extra: Array<[string, Uint8Array]> = [], changed: string[] = []) {
  const files = new MemoryModelFiles();
  const table = tableFetch(
    new Map<string, Uint8Array>([
      [`${HUB}/g/gallery/resolve/main/index.yaml`, text(index)],
      [
        `${HUB}/g/gallery/resolve/main/base.yaml`,
        text('name: base\nconfig_file: |\n  backend: llama-cpp\n  context_size: 512\n  parameters:\n    temperature: 0.2\nprompt_templates:\n  - name: chatml\n    content: "{{.Input}}"\n'),
      ],
      [`${HUB}/o/r/resolve/main/w.gguf`, WEIGHTS],
      ...extra,
    ]),
  );
  const log: string[] = [];
  const galleries = new ModelGalleries({
    galleries: [{ name: 'g', url: `huggingface://g/gallery/index.yaml` }],
    hub: { fetch: table.fetch, hfEndpoint: HUB, hfToken: 'secret' },
    store: files,
    files,
    createHash: createSha256,
    log: (level, message) => log.push(`${level} ${message}`),
    now: () => 0,
    onModelChanged: async (name) => void changed.push(name),
  });
  return { files, table, galleries, log };
}

const INDEX = `
- name: tiny
  url: huggingface://g/gallery/base.yaml
  description: A tiny model.
  overrides:
    parameters:
      model: w.gguf
  files:
    - filename: w.gguf
      uri: huggingface://o/r/w.gguf
      sha256: ${SHA}
- name: evil
  files:
    - filename: ../escape.gguf
      uri: huggingface://o/r/w.gguf
`;

describe('ModelGalleries', () => {
  it('installs a gallery entry: weights, template, merged config with the name, and a record', async () => {
    const { files, galleries, table } = setup(INDEX);
    const { job, done } = await galleries.apply({ id: 'g@tiny', name: 'my-tiny', overrides: { parameters: { temperature: 0.9 } }, files: [] });
    await done;
    expect(job.status).toMatchObject({ processed: true, progress: 100, message: 'completed', error: null, installed_name: 'my-tiny', gallery_model_name: 'g@tiny' });
    expect(files.files.get('w.gguf')).toEqual(WEIGHTS);
    expect(files.text('chatml.tmpl')).toBe('{{.Input}}');
    const config = files.text('my-tiny.yaml') ?? '';
    expect(config).toMatch(/^# Installed by Hearth from g@tiny\n/);
    expect(config).toContain('name: my-tiny');
    expect(config).toContain('context_size: 512');
    expect(config).toMatch(/parameters:\n {2}temperature: 0.9\n {2}model: w.gguf/);
    expect(JSON.parse(files.text('.hearth-install.my-tiny.json') ?? '')).toEqual({ name: 'my-tiny', stem: 'my-tiny', source: 'g@tiny', files: ['w.gguf', 'chatml.tmpl', 'my-tiny.yaml'] });
    // The token goes to the hub endpoint only.
    expect(table.calls.every((call) => call.headers['authorization'] === 'Bearer secret')).toBe(true);
    // The config is the last thing written: the model appears only when complete.
    expect(files.log.at(-1)).toBe('write my-tiny.yaml');
  });

  it('refuses to install a remote model (backend: openai) from a gallery or from request overrides', async () => {
    const { files, galleries } = setup(INDEX);
    // An API client must not point this server, and its environment's keys, at URLs of its choosing.
    const overrides = { backend: 'openai', upstreams: [{ url: 'http://attacker.test', api_key: '${HF_TOKEN}' }] };
    await expect(galleries.apply({ id: 'g@tiny', overrides, files: [] })).rejects.toMatchObject({ status: 400, code: 'remote_install_refused' });
    await expect(galleries.apply({ id: 'g@tiny', overrides: { backend: 'Remote' }, files: [] })).rejects.toMatchObject({ status: 400, code: 'remote_install_refused' });
    expect(files.log).toEqual([]);
  });

  it('lists entries with installed', async () => {
    const { galleries } = setup(INDEX);
    expect((await galleries.available()).map((m) => [m.id, m.installed])).toEqual([
      ['g@tiny', false],
      ['g@evil', false],
    ]);
    await (await galleries.apply({ id: 'tiny', overrides: {}, files: [] })).done;
    expect((await galleries.available()).find((m) => m.name === 'tiny')?.installed).toBe(true);
  });

  it('refuses unsafe file names and names before writing anything', async () => {
    const { files, galleries } = setup(INDEX);
    await expect(galleries.apply({ id: 'g@evil', overrides: {}, files: [] })).rejects.toMatchObject({ status: 400, code: 'unsafe_file_name' });
    await expect(galleries.apply({ id: 'g@tiny', name: '../../etc/x', overrides: {}, files: [] })).rejects.toMatchObject({ status: 400, param: 'name' });
    await expect(galleries.apply({ id: 'g@tiny', overrides: {}, files: [{ filename: '/abs.gguf', uri: 'http://x/a' }] })).rejects.toMatchObject({ status: 400 });
    expect(files.log).toEqual([]);
  });

  it("refuses a symlinked destination with a 400, nothing written", async () => {
    const { files, galleries } = setup(INDEX);
    files.symlinks.add('w.gguf');
    await expect(galleries.apply({ id: 'g@tiny', overrides: {}, files: [] })).rejects.toMatchObject({ status: 400, code: 'unsafe_file_name' });
    expect(galleries.jobs.all()).toEqual([]);
    expect(files.log).toEqual([]);
  });

  it('unknown galleries and models are 404s', async () => {
    const { galleries } = setup(INDEX);
    await expect(galleries.apply({ id: 'nope@tiny', overrides: {}, files: [] })).rejects.toMatchObject({ status: 404, code: 'gallery_not_found' });
    await expect(galleries.apply({ id: 'g@nope', overrides: {}, files: [] })).rejects.toMatchObject({ status: 404, code: 'model_not_in_gallery' });
  });

  it('a sha256 mismatch fails the job and leaves nothing installed', async () => {
    const index = INDEX.replace(SHA, 'c'.repeat(64));
    const { files, galleries } = setup(index);
    const { job, done } = await galleries.apply({ id: 'g@tiny', overrides: {}, files: [] });
    await expect(done).rejects.toMatchObject({ code: 'checksum_mismatch' });
    expect(job.status.error).toMatch(/sha256/);
    expect([...files.files.keys()]).toEqual([]);
  });

  it('delete removes only what the install wrote', async () => {
    const { files, galleries } = setup(INDEX);
    files.files.set('user-model.gguf', new Uint8Array(3));
    await (await galleries.apply({ id: 'g@tiny', overrides: {}, files: [] })).done;
    const { removed, job } = await galleries.remove('tiny');
    expect(removed.sort()).toEqual(['chatml.tmpl', 'tiny.yaml', 'w.gguf']);
    expect(job.status).toMatchObject({ deletion: true, processed: true });
    expect([...files.files.keys()]).toEqual(['user-model.gguf']);
    await expect(galleries.remove('tiny')).rejects.toMatchObject({ status: 404 });
    await expect(galleries.remove('../user-model.gguf')).rejects.toMatchObject({ status: 400 });
  });

  it('names what changed, so engines loaded under those names go: the model and its files, on install and on delete', async () => {
    const changed: string[] = [];
    const { galleries } = setup(INDEX, [], changed);
    await (await galleries.apply({ id: 'g@tiny', overrides: {}, files: [] })).done;
    // w.gguf too: a request may have named the weights file itself
    expect(changed).toEqual(['tiny', 'w.gguf']);
    changed.length = 0;
    await galleries.remove('tiny');
    expect(changed.sort()).toEqual(['chatml.tmpl', 'tiny', 'tiny.yaml', 'w.gguf']);
  });

  it('a file two installs share stays until the last one is deleted', async () => {
    const { files, galleries } = setup(INDEX);
    await (await galleries.apply({ id: 'g@tiny', overrides: {}, files: [] })).done;
    await (await galleries.apply({ id: 'g@tiny', name: 'second', overrides: {}, files: [] })).done;
    await galleries.remove('tiny');
    expect(files.files.has('w.gguf')).toBe(true);
    await galleries.remove('second');
    expect(files.files.has('w.gguf')).toBe(false);
  });

  it('a model not installed by Hearth is not deleted', async () => {
    const { files, galleries } = setup(INDEX);
    files.files.set('mine.yaml', text('name: mine\nparameters:\n  model: mine.gguf\n'));
    await expect(galleries.remove('mine')).rejects.toMatchObject({ status: 400, code: 'not_installed_by_hearth' });
    expect(files.files.has('mine.yaml')).toBe(true);
  });
});

describe('huggingFaceAutoInstaller', () => {
  it('installs owner/repo/file once for concurrent callers', async () => {
    const { files, galleries, table } = setup(INDEX);
    const auto = huggingFaceAutoInstaller(galleries.installer, HUB);
    expect(auto.canInstall('o/r/w.gguf')).toBe(true);
    expect(auto.canInstall('w.gguf')).toBe(false);
    await Promise.all([auto.install('o/r/w.gguf'), auto.install('o/r/w.gguf'), auto.install('o/r/w.gguf')]);
    expect(table.calls.filter((c) => c.url.endsWith('/o/r/resolve/main/w.gguf'))).toHaveLength(1);
    expect(files.files.get('o--r--w.gguf')).toEqual(WEIGHTS);
    expect(files.text('o--r--w.gguf.yaml')).toContain('name: o/r/w.gguf');
    expect(galleries.jobs.all()).toHaveLength(1);
  });
});
