// `hearth models list|install|remove` as users run it (dist/sidecar/cli.js), against the hub stand-in.
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../fixtures/test-models.js';
import { GALLERY_INDEX, startLoadedHub, TINY_FILE, type LoadedHub } from './hub-helpers.js';

const run = promisify(execFile);
const CLI = path.join(REPO_ROOT, 'dist/sidecar/cli.js');

describe('hearth models', () => {
  let loaded: LoadedHub;
  let dir: string;
  let env: Record<string, string>;

  beforeAll(async () => {
    loaded = await startLoadedHub();
    dir = mkdtempSync(path.join(tmpdir(), 'hearth-cli-models-'));
    env = { ...(process.env as Record<string, string>), HF_ENDPOINT: loaded.hub.url, GALLERIES: JSON.stringify([{ name: 'hearth', url: `huggingface://${GALLERY_INDEX}` }]), MODELS_PATH: dir };
  });
  afterAll(async () => {
    await loaded?.hub.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const hearth = (...args: string[]) => run(process.execPath, [CLI, 'models', ...args], { env, timeout: 30_000 });

  it('install gallery@name shows progress and installs', async () => {
    const { stdout, stderr } = await hearth('install', 'hearth@tiny-chat');
    expect(stdout).toContain('Installed tiny-chat');
    expect(stderr).toMatch(/100\.0% tiny-q8_0\.gguf/);
    expect(readFileSync(path.join(dir, 'tiny-q8_0.gguf')).equals(loaded.tinyBytes)).toBe(true);
    expect(existsSync(path.join(dir, 'tiny-chat.yaml'))).toBe(true);
  });

  it('install owner/repo/file downloads from HF_ENDPOINT', async () => {
    const { stdout } = await hearth('install', TINY_FILE);
    expect(stdout).toContain(`Installed ${TINY_FILE}`);
    expect(readFileSync(path.join(dir, 'hearth--tiny-GGUF--tiny-q8_0.gguf')).equals(loaded.tinyBytes)).toBe(true);
  });

  it('list marks installed gallery models', async () => {
    const { stdout } = await hearth('list');
    expect(stdout).toContain('[installed] hearth@tiny-chat  The tiny test model with a ChatML template.');
    expect(stdout).toMatch(/^hearth@tiny-corrupt$/m);
  });

  it('remove deletes what the install wrote; errors exit 1 with the reason', async () => {
    const { stdout } = await hearth('remove', 'tiny-chat');
    expect(stdout).toMatch(/Removed tiny-chat: /);
    expect(readdirSync(dir).sort()).toEqual([
      '.hearth-install.hearth--tiny-GGUF--tiny-q8_0.gguf.json',
      'hearth--tiny-GGUF--tiny-q8_0.gguf',
      'hearth--tiny-GGUF--tiny-q8_0.gguf.yaml',
    ]);
    await hearth('remove', TINY_FILE);
    expect(readdirSync(dir)).toEqual([]);
    const failure = await hearth('remove', '../etc/passwd').catch((e: unknown) => e);
    expect(failure).toMatchObject({ code: 1 });
    expect((failure as { stderr: string }).stderr).toMatch(/cannot be used as a file name/);
    const usage = await hearth('install').catch((e: unknown) => e);
    expect(usage).toMatchObject({ code: 2 });
  });
});
