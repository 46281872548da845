// The realistic-shape benchmark model (SmolLM2-135M shape, Q8_0), generated on first use with progress.
import { ensureRealisticModel } from '../test/fixtures/test-models.js';

export async function benchModel(): Promise<string> {
  const modelPath = await ensureRealisticModel((p) =>
    process.stderr.write(`\rgenerating the benchmark model: ${Math.round((100 * p.bytesWritten) / p.totalBytes)}%`),
  );
  process.stderr.write('\n');
  return modelPath;
}
