// Aggregate speed with 1, 2 and 4 requests at once: streamed through the sidecar's HTTP API (one
// curl process per request) against as many node-llama-cpp generations driven directly, at once,
// on the same loaded context. Shows what --parallel buys on this machine, and what the API costs
// when several requests share it.
//
//   npx tsx bench/sidecar-concurrency.ts                 (generates the benchmark model on first run)
//   npx tsx bench/sidecar-concurrency.ts --tokens 64 --runs 7 --threads 1
import { execFile } from 'node:child_process';
import { parseArgs, promisify } from 'node:util';
import { defaultThreads } from '../sidecar/engine/default-threads.js';
import { benchModel } from './bench-model.js';
import { completionBody, generateDirect, startBenchSidecar } from './bench-sidecar.js';
import { median, quantile } from './stats.js';

const { values } = parseArgs({
  options: {
    tokens: { type: 'string', default: '64' },
    runs: { type: 'string', default: '7' },
    threads: { type: 'string' },
  },
});
const run = promisify(execFile);
const TOKENS = Number(values.tokens);
const RUNS = Number(values.runs);
const THREADS = values.threads === undefined ? defaultThreads() : Number(values.threads);
const CONCURRENCY = [1, 2, 4];

const modelPath = await benchModel();
const { sidecar, engine, modelName } = await startBenchSidecar(modelPath, { contextSize: 1024, threads: THREADS, parallel: Math.max(...CONCURRENCY) });

/** Generated tokens per second of wall time (prompts included) for `count` generations at once. */
async function direct(count: number): Promise<number> {
  const started = performance.now();
  await Promise.all(Array.from({ length: count }, () => generateDirect(engine, TOKENS)));
  return (count * TOKENS * 1000) / (performance.now() - started);
}

// One curl process makes all the requests at once (--parallel --parallel-immediate: one connection
// each) and times each transfer itself: starting a process blocks our event loop for ~12 ms, which
// must not land inside the measurement.
const body = completionBody(modelName, TOKENS);
async function viaApi(count: number): Promise<number> {
  const url = `${sidecar.url}/v1/completions`;
  const { stdout } = await run('curl', [
    ...['-sS', '-N', '--parallel', '--parallel-immediate', '--parallel-max', String(count)],
    ...['-H', 'content-type: application/json', '-d', body, '-w', '%{time_total}\\n'],
    ...Array.from({ length: count }, () => ['-o', '/dev/null', url]).flat(),
  ]);
  const seconds = stdout.trim().split('\n').map(Number);
  if (seconds.length !== count) throw new Error(`curl reported ${seconds.length} transfers, expected ${count}`);
  return (count * TOKENS) / Math.max(...seconds);
}

await direct(1);
await viaApi(1);
console.log(`model: ${modelName} (${TOKENS} tokens per request, greedy, threads ${THREADS}, ${RUNS} runs, medians; tokens/s of wall time, prompts included)`);
for (const count of CONCURRENCY) {
  const directTps: number[] = [];
  const apiTps: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    // Which side goes first alternates (ABBA), so drift on this shared machine hits both.
    if (i % 2 === 0) {
      directTps.push(await direct(count));
      apiTps.push(await viaApi(count));
    } else {
      apiTps.push(await viaApi(count));
      directTps.push(await direct(count));
    }
  }
  const ratios = apiTps.map((tps, i) => tps / (directTps[i] as number));
  console.log(
    `${count} at once: direct ${median(directTps).toFixed(1)} tokens/s, API ${median(apiTps).toFixed(1)} tokens/s, ` +
      `ratio ${median(ratios).toFixed(3)} (quartiles ${quantile(ratios, 0.25).toFixed(3)}..${quantile(ratios, 0.75).toFixed(3)})`,
  );
}
await sidecar.close();
