// Decode speed of the realistic-shape model (SmolLM2-135M shape, Q8_0, random weights) through the
// sidecar's HTTP API (streaming, official wire format) against the same greedy generation through
// node-llama-cpp directly on the same loaded context, in one process, alternating, reporting
// medians and their ratio, and the time-to-first-token overhead.
//
//   npm run bench                      (generates bench/models/smollm2-shape-q8_0.gguf on first run)
//   npm run bench -- --tokens 256 --runs 41 --ttft-runs 100 --threads 1
import { parseArgs } from 'node:util';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { defaultThreads } from '../sidecar/engine/default-threads.js';
import { benchModel } from './bench-model.js';
import { completionBody, generateDirect, startBenchSidecar } from './bench-sidecar.js';
import { median, quantile } from './stats.js';

const { values } = parseArgs({
  options: {
    tokens: { type: 'string', default: '128' },
    runs: { type: 'string', default: '31' },
    'ttft-runs': { type: 'string', default: '60' },
    threads: { type: 'string' },
    parallel: { type: 'string', default: '4' },
  },
});
const run = promisify(execFile);
const TOKENS = Number(values.tokens);
const RUNS = Number(values.runs);
const TTFT_RUNS = Number(values['ttft-runs']);
const THREADS = values.threads === undefined ? defaultThreads() : Number(values.threads);
const PARALLEL = Number(values.parallel);
const CONTEXT = 1024;

interface Sample {
  /** Milliseconds from sending the request (or starting evaluation) to the first generated token. */
  ttftMs: number;
  /** Tokens per second from the first token to the last. */
  decodeTps: number;
}

const modelPath = await benchModel();

// --- the sidecar, and node-llama-cpp directly on the context the sidecar loaded ------------------
// Both paths run on the same LlamaContext (same weights, same KV cache memory): on this machine two
// identical contexts of one model ran up to 9% apart in speed for a whole process, which swamped
// the few percent this benchmark is about.
const { sidecar, engine, modelName } = await startBenchSidecar(modelPath, { contextSize: CONTEXT, threads: THREADS, parallel: PARALLEL });
// No logit bias on either side: a bias switches llama.cpp to a slower sampling path, and both sides
// must do the same work. Greedy decoding of this prompt does not reach an end token within TOKENS
// (both sides check the count).

/** node-llama-cpp driven directly, on a sequence of the sidecar's own context. */
async function direct(maxTokens = TOKENS): Promise<Sample> {
  const { started, firstToken, end } = await generateDirect(engine, maxTokens);
  return { ttftMs: firstToken - started, decodeTps: ((maxTokens - 1) * 1000) / (end - firstToken) };
}

// The HTTP client is curl in its own process, as a user's tool would be. curl reports when the first
// byte arrived (the first token's chunk: the server sends nothing before it) and when the stream
// ended, which gives time to first token and decode speed without parsing in our process.

async function viaApi(maxTokens = TOKENS): Promise<Sample> {
  const { stdout } = await run('curl', ['-sS', '-N', '-o', '/dev/null', '-w', '%{time_starttransfer} %{time_total}', '-H', 'content-type: application/json', '-d', completionBody(modelName, maxTokens), `${sidecar.url}/v1/completions`]);
  const [firstByte, total] = stdout.trim().split(' ').map(Number) as [number, number];
  return { ttftMs: firstByte * 1000, decodeTps: (maxTokens - 1) / (total - firstByte) };
}

/** The same router called in-process (no socket, no client process): what our own code costs. */
async function viaRouter(): Promise<Sample> {
  const started = performance.now();
  const response = await sidecar.app.fetch(new Request('http://hearth/v1/completions', { method: 'POST', body: completionBody(modelName, TOKENS) }));
  const reader = (response.body as ReadableStream<Uint8Array>).getReader();
  let first = 0;
  let reads = 0;
  for (;;) {
    const { done } = await reader.read();
    if (done) break;
    // each read is one SSE event: TOKENS token chunks, the finish chunk, [DONE]
    if (++reads === 1) first = performance.now();
  }
  const end = performance.now();
  return { ttftMs: first - started, decodeTps: ((reads - 3) * 1000) / (end - first) };
}

