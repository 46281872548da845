// The realistic-shape benchmark model (SmolLM2-135M shape, Q8_0), generated on first use with progress.
import { ensureRealisticModel } from '../test/fixtures/test-models.js';

/** The prompt every benchmark generation continues (greedy decoding of it does not end early: the benches check their counts). */
export const BENCH_PROMPT = 'The quick brown fox jumps over the lazy dog. Once upon a time, in a land far away,';

export async function benchModel(): Promise<string> {
  const modelPath = await ensureRealisticModel((p) =>
    process.stderr.write(`\rgenerating the benchmark model: ${Math.round((100 * p.bytesWritten) / p.totalBytes)}%`),
  );
  process.stderr.write('\n');
  return modelPath;
}
