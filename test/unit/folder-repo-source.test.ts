// The sidecar's RepoSource over a folder: reads files inside it, refuses every way out of it.
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openFolderRepo, safeRepoPath } from '../../sidecar/convert/folder-repo-source.js';

describe('openFolderRepo', () => {
  const outer = mkdtempSync(path.join(tmpdir(), 'hearth-repo-'));
  const folder = path.join(outer, 'repo');
  mkdirSync(path.join(folder, 'sub'), { recursive: true });
  writeFileSync(path.join(folder, 'config.json'), '{"a":1}');
  writeFileSync(path.join(folder, 'sub', 'x.bin'), new Uint8Array([1, 2, 3]));
  writeFileSync(path.join(outer, 'secret.txt'), 'secret');
  symlinkSync(path.join(outer, 'secret.txt'), path.join(folder, 'link.txt'));
  afterAll(() => rmSync(outer, { recursive: true, force: true }));

  it('reads files by relative path, one shared source per file', async () => {
    const repo = openFolderRepo(folder, 'owner/repo');
    try {
      const config = await repo.file('config.json');
      expect(config?.size).toBe(7);
      expect(config?.name).toBe('owner/repo/config.json');
      expect(new TextDecoder().decode(await config?.read(0, 100))).toBe('{"a":1}');
      expect([...((await (await repo.file('sub/x.bin'))?.read(1, 2)) ?? [])]).toEqual([2, 3]);
      expect(await repo.file('config.json')).toBe(config);
      expect(await repo.file('missing.json')).toBeUndefined();
      expect(await repo.file('sub')).toBeUndefined();
    } finally {
      await repo.close();
    }
    await expect(repo.file('config.json')).rejects.toThrow(/closed/);
  });

  it('refuses paths that escape the folder, symlinks included', async () => {
    const repo = openFolderRepo(folder);
    try {
      for (const bad of ['../secret.txt', '/etc/passwd', 'sub/../../secret.txt', 'sub\\..\\..\\secret.txt', 'link.txt', '', './config.json', 'a\0b']) {
        expect(await repo.file(bad), bad).toBeUndefined();
      }
    } finally {
      await repo.close();
    }
    expect(safeRepoPath('a/b.json')).toBe(path.join('a', 'b.json'));
  });
});
