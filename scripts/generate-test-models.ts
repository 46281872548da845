// Generates the deterministic random-weight GGUF models.
//   npx tsx scripts/generate-test-models.ts                  tiny test models (test/fixtures/models/)
//   npx tsx scripts/generate-test-models.ts --realistic      also the ~145 MB SmolLM2-shaped bench model
// (The bundled default model, models/hearth-chat.gguf, is trained: tools/train-tiny/retrain.sh.)
import { statSync } from 'node:fs';
import { relative } from 'node:path';
import { ensureRealisticModel, ensureTestModels, REPO_ROOT } from '../test/fixtures/test-models.js';

const args = new Set(process.argv.slice(2));
const known = new Set(['--realistic']);
const unknown = [...args].filter((a) => !known.has(a));
if (unknown.length > 0) {
  console.error(`Unknown option ${unknown.join(', ')}. Usage: generate-test-models.ts [--realistic]`);
  process.exit(2);
}

const report = (path: string): void => {
  console.log(`${relative(REPO_ROOT, path)}  ${(statSync(path).size / 1e6).toFixed(2)} MB`);
};

const tiny = await ensureTestModels();
report(tiny.tinyF32);
report(tiny.tinyQ8_0);
if (args.has('--realistic')) {
  let lastPercent = -1;
  const path = await ensureRealisticModel(({ bytesWritten, totalBytes }) => {
    const percent = Math.floor((100 * bytesWritten) / totalBytes);
    if (percent >= lastPercent + 5) {
      lastPercent = percent;
      process.stdout.write(`\rwriting smollm2-shape-q8_0.gguf: ${percent}% of ${(totalBytes / 1e6).toFixed(0)} MB`);
    }
  });
  process.stdout.write('\n');
  report(path);
}
