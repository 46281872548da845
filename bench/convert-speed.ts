// Conversion speed of a ~500 MB legacy GGML file (ggjt v3, F16: a byte-copy conversion) on the
// sidecar's converter, as the median of 5 runs. Run: npx tsx bench/convert-speed.ts
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ensureGguf } from '../sidecar/convert/ensure-gguf.js';
import { writeLargeGgml } from '../test/fixtures/ggml/write-large-ggml.js';

const RUNS = 5;
const dir = mkdtempSync(path.join(tmpdir(), 'hearth-convert-bench-'));
try {
  const source = path.join(dir, 'bench.ggmlv3.f16.bin');
  process.stderr.write('generating a ~500 MB ggjt v3 file...\n');
  await writeLargeGgml(source, { dim: 2048, ffn: 5504, layers: 3, vocab: 32000 });
  const megabytes = statSync(source).size / 1e6;
  const speeds: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    rmSync(path.join(dir, '.hearth-cache'), { recursive: true, force: true });
    const started = performance.now();
    const result = await ensureGguf(source);
    const seconds = (performance.now() - started) / 1000;
    if (!result.converted) throw new Error('the benchmark did not convert');
    speeds.push(megabytes / seconds);
    process.stderr.write(`run ${run + 1}: ${(megabytes / seconds).toFixed(0)} MB/s\n`);
  }
  speeds.sort((a, b) => a - b);
  const median = speeds[Math.floor(RUNS / 2)] ?? 0;
  console.log(`convert-speed: ggjt v3 F16 ${megabytes.toFixed(0)} MB -> GGUF: median ${median.toFixed(0)} MB/s over ${RUNS} runs (min ${(speeds[0] ?? 0).toFixed(0)}, max ${(speeds[RUNS - 1] ?? 0).toFixed(0)})`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
