// Prices Hearth's engine worker in the tab: the same greedy generation through our WorkerEngine
// (llama.cpp in wllama's worker -> Hearth's worker -> page) and through wllama run on the page
// (wllama's worker -> page), both loaded alike, one thread each. Runs alternate; medians reported
// for time to first token and decode speed.
//
//   npx tsx bench/worker-hop.ts                     (builds dist/web, generates the model if missing)
//   npx tsx bench/worker-hop.ts --tokens 64 --runs 7
import { parseArgs } from 'node:util';
import buildWeb from '../test/browser/build-web.js';
import { openEnginePage } from '../test/browser/engine-page.js';
import type { TestSampling } from '../web/test-pages/engine-page.js';
import type { PageWllamaRun } from '../web/test-pages/page-wllama.js';
import { BENCH_PROMPT, benchModel } from './bench-model.js';
import { median } from './stats.js';

const { values } = parseArgs({ options: { tokens: { type: 'string', default: '64' }, runs: { type: 'string', default: '7' } } });
const TOKENS = Number(values.tokens);
const RUNS = Number(values.runs);
const CONTEXT = 1024;
const SAMPLING: TestSampling = { temperature: 0, topP: 1, topK: 0, repeatPenalty: 1, presencePenalty: 0, frequencyPenalty: 0, logitBias: [] };

interface Sample {
  firstTokenMs: number;
  decodeTps: number;
}

const modelPath = await benchModel();
process.stderr.write('building dist/web...\n');
await buildWeb();
const browser = await openEnginePage({ files: { '/models/bench.gguf': modelPath } });
try {
  const id = await browser.api.create();
  const loaded = await browser.api.load(id, { source: '/models/bench.gguf', contextSize: CONTEXT, threads: 1 });
  if (loaded.error !== undefined) throw new Error(`worker engine load failed: ${loaded.error.message}`);
  await browser.api.loadPageWllama();
  await browser.page.evaluate(`window.pageWllama.load('/models/bench.gguf', ${CONTEXT}, 1)`);

  const viaWorker = async (): Promise<Sample> => {
    const r = await browser.api.generate(id, { kind: 'complete', prompt: BENCH_PROMPT, sampling: SAMPLING, maxTokens: TOKENS, cachePrompt: false });
    if (r.error !== undefined) throw new Error(`worker engine: ${r.error.message}`);
    const tokens = r.events.filter((e) => e.type === 'token').length;
    if (tokens !== TOKENS) throw new Error(`worker engine: expected ${TOKENS} tokens, got ${tokens}`);
    return { firstTokenMs: r.firstTokenMs, decodeTps: ((tokens - 1) * 1000) / (r.ms - r.firstTokenMs) };
  };
  const onPage = async (): Promise<Sample> => {
    const r = (await browser.page.evaluate(`window.pageWllama.complete(${JSON.stringify(BENCH_PROMPT)}, ${TOKENS})`)) as PageWllamaRun;
    if (r.tokens !== TOKENS) throw new Error(`wllama on the page: expected ${TOKENS} tokens, got ${r.tokens}`);
    return { firstTokenMs: r.firstTokenMs, decodeTps: ((r.tokens - 1) * 1000) / (r.ms - r.firstTokenMs) };
  };

  await viaWorker();
  await onPage();
  const worker: Sample[] = [];
  const page: Sample[] = [];
  for (let i = 0; i < RUNS; i += 1) {
    // Alternate which goes first, so drift on this shared machine hits both alike.
    if (i % 2 === 0) worker.push(await viaWorker()), page.push(await onPage());
    else page.push(await onPage()), worker.push(await viaWorker());
    process.stderr.write(`\rrun ${i + 1}/${RUNS}`);
  }
  process.stderr.write('\n');
  const m = (xs: Sample[], key: keyof Sample): number => median(xs.map((x) => x[key]));
  console.log(
    `worker hop, smollm2-shape-q8_0 ${TOKENS} greedy tokens, 1 thread, median of ${RUNS} paired runs: ` +
      `first token ${m(worker, 'firstTokenMs').toFixed(1)} ms via Hearth's worker vs ${m(page, 'firstTokenMs').toFixed(1)} ms on the page; ` +
      `decode ${m(worker, 'decodeTps').toFixed(1)} vs ${m(page, 'decodeTps').toFixed(1)} tokens/s ` +
      `(worker/page ${(m(worker, 'decodeTps') / m(page, 'decodeTps')).toFixed(3)})`,
  );
} finally {
  await browser.close();
}
