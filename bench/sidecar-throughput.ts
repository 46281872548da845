// Decode speed of the realistic-shape model (SmolLM2-135M shape, Q8_0, random weights) through the
// sidecar's HTTP API (streaming, official wire format) against the same greedy generation through
// node-llama-cpp directly, in one process, alternating, reporting medians and their ratio.
//
//   npm run bench                      (generates bench/models/smollm2-shape-q8_0.gguf on first run)
//   npm run bench -- --tokens 256 --runs 7 --threads 1
import path from 'node:path';
import { parseArgs } from 'node:util';
import { getLlama, type Token } from 'node-llama-cpp';
import { startSidecar } from '../sidecar/start-sidecar.js';
import { defaultThreads } from '../sidecar/engine/default-threads.js';
import { ensureRealisticModel } from '../test/fixtures/test-models.js';

const { values } = parseArgs({
  options: { tokens: { type: 'string', default: '128' }, runs: { type: 'string', default: '5' }, threads: { type: 'string' }, parallel: { type: 'string', default: '4' } },
});
const TOKENS = Number(values.tokens);
const RUNS = Number(values.runs);
const THREADS = values.threads === undefined ? defaultThreads() : Number(values.threads);
const PARALLEL = Number(values.parallel);
const CONTEXT = 1024;
const PROMPT = 'The quick brown fox jumps over the lazy dog. Once upon a time, in a land far away,';

interface Sample {
  /** Milliseconds from sending the request (or starting evaluation) to the first generated token. */
  ttftMs: number;
  /** Tokens per second from the first token to the last. */
  decodeTps: number;
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
};

const modelPath = await ensureRealisticModel((p) => process.stderr.write(`\rgenerating the benchmark model: ${Math.round((100 * p.bytesWritten) / p.totalBytes)}%`));
process.stderr.write('\n');

// --- node-llama-cpp directly -------------------------------------------------------------------
const llama = await getLlama({ gpu: false });
const model = await llama.loadModel({ modelPath, gpuLayers: 0 });
const context = await model.createContext({ sequences: PARALLEL, contextSize: CONTEXT, threads: THREADS });
const sequence = context.getSequence();
const eog = new Set<Token>([...[model.tokens.eos, model.tokens.eot].filter((t): t is Token => t !== null)]);
// Ban end-of-generation so both sides produce exactly TOKENS tokens.
const bias = new (await import('node-llama-cpp')).TokenBias(model.tokenizer);
for (const token of eog) bias.set(token, 'never');

async function direct(): Promise<Sample> {
  await sequence.clearHistory();
  const tokens = model.tokenize(PROMPT);
  const started = performance.now();
  let first = 0;
  let count = 0;
  for await (const _token of sequence.evaluate(tokens, { temperature: 0, tokenBias: bias })) {
    count++;
    if (count === 1) first = performance.now();
    if (count === TOKENS) break;
  }
  const end = performance.now();
  return { ttftMs: first - started, decodeTps: ((count - 1) * 1000) / (end - first) };
}

// --- the same through the sidecar's HTTP API ------------------------------------------------------
const sidecar = await startSidecar(
  { host: '127.0.0.1', port: 0, modelsPath: path.dirname(modelPath), contextSize: CONTEXT, threads: THREADS, parallel: PARALLEL, apiKeys: [], corsOrigins: [], logLevel: 'warn', preload: false, maxBodyBytes: 1 << 20 },
);
const modelName = path.basename(modelPath);
const logitBias = Object.fromEntries([...eog].map((t) => [String(t), -100]));

async function viaApi(): Promise<Sample> {
  const started = performance.now();
  const response = await fetch(`${sidecar.url}/v1/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ model: modelName, prompt: PROMPT, max_tokens: TOKENS, temperature: 0, stream: true, logit_bias: logitBias }),
  });
  const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
  let first = 0;
  let count = 0;
  let buffer = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    buffer += value;
    let cut: number;
    while ((cut = buffer.indexOf('\n\n')) >= 0) {
      const event = buffer.slice(6, cut);
      buffer = buffer.slice(cut + 2);
      if (event === '[DONE]') continue;
      const chunk = JSON.parse(event) as { choices: Array<{ finish_reason: string | null }> };
      if (chunk.choices[0]?.finish_reason) continue;
      // every non-final chunk is one token (empty text only inside a multi-byte character)
      count++;
      if (count === 1) first = performance.now();
    }
  }
  const end = performance.now();
  if (count !== TOKENS) throw new Error(`expected ${TOKENS} token chunks, got ${count}`);
  return { ttftMs: first - started, decodeTps: ((count - 1) * 1000) / (end - first) };
}

// Warm up both paths (model load, caches), then alternate so drift on this shared machine hits both.
await direct();
await viaApi();
const directSamples: Sample[] = [];
const apiSamples: Sample[] = [];
for (let run = 0; run < RUNS; run++) {
  directSamples.push(await direct());
  apiSamples.push(await viaApi());
}
await sidecar.close();
await context.dispose();
await model.dispose();

const directTps = median(directSamples.map((s) => s.decodeTps));
const apiTps = median(apiSamples.map((s) => s.decodeTps));
const directTtft = median(directSamples.map((s) => s.ttftMs));
const apiTtft = median(apiSamples.map((s) => s.ttftMs));
console.log(`model: ${modelName} (${TOKENS} tokens, greedy, threads ${THREADS}, ${PARALLEL} sequences, context ${CONTEXT}, ${RUNS} runs, medians)`);
console.log(`node-llama-cpp direct : ${directTps.toFixed(1)} tokens/s decode, time to first token ${directTtft.toFixed(1)} ms`);
console.log(`sidecar HTTP API      : ${apiTps.toFixed(1)} tokens/s decode, time to first token ${apiTtft.toFixed(1)} ms`);
console.log(`ratio (API / direct)  : ${(apiTps / directTps).toFixed(3)}   (target >= 0.97)`);
console.log(`TTFT overhead         : ${(apiTtft - directTtft).toFixed(1)} ms   (target < 5 ms)`);