// Warm up both paths (model load, caches), then alternate so drift on this shared machine hits both.
await direct();
await viaApi();
await viaRouter();
const directSamples: Sample[] = [];
const apiSamples: Sample[] = [];
const routerSamples: Sample[] = [];
for (let run = 0; run < RUNS; run++) {
  // Which of a pair goes first alternates (ABBA), so an effect of running second cancels out.
  if (run % 2 === 0) {
    directSamples.push(await direct());
    apiSamples.push(await viaApi());
  } else {
    apiSamples.push(await viaApi());
    directSamples.push(await direct());
  }
  routerSamples.push(await viaRouter());
}
// Time to first token on its own, from short generations: cheap, so many more pairs than the decode
// runs, which the prompt evaluation's noise (a few ms in ~130 ms) needs. Not one-token replies:
// in a real reply the first token's write shares the main thread with starting the next decode,
// and a one-token reply would hide that. Alternating which side goes first (ABBA) cancels drift.
const TTFT_TOKENS = 8;
const ttftDiffs: number[] = [];
for (let run = 0; run < TTFT_RUNS; run++) {
  if (run % 2 === 0) {
    const d = await direct(TTFT_TOKENS);
    ttftDiffs.push((await viaApi(TTFT_TOKENS)).ttftMs - d.ttftMs);
  } else {
    const a = await viaApi(TTFT_TOKENS);
    ttftDiffs.push(a.ttftMs - (await direct(TTFT_TOKENS)).ttftMs);
  }
}
await sidecar.close();

// Paired: each API run is compared with the direct run next to it, so drift cancels out.
const pairRatios = directSamples.map((d, i) => (apiSamples[i] as Sample).decodeTps / d.decodeTps);
const pairRatio = median(pairRatios);
const pairTtft = median(ttftDiffs);
if (process.env.BENCH_VERBOSE) {
  console.log('decode tokens/s, direct/API:', directSamples.map((d, i) => `${d.decodeTps.toFixed(0)}/${(apiSamples[i] as Sample).decodeTps.toFixed(0)}`).join(' '));
  console.log('TTFT ms, direct/API/router:', directSamples.map((d, i) => `${d.ttftMs.toFixed(1)}/${(apiSamples[i] as Sample).ttftMs.toFixed(1)}/${(routerSamples[i] as Sample).ttftMs.toFixed(1)}`).join(' '));
}
const directTps = median(directSamples.map((s) => s.decodeTps));
const apiTps = median(apiSamples.map((s) => s.decodeTps));
const directTtft = median(directSamples.map((s) => s.ttftMs));
const apiTtft = median(apiSamples.map((s) => s.ttftMs));
console.log(`model: ${modelName} (${TOKENS} tokens, greedy, threads ${THREADS}, ${PARALLEL} sequences, context ${CONTEXT}, ${RUNS} runs, medians)`);
console.log(`node-llama-cpp direct : ${directTps.toFixed(1)} tokens/s decode, time to first token ${directTtft.toFixed(1)} ms`);
console.log(`sidecar HTTP API      : ${apiTps.toFixed(1)} tokens/s decode, time to first token ${apiTtft.toFixed(1)} ms`);
console.log(`router in-process     : ${median(routerSamples.map((s) => s.decodeTps)).toFixed(1)} tokens/s decode, time to first token ${median(routerSamples.map((s) => s.ttftMs)).toFixed(1)} ms, ratio to direct ${median(directSamples.map((d, i) => (routerSamples[i] as Sample).decodeTps / d.decodeTps)).toFixed(3)} (no socket, no client process)`);
// The quartiles show how noisy this machine was during the run.
console.log(`ratio (API / direct)  : ${pairRatio.toFixed(3)}   (median of ${RUNS} paired runs, quartiles ${quantile(pairRatios, 0.25).toFixed(3)}..${quantile(pairRatios, 0.75).toFixed(3)}; target >= 0.97)`);
console.log(`TTFT overhead         : ${pairTtft.toFixed(1)} ms   (median of ${TTFT_RUNS} paired ${TTFT_TOKENS}-token runs, curl vs direct, quartiles ${quantile(ttftDiffs, 0.25).toFixed(1)}..${quantile(ttftDiffs, 0.75).toFixed(1)}; target < 5 ms)`);
