// The GPU benchmark: for each generated model, decode tokens/s through the sidecar's streaming
// HTTP API against node-llama-cpp driven directly on the same loaded context (paired, alternating,
// medians), the time-to-first-token overhead, and aggregate tokens/s at 1/2/4/8 concurrent streams;
// then, in a fresh sidecar, serving-figures.ts's serving figures (issue 13: 1/2/4/8 streams with
// per-stream tokens/s, batch fill and TTFT, a short request while two stream, 4 simultaneous
// prompts, the prefix cache). One summary line per figure, each starting with the model's tag.
// The HTTP client is a separate Node process (stream-client-process).
//
//   npx tsx bench/gpu-benchmark.ts --gpu cpu --quick        (here, about 1.5 min: keeps it from rotting)
//   node dist-bench/gpu-benchmark.js --gpu vulkan --models-dir /tmp/models   (the GPU machine; bench/gpu/)
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { formatDevice } from '../shared/engine/format-device.js';
import { parseCliOptions } from '../sidecar/cli-options.js';
import { defaultThreads } from '../sidecar/engine/default-threads.js';
import { createLlamaCppEngine, type LlamaCppEngine } from '../sidecar/engine/llama-cpp-engine.js';
import { createLlamaSetup } from '../sidecar/engine/llama-source.js';
import { startSidecar } from '../sidecar/start-sidecar.js';
import { createLogger } from '../sidecar/logger.js';
import { SMOLLM2_SHAPE_SPEC, type LlamaModelSpec } from '../test/fixtures/gguf/llama-model-spec.js';
import { writeRandomLlama } from '../test/fixtures/gguf/write-random-llama.js';
import { completionBody, generateDirect } from './bench-sidecar.js';
import { measureServing, servingSummary } from './serving-figures.js';
import { median, quantile } from './stats.js';
import { startStreamClient } from './stream-client.js';
import { defined } from '../shared/base/defined.js';

/** About 415M parameters: the shape GPU.md's figures used. */
const SHAPE_400M: LlamaModelSpec = {
  ...SMOLLM2_SHAPE_SPEC,
  name: 'dim1024-24l-q8_0',
  embeddingLength: 1024,
  blockCount: 24,
  headCount: 16,
  headCountKv: 4,
  feedForwardLength: 4096,
  seed: 415,
};

const { values } = parseArgs({
  options: {
    gpu: { type: 'string', default: 'auto' },
    'gpu-layers': { type: 'string', default: 'max' },
    quick: { type: 'boolean', default: false },
    'models-dir': { type: 'string', default: 'bench/models' },
    models: { type: 'string' },
    tokens: { type: 'string' },
    runs: { type: 'string' },
    'ttft-runs': { type: 'string' },
    threads: { type: 'string' },
    'serving-tokens': { type: 'string' },
    'serving-runs': { type: 'string' },
    'skip-serving': { type: 'boolean', default: false },
  },
});
const QUICK = values.quick;
const TOKENS = Number(values.tokens ?? (QUICK ? 32 : 256));
const RUNS = Number(values.runs ?? (QUICK ? 4 : 15));
const TTFT_RUNS = Number(values['ttft-runs'] ?? (QUICK ? 6 : 40));
const TTFT_TOKENS = 8;
const CONCURRENCY = QUICK ? [1, 2] : [1, 2, 4, 8];
const CONC_RUNS = QUICK ? 1 : 2;
// The serving figures: about 30 s per model on the H200 (7 runs of 128 tokens at 1/2/4/8 streams,
// two 256-token background streams per short-request run); --quick keeps every figure but one run.
const SERVING_TOKENS = Number(values['serving-tokens'] ?? (QUICK ? 16 : 128));
const SERVING_RUNS = Number(values['serving-runs'] ?? (QUICK ? 1 : 7));
const SERVING_BACKGROUND_TOKENS = QUICK ? 64 : 256;
const CONTEXT = 1024;
const PARALLEL = 8;
// Reuse the CLI's own parsing, so --gpu and --gpu-layers mean what they mean for `hearth`.
const parsed = parseCliOptions(['--gpu', values.gpu, '--gpu-layers', values['gpu-layers']], {});
const gpuOptions = parsed === 'help' ? {} : { ...defined({ gpu: parsed.gpu, gpuLayers: parsed.gpuLayers }) };
const THREADS = Number(values.threads ?? defaultThreads());
const SPECS = [SMOLLM2_SHAPE_SPEC, SHAPE_400M].filter((spec) => values.models === undefined || values.models.split(',').includes(spec.name));
const client = startStreamClient();
const say = (line: string): void => console.log(line);

async function ensureModel(spec: LlamaModelSpec): Promise<string> {
  const dir = path.resolve(values['models-dir']);
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${spec.name}.gguf`);
  if (!existsSync(file)) {
    const started = performance.now();
    await writeRandomLlama(file, spec);
    say(`generated ${path.basename(file)} in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  }
  return file;
}

async function benchModel(spec: LlamaModelSpec): Promise<void> {
  const modelPath = await ensureModel(spec);
  await decodeFigures(spec, modelPath);
  if (values['skip-serving']) return;
  const tag = `[${spec.name}]`;
  const started = performance.now();
  const figures = await measureServing({
    modelPath,
    threads: THREADS,
    tokens: SERVING_TOKENS,
    runs: SERVING_RUNS,
    backgroundTokens: SERVING_BACKGROUND_TOKENS,
    concurrency: [1, 2, 4, 8],
    sidecarOptions: gpuOptions,
    client,
    log: (line) => process.stderr.write(`${tag} serving: ${line}\n`),
  });
  for (const line of servingSummary(figures)) say(`${tag} serving ${line}`);
  say(`${tag} serving took ${((performance.now() - started) / 1000).toFixed(0)} s`);
}

