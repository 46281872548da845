// Serving figures for continuous batching and the prompt-prefix cache (issue 13): the command line.
// The figures and how they are measured: serving-figures.ts (measureServing, servingSummary, also
// run by the GPU benchmark).
//
//   npx tsx bench/serving.ts [--quick] [--threads 1] [--runs 5] [--tokens 64] [--gpu <mode>]
import { parseArgs } from 'node:util';
import { defaultThreads } from '../sidecar/engine/default-threads.js';
import { defined } from '../shared/base/defined.js';
import { measureServing, servingSummary } from './serving-figures.js';

const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    threads: { type: 'string' },
    runs: { type: 'string' },
    tokens: { type: 'string' },
    gpu: { type: 'string' },
    model: { type: 'string' },
  },
});
const quick = values.quick === true;
const figures = await measureServing({
  ...defined({ modelPath: values.model }),
  threads: values.threads === undefined ? defaultThreads() : Number(values.threads),
  runs: Number(values.runs ?? (quick ? 3 : 7)),
  tokens: Number(values.tokens ?? (quick ? 32 : 64)),
  concurrency: [1, 2, 4, 8],
  sidecarOptions: defined({ gpu: values.gpu }),
});
for (const line of servingSummary(figures)) console.log(line);
