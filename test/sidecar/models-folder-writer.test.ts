// Deleting a model file (a gallery delete, `hearth models delete`) also deletes its GGUF conversion
// in .hearth-cache, which nothing would ever use or show again.
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ModelsFolderWriter } from '../../sidecar/downloads/models-folder-writer.js';
import { convertedPath } from '../../sidecar/convert/ensure-gguf.js';

describe('ModelsFolderWriter.remove', () => {
  const folder = mkdtempSync(path.join(tmpdir(), 'hearth-writer-'));
  afterAll(() => rmSync(folder, { recursive: true, force: true }));

  it('removes the model file, its converted GGUF and the stamp, and leaves other models alone', async () => {
    mkdirSync(path.join(folder, '.hearth-cache'));
    for (const name of ['legacy.bin', 'other.bin']) {
      writeFileSync(path.join(folder, name), 'ggjt');
      writeFileSync(convertedPath(path.join(folder, name)), 'GGUF');
      writeFileSync(`${convertedPath(path.join(folder, name))}.source.json`, '{}');
    }
    await new ModelsFolderWriter(folder).remove('legacy.bin');
    expect(existsSync(path.join(folder, 'legacy.bin'))).toBe(false);
    expect(existsSync(convertedPath(path.join(folder, 'legacy.bin')))).toBe(false);
    expect(existsSync(`${convertedPath(path.join(folder, 'legacy.bin'))}.source.json`)).toBe(false);
    expect(existsSync(convertedPath(path.join(folder, 'other.bin')))).toBe(true);
  });

  it('removes a model that was never converted without complaint', async () => {
    writeFileSync(path.join(folder, 'plain.gguf'), 'GGUF');
    await new ModelsFolderWriter(folder).remove('plain.gguf');
    expect(existsSync(path.join(folder, 'plain.gguf'))).toBe(false);
  });
});
