// Conversion memory stays flat: a child process with a 48 MB V8 heap converts a generated legacy
// file of about 300 MB, and its peak resident memory stays well below the file's size.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { writeLargeGgml } from '../fixtures/ggml/write-large-ggml.js';
import { REPO_ROOT } from '../fixtures/test-models.js';

const CHILD = `
import { ensureGguf } from ${JSON.stringify(path.join(REPO_ROOT, 'dist/sidecar/convert/ensure-gguf.js'))};
import { readFile } from 'node:fs/promises';
const result = await ensureGguf(process.argv[1]);
// VmHWM is this process's own peak. resourceUsage().maxRSS is not: Linux carries the RSS of the
// forked parent (the test runner) across exec into it.
const status = await readFile('/proc/self/status', 'utf8').catch(() => '');
const hwm = /VmHWM:\\s+(\\d+) kB/.exec(status);
process.stdout.write(JSON.stringify({ ...result, maxRssBytes: hwm ? Number(hwm[1]) * 1024 : process.resourceUsage().maxRSS * 1024 }));
`;

describe('conversion memory', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'hearth-convert-memory-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('converts a file several times larger than its heap limit with flat memory', async () => {
    const source = path.join(dir, 'big.ggmlv3.f16.bin');
    await writeLargeGgml(source, { dim: 1024, ffn: 2816, layers: 11, vocab: 4096 });
    const size = statSync(source).size;
    expect(size).toBeGreaterThan(280 << 20);
    const output = await new Promise<string>((resolve, reject) => {
      const child = spawn(process.execPath, ['--max-old-space-size=48', '--input-type=module', '-e', CHILD, source], { stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      let err = '';
      const timer = setTimeout(() => child.kill(), 120_000);
      child.stdout.on('data', (d: Buffer) => (out += d.toString()));
      child.stderr.on('data', (d: Buffer) => (err += d.toString()));
      child.on('close', (code) => {
        clearTimeout(timer);
        if (code === 0) resolve(out);
        else reject(new Error(`child exited ${code}: ${err}`));
      });
    });
    const result = JSON.parse(output) as { path: string; converted: boolean; maxRssBytes: number };
    expect(result.converted).toBe(true);
    expect(statSync(result.path).size).toBeGreaterThan(size - (1 << 20));
    // Node itself takes ~50 MB; one 8 MB chunk in flight (plus the write buffer) is all the converter adds.
    console.log(`peak RSS ${(result.maxRssBytes / 2 ** 20).toFixed(0)} MiB for a ${(size / 2 ** 20).toFixed(0)} MiB file`);
    expect(result.maxRssBytes).toBeLessThan(size / 2);
  }, 180_000);
});
