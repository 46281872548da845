// Conversion memory stays flat: a child process with a 48 MB V8 heap converts a generated legacy
// file of about 300 MB, and its peak resident memory stays well below the file's size.
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { writeLargeGgml } from '../fixtures/ggml/write-large-ggml.js';
import { REPO_ROOT } from '../fixtures/test-models.js';
import { runSmallHeapChild } from '../fixtures/run-small-heap-child.js';

const CHILD = `
import { ensureGguf } from ${JSON.stringify(path.join(REPO_ROOT, 'dist/sidecar/convert/ensure-gguf.js'))};
const result = await ensureGguf(process.argv[1]);
process.stdout.write(JSON.stringify(result));
`;

describe('conversion memory', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'hearth-convert-memory-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('converts a file several times larger than its heap limit with flat memory', async () => {
    const source = path.join(dir, 'big.ggmlv3.f16.bin');
    await writeLargeGgml(source, { dim: 1024, ffn: 2816, layers: 11, vocab: 4096 });
    const size = statSync(source).size;
    expect(size).toBeGreaterThan(280 << 20);
    const { stdout, peakRssBytes } = await runSmallHeapChild(CHILD, [source], { heapMb: 48, timeoutMs: 120_000 });
    const result = JSON.parse(stdout) as { path: string; converted: boolean };
    expect(result.converted).toBe(true);
    expect(statSync(result.path).size).toBeGreaterThan(size - (1 << 20));
    // Node itself takes ~50 MB; one 8 MB chunk in flight (plus the write buffer) is all the converter adds.
    console.log(`peak RSS ${(peakRssBytes / 2 ** 20).toFixed(0)} MiB for a ${(size / 2 ** 20).toFixed(0)} MiB file`);
    expect(peakRssBytes).toBeLessThan(size / 2);
  }, 180_000);
});
