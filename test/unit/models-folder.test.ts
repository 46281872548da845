import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiError } from '../../shared/base/api-error.js';
import { assertSafeFileName, ModelsFolder } from '../../sidecar/models-folder.js';

let base: string;
let models: string;
let folder: ModelsFolder;

beforeAll(() => {
  base = realpathSync(mkdtempSync(path.join(tmpdir(), 'hearth-models-folder-')));
  models = path.join(base, 'models');
  const outside = path.join(base, 'outside');
  mkdirSync(models);
  mkdirSync(outside);
  writeFileSync(path.join(outside, 'secret.txt'), 'secret');
  // A sibling whose name starts with the models folder's name must still count as outside.
  mkdirSync(path.join(base, 'models-evil'));
  writeFileSync(path.join(base, 'models-evil', 'x.gguf'), 'evil');

  writeFileSync(path.join(models, 'tiny.gguf'), 'GGUF');
  writeFileSync(path.join(models, 'chat.yaml'), 'name: chat\n');
  writeFileSync(path.join(models, 'chatml.tmpl'), '{{.Input}}');
  writeFileSync(path.join(models, 'huge.yaml'), Buffer.alloc(1024 * 1024 + 1, 0x61));
  mkdirSync(path.join(models, 'subfolder'));
  writeFileSync(path.join(models, 'subfolder', 'nested.gguf'), 'GGUF');
  symlinkSync(path.join(models, 'tiny.gguf'), path.join(models, 'alias.gguf'));
  symlinkSync(path.join(outside, 'secret.txt'), path.join(models, 'escape.yaml'));
  symlinkSync(path.join(base, 'models-evil', 'x.gguf'), path.join(models, 'evil.gguf'));
  symlinkSync('../outside', path.join(models, 'outside-dir'));
  symlinkSync(path.join(models, 'missing.gguf'), path.join(models, 'dangling.gguf'));
  folder = new ModelsFolder(models);
});

afterAll(() => {
  rmSync(base, { recursive: true, force: true });
});

const UNSAFE = ['../x', '/etc/passwd', 'a/b', 'a\\b', '..', '.', '', 'a\0b', 'tiny.gguf\0.yaml', '../models/tiny.gguf'];

function syncApiError(run: () => unknown): ApiError {
  let thrown: unknown;
  try {
    run();
  } catch (error) {
    thrown = error;
  }
  expect(thrown).toBeInstanceOf(ApiError);
  return thrown as ApiError;
}

describe('ModelsFolder', () => {
  it('location is the absolute folder path', () => {
    expect(folder.location).toBe(models);
    expect(new ModelsFolder('relative/models').location).toBe(path.resolve('relative/models'));
  });

  it('listFiles lists regular files and symlinks to files inside, not folders or links that leave', async () => {
    expect((await folder.listFiles()).sort()).toEqual(['alias.gguf', 'chat.yaml', 'chatml.tmpl', 'huge.yaml', 'tiny.gguf']);
  });

  it('listFiles leaves out names no request could use, instead of failing', async () => {
    const odd = path.join(base, 'odd');
    mkdirSync(odd);
    writeFileSync(path.join(odd, 'back\\slash.gguf'), 'GGUF');
    symlinkSync(path.join(models, 'tiny.gguf'), path.join(odd, 'link\\slash.gguf'));
    writeFileSync(path.join(odd, 'plain.gguf'), 'GGUF');
    await expect(new ModelsFolder(odd).listFiles()).resolves.toEqual(['plain.gguf']);
  });

  it('listFiles of a missing folder is empty', async () => {
    await expect(new ModelsFolder(path.join(base, 'nope')).listFiles()).resolves.toEqual([]);
  });

  it('readText reads a file in the folder', async () => {
    await expect(folder.readText('chat.yaml')).resolves.toBe('name: chat\n');
    await expect(folder.readText('chatml.tmpl')).resolves.toBe('{{.Input}}');
  });

  it.each(['missing.yaml', 'subfolder', 'dangling.gguf', 'escape.yaml', 'outside-dir', 'evil.gguf'])(
    'readText of %s (missing, a folder, or leaving the folder) is undefined',
    async (name) => {
      await expect(folder.readText(name)).resolves.toBeUndefined();
    },
  );

  it('readText refuses files too large to be a config', async () => {
    const error = await folder.readText('huge.yaml').then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).status).toBe(500);
    expect((error as ApiError).message).toContain('huge.yaml');
  });

  it.each(UNSAFE)('locate(%j) is a 400 invalid_model_name', (name) => {
    const error = syncApiError(() => folder.locate(name));
    expect([error.status, error.type, error.param, error.code]).toEqual([400, 'invalid_request_error', 'model', 'invalid_model_name']);
    expect(error.message).toBe(`"${name}" is not a plain file name inside the models folder.`);
  });

  it.each(UNSAFE)('readText(%j) is a 400 invalid_model_name', async (name) => {
    const error = await folder.readText(name).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ApiError);
    expect([(error as ApiError).status, (error as ApiError).code]).toEqual([400, 'invalid_model_name']);
  });

  it.each(['escape.yaml', 'evil.gguf'])('locate(%s), a symlink pointing outside, is refused', (name) => {
    const error = syncApiError(() => folder.locate(name));
    expect([error.status, error.param, error.code]).toEqual([400, 'model', 'invalid_model_name']);
    expect(error.message).toBe(`"${name}" does not resolve to a file inside ${models}.`);
  });

  it('locate of a folder is refused', () => {
    expect(syncApiError(() => folder.locate('subfolder')).code).toBe('invalid_model_name');
  });

  it.each(['missing.gguf', 'dangling.gguf'])('locate(%s) of a missing file is a 404 naming the folder', (name) => {
    const error = syncApiError(() => folder.locate(name));
    expect([error.status, error.type, error.param, error.code]).toEqual([404, 'not_found_error', 'model', 'model_file_not_found']);
    expect(error.message).toBe(`The model file "${name}" is not in ${models}.`);
  });

  it('locate of a legit file is its absolute path inside the folder', () => {
    expect(folder.locate('tiny.gguf')).toBe(path.join(models, 'tiny.gguf'));
  });

  it('locate resolves a symlink inside the folder to its target', () => {
    expect(folder.locate('alias.gguf')).toBe(path.join(models, 'tiny.gguf'));
  });

  it('a models folder reached through a symlink still serves its files', async () => {
    const link = path.join(base, 'models-link');
    symlinkSync(models, link);
    const viaLink = new ModelsFolder(link);
    expect(viaLink.locate('tiny.gguf')).toBe(path.join(models, 'tiny.gguf'));
    await expect(viaLink.readText('chat.yaml')).resolves.toBe('name: chat\n');
    expect((await viaLink.listFiles()).sort()).toEqual(['alias.gguf', 'chat.yaml', 'chatml.tmpl', 'huge.yaml', 'tiny.gguf']);
  });
});

describe('assertSafeFileName', () => {
  it.each(['tiny.gguf', 'model with spaces.gguf', '..hidden', 'a..b', 'ünïcode.gguf'])('%s is a plain file name', (name) => {
    expect(() => assertSafeFileName(name)).not.toThrow();
  });
});
