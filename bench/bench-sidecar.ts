// The sidecar as the benchmarks run it: the benchmark model loaded (alone), on an ephemeral loopback
// port, with the engine it created exposed so "direct" runs can use the very same loaded context.
import path from 'node:path';
import { startSidecar, type RunningSidecar } from '../sidecar/start-sidecar.js';
import { createLlamaCppEngine, type LlamaCppEngine } from '../sidecar/engine/llama-cpp-engine.js';
import { BENCH_PROMPT } from './bench-model.js';

export interface BenchSidecar {
  sidecar: RunningSidecar;
  engine: LlamaCppEngine;
  /** The `model` requests name. */
  modelName: string;
}

/**
 * `extra` is passed through to the sidecar's options as it is (for example `{ gpu: 'vulkan' }`
 * from a GPU benchmark), so options added later need no change here; the engine gets the
 * sidecar's llama.cpp setup, so `gpu` and `gpuLayers` reach it. Only the benchmark model is loaded
 * (by a one-token request), not the other models of its folder.
 */
export async function startBenchSidecar(
  modelPath: string,
  settings: { contextSize: number; threads: number; parallel: number },
  extra: Readonly<Record<string, unknown>> = {},
): Promise<BenchSidecar> {
  const engines: LlamaCppEngine[] = [];
  const sidecar = await startSidecar(
    { host: '127.0.0.1', port: 0, modelsPath: path.dirname(modelPath), ...settings, apiKeys: [], corsOrigins: [], logLevel: 'warn', preload: false, maxBodyBytes: 1 << 20, ...extra },
    {
      engines: (llamaSetup) => [
        {
          backend: 'llama-cpp',
          create: () => {
            const engine = createLlamaCppEngine(llamaSetup);
            engines.push(engine);
            return engine;
          },
        },
      ],
    },
  );
  const modelName = path.basename(modelPath);
  try {
    await sidecar.ready;
    const response = await fetch(`${sidecar.url}/v1/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: modelName, prompt: BENCH_PROMPT, max_tokens: 1, temperature: 0 }),
    });
    if (!response.ok) throw new Error(`loading ${modelName}: HTTP ${response.status} ${await response.text()}`);
    const [engine] = engines;
    if (engine === undefined || engines.length !== 1) throw new Error(`the sidecar loaded ${engines.length} engines for ${modelName}, expected 1`);
    return { sidecar, engine, modelName };
  } catch (error) {
    await sidecar.close();
    throw error;
  }
}

/**
 * The streamed, greedy /v1/completions body for `maxTokens` tokens of BENCH_PROMPT. Without the
 * prompt cache, as the direct runs clear their sequence: both evaluate the whole prompt.
 */
export function completionBody(modelName: string, maxTokens: number): string {
  return JSON.stringify({ model: modelName, prompt: BENCH_PROMPT, max_tokens: maxTokens, temperature: 0, stream: true, cache_prompt: false });
}

/** performance.now() marks of one direct generation. */
export interface DirectTimes {
  started: number;
  firstToken: number;
  end: number;
}

/**
 * node-llama-cpp's own token loop with its defaults, greedy, on a sequence leased from the
 * sidecar's pool. Timed from before clearing the sequence and tokenizing, as a request is.
 */
export function generateDirect(engine: LlamaCppEngine, maxTokens: number): Promise<DirectTimes> {
  return engine.withSequence(async (sequence) => {
    const started = performance.now();
    await sequence.clearHistory();
    let firstToken = 0;
    let count = 0;
    for await (const _token of sequence.evaluate(sequence.model.tokenize(BENCH_PROMPT), { temperature: 0 })) {
      if (++count === 1) firstToken = performance.now();
      if (count === maxTokens) break;
    }
    const end = performance.now();
    if (count !== maxTokens) throw new Error(`direct: expected ${maxTokens} tokens, got ${count} (the model ended its turn early)`);
    return { started, firstToken, end };
  });
}
