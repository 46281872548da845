// GPTQ conversion memory stays flat: a child process with a 48 MB V8 heap converts a generated
// GPTQ repo of about 320 MB (two F16 64k-row embedding tables plus 4-bit layers, in 2 shards)
// through the sidecar's folder RepoSource, and its peak resident memory stays well below the
// repo's size: one tensor (or one 8 MB chunk of a big float tensor) is in memory at a time.
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { writeGptqRepo } from '../fixtures/gptq/write-gptq-repo.js';
import { REPO_ROOT } from '../fixtures/test-models.js';
import { runSmallHeapChild } from '../fixtures/run-small-heap-child.js';

const CHILD = `
import { open } from 'node:fs/promises';
import { convertRepoToGguf } from ${JSON.stringify(path.join(REPO_ROOT, 'dist/shared/convert/convert-to-gguf.js'))};
import { openFolderRepo } from ${JSON.stringify(path.join(REPO_ROOT, 'dist/sidecar/convert/folder-repo-source.js'))};
import { fileByteSink } from ${JSON.stringify(path.join(REPO_ROOT, 'dist/sidecar/convert/file-byte-source.js'))};
const [folder, target] = process.argv.slice(1);
const repo = openFolderRepo(folder, 'big-gptq');
const out = await open(target, 'w');
let last = 0;
try {
  await convertRepoToGguf(repo, fileByteSink(out), {}, { onProgress: (f) => { last = f; } });
} finally {
  await out.close();
  await repo.close();
}
process.stdout.write(JSON.stringify({ progress: last }));
`;

describe('GPTQ conversion memory', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'hearth-gptq-memory-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('converts a repo several times larger than its heap limit with flat memory', async () => {
    const folder = path.join(dir, 'repo');
    const truth = await writeGptqRepo(folder, { hidden: 1024, layers: 12, heads: 16, kvHeads: 4, intermediate: 2816, vocabSize: 64000, groupSize: 128, shards: 2, keepTruth: false });
    const size = truth.checkpointFiles.reduce((a, f) => a + statSync(path.join(folder, f)).size, 0);
    expect(size).toBeGreaterThan(300 << 20);
    const target = path.join(dir, 'big.gguf');
    const { stdout, peakRssBytes } = await runSmallHeapChild(CHILD, [folder, target], { heapMb: 48, timeoutMs: 240_000 });
    const result = JSON.parse(stdout) as { progress: number };
    console.log(`GPTQ repo ${(size / 2 ** 20).toFixed(0)} MiB -> GGUF ${(statSync(target).size / 2 ** 20).toFixed(0)} MiB, child peak RSS ${(peakRssBytes / 2 ** 20).toFixed(0)} MiB`);
    expect(result.progress).toBe(1);
    // Q4_0 blocks take 18 bytes per 32 weights where GPTQ takes 16 plus scales: about the same size.
    expect(statSync(target).size).toBeGreaterThan(size * 0.9);
    // Node itself takes ~50 MB; the converter adds one tensor or one 8 MB chunk.
    expect(peakRssBytes).toBeLessThan(size / 2);
  }, 300_000);
});