/** Decode speed API against direct, TTFT overhead, aggregate at 1/2/4/8 streams, in one sidecar. */
async function decodeFigures(spec: LlamaModelSpec, modelPath: string): Promise<void> {
  const engines: LlamaCppEngine[] = [];
  const log = createLogger('warn');
  const setup = createLlamaSetup(gpuOptions, log);
  const sidecar = await startSidecar(
    {
      host: '127.0.0.1',
      port: 0,
      modelsPath: path.dirname(modelPath),
      contextSize: CONTEXT,
      threads: THREADS,
      parallel: PARALLEL,
      apiKeys: [],
      corsOrigins: [],
      logLevel: 'warn',
      preload: false,
      maxBodyBytes: 1 << 20,
    },
    { log, webAppPath: null, engines: () => [{ backend: 'llama-cpp', create: () => engines[engines.push(createLlamaCppEngine(setup)) - 1] as LlamaCppEngine }] },
  );
  const modelName = path.basename(modelPath);
  const url = `${sidecar.url}/v1/completions`;
  const tag = `[${spec.name}]`;
  try {
    const body = (tokens: number): string => completionBody(modelName, tokens);
    const api = async (tokens: number): Promise<{ ttftMs: number; tps: number }> => {
      const [timing] = await client.run(url, body(tokens), 1);
      if (timing === undefined) throw new Error('no timing');
      // The stream after the first byte carries tokens 2..N (plus the finish chunk and [DONE]).
      return { ttftMs: timing.ttftMs, tps: ((tokens - 1) * 1000) / timing.streamMs };
    };
    const direct = async (tokens: number): Promise<{ ttftMs: number; tps: number }> => {
      const times = await generateDirect(engine(), tokens);
      return { ttftMs: times.firstToken - times.started, tps: ((tokens - 1) * 1000) / (times.end - times.firstToken) };
    };
    const engine = (): LlamaCppEngine => {
      const found = engines[0];
      if (found === undefined) throw new Error('the sidecar has not loaded the model');
      return found;
    };
    // The first request loads the model (and warms both paths).
    const loadStarted = performance.now();
    await api(TOKENS);
    const loadMs = performance.now() - loadStarted;
    await direct(TOKENS);
    say(`${tag} device: ${formatDevice(engine().describe())} (load + first request ${loadMs.toFixed(0)} ms; ${TOKENS} tokens, greedy, context ${CONTEXT}, ${PARALLEL} sequences)`);

    const directTps: number[] = [];
    const apiTps: number[] = [];
    for (let run = 0; run < RUNS; run++) {
      // ABBA: which side goes first alternates, so drift and "second is warmer" cancel out.
      if (run % 2 === 0) {
        directTps.push((await direct(TOKENS)).tps);
        apiTps.push((await api(TOKENS)).tps);
      } else {
        apiTps.push((await api(TOKENS)).tps);
        directTps.push((await direct(TOKENS)).tps);
      }
    }
    const ratios = apiTps.map((tps, i) => tps / (directTps[i] as number));
    say(`${tag} decode direct : ${median(directTps).toFixed(1)} tokens/s (median of ${RUNS})`);
    say(`${tag} decode API    : ${median(apiTps).toFixed(1)} tokens/s (median of ${RUNS}, streamed over HTTP to a separate client process)`);
    say(`${tag} decode ratio  : ${median(ratios).toFixed(3)} API/direct (median of ${RUNS} pairs, quartiles ${quantile(ratios, 0.25).toFixed(3)}..${quantile(ratios, 0.75).toFixed(3)}; target >= 0.97)`);

    const ttftDiffs: number[] = [];
    const ttftDirect: number[] = [];
    for (let run = 0; run < TTFT_RUNS; run++) {
      if (run % 2 === 0) {
        const d = await direct(TTFT_TOKENS);
        ttftDirect.push(d.ttftMs);
        ttftDiffs.push((await api(TTFT_TOKENS)).ttftMs - d.ttftMs);
      } else {
        const a = await api(TTFT_TOKENS);
        const d = await direct(TTFT_TOKENS);
        ttftDirect.push(d.ttftMs);
        ttftDiffs.push(a.ttftMs - d.ttftMs);
      }
    }
    say(
      `${tag} TTFT overhead : ${median(ttftDiffs).toFixed(2)} ms API minus direct (median of ${TTFT_RUNS} pairs, quartiles ${quantile(ttftDiffs, 0.25).toFixed(2)}..${quantile(ttftDiffs, 0.75).toFixed(2)}; direct TTFT ${median(ttftDirect).toFixed(1)} ms; target < 3 ms)`,
    );

    for (const count of CONCURRENCY) {
      const apiAgg: number[] = [];
      const directAgg: number[] = [];
      for (let run = 0; run < CONC_RUNS; run++) {
        const timings = await client.run(url, body(TOKENS), count);
        apiAgg.push((count * TOKENS * 1000) / Math.max(...timings.map((t) => t.totalMs)));
        const started = performance.now();
        await Promise.all(Array.from({ length: count }, () => generateDirect(engine(), TOKENS)));
        directAgg.push((count * TOKENS * 1000) / (performance.now() - started));
      }
      say(`${tag} ${count} streams  : API ${median(apiAgg).toFixed(1)} tokens/s aggregate, direct ${median(directAgg).toFixed(1)} tokens/s (wall time, prompts included, median of ${CONC_RUNS})`);
    }
  } finally {
    await sidecar.close();
  }
}

try {
  say(`gpu benchmark: --gpu ${values.gpu} --gpu-layers ${values['gpu-layers']}, threads ${THREADS}${QUICK ? ', quick' : ''}`);
  for (const spec of SPECS) await benchModel(spec);
} finally {
  client.close();
}
